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


def _write_json_doc(path: Path, head: bytes, items: Iterator[Any], size: int, tail: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(head)
        count = _array(handle, items, size)
        handle.write(tail)
    return count


def _discord_messages() -> Iterator[dict[str, Any]]:
    n = 0
    while True:
        name, uid = PEOPLE[n % 3]
        yield {"id": str(10**17 + n), "type": "Default" if n % 9 else "Reply",
               "timestamp": f"2026-03-{1 + n // 100000 % 28:02d}T09:{n // 60 % 60:02d}:{n % 60:02d}.123+01:00",
               "timestampEdited": None, "isPinned": False, "content": LINES[n % len(LINES)],
               "author": {"id": uid, "name": name.lower().replace(" ", "."), "discriminator": "0000",
                          "nickname": name, "isBot": False, "roles": []},
               "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": [],
               **({"reference": {"messageId": str(10**17 + n - 1)}} if n % 9 == 0 else {})}  # fmt: skip
        n += 1


def discord_json(root: Path, size: int) -> int:
    head = (b'{"guild": {"id": "1", "name": "Northfield"}, "channel": {"id": "2", "type": "GuildTextChat",'
            b' "name": "night-shift"}, "exportedAt": "2026-03-15T10:00:00+00:00", "messages": [')  # fmt: skip
    return _write_json_doc(
        root / "Northfield - night-shift [2].json", head, _discord_messages(), size, b"]}"
    )


def _slack_messages(day: int) -> Iterator[dict[str, Any]]:
    n = 0
    while True:
        uid = ("U01SAMC", "U02JOREED")[n % 2]
        yield {"type": "message", "user": uid, "text": f"<@U02JOREED> {LINES[n % len(LINES)]} &amp; more",
               "ts": f"{T0 + day * 86400 + n}.{n % 1000000:06d}"}  # fmt: skip
        n += 1


def slack_workspace(root: Path, size: int) -> int:
    root.mkdir(parents=True, exist_ok=True)
    (root / "users.json").write_text(
        json.dumps([{"id": "U01SAMC", "name": "sam"}, {"id": "U02JOREED", "name": "jo"}])
    )
    (root / "channels.json").write_text(
        json.dumps([{"id": "C1", "name": "general", "members": ["U01SAMC", "U02JOREED"]}])
    )
    total, day = 0, 0
    while size > 0:
        path = root / "general" / f"2026-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}.json"
        total += _write_json_doc(path, b"[", _slack_messages(day), min(size, 2_000_000), b"]")
        size -= path.stat().st_size
        day += 1
    return total


def _x_conversations(count_per: int) -> Iterator[dict[str, Any]]:
    c = 0
    while True:
        messages = [{"messageCreate": {"recipientId": "6098765432", "reactions": [], "urls": [], "text": LINES[n % len(LINES)],
                                        "mediaUrls": [], "senderId": str(1500 + c), "id": str(10**18 + c * count_per + n),
                                        "createdAt": f"2026-03-14T09:{n // 60 % 60:02d}:{n % 60:02d}.000Z"}}
                    for n in reversed(range(count_per))]  # fmt: skip
        yield {"dmConversation": {"conversationId": f"{1500 + c}-6098765432", "messages": messages}}
        c += 1


def x_archive(root: Path, size: int) -> int:
    count = _write_json_doc(root / "data" / "direct-messages.js", b"window.YTD.direct_messages.part0 = [",
                            _x_conversations(1000), size, b"]")  # fmt: skip
    return count * 1000


def imessage_txt(root: Path, size: int) -> int:
    path = root / "imessage_export" / "+447700900123.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", encoding="utf-8") as handle:
        while handle.tell() < size:
            hour = 1 + n // 3600 % 12
            handle.write(f"Mar {1 + n // 43200 % 28:02d}, 2026 {hour:>2}:{n // 60 % 60:02d}:{n % 60:02d} PM\n"
                         f"{'Me' if n % 2 else '+447700900123'}\n{LINES[n % len(LINES)]}\n\n")  # fmt: skip
            n += 1
    return n


def signal_md(root: Path, size: int) -> int:
    path = root / "signal" / "Sam Carter" / "chat.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", encoding="utf-8") as handle:
        while handle.tell() < size:
            handle.write(f"[2026-03-{1 + n // 86400 % 28:02d} {n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}] "
                         f"{'Me' if n % 2 else 'Sam Carter'}: {LINES[n % len(LINES)]}\n")  # fmt: skip
            n += 1
    return n


def _secure_messages() -> Iterator[dict[str, Any]]:
    n = 0
    while True:
        yield {"isUnsent": False, "media": [], "reactions": [], "senderName": PEOPLE[n % 2][0],
               "text": LINES[n % len(LINES)], "timestamp": (T0 + n) * 1000, "type": "text"}  # fmt: skip
        n += 1


def secure_json(root: Path, size: int) -> int:
    head = (
        b'{"participants": ["Jo Reed", "Sam Carter"], "threadName": "Sam Carter_2", "messages": ['
    )
    return _write_json_doc(root / "Sam Carter_2.json", head, _secure_messages(), size, b"]}")


def instagram_download(root: Path, size: int) -> int:
    inner = root / "instagram-jo_reed_88-2026"
    count = messenger_download(inner, size, media_share=0.0)
    for path in sorted(inner.rglob("message_*.json")):
        target = Path(str(path).replace("your_facebook_activity", "your_instagram_activity"))
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
    return count


BY_FORMAT = {
    "telegram": lambda root, size: telegram_result(root / "ChatExport" / "result.json", size),
    "messenger": lambda root, size: messenger_download(root / "facebook-jo", size, media_share=0.3),
    "instagram": instagram_download,
    "messenger-e2ee": secure_json,
    "discord": discord_json,
    "slack": slack_workspace,
    "x": x_archive,
    "imessage": imessage_txt,
    "signal": signal_md,
}
