"""The two calls the GUI makes into the bundle package, and the plain values it shows.

Everything here runs on the task runner's thread.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.errors import VerificationError
from evidence_kit.ui.tasks import Job

REPORT_SUFFIX = "/bag/data/report/evidence-report.html"
MAX_REPORT = 256 * 1024 * 1024


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class VerifyView:
    path: Path
    ok: bool
    checks: tuple[Check, ...]
    fingerprint: str | None
    summary: str


def _checks(report: Any) -> tuple[Check, ...]:
    found: list[Check] = []
    for check in getattr(report, "checks", ()) or ():
        if isinstance(check, tuple | list):
            name, passed, detail = [*list(check), "", False, ""][:3]
        else:
            name = getattr(check, "name", str(check))
            passed = getattr(check, "passed", getattr(check, "ok", False))
            detail = getattr(check, "detail", getattr(check, "details", "")) or ""
        found.append(Check(str(name), bool(passed), str(detail)))
    return tuple(found)


def verify_bundle(job: Job, path: Path) -> VerifyView:
    from evidence_kit import bundle

    report = bundle.verify(path, progress=job.progress, cancel=job.cancel)
    checks = _checks(report)
    ok = bool(getattr(report, "ok", all(c.passed for c in checks)))
    fingerprint = getattr(report, "fingerprint", None) or getattr(report, "key_fingerprint", None)
    failed = sum(1 for c in checks if not c.passed)
    summary = (
        "Every check passed: nothing in this bundle was changed since it was sealed."
        if ok
        else f"{failed} check(s) failed: this bundle is not exactly as it was sealed, "
        "or it is damaged. Ask the sender for a fresh copy."
    )
    return VerifyView(Path(path), ok, checks, fingerprint, summary)


def read_report(job: Job, path: Path) -> str:
    """The bundle's HTML report, read from the zip into memory (no temporary file)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.endswith(REPORT_SUFFIX) and info.file_size <= MAX_REPORT:
                    return archive.read(info).decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile) as exc:
        raise VerificationError(f"Cannot read the report in {path}: {exc}.") from exc
    raise VerificationError(f"There is no report in {path}.")


@dataclass(frozen=True)
class Exported:
    path: Path
    sha256: str
    fingerprint: str


def export_bundle(job: Job, request: Any) -> Exported:
    from evidence_kit import bundle

    vault = job.need_vault()
    result = bundle.export(
        vault,
        request.folder,
        case=request.case,
        item_ids=request.item_ids,
        audience=request.audience,
        contact_name=request.name,
        organisation=request.organisation,
        progress=job.progress,
        cancel=job.cancel,
    )
    path = Path(getattr(result, "path", result))
    sha = getattr(result, "sha256", None)
    if not sha:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        sha = digest.hexdigest()
    return Exported(path, str(sha), str(getattr(result, "fingerprint", None) or vault.fingerprint))
