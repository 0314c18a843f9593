"""Telegram Desktop `result.json` (FORMATS.md §4): one chat, or a whole account's chats.

`text` is a string, or a list of strings and entity objects joined without separators. Service
messages (`type: service`) have an `actor` and an `action` but no `from`. Times: `date_unixtime`
(UTC seconds) where the export has it; older exports have only `date`, the exporting computer's
wall clock with no zone, read in the zone the person gives (`--tz`) and recorded. Media paths
are relative to `result.json`; a placeholder such as "(File not included. …)" means the export
left the file out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.timeparse import NONEXISTENT, REPEATED, WallClock, epoch_seconds
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

LISTS = ("chats.list.item.messages", "left_chats.list.item.messages")
MEDIA_KEYS = ("photo", "file", "thumbnail")
KEPT = ("reply_to_message_id", "reply_to_peer_id", "forwarded_from", "saved_from", "via_bot",
        "author", "media_type", "mime_type", "duration_seconds", "sticker_emoji", "performer",
        "title", "poll", "contact_information", "location_information", "place_name",
        "self_destruct_period_seconds", "action", "members", "discard_reason", "message_id")  # fmt: skip


def _telegram(head: bytes) -> bool:
    if b'"chats"' in head and (b'"personal_information"' in head or b'"list"' in head):
        return True
    return b'"messages"' in head and any(
        key in head for key in (b'"date_unixtime"', b'"from_id"', b'"text_entities"', b'"personal_chat"',
                                b'"private_supergroup"', b'"private_group"', b'"saved_messages"')
    )  # fmt: skip


def flatten(text: Any) -> tuple[str, list[dict[str, Any]]]:
    """The text of a message and its links/mentions: strings and entities joined as they are."""
    if isinstance(text, str):
        return text, []
    parts: list[str] = []
    entities: list[dict[str, Any]] = []
    for piece in text if isinstance(text, list) else []:
        if isinstance(piece, str):
            parts.append(piece)
        elif isinstance(piece, dict):
            parts.append(str(piece.get("text") or ""))
            if piece.get("type") not in (None, "plain", "bold", "italic", "underline"):
                entities.append({k: v for k, v in piece.items() if isinstance(v, str | int)})
    return "".join(parts), entities


class TelegramImporter:
    name: ClassVar[str] = "telegram"
    label: ClassVar[str] = "Telegram Desktop export"
    zone_free: ClassVar[bool] = False  # only exports older than mid-2022 lack date_unixtime

    def find(self, tree: Tree) -> list[list[str]]:
        found = []
        for path, entry in tree.entries.items():
            if not path.lower().endswith(".json") or not entry.size:
                continue
            if path.rsplit("/", 1)[-1] != "result.json" and tree.kind != "file":
                continue
            if _telegram(tree.head(entry, 16384)):
                found.append([path])
        return found

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        path = files[0]
        head = reader.head(path, 16384)
        if b'"chats"' in head and b'"list"' in head:
            for prefix in LISTS:
                groups = reader.json_outline(path, prefix, time_key="date_unixtime")
                items = reader.json_items(path, f"{prefix}.item")
                for group in groups:
                    yield self._conversation(path, group, items, reader)
            return
        groups = reader.json_outline(path, "messages", time_key="date_unixtime")
        if not groups:
            raise ValueError(f"{reader.label(path)} has no list of messages")
        yield self._conversation(path, groups[0], reader.json_items(path, "messages.item"), reader)

    def _conversation(
        self, path: str, group: Any, items: Iterator[Any], reader: Reader
    ) -> Conversation:
        name = group.one("name")
        kind = group.one("type")
        chat_id = group.one("id")
        title = str(name) if name else f"deleted chat {chat_id}" if chat_id else "Telegram chat"
        zone_free = group.count > 0 and group.first is None
        return Conversation(
            title=title,
            key=f"{path}#{chat_id}",
            files=[path],
            messages=self._messages(path, group.count, title, items, reader),
            details={"platform": "Telegram", "chat_type": kind, "chat_id": chat_id},
            zone_free=zone_free,
        )

    def _messages(self, path: str, count: int, title: str, items: Iterator[Any],
                  reader: Reader) -> Iterator[Message]:  # fmt: skip
        folder = path.rpartition("/")[0]
        clock = reader.clock()
        flags = {REPEATED: 0, NONEXISTENT: 0}
        for index in range(count):
            raw = next(items)
            if not isinstance(raw, dict):
                reader.warn(path, f"entry {index} of {title} is not a message; kept as text")
                raw = {"type": "service", "text": str(raw)[:10000]}
            yield self._message(raw, index, title, folder, clock, flags, reader)
        if flags[REPEATED] or flags[NONEXISTENT]:
            reader.facts.update(repeated_hour_messages=flags[REPEATED],
                                nonexistent_time_messages=flags[NONEXISTENT])  # fmt: skip

    def _message(self, raw: dict[str, Any], index: int, title: str, folder: str,
                 clock: WallClock, flags: dict[str, int], reader: Reader) -> Message:  # fmt: skip
        text, entities = flatten(raw.get("text"))
        service = raw.get("type") == "service"
        extra: dict[str, Any] = {"message_id": raw.get("id")}
        extra.update({key: raw[key] for key in KEPT if key in raw})
        if entities:
            extra["entities"] = entities
        if raw.get("reply_to_message_id") is not None:
            extra["reply_to"] = raw["reply_to_message_id"]
        if service and not text:
            text = _service_text(raw)
        sent, local = epoch_seconds(raw.get("date_unixtime")), None
        if sent is None and isinstance(raw.get("date"), str):
            try:
                naive = datetime.fromisoformat(raw["date"])
            except ValueError:
                naive = None
            if naive is not None and naive.tzinfo is None:
                sent, flag = clock.aware(naive)
                local = naive.isoformat()
                if flag:
                    flags[flag] += 1
                    extra["time_flag"] = flag
        edited = raw.get("edited_unixtime") or raw.get("edited")
        if edited:
            moment = epoch_seconds(raw.get("edited_unixtime"))
            extra["edited_at"] = moment.isoformat() if moment else str(raw.get("edited"))
        reactions = _reactions(raw.get("reactions"))
        if reactions:
            extra["reactions"] = reactions
        attachments = [self._attach(str(raw[key]), folder, raw, reader)
                       for key in MEDIA_KEYS if isinstance(raw.get(key), str)]  # fmt: skip
        return Message(
            index=index,
            sender=raw.get("actor") if service else raw.get("from"),
            sender_id=str(raw.get("actor_id") if service else raw.get("from_id") or "") or None,
            text=text,
            sent_at=sent,
            sent_at_local=local,
            conversation=title,
            is_system=service,
            edited=bool(edited),
            attachments=attachments,
            extra=extra,
        )

    def _attach(
        self, value: str, folder: str, raw: dict[str, Any], reader: Reader
    ) -> AttachmentRef:
        name = str(raw.get("file_name") or value.rsplit("/", 1)[-1])
        if value.startswith("(") and value.endswith(")"):  # "(File not included. …)"
            return AttachmentRef(
                str(raw.get("file_name") or raw.get("media_type") or "file"), omitted=True
            )
        path = f"{folder}/{value}" if folder else value
        return reader.attachment(path, name) if reader.exists(path) else AttachmentRef(name)


def _service_text(raw: dict[str, Any]) -> str:
    action = str(raw.get("action") or "event").replace("_", " ")
    actor = raw.get("actor") or "Someone"
    details = [str(m) for m in raw.get("members") or [] if m]
    if raw.get("title"):
        details.append(f"«{raw['title']}»")
    if raw.get("duration_seconds") is not None:
        details.append(f"{raw['duration_seconds']} s")
    return f"{actor}: {action}" + (f" ({', '.join(details)})" if details else "")


def _reactions(value: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for reaction in value if isinstance(value, list) else []:
        if not isinstance(reaction, dict):
            continue
        emoji = reaction.get("emoji") or reaction.get("document_id") or reaction.get("type")
        recent = [r for r in reaction.get("recent") or [] if isinstance(r, dict)]
        for who in recent:
            out.append({"reaction": emoji, "by": who.get("from"), "by_id": who.get("from_id"),
                        "at": who.get("date")})  # fmt: skip
        if not recent:
            out.append({"reaction": emoji, "count": reaction.get("count")})
    return out
