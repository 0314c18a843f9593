"""A Slack workspace export, as a folder or its zip (FORMATS.md §10).

`users.json` and `channels.json` (with `groups.json`, `mpims.json`, `dms.json` where the export
has them) beside one folder per channel holding one JSON array per day, `YYYY-MM-DD.json`. Each
channel is one conversation, its days in date order. User ids (`U…`) are kept as the sender id
and resolved to names, in the sender and in the text (`<@U…>` → `@Name`); `text_raw` keeps the
text exactly as Slack wrote it. File bytes are not part of a Slack export: files are recorded as
referenced, not captured.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from evidence_kit.importers.download import Conversation, Reader
from evidence_kit.importers.timeparse import epoch_seconds
from evidence_kit.importers.tree import Tree
from evidence_kit.model import AttachmentRef, Message

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
LISTS = ("channels.json", "groups.json", "mpims.json", "dms.json")
SYSTEM = {"channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
          "channel_archive", "channel_unarchive", "group_join", "group_leave", "group_topic",
          "group_purpose", "group_name", "pinned_item", "unpinned_item", "bot_add",
          "bot_remove", "channel_convert_to_private", "huddle_thread"}  # fmt: skip
MENTION = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]*))?>|<([^>|@#!][^>|]*)(?:\|([^>]*))?>")
MAX_USERS = 500_000


class SlackImporter:
    name: ClassVar[str] = "slack"
    label: ClassVar[str] = "Slack workspace export"
    zone_free: ClassVar[bool] = False

    def find(self, tree: Tree) -> list[list[str]]:
        found = []
        for path, entry in tree.entries.items():
            if path.rsplit("/", 1)[-1] != "users.json" or not entry.size:
                continue
            root = path[: -len("users.json")]
            lists = [root + name for name in LISTS if tree.get(root + name) is not None]
            if not lists or not tree.head(entry, 512).lstrip().startswith(b"["):
                continue
            days = sorted(
                p for p in tree.entries
                if p.startswith(root) and p.count("/") == root.count("/") + 1
                and DAY.match(p.rsplit("/", 1)[-1])
            )  # fmt: skip
            if days:
                found.append([path, *lists, *days])
        return found

    def read(self, files: list[str], reader: Reader) -> Iterator[Conversation]:
        users = self._users(files[0], reader)
        root = files[0][: -len("users.json")]
        channels: dict[str, dict[str, Any]] = {}
        for path in files[1:]:
            if path.rsplit("/", 1)[-1] in LISTS and path.count("/") == root.count("/"):
                kind = path.rsplit("/", 1)[-1][:-5]
                for channel in reader.json_items(path, "item"):
                    if isinstance(channel, dict):
                        info = {
                            "kind": kind,
                            **{
                                k: channel.get(k)
                                for k in ("id", "name", "created", "members", "is_archived")
                            },
                        }
                        info["topic"] = (
                            (channel.get("topic") or {}).get("value")
                            if isinstance(channel.get("topic"), dict)
                            else None
                        )
                        for key in {
                            str(channel.get("name") or ""),
                            str(channel.get("id") or ""),
                        } - {""}:
                            channels[key] = info
        by_folder: dict[str, list[str]] = {}
        for path in files:
            if DAY.match(path.rsplit("/", 1)[-1]):
                by_folder.setdefault(path.rsplit("/", 2)[-2], []).append(path)
        for folder, days in sorted(by_folder.items()):
            info = channels.get(folder, {"kind": "unknown"})
            members = [users.get(m, m) for m in info.get("members") or []]
            prefix = "#" if info["kind"] in ("channels", "groups") else ""
            title = (
                prefix + folder if info["kind"] != "dms" else "DM " + ", ".join(members or [folder])
            )
            yield Conversation(
                title=title, key=str(info.get("id") or folder), files=days,
                messages=self._messages(days, title, users, channels, reader),
                details={"platform": "Slack", "channel_id": info.get("id"), "channel": folder,
                         "channel_kind": info["kind"], "members": members,
                         "topic": info.get("topic")},
            )  # fmt: skip

    def _users(self, path: str, reader: Reader) -> dict[str, str]:
        users: dict[str, str] = {}
        for user in reader.json_items(path, "item"):
            if isinstance(user, dict) and user.get("id") and len(users) < MAX_USERS:
                profile: dict[str, Any] = (
                    user["profile"] if isinstance(user.get("profile"), dict) else {}
                )
                name = (profile.get("display_name") or profile.get("real_name")
                        or user.get("real_name") or user.get("name"))  # fmt: skip
                users[str(user["id"])] = str(name or user["id"])
        return users

    def _messages(self, days: list[str], title: str, users: dict[str, str],
                  channels: dict[str, dict[str, Any]], reader: Reader) -> Iterator[Message]:  # fmt: skip
        index = 0
        for path in days:
            for position, raw in enumerate(reader.json_items(path, "item")):
                if not isinstance(raw, dict):
                    reader.warn(path, f"entry {position} is not a message; kept as text")
                    raw = {"subtype": "unreadable", "text": str(raw)[:10000]}
                yield self._message(raw, index, title, users, channels, path, position)
                index += 1

    def _message(self, raw: dict[str, Any], index: int, title: str, users: dict[str, str],
                 channels: dict[str, dict[str, Any]], path: str, position: int) -> Message:  # fmt: skip
        user = raw.get("user") or raw.get("bot_id")
        profile: dict[str, Any] = (
            raw["user_profile"] if isinstance(raw.get("user_profile"), dict) else {}
        )
        sender = users.get(str(user)) if user else None
        sender = (
            sender or profile.get("display_name") or profile.get("real_name") or raw.get("username")
        )
        subtype = raw.get("subtype")
        extra: dict[str, Any] = {"ts": raw.get("ts"), "source": {"file": path, "entry": position}}
        if subtype:
            extra["subtype"] = subtype
        edited = raw.get("edited") if isinstance(raw.get("edited"), dict) else None
        if edited:
            moment = epoch_seconds(edited.get("ts"))
            extra["edited_at"] = moment.isoformat() if moment else edited.get("ts")
            extra["edited_by"] = users.get(str(edited.get("user")), edited.get("user"))
        thread = raw.get("thread_ts")
        if thread and thread != raw.get("ts"):
            extra["reply_to"] = thread
        elif thread:
            extra["thread_ts"] = thread
        reactions = []
        for reaction in raw.get("reactions") or []:
            if isinstance(reaction, dict):
                for who in reaction.get("users") or []:
                    reactions.append(
                        {
                            "reaction": f":{reaction.get('name')}:",
                            "by": users.get(who, who),
                            "by_id": who,
                        }
                    )
        if reactions:
            extra["reactions"] = reactions
        attachments = [AttachmentRef(str(f.get("name") or f.get("title") or f.get("id") or "file"))
                       for f in raw.get("files") or [] if isinstance(f, dict)]  # fmt: skip
        if attachments:
            extra["files"] = [{k: f.get(k) for k in ("id", "name", "title", "mimetype", "size", "permalink")}
                              for f in raw["files"] if isinstance(f, dict)]  # fmt: skip
        text_raw = str(raw["text"]) if isinstance(raw.get("text"), str) else ""
        return Message(
            index=index, sender=sender, sender_id=str(user) if user else None,
            text=readable(text_raw, users, channels), text_raw=text_raw,
            sent_at=epoch_seconds(raw.get("ts")), conversation=title,
            is_system=subtype in SYSTEM, edited=bool(edited),
            deleted=subtype == "tombstone", attachments=attachments, extra=extra,
        )  # fmt: skip


def readable(text: str, users: dict[str, str], channels: dict[str, dict[str, Any]]) -> str:
    """Slack's mrkdwn as a person reads it: `<@U1>` → `@Sam`, `<#C1|x>` → `#x`, `&amp;` → `&`."""

    def swap(match: re.Match[str]) -> str:
        sigil, target, label, url, url_label = match.groups()
        if url is not None:
            return f"{url_label} ({url})" if url_label else url
        if sigil == "@":
            return "@" + (label or users.get(target, target))
        if sigil == "#":
            return "#" + (label or str(channels.get(target, {}).get("name") or target))
        return "@" + (label or target.split("^")[0])

    return html.unescape(MENTION.sub(swap, text)) if "<" in text or "&" in text else text
