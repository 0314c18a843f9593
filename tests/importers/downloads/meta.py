"""Facebook Messenger and Instagram downloads as the platforms write them, with fictional people.

Everything the real exports do that a parser can trip on: every string's UTF-8 bytes escaped as
Latin-1 (`\\u00e2\\u0080\\u0099` for ’), newest messages first in `message_1.json`, a thread
split over two files, uris relative to the download's root, media that are missing, unsent
messages, 2024-style events with no `type`, reactions, shares, calls, keys we do not read
(`magic_words`, `joinable_mode`, `is_geoblocked_for_viewer`), and unrelated parts of the
download that must be skipped.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

T0 = 1_773_500_000_000  # 14 Mar 2026 around 15:33 UTC, in ms


def mojibake(value: Any) -> Any:
    """What Meta writes: each string's UTF-8 bytes as Latin-1 code points."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {k: mojibake(v) for k, v in value.items()}
    return value


def write_json(path: Path, value: Any, *, meta_escapes: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = mojibake(value) if meta_escapes else value
    path.write_text(json.dumps(data, indent=2, ensure_ascii=meta_escapes), "utf-8")
    return path


# The one-to-one thread, oldest first here; written newest first, split over two files.
SAM_THREAD = [
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0,
        "content": "Hi Jo, got a minute?",
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Jo Reed",
        "timestamp_ms": T0 + 60_000,
        "content": "Sure, what’s up?",
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0 + 120_000,
        "content": "Everyone knows what you did at the meeting 😂😂\nDon’t bother coming in Monday.",
        "reactions": [{"reaction": "😢", "actor": "Jo Reed"}],
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0 + 180_000,
        "photos": [
            {
                "uri": "your_facebook_activity/messages/inbox/samcarter_1029384756/photos/401_screenshot.jpg",
                "creation_timestamp": (T0 + 180_000) // 1000,
            }
        ],
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0 + 240_000,
        "videos": [
            {
                "uri": "your_facebook_activity/messages/inbox/samcarter_1029384756/videos/402_clip.mp4",
                "creation_timestamp": (T0 + 240_000) // 1000,
                "thumbnail": {
                    "uri": "your_facebook_activity/messages/inbox/samcarter_1029384756/videos/thumbnails/402.jpg"
                },
            }
        ],
        "is_geoblocked_for_viewer": False,
    },  # the video is NOT in the download
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0 + 300_000,
        "is_unsent": True,
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Jo Reed",
        "timestamp_ms": T0 + 360_000,
        "content": "Jo Reed started a call.",
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Jo Reed",
        "timestamp_ms": T0 + 420_000,
        "content": "The call ended.",
        "call_duration": 0,
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0 + 480_000,
        "content": "לא אכפת לי — مع السلامة",
        "share": {
            "link": "https://www.facebook.com/groups/teamrota/posts/555",
            "share_text": "Look what they’re saying",
        },
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0 + 540_000,
        "audio_files": [
            {
                "uri": "your_facebook_activity/messages/inbox/samcarter_1029384756/audio/403_voice.aac",
                "creation_timestamp": (T0 + 540_000) // 1000,
            }
        ],
        "is_geoblocked_for_viewer": False,
    },
]

GROUP_THREAD = [
    {
        "sender_name": "Priya Shah",
        "timestamp_ms": T0 - 86_400_000,
        "content": "Priya Shah named the group Team Rota 🙄.",
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Priya Shah",
        "timestamp_ms": T0 - 86_300_000,
        "content": "Priya Shah added Jo Reed to the group.",
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Tom Okafor",
        "timestamp_ms": T0 - 86_200_000,
        "content": "lol look who’s here",
        "is_geoblocked_for_viewer": False,
        "reactions": [
            {"reaction": "😂", "actor": "Priya Shah"},
            {"reaction": "👍", "actor": "Sam Carter"},
        ],
    },
    {
        "sender_name": "Sam Carter",
        "timestamp_ms": T0 - 86_100_000,
        "sticker": {
            "uri": "your_facebook_activity/messages/stickers_used/39178562_1.png",
            "ai_stickers": [],
        },
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Old Member",
        "timestamp_ms": T0 - 86_000_000,
        "content": "Old Member left the group.",
        "is_geoblocked_for_viewer": False,
    },
]


def thread_doc(title: str, participants: list[str], messages: list[dict[str, Any]], path: str,
               *, group: bool = False) -> dict[str, Any]:  # fmt: skip
    doc: dict[str, Any] = {"participants": [{"name": n} for n in participants],
                           "messages": list(reversed(messages)), "title": title,
                           "is_still_participant": True, "thread_path": path,
                           "magic_words": [], "joinable_mode": {"mode": 1, "link": ""}}  # fmt: skip
    if group:
        doc["image"] = {
            "uri": f"your_facebook_activity/messages/inbox/{path.split('/')[-1]}/gifs/group.gif",
            "creation_timestamp": 1773400000,
        }
    return doc


def facebook_folder(root: Path) -> Path:
    """An extracted 2024-layout Facebook download: two threads, media, unrelated files."""
    inbox = root / "your_facebook_activity" / "messages" / "inbox"
    sam = inbox / "samcarter_1029384756"
    newest, oldest = SAM_THREAD[6:], SAM_THREAD[:6]  # message_1.json holds the newest
    write_json(
        sam / "message_1.json",
        thread_doc("Sam Carter", ["Sam Carter", "Jo Reed"], newest, "inbox/samcarter_1029384756"),
    )
    write_json(
        sam / "message_2.json",
        thread_doc("Sam Carter", ["Sam Carter", "Jo Reed"], oldest, "inbox/samcarter_1029384756"),
    )
    (sam / "photos").mkdir(parents=True)
    (sam / "photos" / "401_screenshot.jpg").write_bytes(
        b"\xff\xd8\xff\xe0" + b"screenshot of the rota" * 40
    )
    (sam / "audio").mkdir()
    (sam / "audio" / "403_voice.aac").write_bytes(b"\xff\xf1" + b"voice note bytes " * 64)
    group = (
        root / "your_facebook_activity" / "messages" / "archived_threads" / "teamrota_5566778899"
    )
    write_json(
        group / "message_1.json",
        thread_doc(
            "Team Rota 🙄",
            ["Priya Shah", "Tom Okafor", "Sam Carter", "Jo Reed"],
            GROUP_THREAD,
            "archived_threads/teamrota_5566778899",
            group=True,
        ),
    )
    stickers = root / "your_facebook_activity" / "messages" / "stickers_used"
    stickers.mkdir(parents=True)
    (stickers / "39178562_1.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"sticker" * 30)
    write_json(
        root
        / "your_facebook_activity"
        / "posts"
        / "your_posts__check_ins__photos_and_videos_1.json",
        [{"timestamp": 1773000000, "data": [{"post": "Lovely day at the seaside"}]}],
    )
    write_json(
        root / "personal_information" / "profile_information" / "profile_information.json",
        {"profile_v2": {"name": {"full_name": "Jo Reed"}}},
    )
    (root / "start_here.html").write_text("<html><body>Your information</body></html>", "utf-8")
    return root


def zip_folder(folder: Path, out: Path, *, only: Any = None, prefix: str = "") -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and (only is None or only(rel)):
                archive.write(path, prefix + rel)
    return out


def facebook_parts(folder: Path, out: Path) -> tuple[Path, Path]:
    """The same download split as Meta splits big ones: the JSON in one zip, the media in another."""
    first = zip_folder(
        folder,
        out / "facebook-joreed-2026-03-15-Ab3dE.zip",
        only=lambda r: not r.endswith((".jpg", ".aac", ".png", ".mp4")),
    )
    second = zip_folder(
        folder,
        out / "facebook-joreed-2026-03-15-Ab3dE-2.zip",
        only=lambda r: r.endswith((".jpg", ".aac", ".png", ".mp4")) or r == "start_here.html",
    )
    return first, second


SECURE = {
    "participants": ["Jo Reed", "Sam Carter"],
    "threadName": "Sam Carter_2",
    "messages": [
        {
            "isUnsent": False,
            "media": [],
            "reactions": [],
            "senderName": "Sam Carter",
            "text": "Moved this chat to end-to-end encryption, so nobody can see what I say now 😏",
            "timestamp": T0 + 86_400_000,
            "type": "text",
        },
        {
            "isUnsent": False,
            "media": [{"uri": "media/1773586400123.jpg"}],
            "reactions": [{"actor": "Jo Reed", "reaction": "😡"}],
            "senderName": "Sam Carter",
            "text": "",
            "timestamp": T0 + 86_460_000,
            "type": "media",
        },
        {
            "isUnsent": True,
            "media": [],
            "reactions": [],
            "senderName": "Sam Carter",
            "text": "",
            "timestamp": T0 + 86_520_000,
            "type": "text",
        },
        {
            "isUnsent": False,
            "media": [{"uri": "media/missing_voice.mp4"}],
            "reactions": [],
            "senderName": "Jo Reed",
            "text": "Please stop.\nI’ve kept everything.",
            "timestamp": T0 + 86_580_000,
            "type": "text",
        },
    ],
}


def secure_folder(root: Path) -> Path:
    write_json(root / "Sam Carter_2.json", SECURE, meta_escapes=False)
    (root / "media").mkdir(parents=True, exist_ok=True)
    (root / "media" / "1773586400123.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"e2ee photo" * 50)
    return root


INSTAGRAM = [
    {
        "sender_name": "jordan 🌙",
        "timestamp_ms": T0 + 1_000,
        "content": "saw your story lol",
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Jo Reed",
        "timestamp_ms": T0 + 2_000,
        "content": "Liked a message",
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "jordan 🌙",
        "timestamp_ms": T0 + 3_000,
        "content": "jordan 🌙 sent an attachment.",
        "share": {
            "link": "https://www.instagram.com/p/Cx1234567/",
            "share_text": "everyone laughing at you",
            "original_content_owner": "gossip.page.2026",
        },
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "jordan 🌙",
        "timestamp_ms": T0 + 4_000,
        "photos": [
            {
                "uri": "your_instagram_activity/messages/inbox/jordan_17841400000000001/photos/17940000000000001.jpg",
                "creation_timestamp": (T0 + 4_000) // 1000,
            }
        ],
        "reactions": [{"reaction": "😂", "actor": "jordan 🌙", "timestamp": (T0 + 5_000) // 1000}],
        "is_geoblocked_for_viewer": False,
    },
    {
        "sender_name": "Jo Reed",
        "timestamp_ms": T0 + 6_000,
        "content": "Reacted 😢 to your message ",
        "is_geoblocked_for_viewer": False,
    },
]


def instagram_folder(root: Path) -> Path:
    thread = root / "your_instagram_activity" / "messages" / "inbox" / "jordan_17841400000000001"
    write_json(
        thread / "message_1.json",
        thread_doc(
            "jordan 🌙", ["jordan 🌙", "Jo Reed"], INSTAGRAM, "inbox/jordan_17841400000000001"
        ),
    )
    (thread / "photos").mkdir()
    (thread / "photos" / "17940000000000001.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"insta" * 80)
    write_json(
        root / "your_instagram_activity" / "likes" / "liked_posts.json", {"likes_media_likes": []}
    )
    return root


OLD_INSTAGRAM = [
    {
        "participants": ["jordan.nightly", "jo_reed_88"],
        "conversation": [
            {
                "sender": "jordan.nightly",
                "created_at": "2019-11-02T21:14:09.118+00:00",
                "text": "nobody likes you",
                "heart": None,
            },
            {
                "sender": "jo_reed_88",
                "created_at": "2019-11-02T21:10:00.000+00:00",
                "text": "why are you doing this?",
            },
            {
                "sender": "jordan.nightly",
                "created_at": "2019-11-02T21:05:31.002+00:00",
                "media_share_url": "https://scontent.cdninstagram.com/v/t51/abc.jpg",
                "text": None,
            },
        ],
    },
    {
        "participants": ["tom_okafor", "jo_reed_88"],
        "conversation": [
            {
                "sender": "tom_okafor",
                "created_at": "2019-10-01T08:00:00+01:00",
                "text": "you ok? saw the comments",
            },
        ],
    },
]
