"""Importing a whole download (a folder, a file, a zip, or the zips of one multi-part download).

What a download import keeps, all in one transaction (all or nothing):

- one parent item for the download: the zip or the file exactly as given, or for a folder a
  generated listing (`tree.listing`: relative path, size and SHA-256 of every file in it), or
  for several zips a listing of the zips, each zip then a child item with its exact bytes;
- one child item per file read (the conversation files and the attachments found), exact bytes,
  with its relative path (and the zip it came from);
- one conversation item (kind import, no bytes of its own) per conversation found, holding its
  messages and naming the files it was read from; its import summary has its warnings and facts;
- the download's own summary: the conversations, the files read, and every file skipped and why.

A `DownloadImporter` finds its files in a tree (`find`) and reads them into `Conversation`
values (`read`), asking the `Reader` for files, attachments and warnings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, Protocol

from evidence_kit.errors import Cancelled, ImportFailed
from evidence_kit.importers import jsonstream
from evidence_kit.importers.base import ImportOptions, ImportWarning
from evidence_kit.importers.timeparse import WallClock
from evidence_kit.importers.tree import Entry, Skipped, Tree
from evidence_kit.model import AttachmentRef, CancelFlag, Message, Progress, never_cancel
from evidence_kit.vault.writer import Writer

MAX_WARNINGS = 200  # per conversation; the rest are counted
MAX_SKIPPED_LISTED = 1000


@dataclass
class Conversation:
    """One conversation found in a download; `messages` is read lazily, in order."""

    title: str | None
    key: str  # stable within the download: a thread path, a channel or chat id, a file name
    files: list[str]
    messages: Iterator[Message]
    details: dict[str, Any] = field(default_factory=dict)  # participants, ids, chat type …
    zone_free: bool = False  # its times were printed without a zone (read in --tz)


class DownloadImporter(Protocol):
    name: ClassVar[str]
    label: ClassVar[str]
    zone_free: ClassVar[bool]  # may need --tz (some or all of its times carry no zone)

    def find(self, tree: Tree) -> list[list[str]]:
        """Groups of files this format reads together (each group gives its conversations)."""
        ...

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        """The conversations in one group. Raise `ImportFailed` for what is not this format."""
        ...


@dataclass
class Kept:
    item_id: int
    sha256: str
    entry: Entry


class Reader:
    """What an importer may do while it reads a download: open files (each kept, once, as a
    child item), keep attachments, warn, note facts, and check for cancel."""

    def __init__(
        self,
        tree: Tree,
        writer: Writer,
        options: ImportOptions,
        parent_id: int,
        *,
        cancel: CancelFlag = never_cancel,
        expected: dict[str, str] | None = None,
        lone: Kept | None = None,
        on_bytes: Progress | None = None,
    ) -> None:
        self.tree = tree
        self.writer = writer
        self.options = options
        self.parent_id = parent_id
        self.cancel = cancel
        self.expected = expected or {}  # path -> sha256 from the folder listing
        self.kept: dict[str, Kept] = {}
        if lone is not None:
            self.kept[lone.entry.path] = lone
        self.on_bytes = on_bytes
        self.warnings: list[ImportWarning] = []
        self.warning_count = 0
        self.facts: dict[str, Any] = {}

    # -- per conversation ---------------------------------------------------------------------

    def begin(self) -> None:
        self.warnings, self.warning_count, self.facts = [], 0, {}

    def warn(self, where: str | None, text: str, line: int | None = None) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(ImportWarning(line, f"{where}: {text}" if where else text))

    def check_cancel(self) -> None:
        if self.cancel():
            raise Cancelled()

    def clock(self) -> WallClock:
        return WallClock(self.options.tz)

    # -- files --------------------------------------------------------------------------------

    def entry(self, path: str) -> Entry:
        found = self.tree.get(path)
        if found is None:
            raise ImportFailed(f"{self.tree.name} has no file {path}.")
        return found

    def keep(self, path: str) -> Kept:
        """Keep the file at `path` as a child item of the download (once); its item and hash."""
        entry = self.entry(path)
        known = self.kept.get(entry.path)
        if known is not None:
            return known
        from evidence_kit import mediatype

        head = bytearray()

        def watched() -> Iterator[bytes]:
            for block in self.tree.stream(entry):
                if len(head) < mediatype.HEAD:
                    head.extend(block[: mediatype.HEAD - len(head)])
                self.check_cancel()
                if self.on_bytes is not None:
                    self.on_bytes(len(block), None)
                yield block

        sha256, size = self.writer.put(watched())
        expected = self.expected.get(entry.path)
        if expected is not None and expected != sha256:
            raise ImportFailed(
                f"{entry.path} in {self.tree.name} changed while it was being imported.",
                hint="Wait until the folder is complete and try again.",
            )
        where: dict[str, Any] = {"path": entry.path}
        if entry.part is not None and self.tree.kind == "zips":
            where["part"] = entry.part
        item = self.writer.add_item(
            _attachment_kind(),
            sha256=sha256,
            size=size,
            media_type=mediatype.sniff(bytes(head), entry.name),
            original_name=entry.name,
            case=self.options.case,
            parent_id=self.parent_id,
            metadata={"attachment_of": self.parent_id, "download_file": where},
        )
        kept = self.kept[entry.path] = Kept(item.id, sha256, entry)
        return kept

    def exists(self, path: str | None) -> bool:
        return bool(path) and self.tree.get(str(path)) is not None

    def attachment(self, path: str | None, name: str | None = None) -> AttachmentRef:
        """A file a message names: kept if the download has it, else referenced, not captured."""
        shown = name or (path.rsplit("/", 1)[-1] if path else "file")
        if path and self.tree.get(path) is not None:
            kept = self.keep(path)
            return AttachmentRef(shown, present=True, item_id=kept.item_id, sha256=kept.sha256)
        return AttachmentRef(shown, present=False)

    def label(self, path: str) -> str:
        return (
            f"{path} in {self.tree.name}" if self.tree.kind != "file" else str(self.tree.paths[0])
        )

    def opener(self, path: str):  # type: ignore[no-untyped-def]
        entry = self.entry(path)
        self.keep(path)
        return lambda: self.tree.open(entry)

    def json_items(self, path: str, prefix: str, *, skip_to: bytes | None = None) -> Iterator[Any]:
        return jsonstream.items(
            self.opener(path), self.label(path), prefix, skip_to=skip_to,
            warn=lambda text: self.warn(None, text),
        )  # fmt: skip

    def json_outline(
        self,
        path: str,
        list_prefix: str,
        *,
        time_key: str | tuple[str, ...] | None = None,
        skip_to: bytes | None = None,
    ) -> list[jsonstream.Group]:
        return jsonstream.outline(
            self.opener(path), self.label(path), list_prefix, time_key=time_key, skip_to=skip_to
        )

    def open(self, path: str) -> IO[bytes]:
        """The file's bytes (for line-by-line formats); the file is kept first."""
        return self.opener(path)()  # type: ignore[no-any-return]

    def head(self, path: str, size: int = 64 * 1024) -> bytes:
        return self.tree.head(self.entry(path), size)

    def skipped(self) -> list[Skipped]:
        """Every file of the download that was not read, and why."""
        left = [
            Skipped(entry.path, entry.size, "not part of a conversation")
            for path, entry in self.tree.entries.items()
            if path not in self.kept
        ]
        return [*self.tree.skipped, *left]


def _attachment_kind():  # type: ignore[no-untyped-def]
    from evidence_kit.model import ItemKind

    return ItemKind.ATTACHMENT


def sha256_of(blocks: Iterable[bytes], cancel: CancelFlag) -> str:
    digest = hashlib.sha256()
    for block in blocks:
        if cancel():
            raise Cancelled()
        digest.update(block)
    return digest.hexdigest()


def hash_entries(tree: Tree, cancel: CancelFlag) -> dict[str, str]:
    """SHA-256 of every file in a folder (for its listing), streamed."""
    return {path: sha256_of(tree.stream(entry), cancel) for path, entry in tree.entries.items()}
