"""Verify a bundle with no vault and no Qt: every check is run and reported, pass or fail.

`verify_bundle` never stops at the first failure: the recipient sees the whole picture. It only
raises `VerificationError` when the path cannot be read at all (and `Cancelled`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_kit.bundle.format import bag, layout
from evidence_kit.bundle.format.zipsafe import Source, open_bundle
from evidence_kit.bundle.verify_files import WHOLE, hash_all, read_member
from evidence_kit.bundle.verify_seal import (
    check_custody,
    check_items,
    check_sidecar,
    check_signatures,
)
from evidence_kit.errors import VerificationError
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress

KNOWN_SEAL = {
    layout.SSHSIG_FILE, layout.RAWSIG_FILE, layout.ALLOWED_SIGNERS, layout.PUBLIC_PEM,
    "tagmanifest-sha256.txt.tsr", "tsa-chain.pem",
}  # fmt: skip


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class VerifyReport:
    bundle: str
    bundle_id: str | None = None
    fingerprint: str | None = None
    expected_key: str | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def add(self, name: str, passed: bool, detail: str) -> None:
        self.checks.append(Check(name, passed, detail))

    def add_problems(self, name: str, problems: list[str], good: str) -> bool:
        """One check that passes when there are no `problems` (the first few are shown)."""
        shown = "; ".join(problems[:8]) + (
            f"; and {len(problems) - 8} more" if len(problems) > 8 else ""
        )
        self.add(name, not problems, shown if problems else good)
        return not problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "bundle_id": self.bundle_id,
            "ok": self.ok,
            "seal_key_fingerprint": self.fingerprint,
            "expected_key": self.expected_key,
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks
            ],
        }


def verify_bundle(
    path: Path,
    *,
    expect_key: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    workers: int = 2,
) -> VerifyReport:
    path = Path(path)
    report = VerifyReport(str(path), expected_key=expect_key)
    if not path.exists():
        raise VerificationError(f"There is no file or folder {path}.")
    try:
        source = open_bundle(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        report.add("zip safety", False, f"{path.name} cannot be read as a zip file ({exc})")
        return report
    try:
        _run(report, source, expect_key, progress, cancel, workers, path)
    finally:
        source.close()
    return report


def _run(
    report: VerifyReport,
    source: Source,
    expect_key: str | None,
    progress: Progress,
    cancel: CancelFlag,
    workers: int,
    path: Path,
) -> None:
    kind = "zip safety" if source.is_zip else "folder safety"
    report.add_problems(kind, source.problems, "no absolute paths, '..', links, duplicate names; "
                        "sizes within limits")  # fmt: skip
    names = source.names
    report.bundle_id = source.top
    layout_problems = []
    if not layout.BUNDLE_ID.match(source.top):
        layout_problems.append(f"the top folder {source.top!r} is not named EVB-<id>")
    for needed in (layout.VERIFY_TXT, "bag/bagit.txt", "bag/bag-info.txt"):
        if needed not in names:
            layout_problems.append(f"{needed} is missing")
    for name in names:
        top = name.split("/")[0]
        if name != layout.VERIFY_TXT and top not in (layout.BAG, layout.SEAL):
            layout_problems.append(f"{name} does not belong in a bundle")
        if top == layout.SEAL and name.split("/", 1)[1] not in KNOWN_SEAL:
            layout_problems.append(f"{name} does not belong in seal/")
        if top == layout.BAG and "/" not in name[4:] and name[4:] not in (
            *layout.TAG_FILES, "tagmanifest-sha256.txt", "tagmanifest-sha512.txt",
        ):  # fmt: skip
            layout_problems.append(f"{name} is not a tag file of this bag")
    report.add_problems("bundle layout", layout_problems, "one EVB-<id> folder with VERIFY.txt, "
                        "bag/ and seal/, and nothing else")  # fmt: skip

    bagit_txt = read_member(source, "bag/bagit.txt")
    report.add("bagit.txt", bagit_txt == bag.BAGIT_TXT,
               "BagIt-Version 1.0, UTF-8" if bagit_txt == bag.BAGIT_TXT
               else "bagit.txt is missing or is not the BagIt 1.0 declaration")  # fmt: skip

    info_raw = read_member(source, "bag/bag-info.txt") or b""
    info, info_problems = bag.parse_bag_info(info_raw)
    for name in bag.BAG_INFO_FIELDS:
        if not info.get(name):
            info_problems.append(f"bag-info.txt lacks {name}")
    if info.get("Evidence-Bundle-Format") not in (None, layout.FORMAT):
        info_problems.append(f"the format is {info['Evidence-Bundle-Format']!r}")
    if info.get("External-Identifier") not in (None, source.top):
        info_problems.append("External-Identifier does not match the folder name")
    report.add_problems("bag-info.txt", info_problems, f"all {len(bag.BAG_INFO_FIELDS)} fields")

    manifests: dict[str, dict[str, str]] = {}
    for algorithm in layout.ALGORITHMS:
        raw = read_member(source, f"bag/manifest-{algorithm}.txt")
        if raw is None:
            report.add(f"manifest-{algorithm}.txt", False, "missing")
            manifests[algorithm] = {}
            continue
        parsed = bag.parse_manifest(raw, algorithm)
        manifests[algorithm] = parsed.entries
        report.add_problems(f"manifest-{algorithm}.txt", parsed.problems,
                            f"{len(parsed.entries)} files, in the exact form")  # fmt: skip

    payload = sorted(name[4:] for name in names if name.startswith("bag/data/"))
    complete: list[str] = []
    for algorithm, entries in manifests.items():
        for listed in sorted(set(entries) - set(payload)):
            complete.append(f"{listed} is in manifest-{algorithm}.txt but missing")
        for present in sorted(set(payload) - set(entries)):
            complete.append(f"{present} is not in manifest-{algorithm}.txt")
    report.add_problems("nothing missing, nothing extra", complete,
                        f"{len(payload)} payload files, each listed in both manifests")  # fmt: skip

    octets = sum(names[f"bag/{p}"] for p in payload)
    expected_oxum = bag.payload_oxum(octets, len(payload))
    report.add("Payload-Oxum", info.get("Payload-Oxum") == expected_oxum,
               f"{expected_oxum} (bytes.files)" if info.get("Payload-Oxum") == expected_oxum
               else f"bag-info.txt says {info.get('Payload-Oxum')}, the bag holds {expected_oxum}")  # fmt: skip

    tag_names = [f"bag/{name}" for name in layout.TAG_FILES]
    sidecar = path.with_name(path.name + ".sha256") if source.is_zip else None
    whole = path if sidecar is not None and sidecar.is_file() else None
    digests = hash_all(source, [f"bag/{p}" for p in payload] + tag_names + [layout.VERIFY_TXT],
                       progress, cancel, workers, whole)  # fmt: skip
    for algorithm, entries in manifests.items():
        bad = [
            f"{p} does not match" if f"bag/{p}" in digests else f"{p} could not be read"
            for p in payload
            if p in entries and digests.get(f"bag/{p}", {}).get(algorithm) != entries[p]
        ]
        report.add_problems(
            f"payload files match manifest-{algorithm}.txt",
            bad,
            f"{sum(1 for p in payload if p in entries)} files read and hashed",
        )

    tagmanifests: dict[str, bytes | None] = {}
    for algorithm in layout.ALGORITHMS:
        raw = read_member(source, f"bag/tagmanifest-{algorithm}.txt")
        tagmanifests[algorithm] = raw
        if raw is None:
            report.add(f"tagmanifest-{algorithm}.txt", False, "missing")
            continue
        parsed = bag.parse_manifest(raw, algorithm)
        problems = list(parsed.problems)
        if sorted(parsed.entries) != sorted(layout.TAG_FILES):
            problems.append("it does not cover exactly bagit.txt, bag-info.txt and both manifests")
        for name, digest in parsed.entries.items():
            if digests.get(f"bag/{name}", {}).get(algorithm) != digest:
                problems.append(f"{name} does not match")
        report.add_problems(f"tagmanifest-{algorithm}.txt", problems,
                            "bagit.txt, bag-info.txt and both manifests match")  # fmt: skip

    verify_sha = digests.get(layout.VERIFY_TXT, {}).get("sha256")
    report.add("VERIFY.txt", bool(verify_sha) and verify_sha == info.get("Evidence-Verify-Txt-Sha256"),
               "unchanged (its hash is sealed in bag-info.txt)"
               if verify_sha and verify_sha == info.get("Evidence-Verify-Txt-Sha256")
               else "VERIFY.txt is missing or has been changed")  # fmt: skip

    signer = check_signatures(report, source, tagmanifests.get("sha256"), info)
    report.fingerprint = signer
    if expect_key:
        given = expect_key.strip()
        report.add("seal key is the expected one", signer is not None and signer == given,
                   f"{signer} is the key you expected" if signer == given
                   else f"the bundle was sealed with {signer}, not {given}")  # fmt: skip
    exported = check_custody(report, source, info, signer)
    check_items(report, source, manifests.get("sha256", {}), digests, exported)
    if whole is not None and sidecar is not None:
        check_sidecar(report, sidecar, digests.get(WHOLE, {}).get("sha256"))
