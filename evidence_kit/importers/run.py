"""`import_file`: keep the original, parse it, store messages and attachments — all or nothing."""

from __future__ import annotations

import json
import os
import zipfile
import zoneinfo
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_kit.clock import local_zone_name
from evidence_kit.errors import EvidenceKitError, ImportFailed, InputFileError
from evidence_kit.importers import download_run, registry
from evidence_kit.importers.base import (
    HEAD_BYTES,
    ImportOptions,
    ImportWarning,
    Session,
    Source,
    zip_names,
)
from evidence_kit.importers.tree import Tree
from evidence_kit.model import (
    CancelFlag,
    Item,
    ItemKind,
    Progress,
    never_cancel,
    no_progress,
)
from evidence_kit.vault.files import open_input, refuse_if_changed, store_file
from evidence_kit.vault.message_codec import MESSAGE_BATCH, row_from_message
from evidence_kit.vault.vault import Vault

DATE_ORDERS = ("dmy", "mdy", "ymd")


@dataclass
class ImportResult:
    """What one import kept and found, for the CLI and the GUI to say in plain words.

    `message_count` counts user and system messages; `attachment_count` every file a message
    names (omitted ones included), `attachments_present` those kept as child items. `warnings`
    are recoverable damage, each with its line number where there is one (`str(w)` reads well).
    `facts` is what the importer learnt, e.g. for WhatsApp: date_order, date_order_ambiguous,
    date_order_reason, header_form, platform, repeated_hour_messages,
    nonexistent_time_messages, undated_messages, attachments_not_captured,
    files_in_zip_not_named.
    """

    item: Item
    format: str
    label: str
    timezone: str | None
    message_count: int
    system_message_count: int
    attachment_count: int
    attachments_present: int
    warnings: list[ImportWarning] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    conversations: list[ImportResult] = field(default_factory=list)  # of a download

    def as_dict(self) -> dict[str, Any]:
        extra = {"conversations": [c.as_dict() for c in self.conversations]}
        return (extra if self.conversations else {}) | {
            "item_id": self.item.id,
            "sha256": self.item.sha256,
            "original_name": self.item.original_name,
            "format": self.format,
            "message_count": self.message_count,
            "system_message_count": self.system_message_count,
            "attachment_count": self.attachment_count,
            "attachments_present": self.attachments_present,
            "timezone": self.timezone,
            "warnings": [str(w) for w in self.warnings],
            **{k: v for k, v in self.facts.items() if k not in ("warnings",)},
        }


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone `name` (a zone's name, or a city or country with one zone), else this PC's."""
    from evidence_kit import timezones

    chosen = name or local_zone_name()
    try:
        return zoneinfo.ZoneInfo(chosen)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        found = timezones.resolve(chosen)
        if found is not None:
            return zoneinfo.ZoneInfo(found)
        close = [m.zone for m in timezones.matches(chosen, limit=5)]
        raise ImportFailed(
            f"{chosen!r} is not a time zone, or names more than one.",
            hint=(f"Did you mean one of: {', '.join(close)}?" if close else "")
            + " Use a name such as Europe/London or America/New_York.",
        ) from exc


def read_source(path: Path) -> Source:
    if path.is_dir():
        raise InputFileError(
            f"Cannot import {path}: it is a folder, not a file.",
            hint="Import the export inside it (the .txt, .zip, .eml, .mbox or .xml file).",
        )
    handle, info = open_input(path)
    with handle:
        try:
            head = handle.read(HEAD_BYTES)
        except OSError as exc:
            from evidence_kit.errors import input_error

            raise input_error(path, exc) from exc
    return Source(path=path, head=head, size=info.st_size, zip_names=zip_names(path, head))


def _a(label: str) -> str:
    return f"an {label}" if label[:1].lower() in "aeiou" else f"a {label}"


def _tree_of(path: Path, source: Source) -> Tree:
    return Tree.zips([path]) if source.zip_names is not None else Tree.single(path)


def known_format(name: str):  # type: ignore[no-untyped-def]
    """The importer called `name` (`--format`), or a plain refusal listing the known ones."""
    importer = registry.by_name(name) or registry.download_by_name(name)
    if importer is None:
        raise ImportFailed(
            f"Unknown format {name!r}.",
            hint=f"Known formats: {', '.join(registry.names() + registry.download_names())}.",
        )
    return importer


def detect(source: Source, format_name: str | None = None):  # type: ignore[no-untyped-def]
    if format_name:
        return known_format(format_name)
    for importer in registry.importers():
        if importer.detect(source):
            return importer
    with _tree_of(source.path, source) as tree:
        found = download_run.find(tree)
    if found:
        return found[0].importer
    raise ImportFailed(
        f"{source.path} is not a chat or e-mail export that Evidence Kit can read.",
        hint="You can still keep it as it is with `evidence-kit add`.",
    )


def message_batches(importer: Any, source: Source, session: Session) -> Iterator[list[Any]]:
    """The rows an importer parses, in lists: straight from its `parse_rows` where it has one
    (WhatsApp), else made from each `Message` of its `parse`."""
    if hasattr(importer, "parse_rows"):
        yield from importer.parse_rows(source, session)
        return
    batch: list[Any] = []
    for message in importer.parse(source, session):
        session.check_cancel()
        batch.append(row_from_message(message))
        if len(batch) >= MESSAGE_BATCH:
            yield batch
            batch = []
    yield batch


def import_file(
    vault: Vault,
    path: Path,
    *,
    format_name: str | None = None,
    tz: str | None = None,
    date_order: str | None = None,
    case: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> ImportResult:
    """Import one export. The original is kept byte for byte first; if anything fails, nothing is kept."""
    path = Path(path)
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ImportFailed(f"Unknown date order {date_order!r}.", hint="Use dmy, mdy or ymd.")
    source = read_source(path)
    importer = detect(source, format_name)
    options = ImportOptions(tz=zone(tz), date_order=date_order, case=case)
    if importer.name in registry.download_names():
        with _tree_of(path, source) as tree:
            found = download_run.find(tree, importer.name if format_name else None)
            if not found:
                raise ImportFailed(
                    f"{path} is not {_a(importer.label)} that Evidence Kit can read."
                )
            return download_run.import_tree(  # type: ignore[no-any-return]
                vault, tree, found, options, progress=progress, cancel=cancel
            )
    timezone = options.tz.key if importer.zone_free else None
    before = os.stat(path)
    with vault.transaction() as writer:
        item = store_file(
            writer,
            path,
            kind=ItemKind.IMPORT,
            case=case,
            metadata={
                "import": {
                    "format": importer.name,
                    "label": importer.label,
                    "timezone": timezone,
                    "date_order": date_order,
                }
            },
            progress=lambda done, total: progress(done // 2, total),
            cancel=cancel,
        )

        def parse_progress(done: int, total: int | None) -> None:  # the second half of the bar
            size = max(source.size, 1)
            progress(size // 2 + (min(done, total) * size // (2 * total) if total else 0), size)

        session = Session(writer, source, options, item.id, cancel=cancel, progress=parse_progress)
        counts = {"messages": 0, "system": 0, "attachments": 0, "present": 0}
        attachment_sent: dict[str, dict[str, str | None]] = {}  # evidence times of attachments
        senders: Counter[str] = Counter()

        def counted() -> Iterator[list[Any]]:
            for batch in message_batches(importer, source, session):
                session.check_cancel()
                counts["messages"] += len(batch)
                counts["system"] += sum(row[4] for row in batch)  # is_system
                senders.update(row[2] for row in batch if row[2] and not row[4])
                for row in batch:
                    if row[12] == "[]":  # attachments
                        continue
                    refs = json.loads(row[12])
                    counts["attachments"] += len(refs)
                    counts["present"] += sum(1 for ref in refs if ref.get("present"))
                    if row[6] is None:  # no UTC send time: the attachment keeps its own
                        continue
                    for ref in refs:
                        if ref.get("present") and ref.get("item_id") is not None:
                            attachment_sent.setdefault(
                                str(ref["item_id"]),
                                {"utc": row[6], "local": row[7] or row[5], "sender": row[2]},
                            )
                yield batch

        try:
            writer.add_message_batches(item.id, counted())
        except EvidenceKitError:
            raise
        except (
            UnicodeError,
            ValueError,
            zipfile.BadZipFile,
            EOFError,
            KeyError,
            IndexError,
        ) as exc:
            raise ImportFailed(f"{path} could not be read as {importer.label}: {exc}.") from exc
        except OSError as exc:
            raise InputFileError(f"Cannot read {path}: {exc.strerror}.") from exc
        refuse_if_changed(path, before)
        summary = {
            "message_count": counts["messages"],
            "system_message_count": counts["system"],
            "attachment_count": counts["attachments"],
            "attachments_present": counts["present"],
            "warnings": [w.as_dict() for w in session.warnings],
            **session.facts,
            "attachment_sent": attachment_sent,
            "senders": [name for name, _ in senders.most_common(20)],
        }
        writer.record_import(item.id, importer.name, timezone, summary)
    progress(1, 1)
    return ImportResult(
        item=vault.item(item.id),
        format=importer.name,
        label=importer.label,
        timezone=timezone,
        message_count=counts["messages"],
        system_message_count=counts["system"],
        attachment_count=counts["attachments"],
        attachments_present=counts["present"],
        warnings=list(session.warnings),
        facts=dict(session.facts),
    )
