"""`import_tree`: the one transaction of a download import (see download.py for what it keeps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evidence_kit.errors import EvidenceKitError, ImportFailed
from evidence_kit.importers import registry
from evidence_kit.importers.base import ImportOptions
from evidence_kit.importers.download import (
    MAX_SKIPPED_LISTED,
    Conversation,
    DownloadImporter,
    Kept,
    Reader,
    hash_entries,
    sha256_of,
)
from evidence_kit.importers.tree import Tree, listing
from evidence_kit.model import CancelFlag, Item, ItemKind, Progress, never_cancel, no_progress
from evidence_kit.vault.files import store_file
from evidence_kit.vault.message_codec import row_from_message
from evidence_kit.vault.vault import Vault
from evidence_kit.vault.writer import Writer

DOWNLOAD_FORMAT = "download"


@dataclass(frozen=True)
class Found:
    importer: DownloadImporter
    files: list[str]


def find(tree: Tree, format_name: str | None = None) -> list[Found]:
    """What the download formats read in `tree`: each file goes to the first format claiming it."""
    chosen = registry.downloads()
    if format_name:
        chosen = [importer for importer in chosen if importer.name == format_name]
    claimed: set[str] = set()
    found: list[Found] = []
    for importer in chosen:
        for files in importer.find(tree):
            files = [path for path in files if path not in claimed]
            if files:
                claimed.update(files)
                found.append(Found(importer, files))
    return found


def labels(found: list[Found]) -> str:
    seen: list[str] = []
    for one in found:
        if one.importer.label not in seen:
            seen.append(one.importer.label)
    return ", ".join(seen)


def _parent(writer: Writer, tree: Tree, options: ImportOptions, meta: dict[str, Any],
            digests: dict[str, str], progress: Progress, cancel: CancelFlag) -> tuple[Item, Kept | None]:  # fmt: skip
    """The download's parent item: the file or zip itself, or a generated listing."""
    if tree.kind in ("file", "zip"):
        item = store_file(writer, tree.paths[0], kind=ItemKind.FILE, case=options.case,
                          metadata=meta, progress=progress, cancel=cancel)  # fmt: skip
        lone = None
        if tree.kind == "file":
            entry = next(iter(tree.entries.values()))
            assert item.sha256 is not None
            lone = Kept(item.id, item.sha256, entry)
        return item, lone
    if tree.kind == "folder":
        rows = [(path, entry.size, digests[path]) for path, entry in tree.entries.items()]
        name = f"{tree.name} (folder listing).txt"
    else:
        rows = [(path.name, path.stat().st_size, digests[path.name]) for path in tree.paths]
        name = f"{tree.name} (listing of {len(tree.paths)} parts).txt"
    text = listing(tree.name, rows)
    sha256, size = writer.put([text])
    item = writer.add_item(ItemKind.FILE, sha256=sha256, size=size, media_type="text/plain",
                           original_name=name, case=options.case, metadata=meta)  # fmt: skip
    if tree.kind == "zips":
        for path in tree.paths:
            part = store_file(writer, path, kind=ItemKind.ATTACHMENT, case=options.case,
                              parent_id=item.id, metadata={"attachment_of": item.id,
                              "download_part": path.name}, cancel=cancel)  # fmt: skip
            if part.sha256 != digests[path.name]:
                raise ImportFailed(f"{path} changed while it was being imported.")
    return item, None


def import_tree(
    vault: Vault,
    tree: Tree,
    found: list[Found],
    options: ImportOptions,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> Any:
    """Import every conversation `found` in `tree`; return the download's ImportResult."""
    from evidence_kit.importers.run import ImportResult

    if not found:
        raise ImportFailed(
            f"{tree.name} is not a chat or e-mail export that Evidence Kit can read.",
            hint="You can still keep it as it is with `evidence-kit add`.",
        )
    digests: dict[str, str] = {}
    if tree.kind == "folder":
        digests = hash_entries(tree, cancel)
    elif tree.kind == "zips":
        digests = {path.name: sha256_of(_file_blocks(path), cancel) for path in tree.paths}
    names = sorted({one.importer.name for one in found})
    meta = {"download": {"kind": tree.kind, "name": tree.name, "formats": names,
                         "files": len(tree.entries), "parts": [p.name for p in tree.paths]}}  # fmt: skip
    total = sum(entry.size for entry in tree.entries.values()) or 1
    done = [0]

    def advance(count: int, _total: int | None) -> None:
        done[0] += count
        progress(min(done[0], total), total)

    results: list[Any] = []
    with vault.transaction() as writer:
        parent, lone = _parent(writer, tree, options, meta, digests, no_progress, cancel)
        reader = Reader(tree, writer, options, parent.id, cancel=cancel, expected=digests,
                        lone=lone, on_bytes=advance)  # fmt: skip
        for one in found:
            try:
                for conversation in one.importer.read(one.files, reader):
                    results.append(_store(writer, reader, one.importer, conversation, parent))
                    reader.begin()
            except EvidenceKitError:
                raise
            except (UnicodeError, ValueError, KeyError, IndexError, TypeError, EOFError) as exc:
                raise ImportFailed(
                    f"{tree.name} could not be read as {one.importer.label}: {exc}."
                ) from exc
        skipped = reader.skipped()
        summary = {
            "conversations": [r.item.id for r in results],
            "message_count": sum(r.message_count for r in results),
            "files_read": len(reader.kept),
            "skipped_count": len(skipped),
            "skipped": [s.as_dict() for s in skipped[:MAX_SKIPPED_LISTED]],
            "formats": names,
            "timezone": options.tz.key if any(r.timezone for r in results) else None,
        }
        writer.record_import(parent.id, DOWNLOAD_FORMAT, summary["timezone"], summary)
    progress(1, 1)
    return ImportResult(
        item=vault.item(parent.id),
        format=names[0] if len(names) == 1 else DOWNLOAD_FORMAT,
        label=labels(found),
        timezone=summary["timezone"],
        message_count=summary["message_count"],
        system_message_count=sum(r.system_message_count for r in results),
        attachment_count=sum(r.attachment_count for r in results),
        attachments_present=sum(r.attachments_present for r in results),
        warnings=[w for r in results for w in r.warnings],
        facts={
            "files_read": summary["files_read"],
            "skipped_count": len(skipped),
            "skipped": summary["skipped"],
        },
        conversations=results,
    )


def _store(writer: Writer, reader: Reader, importer: DownloadImporter,
           conversation: Conversation, parent: Item) -> Any:  # fmt: skip
    from evidence_kit.importers.run import ImportResult

    files = [reader.keep(path) for path in conversation.files]
    timezone = reader.options.tz.key if conversation.zone_free else None
    item = writer.add_item(
        ItemKind.IMPORT,
        sha256=None,
        size=0,
        original_name=conversation.title or conversation.key,
        case=reader.options.case,
        parent_id=parent.id,
        metadata={
            "import": {"format": importer.name, "label": importer.label,
                       "timezone": timezone, "date_order": None},
            "conversation": {
                "title": conversation.title, "key": conversation.key, **conversation.details,
                "files": [{"path": k.entry.path, "sha256": k.sha256, "item_id": k.item_id}
                          for k in files],
            },
        },
    )  # fmt: skip
    counts = {"messages": 0, "system": 0, "attachments": 0, "present": 0, "omitted": 0}

    def rows():  # type: ignore[no-untyped-def]
        for message in conversation.messages:
            reader.check_cancel()
            counts["messages"] += 1
            counts["system"] += message.is_system
            if message.attachments:
                counts["attachments"] += len(message.attachments)
                counts["present"] += sum(1 for ref in message.attachments if ref.present)
                counts["omitted"] += sum(1 for ref in message.attachments if ref.omitted)
            yield row_from_message(message)

    writer.add_message_rows(item.id, rows())
    not_captured = counts["attachments"] - counts["present"] - counts["omitted"]
    if not_captured:
        reader.facts["attachments_not_captured"] = not_captured
        reader.warn(None, f"{not_captured} attachments the messages name are not in the download "
                    "(or are only links); they are recorded as referenced, not captured.")  # fmt: skip
    if counts["omitted"]:
        reader.facts["attachments_omitted"] = counts["omitted"]
    if reader.warning_count > len(reader.warnings):
        reader.warn(
            None, f"{reader.warning_count - len(reader.warnings)} more warnings like these."
        )
    summary = {
        "message_count": counts["messages"],
        "system_message_count": counts["system"],
        "attachment_count": counts["attachments"],
        "attachments_present": counts["present"],
        "warnings": [w.as_dict() for w in reader.warnings],
        "download_item_id": parent.id,
        **reader.facts,
    }
    writer.record_import(item.id, importer.name, timezone, summary)
    return ImportResult(
        item=item, format=importer.name, label=importer.label, timezone=timezone,
        message_count=counts["messages"], system_message_count=counts["system"],
        attachment_count=counts["attachments"], attachments_present=counts["present"],
        warnings=list(reader.warnings), facts={"download_item_id": parent.id, **reader.facts},
    )  # fmt: skip


def _file_blocks(path: Any) -> Any:
    from evidence_kit.vault.store import CHUNK, read_chunks

    with open(path, "rb") as handle:
        yield from read_chunks(handle, CHUNK)
