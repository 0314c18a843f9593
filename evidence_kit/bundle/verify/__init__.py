"""Verify a bundle with no vault and no Qt: every check is run and reported, pass or fail.

This is what a recipient runs. It imports only the bundle format layer, the standard library and
`cryptography` (a test proves it in a fresh interpreter). `verify_bundle` never stops at the first
failure: the recipient sees the whole picture. It raises `VerificationError` only when the path
cannot be read at all, and `Cancelled`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from evidence_kit.bundle.format import keys
from evidence_kit.bundle.format.checks import Check, VerifyReport
from evidence_kit.bundle.format.source import NotABundle, UnsafeZip, open_bundle
from evidence_kit.bundle.verify import bag_checks, custody_checks, seal_checks, stamp_checks
from evidence_kit.bundle.verify.facts import Facts, gather
from evidence_kit.errors import VerificationError
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress

CHECKS: tuple[Callable[[Facts], Iterable[Check]], ...] = (
    bag_checks.container,
    bag_checks.structure,
    bag_checks.bagit_declaration,
    bag_checks.bag_info,
    bag_checks.manifest_forms,
    bag_checks.completeness,
    bag_checks.payload_oxum,
    bag_checks.payload_hashes,
    bag_checks.tag_manifests,
    bag_checks.sealed_beside,
    seal_checks.seal_key,
    seal_checks.signatures,
    seal_checks.expected_key,
    custody_checks.chain,
    custody_checks.genesis,
    custody_checks.export_event,
    custody_checks.item_records,
    seal_checks.received_seals,
    stamp_checks.item_tokens,
    stamp_checks.seal_token,
    custody_checks.zip_sidecar,
)

# Files of the format that this version does not check itself; it says so rather than pass them.
NOT_CHECKED_HERE: dict[str, str] = {}


def verify_bundle(
    path: Path,
    *,
    expect_key: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    workers: int = 2,
) -> VerifyReport:
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise VerificationError(f"There is no file or folder {path}.")
    try:
        source = open_bundle(path)
    except NotABundle as exc:
        raise VerificationError(
            f"Cannot check {path}: {exc}.",
            hint="Give the bundle's .zip file or its unpacked folder.",
        ) from exc
    except (UnsafeZip, OSError) as exc:
        return VerifyReport(
            str(path), (Check("container", "zip safety", False, f"{path.name}: {exc}"),)
        )
    with source:
        facts = gather(path, source, expect_key, progress, cancel, workers)
        checks = tuple(found for run in CHECKS for found in run(facts))
        also = seal_checks.received_signers(facts) if all(c.passed for c in checks) else ()
    raw = seal_checks.signer(facts)
    notes = tuple(
        f"{name}: {what} — not checked by this version of Evidence Kit"
        for name, what in NOT_CHECKED_HERE.items()
        if name in source.names
    )
    return VerifyReport(
        str(path),
        checks,
        bundle_id=source.top or None,
        fingerprint=keys.fingerprint(raw) if raw else None,
        read_aloud=keys.read_aloud(raw) if raw else None,
        expected_key=expect_key,
        notes=notes,
        received_signers=also,
    )


__all__ = ["Check", "VerifyReport", "verify_bundle"]
