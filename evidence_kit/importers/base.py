"""The importer framework: what every importer provides, and the session it works in.

An importer recognises its format from content (`detect`) and turns a source into `Message`
values (`parse`), in file order. It never writes to the vault itself: it asks the session to
keep attachment files (which become child items, in the same transaction) and to record
warnings about recoverable damage (kept verbatim, with a line number).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from evidence_kit.errors import Cancelled, ImportFailed
from evidence_kit.model import (
    AttachmentRef,
    CancelFlag,
    ItemKind,
    Message,
    Progress,
    never_cancel,
    no_progress,
)
from evidence_kit.vault.writer import Writer

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Source:
    """The file being imported. `head` is its first 64 KiB; `zip_names` the members if it is a zip."""

    path: Path
    head: bytes
    size: int
    zip_names: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def open(self) -> IO[bytes]:
        return open(self.path, "rb")


@dataclass(frozen=True)
class ImportWarning:
    line: int | None
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text}

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}" if self.line is not None else self.text


@dataclass
class ImportOptions:
    tz: ZoneInfo
    date_order: str | None = None  # "dmy", "mdy", "ymd" or None to decide from the data
    case: str | None = None


@dataclass
class Session:
    """What a parser may do while it runs: keep attachments, warn, note facts, check for cancel."""

    writer: Writer
    source: Source
    options: ImportOptions
    import_item_id: int
    cancel: CancelFlag = never_cancel
    progress: Progress = no_progress  # progress(bytes parsed, total bytes) while parsing
    warnings: list[ImportWarning] = field(default_factory=list)
    facts: dict[str, Any] = field(
        default_factory=dict
    )  # e.g. {"date_order": "dmy", "ambiguous": True}
    _kept: dict[str, AttachmentRef] = field(default_factory=dict)

    def warn(self, line: int | None, text: str) -> None:
        self.warnings.append(ImportWarning(line, text))

    def check_cancel(self) -> None:
        if self.cancel():
            raise Cancelled()

    def keep_attachment(
        self,
        name: str,
        blocks: Iterable[bytes],
        *,
        media_type: str | None = None,
        metadata: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> AttachmentRef:
        """Store an attached file as a child item of the import; the same `key` is stored once."""
        key = key or name
        if key in self._kept:
            kept = self._kept[key]
            return AttachmentRef(name, present=True, item_id=kept.item_id, sha256=kept.sha256)
        from evidence_kit import mediatype

        head = bytearray()

        def watched() -> Iterator[bytes]:
            for block in blocks:
                if len(head) < mediatype.HEAD:
                    head.extend(block[: mediatype.HEAD - len(head)])
                self.check_cancel()
                yield block

        sha256, size = self.writer.put(watched())
        item = self.writer.add_item(
            ItemKind.ATTACHMENT,
            sha256=sha256,
            size=size,
            media_type=media_type or mediatype.sniff(bytes(head), name),
            original_name=name,
            case=self.options.case,
            parent_id=self.import_item_id,
            metadata={"attachment_of": self.import_item_id, **(metadata or {})},
        )
        ref = AttachmentRef(name, present=True, item_id=item.id, sha256=sha256)
        self._kept[key] = ref
        return ref


class Importer(Protocol):
    name: ClassVar[str]  # the --format name: "whatsapp", "eml", "mbox", "msg", "sms-backup"
    label: ClassVar[str]  # plain words: "WhatsApp chat export"
    zone_free: ClassVar[bool]  # True when the format prints times with no zone (needs --tz)

    def detect(self, source: Source) -> bool:
        """Does the content look like this format? (Cheap: use `source.head` and `zip_names`.)"""
        ...

    def parse(self, source: Source, session: Session) -> Iterator[Message]:
        """The messages, in file order. Raise `ImportFailed` if the file is not this format at all."""
        ...


def zip_names(path: Path, head: bytes) -> tuple[str, ...] | None:
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            return tuple(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailed(f"{path} looks like a zip file but cannot be opened: {exc}.") from exc
