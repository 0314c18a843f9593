"""Adding any file (PDF, picture, audio, video) to the vault exactly as it is."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evidence_kit import mediatype
from evidence_kit.clock import iso_utc
from evidence_kit.errors import FileChanged, InputFileError, input_error
from evidence_kit.model import CancelFlag, Item, ItemKind, Progress, never_cancel, no_progress
from evidence_kit.vault.store import CHUNK, read_chunks
from evidence_kit.vault.vault import Vault
from evidence_kit.vault.writer import Writer


def open_input(path: Path):  # type: ignore[no-untyped-def]
    """Open a file a person named, or raise an error that names it and says what is wrong."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise input_error(path, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(
            f"Cannot add {path}: it is a folder, not a file.",
            hint="Add the files inside it instead.",
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(f"Cannot add {path}: it is not an ordinary file.")
    try:
        return open(path, "rb"), info
    except OSError as exc:
        raise input_error(path, exc) from exc


def same_file(before: os.stat_result, after: os.stat_result) -> bool:
    """Is it the same file, unchanged? Size, modification and change times, and identity."""
    return (
        before.st_size == after.st_size
        and before.st_mtime_ns == after.st_mtime_ns
        and before.st_ctime_ns == after.st_ctime_ns
        and (before.st_dev, before.st_ino) == (after.st_dev, after.st_ino)
    )


def refuse_if_changed(path: Path, before: os.stat_result, *, read: int | None = None) -> None:
    """Raise `FileChanged` if `path` is not as it was when reading began (or `read` bytes were
    read from a file that was `before.st_size` long): what was stored would be a torn copy."""
    try:
        after = os.stat(path)
    except OSError as exc:
        raise FileChanged(f"{path} was moved or removed while it was being read.") from exc
    if not same_file(before, after) or (read is not None and read != before.st_size):
        raise FileChanged(f"{path} changed while it was being read; nothing was stored.")


def file_times(info: os.stat_result) -> dict[str, str]:
    def utc(seconds: float) -> str:
        return iso_utc(datetime.fromtimestamp(seconds, tz=UTC))

    times = {"modified_utc": utc(info.st_mtime), "accessed_utc": utc(info.st_atime)}
    birth = getattr(info, "st_birthtime", None)
    if birth:
        times["created_utc"] = utc(birth)
    else:
        times["changed_utc"] = utc(info.st_ctime)  # inode change time where birth time is unknown
    return times


def store_file(
    writer: Writer,
    path: Path,
    *,
    kind: ItemKind = ItemKind.FILE,
    case: str | None = None,
    parent_id: int | None = None,
    metadata: dict[str, Any] | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> Item:
    """Stream `path` into the vault inside the writer's transaction; return its item.

    A file that changes while it is read (it grows, is rewritten or replaced) is refused with
    `FileChanged`: the transaction rolls back and nothing is stored. The SHA-256 is of the bytes
    read, which are then the whole file as it was from the first byte to the last.
    """
    path = Path(path)
    handle, _ = open_input(path)
    with handle:
        try:
            info = os.fstat(handle.fileno())  # this open file, not whatever the name points to next
            head = handle.read(mediatype.HEAD)
            handle.seek(0)
            sha256, size = writer.put(
                read_chunks(handle, CHUNK),
                total=info.st_size,
                progress=progress,
                cancel=cancel,
                hash_ahead=True,
            )
        except OSError as exc:
            raise input_error(path, exc) from exc
    refuse_if_changed(path, info, read=size)
    meta: dict[str, Any] = {
        "source": {"path": str(path.absolute()), "file_times": file_times(info)},
        **(metadata or {}),
    }
    return writer.add_item(
        kind,
        sha256=sha256,
        size=size,
        media_type=mediatype.sniff(head, path.name),
        original_name=path.name,
        case=case,
        parent_id=parent_id,
        metadata=meta,
    )


def add_file(
    vault: Vault,
    path: Path,
    *,
    case: str | None = None,
    note: str | None = None,
    metadata: dict[str, Any] | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> Item:
    """Add one file as a new item (with an optional first note and what the person told about
    it, such as `posted`), all in one transaction."""
    with vault.transaction() as writer:
        item = store_file(
            writer, path, case=case, metadata=metadata, progress=progress, cancel=cancel
        )
        if note and note.strip():
            writer.add_note(item.id, note)
            item = writer.item(item.id)
    return item
