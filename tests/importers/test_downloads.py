"""Every download format on realistic samples: what a person sees, what is kept, what was skipped."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.importers.batch import import_paths
from evidence_kit.importers.run import ImportResult
from evidence_kit.importers.tree import LISTING_HEADER
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from tests.importers.downloads import meta, others, texts


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def one(vault: Vault, *paths: Path, tz: str = "Europe/London") -> ImportResult:
    (outcome,) = import_paths(vault, list(paths), tz=tz)
    assert outcome.error is None, outcome.error.message if outcome.error else ""
    assert outcome.result is not None
    return outcome.result


def conversation(result: ImportResult, title: str) -> ImportResult:
    return next(c for c in result.conversations if c.item.original_name == title)


def messages(vault: Vault, result: ImportResult) -> list[dict[str, Any]]:
    return list(vault.messages(result.item.id))


def stored(vault: Vault, item_id: int) -> bytes:
    return b"".join(vault.content(item_id))


def children_by_path(vault: Vault, parent_id: int) -> dict[str, Any]:
    found = {}
    for child in vault.children(parent_id):
        where = child.metadata.get("download_file")
        if isinstance(where, dict):
            found[where["path"]] = child
    return found


# -- Messenger -----------------------------------------------------------------------------------


def test_a_facebook_folder_is_one_download_with_a_listing_and_a_conversation_per_thread(
    vault: Vault, tmp_path: Path
) -> None:
    folder = meta.facebook_folder(tmp_path / "facebook-joreed")
    result = one(vault, folder)
    assert result.format == "messenger" and len(result.conversations) == 2
    listing = stored(vault, result.item.id).decode("utf-8")
    assert result.item.kind is ItemKind.FILE and listing.startswith(LISTING_HEADER + "\n")
    files = [p for p in folder.rglob("*") if p.is_file()]
    for path in files:  # every file of the folder, with its size and SHA-256
        rel = path.relative_to(folder).as_posix()
        assert f"{sha(path.read_bytes())}\t{path.stat().st_size}\t{rel}\n" in listing
    assert result.item.sha256 == sha(listing.encode("utf-8"))
    kept = children_by_path(vault, result.item.id)
    for rel, child in kept.items():  # each file read is a child with its exact bytes
        assert stored(vault, child.id) == (folder / rel).read_bytes()
        assert child.kind is ItemKind.ATTACHMENT and child.parent_id == result.item.id
    assert "your_facebook_activity/messages/inbox/samcarter_1029384756/message_2.json" in kept
    skipped = {s["path"]: s["reason"] for s in result.facts["skipped"]}
    assert set(skipped) == {
        "start_here.html",
        "personal_information/profile_information/profile_information.json",
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json",
    }
    summary = vault.import_summary(result.item.id)
    assert summary is not None and summary["skipped_count"] == 3
    assert summary["conversations"] == [c.item.id for c in result.conversations]


def test_messenger_threads_read_in_time_order_with_mojibake_repaired_and_kept(
    vault: Vault, tmp_path: Path
) -> None:
    result = one(vault, meta.facebook_folder(tmp_path / "fb"))
    sam = conversation(result, "Sam Carter")
    assert sam.item.kind is ItemKind.IMPORT and sam.item.sha256 is None
    assert sam.item.parent_id == result.item.id
    shown = messages(vault, sam)
    assert [m["index"] for m in shown] == list(range(10))
    times = [m["sent_at_utc"] for m in shown]
    assert times == sorted(times) and times[0] == "2026-03-14T14:53:20Z"
    assert shown[1]["text"] == "Sure, what’s up?"
    assert shown[1]["text_raw"] == "Sure, whatâ\x80\x99s up?"  # as the file has it
    assert shown[2]["text"].endswith("😂😂\nDon’t bother coming in Monday.")
    assert shown[2]["extra"]["reactions"] == [{"reaction": "😢", "by": "Jo Reed"}]
    assert shown[8]["text"] == "לא אכפת לי — مع السلامة"
    assert shown[8]["extra"]["share"]["share_text"] == "Look what they’re saying"
    photo, video, voice = (
        shown[3]["attachments"][0],
        shown[4]["attachments"][0],
        shown[9]["attachments"][0],
    )
    assert photo["present"] and photo["name"] == "401_screenshot.jpg"
    assert stored(vault, photo["item_id"]).startswith(b"\xff\xd8\xff\xe0screenshot")
    assert not video["present"] and not video["omitted"]  # named, not in the download
    assert voice["present"]
    assert shown[5]["deleted"] and shown[5]["text"] == ""  # unsent
    assert shown[6]["is_system"] and shown[7]["is_system"]  # call events, 2024 style (no type)
    assert not shown[2]["is_system"]
    assert sam.facts["attachments_not_captured"] == 1
    assert any("referenced, not captured" in str(w) for w in sam.warnings)
    assert sam.item.metadata["conversation"]["participants"] == ["Sam Carter", "Jo Reed"]
    files = sam.item.metadata["conversation"]["files"]
    assert [f["path"].rsplit("/", 1)[-1] for f in files] == ["message_2.json", "message_1.json"]


def test_a_messenger_group_thread_has_its_events_and_reactions(
    vault: Vault, tmp_path: Path
) -> None:
    result = one(vault, meta.facebook_folder(tmp_path / "fb"))
    group = conversation(result, "Team Rota 🙄")
    shown = messages(vault, group)
    assert [m["is_system"] for m in shown] == [True, True, False, False, True]
    assert shown[0]["conversation"] == "Team Rota 🙄"
    assert shown[2]["text"] == "lol look who’s here" and len(shown[2]["extra"]["reactions"]) == 2
    sticker = shown[3]["attachments"][0]
    assert sticker["present"] and sticker["name"] == "39178562_1.png"
    assert (
        group.item.metadata["conversation"]["thread_path"] == "archived_threads/teamrota_5566778899"
    )


def test_the_zips_of_a_split_download_are_joined(vault: Vault, tmp_path: Path) -> None:
    folder = meta.facebook_folder(tmp_path / "fb")
    first, second = meta.facebook_parts(folder, tmp_path)
    result = one(vault, second, first)  # in any order
    assert len(result.conversations) == 2
    assert result.attachments_present == 3  # the media are in the other part
    listing = stored(vault, result.item.id).decode()
    for part in (first, second):
        assert f"{sha(part.read_bytes())}\t{part.stat().st_size}\t{part.name}\n" in listing
    parts = [c for c in vault.children(result.item.id) if c.metadata.get("download_part")]
    assert sorted(c.sha256 for c in parts) == sorted(sha(p.read_bytes()) for p in (first, second))
    photo = children_by_path(vault, result.item.id)[
        "your_facebook_activity/messages/inbox/samcarter_1029384756/photos/401_screenshot.jpg"
    ]
    assert photo.metadata["download_file"]["part"] == second.name


def test_one_zip_is_kept_as_it_is_and_its_members_read(vault: Vault, tmp_path: Path) -> None:
    folder = meta.facebook_folder(tmp_path / "fb")
    zipped = meta.zip_folder(folder, tmp_path / "facebook-joreed-2026.zip")
    result = one(vault, zipped)
    assert (
        result.item.sha256 == sha(zipped.read_bytes()) and result.item.original_name == zipped.name
    )
    assert sum(c.message_count for c in result.conversations) == 15


def test_messenger_secure_storage_is_real_utf8_oldest_first(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, meta.secure_folder(tmp_path / "secure"))
    (chat,) = result.conversations
    assert chat.format == "messenger-e2ee" and chat.item.original_name == "Sam Carter_2"
    shown = messages(vault, chat)
    assert shown[0]["text"].endswith("nobody can see what I say now 😏")
    assert shown[0]["text"] == shown[0]["text_raw"]  # nothing to repair, nothing "repaired"
    assert shown[1]["attachments"][0]["present"] and shown[2]["deleted"]
    assert shown[3]["text"] == "Please stop.\nI’ve kept everything."
    assert not shown[3]["attachments"][0]["present"]


# -- Instagram -----------------------------------------------------------------------------------


def test_instagram_direct_messages(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, meta.instagram_folder(tmp_path / "instagram-jo_reed_88-2026"))
    (chat,) = result.conversations
    assert chat.format == "instagram" and chat.item.original_name == "jordan 🌙"
    shown = messages(vault, chat)
    assert [m["sender"] for m in shown][:2] == ["jordan 🌙", "Jo Reed"]
    assert shown[2]["extra"]["share"]["original_content_owner"] == "gossip.page.2026"
    assert shown[3]["attachments"][0]["present"]
    assert shown[3]["extra"]["reactions"][0]["reaction"] == "😂"
    assert shown[4]["text"] == "Reacted 😢 to your message "  # kept verbatim, trailing space too


def test_old_instagram_messages_json(vault: Vault, tmp_path: Path) -> None:
    path = meta.write_json(
        tmp_path / "old" / "messages.json", meta.OLD_INSTAGRAM, meta_escapes=False
    )
    result = one(vault, path)
    first, second = result.conversations
    shown = messages(vault, first)
    assert [m["text"] for m in shown] == ["", "why are you doing this?", "nobody likes you"]
    assert shown[2]["sender_id"] == "jordan.nightly"
    assert shown[2]["sent_at"] == "2019-11-02T21:14:09.118000+00:00"
    assert messages(vault, second)[0]["sent_at_utc"] == "2019-10-01T07:00:00Z"


# -- Telegram ------------------------------------------------------------------------------------


def test_telegram_chat_export(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, others.telegram_chat(tmp_path))
    (chat,) = result.conversations
    shown = messages(vault, chat)
    assert chat.timezone is None  # every message has date_unixtime: instants, no zone asked
    assert shown[0]["sender_id"] == "user5012345678"
    assert shown[1]["text"] == "Everyone saw this → https://t.me/officegossip/77\nlol"
    assert shown[1]["edited"] and shown[1]["extra"]["edited_at"] == "2026-03-14T09:30:02+00:00"
    assert shown[2]["extra"]["reply_to"] == 102
    assert shown[3]["attachments"][0]["present"]
    assert shown[3]["extra"]["reactions"][0] == {
        "reaction": "😂", "by": "Tom Okafor", "by_id": "user7011122233", "at": "2026-03-14T09:32:00",
    }  # fmt: skip
    assert (
        shown[4]["attachments"][0]["omitted"]
        and shown[4]["extra"]["forwarded_from"] == "Office Gossip 🗞"
    )
    assert shown[5]["is_system"] and shown[5]["sender"] == "Jo Reed"
    assert shown[6]["sender"] is None and shown[6]["sender_id"] == "user9990001112"
    assert not shown[7]["attachments"][0]["present"]
    assert chat.facts["attachments_not_captured"] == 1 and chat.facts["attachments_omitted"] == 1


def test_telegram_full_export_is_one_conversation_per_chat(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, others.telegram_full(tmp_path) / "result.json")
    titles = [c.item.original_name for c in result.conversations]
    assert titles == ["Sam Carter", "Warehouse Night Shift 🌙", "deleted chat 4000000001"]
    group = messages(vault, result.conversations[1])
    assert group[1]["text"] == "@joreed nobody wants you on this shift"
    assert group[2]["is_system"] and "Jo Reed" in group[2]["text"]
    assert result.item.original_name == "result.json" and result.conversations[0].message_count == 8


def test_an_old_telegram_export_is_read_in_the_given_zone_by_file_order(
    vault: Vault, tmp_path: Path
) -> None:
    result = one(vault, others.telegram_old(tmp_path))
    (chat,) = result.conversations
    assert chat.timezone == "Europe/London" and result.timezone == "Europe/London"
    assert chat.item.metadata["import"]["timezone"] == "Europe/London"
    shown = messages(vault, chat)
    assert [m["sent_at_utc"] for m in shown] == [
        "2021-10-31T00:30:00Z", "2021-10-31T01:10:00Z", "2021-10-31T09:00:00Z",
    ]  # fmt: skip
    assert shown[0]["sent_at_local"] == "2021-10-31T01:30:00"
    assert chat.facts["repeated_hour_messages"] == 2


# -- Discord -------------------------------------------------------------------------------------


def test_discord_guild_channel(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, others.discord_channel(tmp_path / "dce"))
    (chat,) = result.conversations
    assert chat.item.original_name == "Northfield Warehouse #night-shift"
    shown = messages(vault, chat)
    assert shown[0]["is_system"] and shown[0]["text"] == "Joined the server."
    sam = shown[1]
    assert (sam["sender"], sam["sender_id"]) == ("Sam (Night Manager)", "302050872383242240")
    assert sam["extra"]["author"]["name"] == "samc_"
    assert sam["text"] == "@Jo lol who let you back in 🤡"
    assert sam["text_raw"].startswith("<@412345678901234567>")
    assert sam["sent_at"] == "2026-03-14T09:26:53.379000+03:00"
    assert sam["sent_at_utc"] == "2026-03-14T06:26:53.379000Z"
    assert sam["edited"] and sam["extra"]["edited_at"] == "2026-03-14T09:28:00+03:00"
    shot, pdf = sam["attachments"]
    assert shot["present"] and not pdf["present"]
    assert shown[2]["extra"]["reply_to"] == "1100000000000000011"
    assert shown[3]["is_system"]
    assert chat.item.metadata["conversation"]["channel_id"] == "1023456789012345678"


def test_discord_dm_single_file(vault: Vault, tmp_path: Path) -> None:
    path = others.discord_dm(tmp_path)
    result = one(vault, path)
    assert result.item.sha256 == sha(path.read_bytes()) and result.item.kind is ItemKind.FILE
    (chat,) = result.conversations
    assert chat.item.original_name == "samc_"
    assert messages(vault, chat)[0]["sent_at_utc"] == "2026-03-14T23:59:59.900000Z"


# -- Slack ---------------------------------------------------------------------------------------


def test_slack_workspace_folder_and_zip(vault: Vault, tmp_path: Path) -> None:
    workspace = others.slack_workspace(tmp_path)
    result = one(vault, workspace)
    titles = sorted(c.item.original_name for c in result.conversations)
    assert titles == ["#general", "DM Sam, Jo Reed"]
    general = messages(vault, conversation(result, "#general"))
    assert general[0]["is_system"] and general[0]["text"] == "@Jo Reed has joined the channel"
    sam = general[1]
    assert (sam["sender"], sam["sender_id"]) == ("Sam", "U01SAMC")
    assert sam["text"].startswith("Ask @Jo Reed & see if they can manage <basic> tasks")
    assert sam["text"].endswith("#general the rota (https://example.org/rota)")
    assert sam["text_raw"].startswith("Ask <@U02JOREED> &amp;")
    assert sam["edited"] and sam["extra"]["reactions"][0]["by"] == "Priya 🌸"
    assert general[2]["extra"]["reply_to"] == "1773480413.000200"
    assert general[3]["sender"] == "RotaBot" and not general[3]["is_system"]
    assert not general[4]["attachments"][0]["present"]  # Slack exports never hold the files
    assert general[5]["deleted"]
    assert {s["path"] for s in result.facts["skipped"]} == {"integration_logs.json"}
    zipped = meta.zip_folder(workspace, tmp_path / "Northfield Slack export.zip", prefix="")
    again = one(vault, zipped)
    assert [c.message_count for c in again.conversations] == [
        c.message_count for c in result.conversations
    ]


# -- X -------------------------------------------------------------------------------------------


def test_x_archive_direct_messages(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, others.x_archive(tmp_path))
    assert result.format == "x"
    one_to_one = next(c for c in result.conversations if "and" in (c.item.original_name or ""))
    shown = messages(vault, one_to_one)
    assert [m["sent_at_utc"] for m in shown] == sorted(m["sent_at_utc"] for m in shown)
    assert shown[0]["text"] == "everyone is reading this https://example.org/gossip/jo"
    assert shown[0]["text_raw"] == "everyone is reading this https://t.co/Ab12Cd34"
    assert shown[0]["sender_id"] == "1500000000000000001" and shown[0]["sender"] is None
    assert shown[1]["sender"] == "Jo Reed (@jo_reed_88)"
    assert shown[0]["attachments"][0]["present"]
    group = next(c for c in result.conversations if c is not one_to_one)
    events = messages(vault, group)
    assert [m["is_system"] for m in events] == [True, True, True, False]
    assert {s["path"] for s in result.facts["skipped"]} >= {"data/tweets.js", "data/manifest.js"}


# -- iMessage and Signal -------------------------------------------------------------------------


def test_imessage_exporter_txt_folder(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, texts.imessage_folder(tmp_path))
    sam = conversation(result, "+447700900123")
    assert sam.timezone == "Europe/London"
    shown = messages(vault, sam)
    assert shown[0]["extra"]["read_receipt"].startswith("Read by you")
    assert (
        shown[1]["sender"] == "Me"
        and shown[1]["text"] == "Please stop texting me.\nI've told my manager."
    )
    assert shown[2]["text"] == "go on then, see what happens" and shown[2]["edited"]
    assert "Oct 24, 2026  9:07:02 PM go on then" in shown[2]["text_raw"]
    assert shown[2]["extra"]["reactions"] == [{"reaction": "Laughed at", "by": "Me"}]
    # 01:35 and 01:58 are the first pass of the repeated hour, 01:07 the second
    assert [m["sent_at_utc"] for m in shown[3:6]] == [
        "2026-10-25T00:35:00Z", "2026-10-25T00:58:00Z", "2026-10-25T01:07:00Z",
    ]  # fmt: skip
    assert not shown[3]["attachments"][0]["present"] and shown[4]["attachments"][0]["present"]
    assert shown[5]["extra"]["reply_to"]
    assert shown[6]["is_system"] and shown[6]["text"].endswith("renamed the conversation to Sam 🚫")
    assert shown[7]["deleted"] and shown[8]["text"] == "مع السلامة"
    assert shown[0]["sender_id"] == "+447700900123"
    assert {s["path"] for s in result.facts["skipped"]} == {"notes.txt"}


def test_signal_export_markdown(vault: Vault, tmp_path: Path) -> None:
    result = one(vault, texts.signal_folder(tmp_path), tz="Europe/Berlin")
    (chat,) = result.conversations
    assert chat.item.original_name == "Sam Carter" and chat.timezone == "Europe/Berlin"
    shown = messages(vault, chat)
    assert shown[0]["sent_at_utc"] == "2026-03-14T08:26:53Z"
    assert shown[1]["text"] == "you really thought nobody would find out?\n\n  still there?"
    assert (
        shown[2]["text"] == "Leave me alone."
        and shown[2]["extra"]["reactions"][0]["reaction"] == "😂"
    )
    assert shown[3]["attachments"][0]["present"] and not shown[4]["attachments"][0]["present"]
    assert shown[5]["text"] == "or what? 😈" and shown[5]["extra"]["quoted"] == "Leave me alone."
    assert shown[6]["deleted"] and shown[7]["sender_id"] == "+447700900999"


@pytest.mark.parametrize("maker", [meta.facebook_folder, texts.imessage_folder])
def test_a_download_imported_twice_is_kept_twice_but_its_bytes_once(
    vault: Vault, tmp_path: Path, maker: Any
) -> None:
    folder = maker(tmp_path / "d")
    one(vault, folder)
    blobs = vault.conn.execute("SELECT count(*) FROM blobs").fetchone()[0]
    one(vault, folder)
    assert vault.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == blobs


def test_an_older_facebook_layout_with_message_types(vault: Vault, tmp_path: Path) -> None:
    """2018–2022 downloads: `messages/inbox/…` at the root, and a `type` on every message."""
    old = [
        {"sender_name": "Priya Shah", "timestamp_ms": meta.T0, "type": "Subscribe",
         "users": [{"name": "Jo Reed"}], "content": "Priya Shah added Jo Reed to the group."},
        {"sender_name": "Tom Okafor", "timestamp_ms": meta.T0 + 1000, "type": "Generic",
         "content": "Jo Reed named the group as a joke"},  # words of an event, but a message
        {"sender_name": "Tom Okafor", "timestamp_ms": meta.T0 + 2000, "type": "Call", "call_duration": 65,
         "content": "Tom Okafor started a call."},
        {"sender_name": "Tom Okafor", "timestamp_ms": meta.T0 + 3000, "type": "Share",
         "share": {"link": "https://example.org/meme"}, "content": "https://example.org/meme"},
    ]  # fmt: skip
    root = tmp_path / "facebook-joreed-2020"
    doc = meta.thread_doc(
        "Shift Swap", ["Priya Shah", "Tom Okafor", "Jo Reed"], old, "inbox/shiftswap_42"
    )
    doc["thread_type"] = "RegularGroup"
    meta.write_json(root / "messages" / "inbox" / "shiftswap_42" / "message_1.json", doc)
    result = one(vault, meta.zip_folder(root, tmp_path / "facebook-joreed-2020.zip"))
    shown = messages(vault, conversation(result, "Shift Swap"))
    assert [m["is_system"] for m in shown] == [True, False, True, False]
    assert shown[0]["extra"]["users"] == ["Jo Reed"] and shown[2]["extra"]["call_duration"] == 65
    assert shown[3]["extra"]["share"]["link"] == "https://example.org/meme"


def test_a_partitioned_discord_export_is_one_conversation(vault: Vault, tmp_path: Path) -> None:
    folder = others.discord_channel(tmp_path / "dce")
    whole = next(folder.glob("*.json"))
    data = json.loads(whole.read_text("utf-8"))
    first, second = dict(data), dict(data)
    first["messages"], second["messages"] = data["messages"][:2], data["messages"][2:]
    whole.unlink()
    stem = whole.name[: -len(".json")]
    (folder / f"{stem} [part 1].json").write_text(json.dumps(first), "utf-8")
    (folder / f"{stem} [part 2].json").write_text(json.dumps(second), "utf-8")
    result = one(vault, folder)
    (chat,) = result.conversations
    assert [m["index"] for m in messages(vault, chat)] == [0, 1, 2, 3]
    assert [f["path"][-13:] for f in chat.item.metadata["conversation"]["files"]] == [
        "[part 1].json", "[part 2].json",
    ]  # fmt: skip
