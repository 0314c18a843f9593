"""`import_file`: keep the original, parse it, store messages and attachments — all or nothing."""

from __future__ import annotations

import json
import os
import zipfile
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_kit.clock import local_zone_name
from evidence_kit.errors import EvidenceKitError, ImportFailed, InputFileError
from evidence_kit.importers import registry
from evidence_kit.importers.base import (
    HEAD_BYTES,
    ImportOptions,
    ImportWarning,
    Session,
    Source,
    zip_names,
)
from evidence_kit.model import (
    CancelFlag,
    Item,
    ItemKind,
    Message,
    Progress,
    never_cancel,
    no_progress,
)
from evidence_kit.vault.files import open_input, store_file
from evidence_kit.vault.vault import Vault
from evidence_kit.vault.writer import MESSAGE_FIELDS

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

    def as_dict(self) -> dict[str, Any]:
        return {
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


def message_record(message: Message) -> dict[str, Any]:
    """`message.as_dict()` with the vault's column names (`idx`)."""
    return dict(zip(MESSAGE_FIELDS, message_row(message), strict=True)) | {
        "is_system": message.is_system,
        "edited": message.edited,
        "deleted": message.deleted,
        "attachments": [ref.as_dict() for ref in message.attachments],
        "extra": message.extra,
    }


def message_row(message: Message) -> tuple[Any, ...]:
    """The vault row of `message` (MESSAGE_FIELDS order), the same values as `as_dict()` gives,
    made without the dict in between: this is the hot path of a million-message import."""
    sent = message.sent_at
    if sent is None:
        sent_at = sent_at_utc = None
    else:
        sent_at = sent.isoformat()
        offset = sent.utcoffset()
        naive_utc = sent.replace(tzinfo=None) - offset if offset is not None else sent
        sent_at_utc = naive_utc.isoformat() + "Z"
    attachments = message.attachments
    return (
        message.index,
        message.conversation,
        message.sender,
        message.sender_id,
        1 if message.is_system else 0,
        sent_at,
        sent_at_utc,
        message.sent_at_local,
        message.text,
        message.text_raw if message.text_raw is not None else message.text,
        1 if message.edited else 0,
        1 if message.deleted else 0,
        json.dumps([ref.as_dict() for ref in attachments], ensure_ascii=False)
        if attachments
        else "[]",
        json.dumps(message.extra, ensure_ascii=False) if message.extra else "{}",
    )


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


def detect(source: Source, format_name: str | None = None):  # type: ignore[no-untyped-def]
    if format_name:
        importer = registry.by_name(format_name)
        if importer is None:
            raise ImportFailed(
                f"Unknown format {format_name!r}.",
                hint=f"Known formats: {', '.join(registry.names())}.",
            )
        return importer
    for importer in registry.importers():
        if importer.detect(source):
            return importer
    raise ImportFailed(
        f"{source.path} is not a chat or e-mail export that Evidence Kit can read.",
        hint="You can still keep it as it is with `evidence-kit add`.",
    )


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

        def counted():  # type: ignore[no-untyped-def]
            for message in importer.parse(source, session):
                session.check_cancel()
                counts["messages"] += 1
                if message.is_system:
                    counts["system"] += 1
                row = message_row(message)
                if message.sender and not message.is_system:
                    senders[message.sender] += 1
                if message.attachments:
                    counts["attachments"] += len(message.attachments)
                    counts["present"] += sum(1 for ref in message.attachments if ref.present)
                    for ref in message.attachments:
                        if ref.present and ref.item_id is not None and row[6] is not None:
                            attachment_sent.setdefault(
                                str(ref.item_id),
                                {"utc": row[6], "local": row[5], "sender": message.sender},
                            )
                yield row

        try:
            writer.add_message_rows(item.id, counted())
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
        after = os.stat(path)
        if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            raise ImportFailed(
                f"{path} changed while it was being imported.",
                hint="Wait until it is complete and try again.",
            )
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
