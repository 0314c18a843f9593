"""Messenger's end-to-end-encrypted chats, from the "secure storage" download (FORMATS.md §2.3).

One JSON per thread: `{participants: [names], threadName, messages: [{senderName, text,
timestamp (ms), type, isUnsent, media: [{uri}], reactions: [{actor, reaction}]}]}`, oldest first,
real UTF-8 (no mojibake: nothing is "repaired" here). Media sit in a shared `media/` folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.messenger import epoch_ms
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

SYSTEM_TYPES = {"system", "admin", "call", "group_update", "subscribe", "unsubscribe"}


class MessengerSecureImporter:
    name: ClassVar[str] = "messenger-e2ee"
    label: ClassVar[str] = "Facebook Messenger end-to-end encrypted chats download"
    zone_free: ClassVar[bool] = False

    def find(self, tree: Tree) -> list[list[str]]:
        found = []
        for path, entry in tree.entries.items():
            if path.lower().endswith(".json") and entry.size:
                head = tree.head(entry, 8192)
                if b'"threadName"' in head and b'"messages"' in head:
                    found.append([path])
        return found

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        path = files[0]
        groups = reader.json_outline(path, "messages", time_key="timestamp")
        if not groups:
            raise ValueError(f"{reader.label(path)} has no list of messages")
        group = groups[0]
        title = group.one("threadName")
        people = [str(p) for p in group.many("participants.item")]
        yield Conversation(
            title=str(title) if title else ", ".join(people) or path,
            key=path,
            files=[path],
            messages=self._messages(path, group.count, title, reader),
            details={
                "participants": people,
                "platform": "Facebook Messenger (end-to-end encrypted)",
            },
        )

    def _messages(self, path: str, count: int, title: Any, reader: Reader) -> Iterator[Message]:
        folder = path.rpartition("/")[0]
        newest_first = False
        for position, raw in enumerate(reader.json_items(path, "messages.item")):
            if not isinstance(raw, dict):
                reader.warn(path, f"entry {position} is not a message; kept as text")
                raw = {"text": str(raw)[:10000], "type": "system"}
            attachments = []
            for media in raw.get("media") or []:
                uri = str(media.get("uri") or "") if isinstance(media, dict) else ""
                if uri:
                    attachments.append(self._attach(uri, folder, reader))
            extra: dict[str, Any] = {"source": {"file": path, "entry": position}}
            if raw.get("type") is not None:
                extra["type"] = raw["type"]
            reactions = [
                {"reaction": r.get("reaction"), "by": r.get("actor")}
                for r in raw.get("reactions") or [] if isinstance(r, dict)
            ]  # fmt: skip
            if reactions:
                extra["reactions"] = reactions
            text = raw.get("text")
            yield Message(
                index=count - 1 - position if newest_first else position,
                sender=raw.get("senderName"),
                text=text if isinstance(text, str) else "",
                sent_at=epoch_ms(raw.get("timestamp")),
                conversation=str(title) if title else None,
                is_system=str(raw.get("type", "")).lower() in SYSTEM_TYPES,
                deleted=bool(raw.get("isUnsent")),
                attachments=attachments,
                extra=extra,
            )

    def _attach(self, uri: str, folder: str, reader: Reader) -> AttachmentRef:
        name = uri.rsplit("/", 1)[-1]
        for candidate in (f"{folder}/{uri}" if folder else uri, uri, f"media/{name}"):
            if reader.exists(candidate):
                return reader.attachment(candidate, name)
        return AttachmentRef(name, present=False)
