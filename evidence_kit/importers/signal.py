"""Signal Desktop chats, as signal-export writes them in Markdown (FORMATS.md §9).

One `chat.md` per chat, in a folder named after the chat, with its `media/`. A message starts
with `[YYYY-MM-DD HH:MM:SS] Sender: ` (older releases `[YYYY-MM-DD, HH:MM]`); the lines up to
the next such line are its continuation. Reactions are appended as `(- Name: emoji -)`, pictures
as `![name](./media/…)`, a quoted reply as `> …` lines, a deleted message as `(This message was
deleted)`. Times are the computer's wall clock with no zone: read in `--tz`, recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.textlines import LineReader, Warnings
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

HEADER = re.compile(
    r"^\[(\d{4}-\d{2}-\d{2})(?:,)? (\d{2}:\d{2}(?::\d{2})?)\] ([^:\n]{1,200}?): ?(.*)$"
)
REACTION = re.compile(r"\(- (.+?): (.+?) -\)")
MEDIA = re.compile(r"!?\[([^\]]*)\]\((\./)?([^)]+)\)")
DELETED = "(This message was deleted)"
MAX_LINES = 20_000  # continuation lines in one message


class SignalImporter:
    name: ClassVar[str] = "signal"
    label: ClassVar[str] = "Signal Desktop export (signal-export Markdown)"
    zone_free: ClassVar[bool] = True

    def find(self, tree: Tree) -> list[list[str]]:
        found = []
        for path, entry in tree.entries.items():
            if entry.size and path.lower().endswith(".md"):
                head = tree.head(entry, 4096).decode("utf-8", "replace").lstrip("\ufeff")
                first = next((line for line in head.splitlines() if line.strip()), "")
                if HEADER.match(first):
                    found.append([path])
        return found

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        path = files[0]
        parts = path.split("/")
        title = parts[-2] if parts[-1].lower() == "chat.md" and len(parts) > 1 else parts[-1][:-3]
        if title == "" or (parts[-1].lower() == "chat.md" and len(parts) == 1):
            title = reader.tree.name.removesuffix(".md")
        yield Conversation(title=title, key=path, files=[path],
                           messages=self._messages(path, title, reader),
                           details={"platform": "Signal"}, zone_free=True)  # fmt: skip

    def _messages(self, path: str, title: str, reader: Reader) -> Iterator[Message]:
        warnings = Warnings(lambda line, text: reader.warn(path, text, line))
        clock = reader.clock()
        folder = path.rpartition("/")[0]
        current: dict[str, Any] | None = None
        index = 0
        with reader.open(path) as handle:
            for number, line in LineReader(handle, warnings):
                match = HEADER.match(line)
                if match:
                    if current is not None:
                        yield self._message(current, index, title, clock, folder, reader)
                        index += 1
                    day, time, sender, text = match.groups()
                    current = {
                        "line": number,
                        "day": day,
                        "time": time,
                        "sender": sender,
                        "lines": [text],
                    }
                elif current is None:
                    if line.strip():
                        reader.warn(
                            path,
                            "a line before the first message; it is in the original file",
                            number,
                        )
                elif len(current["lines"]) < MAX_LINES:
                    current["lines"].append(line)
                else:
                    raise ValueError(
                        f"line {number} makes one message longer than {MAX_LINES} lines"
                    )
        if current is not None:
            yield self._message(current, index, title, clock, folder, reader)

    def _message(self, raw: dict[str, Any], index: int, title: str, clock: Any, folder: str,
                 reader: Reader) -> Message:  # fmt: skip
        lines = list(raw["lines"])
        while lines and not lines[-1].strip():
            lines.pop()
        text_raw = "\n".join(lines)
        reactions = [{"reaction": emoji, "by": who} for who, emoji in REACTION.findall(text_raw)]
        text = REACTION.sub("", text_raw).rstrip()
        quoted = [line[2:] for line in text.splitlines() if line.startswith("> ")]
        if quoted:  # a reply: the quote goes to `extra`, the text is the answer
            text = "\n".join(line for line in text.splitlines() if not line.startswith("> "))
            text = text.strip()
        attachments = []
        for label, _, target in MEDIA.findall(text):
            if target.startswith(("http://", "https://")):
                continue
            candidate = f"{folder}/{target}" if folder else target
            name = target.rsplit("/", 1)[-1] or label
            attachments.append(reader.attachment(candidate, name) if reader.exists(candidate)
                               else AttachmentRef(name, present=False))  # fmt: skip
        seconds = raw["time"] if raw["time"].count(":") == 2 else raw["time"] + ":00"
        extra: dict[str, Any] = {"line": raw["line"]}
        try:
            naive: datetime | None = datetime.fromisoformat(f"{raw['day']}T{seconds}")
        except ValueError:
            naive = None
            reader.warn(
                None,
                f"{raw['day']} {raw['time']} is not a real date; kept without a time",
                raw["line"],
            )
        sent, flag = clock.aware(naive) if naive else (None, None)
        if flag:
            extra["time_flag"] = flag
        if reactions:
            extra["reactions"] = reactions
        if quoted:
            extra["quoted"] = "\n".join(quoted)
        sender = raw["sender"].strip()
        return Message(
            index=index,
            sender=sender,
            sender_id=sender
            if sender.startswith("+") and sender[1:].replace(" ", "").isdigit()
            else None,
            text=text,
            text_raw=text_raw,
            sent_at=sent,
            sent_at_local=naive.isoformat() if naive else None,
            conversation=title,
            deleted=text.strip() == DELETED,
            attachments=attachments,
            extra=extra,
        )
