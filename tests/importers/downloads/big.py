"""Big downloads for the memory tests, written in blocks straight to disk (never whole in memory).

The messages vary as real ones do (emoji, right-to-left text, several lines, links, reactions,
replies, media that are there and media that are not), so the parsers do real work.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

LINES = [
    "Everyone saw what you did 😂",
    "Please stop messaging me.",
    "لا تكتب لي مرة أخرى",
    "you're pathetic\nand everyone knows it",
    "see you at the meeting → https://example.org/rota?week=12",
    "אני שומרת את כל ההודעות",
    "ok",
    "🙄🙄🙄",
]
PEOPLE = [("Sam Carter", "5012345678"), ("Jo Reed", "6098765432"), ("Tom Okafor", "7011122233")]
T0 = 1_760_000_000


def _array(handle: IO[bytes], items: Iterator[Any], budget: int) -> int:
    """Write a JSON array's items until `budget` bytes are spent; return how many."""
    count = 0
    written = 0
    for item in items:
        data = json.dumps(item, ensure_ascii=False).encode("utf-8")
        handle.write((b",\n" if count else b"\n") + data)
        written += len(data) + 2
        count += 1
        if written >= budget:
            break
    return count


def _telegram_messages() -> Iterator[dict[str, Any]]:
    n = 0
    while True:
        name, uid = PEOPLE[n % 3]
        text: Any = LINES[n % len(LINES)]
        if n % 5 == 0:
            text = ["look ", {"type": "bold", "text": "here"}, " " + LINES[n % len(LINES)]]
        message: dict[str, Any] = {"id": n + 1, "type": "message", "date": "2026-03-14T09:26:53",
                                   "date_unixtime": str(T0 + n * 7), "from": name, "from_id": f"user{uid}",
                                   "text": text, "text_entities": [{"type": "plain", "text": str(text)}]}  # fmt: skip
        if n % 11 == 0:
            message["reply_to_message_id"] = max(n - 3, 1)
        if n % 13 == 0:
            message["photo"] = f"photos/photo_{n}.jpg"  # not exported: referenced, not captured
        if n % 17 == 0:
            message["reactions"] = [{"type": "emoji", "count": 1, "emoji": "😂",
                                     "recent": [{"from": "Tom Okafor", "from_id": "user7011122233", "date": "2026-03-14T09:30:00"}]}]  # fmt: skip
        yield message
        n += 1


def telegram_result(path: Path, size: int) -> int:
    """A single-chat `result.json` of about `size` bytes; return the number of messages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(
            b'{\n "name": "Sam Carter",\n "type": "personal_chat",\n "id": 5012345678,\n "messages": ['
        )
        count = _array(handle, _telegram_messages(), size)
        handle.write(b"\n ]\n}\n")
    return count


def _messenger_messages(start: int, photos: int) -> Iterator[dict[str, Any]]:
    n = start
    while True:
        name = PEOPLE[n % 2][0]
        text = LINES[n % len(LINES)].encode("utf-8").decode("latin-1")
        message: dict[str, Any] = {"sender_name": name, "timestamp_ms": (T0 + 10**7 - n) * 1000,
                                   "content": text, "is_geoblocked_for_viewer": False}  # fmt: skip
        if n % 19 == 0:
            message["reactions"] = [{"reaction": "\u00f0\u009f\u0098\u0082", "actor": "Jo Reed"}]
        if photos and n % 200 == 0:
            uri = f"your_facebook_activity/messages/inbox/person0_100000/photos/{(n // 200) % photos}.jpg"
            message["photos"] = [{"uri": uri, "creation_timestamp": T0}]
        yield message
        n += 1


def media(path: Path, size: int, seed: int) -> None:
    """A picture's worth of random-looking bytes (a JPEG header, then noise)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    block = os.urandom(1 << 16)
    with open(path, "wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        left = size
        while left > 0:
            shift = (seed * 31 + left) % len(block)
            piece = (block[shift:] + block[:shift])[: min(left, len(block))]
            handle.write(piece)
            left -= len(piece)


def messenger_download(root: Path, size: int, *, media_share: float = 0.6) -> int:
    """A Facebook download folder of about `size` bytes: threads of 10,000-message files, and
    photos (about `media_share` of the bytes); return the number of messages."""
    json_budget = int(size * (1 - media_share))
    photo = 4 * 1024 * 1024
    photos = int(size * media_share) // photo
    total = 0
    thread = 0
    inbox = root / "your_facebook_activity" / "messages" / "inbox"
    while json_budget > 0:
        folder = inbox / f"person{thread}_{100000 + thread}"
        for number in (1, 2, 3):
            path = folder / f"message_{number}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(
                    b'{"participants": [{"name": "Sam Carter"}, {"name": "Jo Reed"}], "messages": ['
                )
                written_before = handle.tell()
                count = _array(
                    handle, _messenger_messages(total, photos), min(json_budget, 3_000_000)
                )
                handle.write(
                    f'], "title": "Person {thread}", "thread_path": "inbox/person{thread}"}}'.encode()
                )
                json_budget -= handle.tell() - written_before
            total += count
            if json_budget <= 0:
                break
        thread += 1
    for n in range(photos):
        media(inbox / "person0_100000" / "photos" / f"{n}.jpg", photo, n)
    return total
