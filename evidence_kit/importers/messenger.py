"""Facebook Messenger and Instagram "Download your information" JSON (FORMATS.md §2, §3).

A thread is a folder `<slug>_<id>/` with `message_1.json`, `message_2.json`, …: one
conversation. `message_1.json` holds the newest messages and each file lists them newest first,
so every file is outlined first (its fields and how many messages it holds), then read streaming
with each message given its place in time order. Every string is UTF-8 bytes read as Latin-1
("mojibake"): `text` has it repaired, `text_raw` keeps it as found. Attachment `uri`s are
relative to the download's root; a file a message names that is not in the download is recorded
as referenced, not captured. The exports carry display names only, no account ids.

Instagram's pre-2020 `messages.json` (a list of conversations with ISO times) is read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

THREAD_FILE = re.compile(
    r"(?:^|/)(inbox|archived_threads|filtered_threads|message_requests|e2ee_cutover)/"
    r"([^/]+)/message_(\d+)\.json$"
)
LONE_FILE = re.compile(r"(?:^|/)message_(\d+)\.json$")
MEDIA_KEYS = ("photos", "videos", "audio_files", "files", "gifs")
# 2024 exports dropped `type`: events are known by their words only.
EVENT_PATTERNS = re.compile(
    r"( named the group | changed the group name | added .+ to the group| removed .+ from the "
    r"group| left the group\.?$|^The call ended\.?$| started a (video )?call\.?$| changed the "
    r"group photo| set the nickname for | set (his|her|their|your) (own )?nickname| cleared the "
    r"nickname| changed the theme| set the emoji to | turned on disappearing messages| joined the "
    r"(group|video chat|call)| created the group| pinned a message| missed (a|your) (video )?call)"
)
SYSTEM_TYPES = {"Subscribe", "Unsubscribe", "Call"}


def repair(text: Any) -> Any:
    """UTF-8 bytes that were read as Latin-1, read again as UTF-8; anything else as it is."""
    if not isinstance(text, str) or text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def epoch_ms(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _looks_like_thread(head: bytes) -> bool:
    return b'"participants"' in head and b'"messages"' in head and b'"threadName"' not in head


class MessengerImporter:
    name: ClassVar[str] = "messenger"
    label: ClassVar[str] = "Facebook Messenger download"
    zone_free: ClassVar[bool] = False
    instagram: ClassVar[bool] = False

    # -- finding threads ---------------------------------------------------------------------

    def _is_mine(self, tree: Tree, path: str, head: bytes) -> bool:
        parts = [tree.name.lower(), *path.lower().split("/")]
        says_instagram = b'"original_content_owner"' in head or any(
            part.startswith(("your_instagram_activity", "instagram-", "instagram_"))
            for part in parts
        )
        return says_instagram == self.instagram

    def find(self, tree: Tree) -> list[list[str]]:
        threads: dict[str, list[tuple[int, str]]] = {}
        for path, entry in tree.entries.items():
            match = THREAD_FILE.search(path) or (
                LONE_FILE.search(path) if tree.kind == "file" else None
            )
            if match is None or not entry.size:
                continue
            head = tree.head(entry, 4096)
            if not _looks_like_thread(head) or not self._is_mine(tree, path, head):
                continue
            number = int(match.groups()[-1])
            threads.setdefault(entry.parent, []).append((number, path))
        groups = [[path for _, path in sorted(files)] for _, files in sorted(threads.items())]
        return groups + self._find_old(tree)

    def _find_old(self, tree: Tree) -> list[list[str]]:
        return []

    # -- reading -----------------------------------------------------------------------------

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        if files and files[0].endswith("messages.json") and not LONE_FILE.search(files[0]):
            yield from self._read_old(files[0], reader)
            return
        outlines = []
        for path in files:
            groups = reader.json_outline(path, "messages", time_key="timestamp_ms")
            if not groups:
                raise ValueError(f"{reader.label(path)} has no list of messages")
            outlines.append((path, groups[0]))
        first = outlines[0][1]
        title = next((repair(g.one("title")) for _, g in outlines if g.one("title")), None)
        participants = [repair(name) for name in first.many("participants.item.name")]
        thread_path = first.one("thread_path") or files[0].rsplit("/", 2)[-2]
        # Time order: files by their oldest message; each file newest-first or oldest-first.
        ordered = sorted(outlines, key=lambda o: _oldest(o[1]))
        bases: dict[str, tuple[int, int, bool]] = {}
        total = 0
        for path, group in ordered:
            newest_first = _num(group.first) > _num(group.last)
            bases[path] = (total, group.count, newest_first)
            total += group.count
        details = {
            "participants": participants,
            "thread_path": thread_path,
            "platform": "Instagram" if self.instagram else "Facebook Messenger",
            "still_participant": first.one("is_still_participant"),
        }
        raw_title = first.one("title")
        if raw_title is not None and raw_title != title:
            details["title_raw"] = raw_title
        yield Conversation(
            title=title or ", ".join(participants) or thread_path,
            key=thread_path,
            files=[path for path, _ in ordered],
            messages=self._messages(ordered, bases, title, reader),
            details=details,
        )

    def _messages(self, ordered: list[Any], bases: dict[str, tuple[int, int, bool]],
                  title: str | None, reader: Reader) -> Iterator[Message]:  # fmt: skip
        root = _root_of(ordered[0][0])
        for path, _ in ordered:
            base, count, newest_first = bases[path]
            for position, raw in enumerate(reader.json_items(path, "messages.item")):
                if position >= count:
                    raise ValueError(f"{reader.label(path)} changed while it was being read")
                index = base + (count - 1 - position if newest_first else position)
                yield self._message(raw, index, title, root, reader, path, position)

    def _message(self, raw: Any, index: int, title: str | None, root: str, reader: Reader,
                 path: str, position: int) -> Message:  # fmt: skip
        if not isinstance(raw, dict):
            reader.warn(path, f"entry {position} is not a message; kept as text")
            return Message(index, None, str(raw)[:10000], None, conversation=title, is_system=True)
        content = raw.get("content")
        text = repair(content) if isinstance(content, str) else ""
        extra: dict[str, Any] = {"source": {"file": path, "entry": position}}
        attachments: list[AttachmentRef] = []
        for key in MEDIA_KEYS:
            for media in raw.get(key) or []:
                if isinstance(media, dict) and media.get("uri"):
                    attachments.append(self._attach(str(media["uri"]), root, reader))
        sticker = raw.get("sticker")
        if isinstance(sticker, dict) and sticker.get("uri"):
            attachments.append(self._attach(str(sticker["uri"]), root, reader))
        share = raw.get("share")
        if isinstance(share, dict):
            extra["share"] = {k: repair(v) for k, v in share.items() if isinstance(v, str)}
        reactions = [
            {"reaction": repair(r.get("reaction")), "by": repair(r.get("actor"))}
            | ({"at": r["timestamp"]} if "timestamp" in r else {})
            for r in raw.get("reactions") or [] if isinstance(r, dict)
        ]  # fmt: skip
        if reactions:
            extra["reactions"] = reactions
        for key in ("call_duration", "missed", "type", "is_geoblocked_for_viewer"):
            if key in raw:
                extra[key] = raw[key]
        if raw.get("users"):
            extra["users"] = [repair(u.get("name")) for u in raw["users"] if isinstance(u, dict)]
        kind = raw.get("type")
        is_system = kind in SYSTEM_TYPES or (
            kind is None and bool(text) and EVENT_PATTERNS.search(text) is not None
            and not attachments
        )  # fmt: skip
        return Message(
            index=index,
            sender=repair(raw.get("sender_name")),
            text=text,
            text_raw=content if isinstance(content, str) else "",
            sent_at=epoch_ms(raw.get("timestamp_ms")),
            conversation=title,
            is_system=is_system,
            deleted=bool(raw.get("is_unsent")),
            attachments=attachments,
            extra=extra,
        )

    def _attach(self, uri: str, root: str, reader: Reader) -> AttachmentRef:
        for candidate in (root + uri, uri):
            if reader.exists(candidate):
                return reader.attachment(candidate, uri.rsplit("/", 1)[-1])
        return AttachmentRef(uri.rsplit("/", 1)[-1], present=False)

    def _read_old(self, path: str, reader: Reader) -> Iterator[Conversation]:
        return iter(())


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _oldest(group: Any) -> float:
    return min(_num(group.first), _num(group.last))


def _root_of(path: str) -> str:
    """The download's root for `uri`s: the folders before `your_…_activity/` or `messages/`."""
    parts = path.split("/")
    for at, part in enumerate(parts):
        if (part.startswith("your_") and part.endswith("_activity")) or part == "messages":
            return "/".join(parts[:at]) + "/" if at else ""
    return ""


class InstagramImporter(MessengerImporter):
    name: ClassVar[str] = "instagram"
    label: ClassVar[str] = "Instagram download"
    instagram: ClassVar[bool] = True

    def _find_old(self, tree: Tree) -> list[list[str]]:
        found = []
        for path, entry in tree.entries.items():
            if path.rsplit("/", 1)[-1] == "messages.json" and entry.size:
                head = tree.head(entry, 4096).lstrip()
                if head.startswith(b"[") and b'"conversation"' in head and b'"created_at"' in head:
                    found.append([path])
        return found

    def _read_old(self, path: str, reader: Reader) -> Iterator[Conversation]:
        """Pre-2020: `[{participants: [usernames], conversation: [{sender, created_at, text…}]}]`,
        newest first, ISO times with an offset."""
        groups = reader.json_outline(path, "item.conversation", time_key="created_at")
        items = reader.json_items(path, "item.conversation.item")
        for number, group in enumerate(groups):
            people = [str(p) for p in group.many("participants.item")]
            title = ", ".join(people) or f"conversation {number + 1}"
            yield Conversation(
                title=title, key=f"messages.json#{number}", files=[path],
                messages=self._old_messages(items, group.count, title, reader, path),
                details={"participants": people, "platform": "Instagram", "layout": "pre-2020"},
            )  # fmt: skip

    def _old_messages(self, items: Iterator[Any], count: int, title: str, reader: Reader,
                      path: str) -> Iterator[Message]:  # fmt: skip
        from evidence_kit.importers.timeparse import parse_iso_instant

        for position in range(count):
            raw = next(items)
            raw = raw if isinstance(raw, dict) else {"text": str(raw)}
            extra: dict[str, Any] = {"source": {"file": path, "entry": position}}
            for key in ("media_share_url", "story_share", "heart", "likes", "media_url"):
                if key in raw:
                    extra[key] = raw[key]
            attachments = []
            if raw.get("media"):
                attachments.append(AttachmentRef(str(raw["media"]).rsplit("/", 1)[-1]))
            sender = raw.get("sender")
            yield Message(
                index=count - 1 - position, sender=sender, sender_id=sender,
                text=str(raw.get("text") or ""), sent_at=parse_iso_instant(raw.get("created_at")),
                conversation=title, attachments=attachments, extra=extra,
            )  # fmt: skip
