"""X (Twitter) archive direct messages (FORMATS.md §11).

`data/direct-messages.js` (one-to-one) and `data/direct-messages-group.js`, with `-partN` files
in big archives, each `window.YTD.direct_messages.part0 = [ … ]`: a list of `dmConversation`
objects whose `messages` hold `messageCreate` (id, senderId, recipientId, text, createdAt ISO
UTC, mediaUrls, urls, reactions) and, in groups, join/leave/rename events. The archive names
people by numeric id only: the owner's handle and name come from `data/account.js` where it is
there; everyone else keeps their id. Media sit in `data/direct_messages_media/<id>-<name>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.timeparse import parse_iso_instant
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

DM_FILE = re.compile(r"(?:^|/)direct-messages(-group)?(-part\d+)?\.js$")
EVENTS = {"joinConversation": "joined the conversation", "participantsJoin": "added",
          "participantsLeave": "left", "conversationNameUpdate": "renamed the conversation"}  # fmt: skip
PREFIX = b"="
TIME_KEYS = tuple(f"{kind}.createdAt" for kind in ("messageCreate", *EVENTS))


class XImporter:
    name: ClassVar[str] = "x"
    label: ClassVar[str] = "X (Twitter) archive direct messages"
    zone_free: ClassVar[bool] = False

    def find(self, tree: Tree) -> list[list[str]]:
        files = []
        for path, entry in sorted(tree.entries.items()):
            if entry.size and (DM_FILE.search(path) or tree.kind == "file"):
                head = tree.head(entry, 4096)
                if head.lstrip().startswith(b"window.YTD.") and b"dmConversation" in head:
                    files.append(path)
        if not files:
            return []
        root = files[0].rpartition("/")[0]
        account = f"{root}/account.js" if root else "account.js"
        return [[*files, account] if tree.get(account) is not None else files]

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        people = self._account(files[-1], reader) if files[-1].endswith("account.js") else {}
        for path in (f for f in files if not f.endswith("account.js")):
            group_chat = "-group" in path
            groups = reader.json_outline(path, "item.dmConversation.messages",
                                         time_key=TIME_KEYS, skip_to=PREFIX)  # fmt: skip
            items = reader.json_items(path, "item.dmConversation.messages.item", skip_to=PREFIX)
            folder = path.rpartition("/")[0]
            media = f"{folder}/direct_messages{'_group' if group_chat else ''}_media"
            for group in groups:
                ident = str(group.one("conversationId") or "")
                names = [people.get(i, i) for i in ident.split("-")] if not group_chat else []
                title = group.one("name") or (" and ".join(names) if names else f"group DM {ident}")
                newest_first = str(group.first or "") > str(group.last or "")
                yield Conversation(
                    title=str(title), key=ident, files=[path] + files[-1:] * bool(people),
                    messages=self._messages(items, group.count, newest_first, str(title),
                                            people, media, reader),
                    details={"platform": "X", "conversation_id": ident, "group": group_chat},
                )  # fmt: skip

    def _account(self, path: str, reader: Reader) -> dict[str, str]:
        people: dict[str, str] = {}
        for entry in reader.json_items(path, "item", skip_to=PREFIX):
            account = entry.get("account") if isinstance(entry, dict) else None
            if isinstance(account, dict) and account.get("accountId"):
                handle = f"@{account.get('username')}" if account.get("username") else ""
                shown = account.get("accountDisplayName") or ""
                people[str(account["accountId"])] = (
                    f"{shown} ({handle})" if shown and handle else shown or handle
                )
        return people

    def _messages(self, items: Iterator[Any], count: int, newest_first: bool, title: str,
                  people: dict[str, str], media: str, reader: Reader) -> Iterator[Message]:  # fmt: skip
        for position in range(count):
            raw = next(items)
            index = count - 1 - position if newest_first else position
            kind, body = next(iter(raw.items())) if isinstance(raw, dict) and raw else ("", {})
            body = body if isinstance(body, dict) else {}
            if kind == "messageCreate":
                yield self._created(body, index, title, people, media, reader)
                continue
            actor = str(body.get("initiatingUserId") or "") or None
            others = [people.get(str(u), str(u)) for u in body.get("userIds") or []]
            words = EVENTS.get(kind, kind or "event")
            text = " ".join(part for part in (people.get(actor or "", actor or ""), words,
                                              ", ".join(others), body.get("name") or "") if part)  # fmt: skip
            yield Message(index=index, sender=people.get(actor or ""), sender_id=actor, text=text,
                          sent_at=parse_iso_instant(body.get("createdAt")), conversation=title,
                          is_system=True, extra={"event": kind, **{k: v for k, v in body.items()
                          if k in ("userIds", "name", "participantsSnapshot")}})  # fmt: skip

    def _created(self, body: dict[str, Any], index: int, title: str, people: dict[str, str],
                 media: str, reader: Reader) -> Message:  # fmt: skip
        text_raw = str(body.get("text") or "")
        text = text_raw
        for url in body.get("urls") or []:
            if isinstance(url, dict) and url.get("url") and url.get("expanded"):
                text = text.replace(str(url["url"]), str(url["expanded"]))
        sender = str(body.get("senderId") or "") or None
        extra: dict[str, Any] = {"message_id": body.get("id")}
        if body.get("recipientId"):
            extra["recipient_id"] = body["recipientId"]
            extra["recipient"] = people.get(str(body["recipientId"]))
        reactions = [{"reaction": r.get("reactionKey"), "by": people.get(str(r.get("senderId"))),
                      "by_id": r.get("senderId"), "at": r.get("createdAt")}
                     for r in body.get("reactions") or [] if isinstance(r, dict)]  # fmt: skip
        if reactions:
            extra["reactions"] = reactions
        if body.get("editHistory"):
            extra["edit_history"] = body["editHistory"]
        attachments = [self._attach(str(url), str(body.get("id")), media, reader)
                       for url in body.get("mediaUrls") or []]  # fmt: skip
        return Message(index=index, sender=people.get(sender or ""), sender_id=sender, text=text,
                       text_raw=text_raw, sent_at=parse_iso_instant(body.get("createdAt")),
                       conversation=title, edited=bool(body.get("editHistory")),
                       attachments=attachments, extra=extra)  # fmt: skip

    def _attach(self, url: str, message_id: str, media: str, reader: Reader) -> AttachmentRef:
        name = url.split("?")[0].rsplit("/", 1)[-1]
        candidate = f"{media}/{message_id}-{name}".lstrip("/")
        if reader.exists(candidate):
            return reader.attachment(candidate, name)
        for entry in reader.tree.under(media.lstrip("/")):
            if entry.name.startswith(f"{message_id}-"):
                return reader.attachment(entry.path, entry.name)
        return AttachmentRef(name, present=False)
