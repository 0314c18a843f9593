"""Telegram, Discord, Slack and X downloads as their tools write them, with fictional people."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any


def _json(path: Path, value: Any, *, indent: int | None = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=indent), "utf-8")
    return path


# -- Telegram Desktop -------------------------------------------------------------------------

TG_CHAT = {
    "name": "Sam Carter",
    "type": "personal_chat",
    "id": 5012345678,
    "messages": [
        {
            "id": 101,
            "type": "message",
            "date": "2026-03-14T09:26:53",
            "date_unixtime": "1773480413",
            "from": "Sam Carter",
            "from_id": "user5012345678",
            "text": "Morning. Did you enjoy being the joke of the office?",
            "text_entities": [
                {"type": "plain", "text": "Morning. Did you enjoy being the joke of the office?"}
            ],
        },
        {
            "id": 102,
            "type": "message",
            "date": "2026-03-14T09:27:40",
            "date_unixtime": "1773480460",
            "edited": "2026-03-14T09:30:02",
            "edited_unixtime": "1773480602",
            "from": "Sam Carter",
            "from_id": "user5012345678",
            "text": [
                "Everyone saw ",
                {"type": "bold", "text": "this"},
                " → ",
                {"type": "link", "text": "https://t.me/officegossip/77"},
                "\nlol",
            ],
            "text_entities": [
                {"type": "plain", "text": "Everyone saw "},
                {"type": "bold", "text": "this"},
                {"type": "plain", "text": " → "},
                {"type": "link", "text": "https://t.me/officegossip/77"},
                {"type": "plain", "text": "\nlol"},
            ],
        },
        {
            "id": 103,
            "type": "message",
            "date": "2026-03-14T09:29:11",
            "date_unixtime": "1773480551",
            "from": "Jo Reed",
            "from_id": "user6098765432",
            "reply_to_message_id": 102,
            "text": "Please stop messaging me. אני שומרת הכל.",
            "text_entities": [],
        },
        {
            "id": 104,
            "type": "message",
            "date": "2026-03-14T09:31:00",
            "date_unixtime": "1773480660",
            "from": "Sam Carter",
            "from_id": "user5012345678",
            "photo": "photos/photo_1@14-03-2026_09-31-00.jpg",
            "width": 1280,
            "height": 960,
            "text": "",
            "text_entities": [],
            "reactions": [
                {
                    "type": "emoji",
                    "count": 1,
                    "emoji": "😂",
                    "recent": [
                        {
                            "from": "Tom Okafor",
                            "from_id": "user7011122233",
                            "date": "2026-03-14T09:32:00",
                        }
                    ],
                }
            ],
        },
        {
            "id": 105,
            "type": "message",
            "date": "2026-03-14T09:33:00",
            "date_unixtime": "1773480780",
            "from": "Sam Carter",
            "from_id": "user5012345678",
            "forwarded_from": "Office Gossip 🗞",
            "file": "(File not included. Change data exporting settings to download.)",
            "media_type": "video_file",
            "mime_type": "video/mp4",
            "duration_seconds": 14,
            "text": "watch this",
            "text_entities": [],
        },
        {
            "id": 106,
            "type": "service",
            "date": "2026-03-14T09:40:00",
            "date_unixtime": "1773481200",
            "actor": "Jo Reed",
            "actor_id": "user6098765432",
            "action": "phone_call",
            "duration_seconds": 0,
            "discard_reason": "missed",
            "text": "",
            "text_entities": [],
        },
        {
            "id": 107,
            "type": "message",
            "date": "2026-03-14T09:41:00",
            "date_unixtime": "1773481260",
            "from": None,
            "from_id": "user9990001112",
            "text": "(a deleted account wrote this)",
            "text_entities": [],
        },
        {
            "id": 108,
            "type": "message",
            "date": "2026-03-14T09:42:00",
            "date_unixtime": "1773481320",
            "from": "Sam Carter",
            "from_id": "user5012345678",
            "file": "voice_messages/audio_1@14-03-2026_09-42-00.ogg",
            "media_type": "voice_message",
            "mime_type": "audio/ogg",
            "duration_seconds": 6,
            "text": "",
            "text_entities": [],
        },
    ],
}


def telegram_chat(root: Path) -> Path:
    folder = root / "ChatExport_2026-03-14"
    _json(folder / "result.json", TG_CHAT)
    (folder / "photos").mkdir()
    (folder / "photos" / "photo_1@14-03-2026_09-31-00.jpg").write_bytes(
        b"\xff\xd8\xff\xe0" + b"tg photo" * 60
    )
    # voice_messages/… is named but was not exported: referenced, not captured
    return folder


def telegram_full(root: Path) -> Path:
    group = {
        "name": "Warehouse Night Shift 🌙",
        "type": "private_supergroup",
        "id": 1987654321,
        "messages": [
            {
                "id": 1,
                "type": "service",
                "date": "2026-01-05T22:00:00",
                "date_unixtime": "1767650400",
                "actor": "Priya Shah",
                "actor_id": "user1112223334",
                "action": "create_group",
                "title": "Warehouse Night Shift",
                "members": ["Priya Shah", "Jo Reed", "Tom Okafor"],
                "text": "",
                "text_entities": [],
            },
            {
                "id": 2,
                "type": "message",
                "date": "2026-01-05T22:05:00",
                "date_unixtime": "1767650700",
                "from": "Tom Okafor",
                "from_id": "user7011122233",
                "text": [{"type": "mention", "text": "@joreed"}, " nobody wants you on this shift"],
                "text_entities": [
                    {"type": "mention", "text": "@joreed"},
                    {"type": "plain", "text": " nobody wants you on this shift"},
                ],
            },
            {
                "id": 3,
                "type": "service",
                "date": "2026-01-05T22:06:00",
                "date_unixtime": "1767650760",
                "actor": "Tom Okafor",
                "actor_id": "user7011122233",
                "action": "remove_members",
                "members": ["Jo Reed"],
                "text": "",
                "text_entities": [],
            },
        ],
    }
    full = {
        "about": "Here is the data you requested.",
        "personal_information": {
            "user_id": 6098765432,
            "first_name": "Jo",
            "last_name": "Reed",
            "phone_number": "+44 7700 900456",
        },
        "contacts": {
            "about": "",
            "list": [
                {
                    "first_name": "Sam",
                    "last_name": "Carter",
                    "phone_number": "+44 7700 900123",
                    "date": "2025-01-01T10:00:00",
                    "date_unixtime": "1735725600",
                }
            ],
        },
        "chats": {"about": "This page lists all chats from this export.", "list": [TG_CHAT, group]},
        "left_chats": {
            "about": "",
            "list": [
                {
                    "name": None,
                    "type": "private_group",
                    "id": 4000000001,
                    "messages": [
                        {
                            "id": 9,
                            "type": "message",
                            "date": "2025-12-01T12:00:00",
                            "date_unixtime": "1764590400",
                            "from": "Former Colleague",
                            "from_id": "user4440004440",
                            "text": "you'll regret leaving",
                            "text_entities": [],
                        }
                    ],
                }
            ],
        },
    }
    folder = root / "DataExport_2026-03-14"
    _json(folder / "result.json", full)
    return folder


def telegram_old(root: Path) -> Path:
    """An export from before mid-2022: `date` only, the exporting PC's wall clock, no zone."""
    chat = {
        "name": "Lee Park",
        "type": "personal_chat",
        "id": 42,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2021-10-31T01:30:00",
                "from": "Lee Park",
                "from_id": 42,
                "text": "first pass through 01:30",
            },
            {
                "id": 2,
                "type": "message",
                "date": "2021-10-31T01:10:00",
                "from": "Lee Park",
                "from_id": 42,
                "text": "after the clocks went back",
            },
            {
                "id": 3,
                "type": "message",
                "date": "2021-10-31T09:00:00",
                "from": "Jo Reed",
                "from_id": 7,
                "text": "stop",
            },
        ],
    }
    return _json(root / "old" / "result.json", chat, indent=None)


# -- DiscordChatExporter ----------------------------------------------------------------------


def _author(uid: str, name: str, nick: str | None = None, bot: bool = False) -> dict[str, Any]:
    return {"id": uid, "name": name, "discriminator": "0000", "nickname": nick or name, "color": "#E91E63",
            "isBot": bot, "roles": [{"id": "1100000000000000001", "name": "Staff", "color": None, "position": 3}],
            "avatarUrl": f"https://cdn.discordapp.com/avatars/{uid}/a1b2c3.png?size=512"}  # fmt: skip


def discord_channel(root: Path) -> Path:
    sam = _author("302050872383242240", "samc_", "Sam (Night Manager)")
    jo = _author("412345678901234567", "jo.reed", "Jo")
    bot = _author("155149108183695360", "Dyno", "Dyno", bot=True)
    doc = {
        "guild": {
            "id": "1012345678901234567",
            "name": "Northfield Warehouse",
            "iconUrl": "https://cdn.discordapp.com/icons/1/x.png",
        },
        "channel": {
            "id": "1023456789012345678",
            "type": "GuildTextChat",
            "categoryId": "1",
            "category": "Shifts",
            "name": "night-shift",
            "topic": "Rota and swaps",
        },
        "dateRange": {"after": None, "before": None},
        "exportedAt": "2026-03-15T10:02:03.4567891+00:00",
        "messages": [
            {
                "id": "1100000000000000010",
                "type": "GuildMemberJoin",
                "timestamp": "2026-03-13T21:58:00.123+00:00",
                "timestampEdited": None,
                "callEndedTimestamp": None,
                "isPinned": False,
                "content": "Joined the server.",
                "author": jo,
                "attachments": [],
                "embeds": [],
                "stickers": [],
                "reactions": [],
                "mentions": [],
                "inlineEmojis": [],
            },
            {
                "id": "1100000000000000011",
                "type": "Default",
                "timestamp": "2026-03-14T09:26:53.379+03:00",
                "timestampEdited": "2026-03-14T09:28:00+03:00",
                "callEndedTimestamp": None,
                "isPinned": False,
                "content": "<@412345678901234567> lol who let you back in 🤡",
                "author": sam,
                "attachments": [
                    {
                        "id": "1200000000000000001",
                        "url": "night-shift.json_Files/screenshot-7F3A2.png",
                        "fileName": "screenshot.png",
                        "fileSizeBytes": 2048,
                    },
                    {
                        "id": "1200000000000000002",
                        "url": "https://cdn.discordapp.com/attachments/1/2/rota.pdf?ex=65f0&is=65e0&hm=ab12",
                        "fileName": "rota.pdf",
                        "fileSizeBytes": 40960,
                    },
                ],
                "embeds": [
                    {"title": "Staff rota", "url": "https://example.org/rota", "description": ""}
                ],
                "stickers": [],
                "reactions": [
                    {
                        "emoji": {
                            "id": "",
                            "name": "😂",
                            "code": "joy",
                            "isAnimated": False,
                            "imageUrl": "",
                        },
                        "count": 2,
                        "users": [
                            {
                                "id": "155149108183695360",
                                "name": "Dyno",
                                "discriminator": "0000",
                                "nickname": "Dyno",
                                "isBot": True,
                            }
                        ],
                    }
                ],
                "mentions": [
                    {
                        "id": "412345678901234567",
                        "name": "jo.reed",
                        "discriminator": "0000",
                        "nickname": "Jo",
                        "isBot": False,
                    }
                ],
                "inlineEmojis": [],
            },
            {
                "id": "1100000000000000012",
                "type": "Reply",
                "timestamp": "2026-03-14T06:30:00Z",
                "timestampEdited": None,
                "callEndedTimestamp": None,
                "isPinned": False,
                "content": "Please stop tagging me.\nThis is the third time this week.",
                "author": jo,
                "attachments": [],
                "embeds": [],
                "stickers": [],
                "reactions": [],
                "mentions": [],
                "reference": {
                    "messageId": "1100000000000000011",
                    "channelId": "1023456789012345678",
                    "guildId": "1012345678901234567",
                },
            },
            {
                "id": "1100000000000000013",
                "type": "ChannelPinnedMessage",
                "timestamp": "2026-03-14T06:31:00+00:00",
                "timestampEdited": None,
                "callEndedTimestamp": None,
                "isPinned": False,
                "content": "Pinned a message.",
                "author": bot,
                "attachments": [],
                "embeds": [],
                "stickers": [],
                "reactions": [],
                "mentions": [],
            },
        ],
        "messageCount": 4,
    }
    _json(
        root / "Northfield Warehouse - Shifts - night-shift [1023456789012345678].json",
        doc,
        indent=2,
    )
    files = root / "night-shift.json_Files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "screenshot-7F3A2.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"discord shot" * 40)
    return root


def discord_dm(root: Path) -> Path:
    doc = {
        "guild": {
            "id": "0",
            "name": "Direct Messages",
            "iconUrl": "https://cdn.discordapp.com/embed/avatars/0.png",
        },
        "channel": {
            "id": "1030000000000000000",
            "type": "DirectTextChat",
            "categoryId": None,
            "category": "Private",
            "name": "samc_",
            "topic": None,
        },
        "dateRange": {"after": None, "before": None},
        "exportedAt": "2026-03-15T10:05:00+00:00",
        "messages": [
            {
                "id": "1",
                "type": "Default",
                "timestamp": "2026-03-14T23:59:59.9+00:00",
                "timestampEdited": None,
                "isPinned": False,
                "content": "you can't block me everywhere",
                "author": _author("302050872383242240", "samc_"),
                "attachments": [],
                "embeds": [],
                "stickers": [],
                "reactions": [],
                "mentions": [],
            }
        ],
    }
    return _json(root / "Direct Messages - Private - samc_ [1030000000000000000].json", doc)


# -- Slack ------------------------------------------------------------------------------------

SLACK_USERS = [
    {
        "id": "U01SAMC",
        "team_id": "T0NORTH",
        "name": "sam.carter",
        "real_name": "Sam Carter",
        "profile": {
            "real_name": "Sam Carter",
            "display_name": "Sam",
            "email": "sam@northfield.example",
        },
    },
    {
        "id": "U02JOREED",
        "team_id": "T0NORTH",
        "name": "jo.reed",
        "real_name": "Jo Reed",
        "profile": {"real_name": "Jo Reed", "display_name": "", "email": "jo@northfield.example"},
    },
    {
        "id": "U03PRIYA",
        "name": "priya",
        "deleted": True,
        "profile": {"real_name": "Priya Shah", "display_name": "Priya 🌸"},
    },
]


def slack_workspace(root: Path) -> Path:
    ws = root / "Northfield Slack export Mar 1 2026 - Mar 15 2026"
    _json(ws / "users.json", SLACK_USERS)
    _json(
        ws / "channels.json",
        [
            {
                "id": "C01GENERAL",
                "name": "general",
                "created": 1700000000,
                "creator": "U03PRIYA",
                "is_archived": False,
                "members": ["U01SAMC", "U02JOREED", "U03PRIYA"],
                "topic": {"value": "Company-wide", "creator": "U03PRIYA", "last_set": 0},
                "purpose": {"value": "", "creator": "", "last_set": 0},
            }
        ],
    )
    _json(
        ws / "dms.json",
        [{"id": "D0SAMJO", "created": 1772000000, "members": ["U01SAMC", "U02JOREED"]}],
    )
    _json(ws / "integration_logs.json", {"logs": []})
    _json(
        ws / "general" / "2026-03-13.json",
        [
            {
                "type": "message",
                "subtype": "channel_join",
                "user": "U02JOREED",
                "text": "<@U02JOREED> has joined the channel",
                "ts": "1773439200.000100",
            },
        ],
    )
    _json(
        ws / "general" / "2026-03-14.json",
        [
            {
                "client_msg_id": "a1",
                "type": "message",
                "user": "U01SAMC",
                "text": "Ask <@U02JOREED> &amp; see if they can manage &lt;basic&gt; tasks :joy: <#C01GENERAL|general> <https://example.org/rota|the rota>",
                "ts": "1773480413.000200",
                "team": "T0NORTH",
                "user_team": "T0NORTH",
                "user_profile": {
                    "real_name": "Sam Carter",
                    "display_name": "Sam",
                    "name": "sam.carter",
                },
                "edited": {"user": "U01SAMC", "ts": "1773480500.000000"},
                "reactions": [{"name": "joy", "users": ["U03PRIYA"], "count": 1}],
                "thread_ts": "1773480413.000200",
                "reply_count": 1,
                "reply_users": ["U02JOREED"],
                "latest_reply": "1773480600.000300",
            },
            {
                "client_msg_id": "a2",
                "type": "message",
                "user": "U02JOREED",
                "text": "That's not OK.\nPlease stop.",
                "ts": "1773480600.000300",
                "thread_ts": "1773480413.000200",
                "parent_user_id": "U01SAMC",
            },
            {
                "type": "message",
                "subtype": "bot_message",
                "bot_id": "B0RTA",
                "username": "RotaBot",
                "text": "Reminder: rota closes at 5pm",
                "ts": "1773482000.000400",
            },
            {
                "type": "message",
                "user": "U01SAMC",
                "text": "",
                "ts": "1773483000.000500",
                "files": [
                    {
                        "id": "F0SHOT",
                        "name": "Screenshot 2026-03-14.png",
                        "title": "lol",
                        "mimetype": "image/png",
                        "size": 123456,
                        "url_private": "https://files.slack.com/files-pri/T0NORTH-F0SHOT/screenshot.png",
                        "permalink": "https://northfield.slack.com/files/U01SAMC/F0SHOT",
                    }
                ],
            },
            {
                "type": "message",
                "subtype": "tombstone",
                "user": "USLACKBOT",
                "text": "This message was deleted.",
                "ts": "1773484000.000600",
            },
        ],
    )
    _json(
        ws / "D0SAMJO" / "2026-03-14.json",
        [
            {
                "type": "message",
                "user": "U01SAMC",
                "text": "don't tell HR 🤫",
                "ts": "1773490000.000700",
            },
        ],
    )
    return ws


# -- X archive --------------------------------------------------------------------------------

X_DMS = [
    {
        "dmConversation": {
            "conversationId": "1500000000000000001-6098765432",
            "messages": [
                {
                    "messageCreate": {
                        "recipientId": "6098765432",
                        "reactions": [],
                        "urls": [],
                        "text": "last warning",
                        "mediaUrls": [],
                        "senderId": "1500000000000000001",
                        "id": "1770000000000000003",
                        "createdAt": "2026-03-14T09:40:00.000Z",
                    }
                },
                {
                    "messageCreate": {
                        "recipientId": "1500000000000000001",
                        "reactions": [],
                        "urls": [],
                        "text": "Stop. I have reported this account.",
                        "mediaUrls": [],
                        "senderId": "6098765432",
                        "id": "1770000000000000002",
                        "createdAt": "2026-03-14T09:35:10.500Z",
                    }
                },
                {
                    "messageCreate": {
                        "recipientId": "6098765432",
                        "reactions": [
                            {
                                "senderId": "6098765432",
                                "reactionKey": "sad",
                                "eventId": "1770000000000000099",
                                "createdAt": "2026-03-14T09:36:00.000Z",
                            }
                        ],
                        "urls": [
                            {
                                "url": "https://t.co/Ab12Cd34",
                                "expanded": "https://example.org/gossip/jo",
                                "display": "example.org/gossip/jo",
                            }
                        ],
                        "text": "everyone is reading this https://t.co/Ab12Cd34",
                        "mediaUrls": [
                            "https://ton.twitter.com/dm/1770000000000000001/1770000000000000001/AbCdEf.jpg"
                        ],
                        "senderId": "1500000000000000001",
                        "id": "1770000000000000001",
                        "createdAt": "2026-03-14T09:30:00.000Z",
                    }
                },
            ],
        }
    },
]
X_GROUP = [
    {
        "dmConversation": {
            "conversationId": "1600000000000000042",
            "messages": [
                {
                    "messageCreate": {
                        "reactions": [],
                        "urls": [],
                        "text": "😂😂 she actually came",
                        "mediaUrls": [],
                        "senderId": "1700000000000000007",
                        "id": "1770000000000000020",
                        "createdAt": "2026-03-13T20:01:00.000Z",
                    }
                },
                {
                    "conversationNameUpdate": {
                        "initiatingUserId": "1700000000000000007",
                        "name": "Jo watch 👀",
                        "createdAt": "2026-03-13T20:00:30.000Z",
                    }
                },
                {
                    "participantsJoin": {
                        "initiatingUserId": "1700000000000000007",
                        "userIds": ["6098765432"],
                        "createdAt": "2026-03-13T20:00:10.000Z",
                    }
                },
                {
                    "joinConversation": {
                        "initiatingUserId": "1700000000000000007",
                        "participantsSnapshot": ["1700000000000000007", "1500000000000000001"],
                        "createdAt": "2026-03-13T20:00:00.000Z",
                    }
                },
            ],
        }
    },
]


def x_archive(out: Path) -> Path:
    def js(name: str, value: Any) -> bytes:
        return (
            f"window.YTD.{name}.part0 = {json.dumps(value, indent=2, ensure_ascii=False)}".encode()
        )

    path = out / "twitter-2026-03-14-6098765432.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Your archive.html", "<html>Your archive</html>")
        archive.writestr("data/manifest.js", b"window.__THAR_CONFIG = {}")
        archive.writestr(
            "data/account.js",
            js(
                "account",
                [
                    {
                        "account": {
                            "email": "jo@example.org",
                            "createdVia": "web",
                            "username": "jo_reed_88",
                            "accountId": "6098765432",
                            "createdAt": "2012-04-01T10:00:00.000Z",
                            "accountDisplayName": "Jo Reed",
                        }
                    }
                ],
            ),
        )
        archive.writestr("data/direct-messages.js", js("direct_messages", X_DMS))
        archive.writestr("data/direct-messages-group.js", js("direct_messages_group", X_GROUP))
        archive.writestr(
            "data/tweets.js", js("tweets", [{"tweet": {"id": "1", "full_text": "hello"}}])
        )
        archive.writestr(
            "data/direct_messages_media/1770000000000000001-AbCdEf.jpg",
            b"\xff\xd8\xff\xe0" + b"x dm photo" * 40,
        )
    return path
