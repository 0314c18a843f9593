"""Discord channels and DMs exported with DiscordChatExporter as JSON (FORMATS.md §5).

`{guild, channel, dateRange, exportedAt, messages: [{id, type, timestamp, timestampEdited,
content, author {id, name, nickname, discriminator, isBot}, attachments, embeds, stickers,
reactions, mentions, reference}]}`, oldest first. Times carry their offset. With `--media` the
asset URLs are paths into `<export>.json_Files/`; otherwise they are CDN links that expire, and
the files are recorded as referenced, not captured. A partitioned export (`… [part 2].json`) is
one conversation read from all its parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.timeparse import parse_iso_instant
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

MENTION = re.compile(r"<@!?(\d+)>")
PART = re.compile(r" \[part (\d+)\]\.json$", re.IGNORECASE)
USER_TYPES = {
    "Default",
    "Reply",
    "ThreadStarterMessage",
    "ChatInputCommand",
    "ContextMenuCommand",
    "",
}


def _user(author: Any) -> tuple[str | None, str | None, dict[str, Any]]:
    if not isinstance(author, dict):
        return None, None, {}
    name = author.get("nickname") or author.get("name")
    facts = {k: author[k] for k in ("name", "nickname", "discriminator", "isBot") if k in author}
    return (str(name) if name else None), (str(author["id"]) if author.get("id") else None), facts


class DiscordImporter:
    name: ClassVar[str] = "discord"
    label: ClassVar[str] = "Discord export (DiscordChatExporter)"
    zone_free: ClassVar[bool] = False

    def find(self, tree: Tree) -> list[list[str]]:
        parts: dict[str, list[tuple[int, str]]] = {}
        for path, entry in tree.entries.items():
            if not path.lower().endswith(".json") or not entry.size:
                continue
            head = tree.head(entry, 8192)
            if b'"guild"' in head and b'"channel"' in head and b'"messages"' in head:
                match = PART.search(path)
                stem = PART.sub(".json", path)
                parts.setdefault(stem, []).append((int(match.group(1)) if match else 1, path))
        return [[path for _, path in sorted(files)] for _, files in sorted(parts.items())]

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        groups = [reader.json_outline(path, "messages") for path in files]
        if not all(groups):
            raise ValueError(f"{reader.label(files[0])} has no list of messages")
        first = groups[0][0]
        guild, channel = first.one("guild.name"), first.one("channel.name")
        category = first.one("channel.category")
        title = (
            f"{guild} #{channel}"
            if guild and guild != "Direct Messages"
            else str(channel or files[0])
        )
        yield Conversation(
            title=title,
            key=str(first.one("channel.id") or files[0]),
            files=files,
            messages=self._messages(files, title, reader),
            details={
                "platform": "Discord", "guild": guild, "guild_id": first.one("guild.id"),
                "channel": channel, "channel_id": first.one("channel.id"),
                "channel_type": first.one("channel.type"), "category": category,
                "exported_at": first.one("exportedAt") or first.one("timestamp"),
            },
        )  # fmt: skip

    def _messages(self, files: list[str], title: str, reader: Reader) -> Iterator[Message]:
        index = 0
        for path in files:
            folder = path.rpartition("/")[0]
            for raw in reader.json_items(path, "messages.item"):
                if not isinstance(raw, dict):
                    reader.warn(path, f"entry {index} is not a message; kept as text")
                    raw = {"type": "Unknown", "content": str(raw)[:10000]}
                yield self._message(raw, index, title, folder, reader)
                index += 1

    def _message(self, raw: dict[str, Any], index: int, title: str, folder: str,
                 reader: Reader) -> Message:  # fmt: skip
        sender, sender_id, author = _user(raw.get("author"))
        kind = str(raw.get("type") or "")
        extra: dict[str, Any] = {"message_id": raw.get("id"), "type": kind, "author": author}
        edited = raw.get("timestampEdited")
        if edited:
            extra["edited_at"] = edited
        reference = raw.get("reference")
        if isinstance(reference, dict) and reference.get("messageId"):
            extra["reply_to"] = reference["messageId"]
        for key in ("embeds", "stickers", "isPinned", "callEndedTimestamp", "interaction",
                    "forwardedMessage"):  # fmt: skip
            if raw.get(key):
                extra[key] = raw[key]
        mentions = [_user(m)[:2] for m in raw.get("mentions") or []]
        if mentions:
            extra["mentions"] = [{"name": n, "id": i} for n, i in mentions]
        reactions = []
        for reaction in raw.get("reactions") or []:
            if not isinstance(reaction, dict):
                continue
            emoji = (
                (reaction.get("emoji") or {}).get("name")
                if isinstance(reaction.get("emoji"), dict)
                else None
            )
            users = [_user(u)[:2] for u in reaction.get("users") or []]
            if users:
                reactions += [{"reaction": emoji, "by": n, "by_id": i} for n, i in users]
            else:
                reactions.append({"reaction": emoji, "count": reaction.get("count")})
        if reactions:
            extra["reactions"] = reactions
        attachments = [self._attach(a, folder, reader) for a in raw.get("attachments") or []
                       if isinstance(a, dict)]  # fmt: skip
        content = str(raw["content"]) if isinstance(raw.get("content"), str) else ""
        names = {i: n for n, i in mentions if i and n}
        text = MENTION.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), content)
        return Message(
            index=index,
            sender=sender,
            sender_id=sender_id,
            text=text,
            text_raw=content,
            sent_at=parse_iso_instant(raw.get("timestamp")),
            conversation=title,
            is_system=kind not in USER_TYPES,
            edited=bool(edited),
            attachments=attachments,
            extra=extra,
        )

    def _attach(self, attachment: dict[str, Any], folder: str, reader: Reader) -> AttachmentRef:
        url = str(attachment.get("url") or "")
        name = str(attachment.get("fileName") or url.rsplit("/", 1)[-1].split("?")[0] or "file")
        if url and "://" not in url:
            from urllib.parse import unquote

            for candidate in (f"{folder}/{unquote(url)}" if folder else unquote(url), unquote(url)):
                if reader.exists(candidate):
                    return reader.attachment(candidate, name)
        return AttachmentRef(name, present=False)
