"""`evidence-kit import` with folders and several zips; `messages` and `search` on what came in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evidence_kit.importers import import_file
from evidence_kit.importers.run import detect, read_source
from evidence_kit.vault import Vault
from tests.importers.downloads import meta, others, texts

IMPORT_KEYS = {"item_id", "sha256", "format", "message_count", "system_message_count",
               "attachment_count", "timezone", "warnings"}  # fmt: skip
MESSAGE_KEYS = {"index", "conversation", "sender", "sender_id", "is_system", "sent_at",
                "sent_at_utc", "sent_at_local", "text", "text_raw", "edited", "deleted",
                "attachments"}  # fmt: skip


def test_import_takes_a_folder_two_zip_parts_and_a_file_at_once(cli: Any, tmp_path: Path) -> None:
    first, second = meta.facebook_parts(meta.facebook_folder(tmp_path / "fb"), tmp_path)
    imessage = texts.imessage_folder(tmp_path / "im")
    dm = others.discord_dm(tmp_path / "dm")
    done = cli("import", str(imessage), str(first), str(dm), str(second), "--tz", "Europe/London",
               "--json")  # fmt: skip
    assert done.exit_code == 0, done.output
    lines = [json.loads(line) for line in done.stdout.split("\n") if line]
    assert [line["format"] for line in lines] == [
        "imessage",
        "imessage",
        "messenger",
        "messenger",
        "discord",
    ]
    for line in lines:
        assert set(line) >= IMPORT_KEYS and line["sha256"] is None  # a conversation has no bytes
        assert line["download"]["item_id"] and line["download"]["sha256"]
    sam = next(line for line in lines if line["conversation"] == "Sam Carter")
    assert sam["message_count"] == 10 and sam["attachments_present"] == 2
    assert sam["download"]["original_name"].endswith("(listing of 2 parts).txt")
    imessage_line = next(line for line in lines if line["conversation"] == "+447700900123")
    assert imessage_line["timezone"] == "Europe/London"

    shown = cli("messages", str(sam["item_id"]), "--json")
    rows = [json.loads(line) for line in shown.stdout.split("\n") if line]
    assert len(rows) == 10 and set(rows[0]) == MESSAGE_KEYS  # the contract of the first importers
    plain = cli("messages", str(sam["item_id"])).stdout
    assert "Sam Carter: Everyone knows what you did at the meeting 😂😂" in plain
    assert "📎 402_clip.mp4 (referenced, not captured)" in plain
    assert "reactions: 😢 Jo Reed" in plain
    refused = cli("messages", str(sam["download"]["item_id"]))
    assert refused.exit_code != 0 and "not an imported export" in refused.stderr

    found = cli("search", "bother")
    assert found.exit_code == 0 and f"item {sam['item_id']:>4}" in found.stdout
    assert "Sam Carter: Everyone knows" in found.stdout


def test_plain_output_says_what_a_download_kept_and_skipped(cli: Any, tmp_path: Path) -> None:
    done = cli("import", str(others.slack_workspace(tmp_path)), "--tz", "UTC")
    assert done.exit_code == 0, done.output
    assert "Slack workspace export" in done.stdout
    assert "2 conversations, " in done.stdout and "1 skipped" in done.stdout
    assert "Conversation item" in done.stdout and "#general" in done.stdout
    download_id = done.stdout.split("Imported item ", 1)[1].split(":", 1)[0]
    shown = json.loads(cli("show", download_id, "--json").stdout)
    assert shown["import_summary"]["skipped"] == [
        {"path": "integration_logs.json", "size": 15, "reason": "not part of a conversation"}
    ]
    assert "import summary:" in cli("show", download_id).stdout


def test_a_batch_with_a_bad_path_says_which_and_keeps_the_rest(cli: Any, tmp_path: Path) -> None:
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 holiday")
    done = cli("import", str(bad), str(others.discord_dm(tmp_path / "dm")), "--json")
    assert done.exit_code != 0 and f"1 of 2 files could not be imported: {bad}." in done.stderr
    assert json.loads(done.stdout.splitlines()[0])["format"] == "discord"
    assert "Traceback" not in done.stderr


def test_one_file_of_a_new_format_goes_through_import_file_too(
    vault: Vault, tmp_path: Path
) -> None:
    """The GUI's one-file path: detection names the format, import_file gives the download."""
    path = others.discord_dm(tmp_path)
    importer = detect(read_source(path))
    assert importer.name == "discord" and not importer.zone_free
    result = import_file(vault, path, format_name=importer.name, tz="UTC")
    assert result.item.original_name == path.name and result.message_count == 1
    assert result.as_dict()["conversations"][0]["message_count"] == 1
