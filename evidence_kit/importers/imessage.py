"""iMessage and SMS from a Mac, as imessage-exporter writes them in TXT (FORMATS.md §8).

One file per conversation. A message is a block: a date line (`May 17, 2022  5:29:42 PM`, the
hour padded with a space, maybe `(Read by … after …)`), a sender line (`Me`, a phone number, an
e-mail address or a contact's name), the body, `Reactions:` with indented `Loved by X` lines, and
a blank line. Announcements are one line (`<date> Sam renamed the conversation to …`). An edit's
history is a body line that starts with a date, so a block starts only where a date line
follows a blank line. Times are the Mac's wall clock with no zone: read in `--tz`, recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.textlines import LineReader, Warnings
from evidence_kit.importers.timeparse import WallClock
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

DATE = re.compile(
    r"^(?P<when>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4} +\d{1,2}:\d{2}:\d{2} [AP]M)"
    r"(?P<rest>.*)$"
)
RECEIPT = re.compile(r"^ \((?P<receipt>(?:Read|Delivered) by .*)\)$")
REACTION = re.compile(
    r"^ {4}(Loved|Liked|Disliked|Laughed at|Laughed|Emphasized|Questioned|Reacted .+?) by (.+)$"
)
HANDLE = re.compile(r"^(\+?[\d ()-]{5,}|[^@\s]+@[^@\s]+\.[^@\s]+)$")
ATTACHMENT = re.compile(r"^(/Users/.+/Attachments/.+|attachments/.+|~/Library/Messages/.+)$")
EDITED = re.compile(r"^Edited .+? later: (.*)$")
DELETED = (
    "They deleted a message.",
    "You deleted a message.",
    "This message was deleted from the conversation!",
)


@dataclass
class _Block:
    line: int
    when: str
    receipt: str | None
    sender: str | None = None
    body: list[str] = field(default_factory=list)
    reactions: list[dict[str, str]] = field(default_factory=list)
    announcement: str | None = None
    replied: bool = False
    in_reactions: bool = False


def _header(line: str) -> tuple[str, str | None, str] | None:
    """(time text, read receipt, rest) of a date line, or None."""
    match = DATE.match(line)
    if match is None:
        return None
    rest = match.group("rest")
    receipt = RECEIPT.match(rest)
    if receipt:
        return match.group("when"), receipt.group("receipt"), ""
    return match.group("when"), None, rest.strip()


class IMessageImporter:
    name: ClassVar[str] = "imessage"
    label: ClassVar[str] = "iMessage / SMS export (imessage-exporter TXT)"
    zone_free: ClassVar[bool] = True

    def find(self, tree: Tree) -> list[list[str]]:
        found = []
        for path, entry in tree.entries.items():
            if entry.size and path.lower().endswith(".txt"):
                lines = (
                    tree.head(entry, 4096).decode("utf-8", "replace").lstrip("\ufeff").splitlines()
                )
                first = next((n for n, line in enumerate(lines) if line.strip()), None)
                if first is None or first + 1 >= len(lines):
                    continue
                header = _header(lines[first])
                if header and (header[2] or lines[first + 1].strip()):
                    found.append([path])
        return found

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        path = files[0]
        title = path.rsplit("/", 1)[-1][:-4]
        yield Conversation(title=title, key=path, files=[path],
                           messages=self._messages(path, title, reader),
                           details={"platform": "iMessage / SMS"}, zone_free=True)  # fmt: skip

    def _blocks(self, path: str, reader: Reader) -> Iterator[_Block]:
        warnings = Warnings(lambda line, text: reader.warn(path, text, line))
        block: _Block | None = None
        blank = True
        with reader.open(path) as handle:
            for number, line in LineReader(handle, warnings):
                header = _header(line) if blank else None
                if header is not None:
                    if block is not None:
                        yield block
                    block = _Block(number, header[0], header[1])
                    if header[2]:
                        block.announcement = header[2]
                        yield block
                        block = None
                    blank = False
                    continue
                blank = not line.strip()
                if block is None:
                    if line.strip():
                        reader.warn(
                            path, "a line outside any message; it is in the original file", number
                        )
                    continue
                if block.sender is None:
                    block.sender = line.strip()
                elif line == "Reactions:":
                    block.in_reactions = True
                elif block.in_reactions and (found := REACTION.match(line)):
                    block.reactions.append({"reaction": found.group(1), "by": found.group(2)})
                elif block.in_reactions and not line.strip():
                    continue
                elif line == "This message responded to an earlier message.":
                    block.replied = True
                else:
                    block.in_reactions = False
                    block.body.append(line)
        if block is not None:
            yield block

    def _messages(self, path: str, title: str, reader: Reader) -> Iterator[Message]:
        clock = reader.clock()
        folder = path.rpartition("/")[0]
        for index, block in enumerate(self._blocks(path, reader)):
            yield self._message(block, index, title, clock, folder, reader, path)

    def _message(self, block: _Block, index: int, title: str, clock: WallClock, folder: str,
                 reader: Reader, path: str) -> Message:  # fmt: skip
        extra: dict[str, Any] = {}
        try:
            naive: datetime | None = datetime.strptime(
                " ".join(block.when.split()), "%b %d, %Y %I:%M:%S %p"
            )
        except ValueError:
            naive = None
            reader.warn(path, f"{block.when} is not a real date; kept without a time", block.line)
        sent, flag = clock.aware(naive) if naive else (None, None)
        if flag:
            extra["time_flag"] = flag
            reader.facts[f"{flag}_time_messages"] = reader.facts.get(f"{flag}_time_messages", 0) + 1
        if block.receipt:
            extra["read_receipt"] = block.receipt
        if block.reactions:
            extra["reactions"] = block.reactions
        if block.replied:
            extra["reply_to"] = "an earlier message"
        body = list(block.body)
        while body and not body[-1].strip():
            body.pop()
        attachments = []
        text_lines = []
        for line in body:
            if ATTACHMENT.match(line.strip()):
                attachments.append(self._attach(line.strip(), folder, reader))
            else:
                text_lines.append(line)
        text = "\n".join(text_lines)
        edits = [found for line in text_lines if (found := EDITED.match(line))]
        edited = bool(edits)
        if edited:  # the history stays in text_raw; the text is what the message says now
            extra["edits"] = text_lines
            text = edits[-1].group(1)
        sender = block.sender
        if block.announcement is not None:
            text, sender = block.announcement, None
        return Message(
            index=index,
            sender=sender,
            sender_id=sender if sender and HANDLE.match(sender) else None,
            text=text,
            text_raw="\n".join(body),
            sent_at=sent,
            sent_at_local=naive.isoformat() if naive else None,
            conversation=title,
            is_system=block.announcement is not None,
            edited=edited,
            deleted=text.strip() in DELETED,
            attachments=attachments,
            extra={"line": block.line, **extra},
        )

    def _attach(self, line: str, folder: str, reader: Reader) -> AttachmentRef:
        name = line.rsplit("/", 1)[-1]
        if not line.startswith("/"):
            candidate = f"{folder}/{line}" if folder else line
            if reader.exists(candidate):
                return reader.attachment(candidate, name)
        return AttachmentRef(name, present=False)
