"""A tiny chat format for GUI tests: a 'FAKECHAT' line, then `sender|text` lines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from evidence_kit.importers.base import Session, Source
from evidence_kit.model import Message


class FakeChatImporter:
    name: ClassVar[str] = "fakechat"
    label: ClassVar[str] = "test chat export"
    zone_free: ClassVar[bool] = True

    def detect(self, source: Source) -> bool:
        return source.head.startswith(b"FAKECHAT")

    def parse(self, source: Source, session: Session) -> Iterator[Message]:
        start = datetime(2026, 3, 14, 9, 0, tzinfo=session.options.tz)
        with source.open() as handle:
            handle.readline()
            for number, raw in enumerate(handle):
                line = raw.decode("utf-8").rstrip("\n")
                if "|" not in line:
                    session.warn(number + 2, f"not a message: {line[:40]}")
                    continue
                sender, text = line.split("|", 1)
                yield Message(
                    index=number,
                    sender=sender,
                    text=text,
                    sent_at=start + timedelta(minutes=number),
                    sent_at_local=(start + timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M:%S"),
                )


def write_chat(path: Path, lines: int) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("FAKECHAT\n")
        for number in range(lines):
            sender = "Sam" if number % 2 else "Me"
            handle.write(f"{sender}|message number {number} about the meeting\n")
        handle.write("this line is broken\n")
    return path
