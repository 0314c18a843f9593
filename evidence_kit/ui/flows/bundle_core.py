"""The two calls the GUI makes into the bundle package, and the plain values it shows.

Everything here runs on the task runner's thread.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.bundle.verify import Check
from evidence_kit.errors import VerificationError
from evidence_kit.ui.tasks import Job

REPORT_SUFFIX = "/bag/data/report/evidence-report.html"
MAX_REPORT = 256 * 1024 * 1024


@dataclass(frozen=True)
class VerifyView:
    path: Path
    ok: bool
    checks: tuple[Check, ...]
    fingerprint: str | None
    summary: str


def verify_bundle(job: Job, path: Path) -> VerifyView:
    from evidence_kit.bundle.verify import verify_bundle as core_verify

    report = core_verify(path, progress=job.progress, cancel=job.cancel)
    checks = tuple(report.checks)  # frozen values: safe to hand to the GUI thread
    failed = len(report.failed())
    summary = (
        "Every check passed: nothing in this bundle was changed since it was sealed."
        if report.ok
        else f"{failed} check(s) failed: this bundle is not exactly as it was sealed, "
        "or it is damaged. Do not rely on it; ask the sender for a fresh copy."
    )
    return VerifyView(Path(path), report.ok, checks, report.fingerprint, summary)


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
    item_count: int = 0


def export_bundle(job: Job, request: Any) -> Exported:
    from evidence_kit.bundle.export import Options
    from evidence_kit.bundle.export import export_bundle as core_export

    vault = job.need_vault()
    item_ids = tuple(request.item_ids or ())
    if request.case is None and not item_ids:  # "everything in my vault"
        item_ids = tuple(vault.item_ids(top_level=True))
    result = core_export(
        vault,
        Options(
            audience=request.audience,
            case=request.case,
            item_ids=item_ids,
            contact_name=request.name or None,
            organisation=request.organisation or None,
        ),
        request.folder,
        progress=job.progress,
        cancel=job.cancel,
    )
    return Exported(result.zip_path, result.zip_sha256, result.fingerprint, result.item_count)
