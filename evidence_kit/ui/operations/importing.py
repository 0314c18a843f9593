"""Imports on the worker: what a file is, then read it into the vault (or keep it as it is)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.errors import ImportFailed
from evidence_kit.ui.tasks import Job


@dataclass(frozen=True)
class Detected:
    name: str | None  # None: not a format we read; it can be kept as a plain file
    label: str
    zone_free: bool


def detect_format(job: Job, path: Path) -> Detected:
    from evidence_kit.importers.run import detect, read_source

    source = read_source(path)
    try:
        importer = detect(source)
    except ImportFailed:
        return Detected(None, "file", False)
    return Detected(importer.name, importer.label, bool(importer.zone_free))


def run_import(
    job: Job, path: Path, format_name: str, tz: str | None, case: str | None
) -> dict[str, Any]:
    from evidence_kit.importers.run import import_file

    result = import_file(
        job.need_vault(),
        path,
        format_name=format_name,
        tz=tz,
        case=case,
        progress=job.progress,
        cancel=job.cancel,
    )
    return {**result.as_dict(), "label": result.label}


def keep_file(job: Job, path: Path, case: str | None) -> dict[str, Any]:
    from evidence_kit.vault.files import add_file

    item = add_file(job.need_vault(), path, case=case, progress=job.progress, cancel=job.cancel)
    return {"item_id": item.id, "original_name": item.original_name, "sha256": item.sha256}
