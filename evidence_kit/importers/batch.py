"""`import_paths`: the one call that imports what a person gave — files, folders, several zips.

Each path is one import, except the zips of one multi-part download (Facebook and Instagram
split large downloads, media in one part, messages in another): zips that hold the same kind of
download are joined into one. An export of the first formats (WhatsApp, e-mail, SMS backup) is
imported as before, one file at a time. Each import is all or nothing on its own: one that fails
is reported in its `Outcome` and the others still go in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evidence_kit.errors import Cancelled, EvidenceKitError, ImportFailed
from evidence_kit.importers import download_run, registry
from evidence_kit.importers.base import ImportOptions
from evidence_kit.importers.run import (
    DATE_ORDERS,
    ImportResult,
    import_file,
    known_format,
    read_source,
    zone,
)
from evidence_kit.importers.tree import Tree
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress
from evidence_kit.vault.vault import Vault


@dataclass
class Outcome:
    """One import of a batch: the path(s) it read, and its result or the error that stopped it."""

    paths: tuple[Path, ...]
    result: ImportResult | None = None
    error: EvidenceKitError | None = None

    @property
    def name(self) -> str:
        return ", ".join(path.name for path in self.paths)


@dataclass
class _Job:
    paths: tuple[Path, ...]
    kind: str  # "file" (the first formats, or a lone download file), "folder", "zips"


def _is_classic(path: Path, format_name: str | None) -> bool:
    if format_name:
        return registry.by_name(format_name) is not None
    source = read_source(path)
    return any(importer.detect(source) for importer in registry.importers())


def plan(paths: Sequence[Path], format_name: str | None = None) -> list[_Job | Outcome]:
    """What will be imported: one job per path, the zips of one download joined."""
    jobs: list[_Job | Outcome] = []
    zips: dict[frozenset[str], list[Path]] = {}
    loose: list[Path] = []
    for path in map(Path, paths):
        try:
            if path.is_dir():
                jobs.append(_Job((path,), "folder"))
                continue
            source = read_source(path)
            if source.zip_names is None or _is_classic(path, format_name):
                jobs.append(_Job((path,), "file"))
                continue
            with Tree.zips([path]) as tree:
                formats = frozenset(f.importer.name for f in download_run.find(tree, format_name))
            if not formats:
                loose.append(path)
                continue
            if formats not in zips:
                zips[formats] = []
                jobs.append(_Job((), "zips:" + ",".join(sorted(formats))))
            zips[formats].append(path)
        except EvidenceKitError as exc:
            jobs.append(Outcome((path,), error=exc))
    for path in loose:  # a part with no messages (the media of a split download) joins its own
        group = _part_of(path, zips)
        if group is None:
            jobs.append(Outcome((path,), error=ImportFailed(
                f"{path} is not a chat or e-mail export that Evidence Kit can read"
                + (", and it is not clearly a part of the other zips given." if zips else "."),
                hint="You can still keep it as it is with `evidence-kit add`.",
            )))  # fmt: skip
        else:
            group.append(path)
    for job in jobs:
        if isinstance(job, _Job) and job.kind.startswith("zips:"):
            job.paths = tuple(zips[frozenset(job.kind[5:].split(","))])
            job.kind = "zips"
    return jobs


def _part_of(path: Path, zips: dict[frozenset[str], list[Path]]) -> list[Path] | None:
    """The zips `path` is a part of: the only download given, or the one whose names it shares."""
    if len(zips) == 1:
        return next(iter(zips.values()))

    def shared(other: Path) -> int:
        return next((n for n, (a, b) in enumerate(zip(path.stem, other.stem, strict=False)) if a != b),
                    min(len(path.stem), len(other.stem)))  # fmt: skip

    best = max(zips.values(), key=lambda group: shared(group[0]), default=None)
    return best if best is not None and shared(best[0]) >= 8 else None


def import_paths(
    vault: Vault,
    paths: Sequence[Path],
    *,
    format_name: str | None = None,
    tz: str | None = None,
    date_order: str | None = None,
    case: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    started: Callable[[tuple[Path, ...]], None] | None = None,
) -> list[Outcome]:
    """Import every path; `started(paths)` is called as each import begins (for a progress bar)."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ImportFailed(f"Unknown date order {date_order!r}.", hint="Use dmy, mdy or ymd.")
    options = ImportOptions(tz=zone(tz), date_order=date_order, case=case)
    if format_name:
        known_format(format_name)
    outcomes: list[Outcome] = []
    for job in plan(paths, format_name):
        if isinstance(job, Outcome):
            outcomes.append(job)
            continue
        if started is not None:
            started(job.paths)
        try:
            if job.kind == "file":
                result = import_file(vault, job.paths[0], format_name=format_name, tz=tz,
                                     date_order=date_order, case=case, progress=progress,
                                     cancel=cancel)  # fmt: skip
            else:
                maker = Tree.folder if job.kind == "folder" else None
                with maker(job.paths[0]) if maker else Tree.zips(job.paths) as tree:
                    found = download_run.find(tree, format_name)
                    result = download_run.import_tree(
                        vault, tree, found, options, progress=progress, cancel=cancel
                    )
            outcomes.append(Outcome(job.paths, result=result))
        except Cancelled:
            raise
        except EvidenceKitError as exc:
            outcomes.append(Outcome(job.paths, error=exc))
    return outcomes
