"""What `verify` finds: small frozen values, one per check, with a stable `id` for scripts and
tests and a display `name` for people. A report is the tuple of them plus who sealed the bundle."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SHOWN = 8  # problems listed in one check's detail before "and N more"


@dataclass(frozen=True)
class Check:
    id: str
    name: str
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "passed": self.passed, "detail": self.detail}


def check(id: str, name: str, problems: Iterable[str], good: str) -> Check:
    """A check that passes when there are no `problems` (the first few are shown)."""
    found = list(problems)
    if not found:
        return Check(id, name, True, good)
    shown = "; ".join(found[:SHOWN])
    if len(found) > SHOWN:
        shown += f"; and {len(found) - SHOWN} more"
    return Check(id, name, False, shown)


@dataclass(frozen=True)
class VerifyReport:
    bundle: str
    checks: tuple[Check, ...]
    bundle_id: str | None = None
    fingerprint: str | None = None  # SHA256:… of the key that sealed it
    read_aloud: str | None = None  # the same key as eight groups of five digits
    expected_key: str | None = None
    notes: tuple[str, ...] = ()  # files present that this version does not check, said plainly
    received_signers: tuple[tuple[str, str, str], ...] = ()  # (bundle id, fingerprint, digits)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def get(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    @property
    def summary(self) -> str:
        """One plain sentence on what the result means."""
        failed = self.failed()
        if failed:
            return (
                f"{len(failed)} of {len(self.checks)} checks FAILED "
                f"({', '.join(c.name for c in failed)}). Do not rely on this bundle; keep it as "
                "you received it and ask the sender for a new copy."
            )
        if self.expected_key:
            return (
                f"All {len(self.checks)} checks passed: the bundle is intact and was sealed by "
                "the key you expected."
            )
        also = "".join(
            f" It also carries {bundle} as sealed by {fingerprint} (read aloud: {aloud}), the "
            "person who first sealed those files: confirm that key with them too."
            for bundle, fingerprint, aloud in self.received_signers
        )
        return (
            f"All {len(self.checks)} checks passed: the bundle is intact and was sealed by the "
            f"key shown ({self.fingerprint}; read aloud: {self.read_aloud}). The sender must "
            f"confirm that key to you by another channel (phone, in person).{also}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "bundle_id": self.bundle_id,
            "ok": self.ok,
            "summary": self.summary,
            "seal_key_fingerprint": self.fingerprint,
            "read_aloud": self.read_aloud,
            "expected_key": self.expected_key,
            "notes": list(self.notes),
            "received_signers": [
                {"bundle_id": b, "seal_key_fingerprint": f, "read_aloud": r}
                for b, f, r in self.received_signers
            ],
            "checks": [c.as_dict() for c in self.checks],
        }
