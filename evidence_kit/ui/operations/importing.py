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


def detect_several(job: Job, paths: list[Path]) -> Detected:
    """What several files or a folder are, together: a download's parts, a folder of exports.
    The time zone is asked when any of them (or a folder's contents) may need it."""
    zone_free = any(path.is_dir() for path in paths)
    for path in paths:
        if path.is_file():
            found = detect_format(job, path)
            zone_free = zone_free or found.zone_free
    folders = sum(1 for path in paths if path.is_dir())
    label = (
        "folder of exports" if folders == len(paths) == 1
        else f"set of {len(paths)} files and folders" if folders
        else f"set of {len(paths)} files (the parts of one download are joined)"
    )  # fmt: skip
    return Detected("several", label, zone_free)


def run_imports(
    job: Job, paths: list[Path], tz: str | None, case: str | None
) -> list[dict[str, Any]]:
    """One import of everything given (the core joins the zips of one split download): per
    import, its facts, or `error` with what stopped it (the others still went in)."""
    from evidence_kit.importers.batch import import_paths

    outcomes = import_paths(
        job.need_vault(), paths, tz=tz, case=case, progress=job.progress, cancel=job.cancel
    )
    found: list[dict[str, Any]] = []
    for outcome in outcomes:
        if outcome.result is not None:
            found.append({**outcome.result.as_dict(), "label": outcome.result.label,
                          "read_from": outcome.name})  # fmt: skip
        else:
            message = outcome.error.message if outcome.error is not None else "not imported"
            found.append({"error": message, "read_from": outcome.name})
    return found
