"""WhatsApp imports on realistic (fictional) samples of every variant, through the vault and the CLI."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.errors import ImportFailed
from evidence_kit.importers import import_file
from evidence_kit.vault import Vault

DATA = Path(__file__).parent / "data" / "whatsapp"


def sample(name: str) -> Path:
    return DATA / f"WhatsApp Chat with {name}.txt"


def ios_zip(folder: Path, *, leave_out: tuple[str, ...] = ()) -> Path:
    path = folder / "WhatsApp Chat - Netball Club.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted((DATA / "ios_group").iterdir()):
            if member.name not in leave_out:
                archive.write(member, member.name)
    return path


def imported(vault: Vault, path: Path, **options: Any) -> tuple[Any, list[dict[str, Any]]]:
    result = import_file(vault, path, tz=options.pop("tz", "Europe/London"), **options)
    return result, list(vault.messages(result.item.id))


def test_android_en_gb_keeps_the_original_and_reads_every_kind_of_line(vault: Vault) -> None:
    path = sample("Sam Carter")
    result, messages = imported(vault, path)
    assert result.item.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert b"".join(vault.content(result.item.id)) == path.read_bytes()
    assert result.format == "whatsapp" and result.timezone == "Europe/London"
    assert result.message_count == len(messages) == 15
    assert result.system_message_count == 2
    assert [m["index"] for m in messages] == list(range(15))
    assert {m["conversation"] for m in messages} == {"Sam Carter"}
    notice, first = messages[0], messages[1]
    assert notice["is_system"] and notice["sender"] is None
    assert notice["text"].startswith("Messages and calls are end-to-end encrypted.")
    assert first["sender"] == "Sam Carter"
    assert first["sent_at"] == "2026-10-20T18:02:00+01:00"
    assert first["sent_at_utc"] == "2026-10-20T17:02:00Z"
    assert first["sent_at_local"] == "2026-10-20T18:02:00"
    multi = messages[3]
    assert multi["text"] == (
        "You're pathetic.\nEveryone at work knows what you are.\n"
        "12/10/2026 - 14:05 - this line looks like a date but belongs to the message above"
    )
    assert messages[4]["attachments"] == [
        {"name": "Media", "omitted": True, "present": False, "item_id": None, "sha256": None}
    ]
    assert messages[5]["deleted"] and not messages[5]["edited"]
    assert messages[6]["edited"] and messages[6]["text"].startswith("Please stop messaging me.")
    assert messages[8]["text"] == "null"
    assert (
        messages[9]["text"].splitlines()[0] == "POLL:"
        and len(messages[9]["text"].splitlines()) == 4
    )
    assert messages[14]["is_system"] and messages[14]["text"].startswith("You blocked this contact")


def test_the_repeated_autumn_hour_is_resolved_by_file_order(vault: Vault) -> None:
    result, messages = imported(vault, sample("Sam Carter"))
    night = [
        m for m in messages if m["sent_at_local"] and m["sent_at_local"].startswith("2026-10-25T01")
    ]
    assert [m["sent_at"] for m in night] == [
        "2026-10-25T01:35:00+01:00",
        "2026-10-25T01:58:00+01:00",
        "2026-10-25T01:07:00+00:00",  # the second 01:xx: after the clocks went back
        "2026-10-25T01:40:00+00:00",
    ]
    utc = [m["sent_at_utc"] for m in night]
    assert utc == sorted(utc)
    assert result.facts["repeated_hour_messages"] == 4
    assert any("clocks went back" in str(w) for w in result.warnings)


def test_a_time_inside_the_spring_forward_gap_is_flagged_and_damage_is_kept(vault: Vault) -> None:
    result, messages = imported(vault, sample("Casey Moss"))
    assert len(messages) == 5
    by_line = {w.line: w.text for w in result.warnings}
    assert "never happened in Europe/London" in by_line[2]
    assert messages[1]["extra"]["time_flag"] == "nonexistent"
    assert (
        "not valid UTF-8" in by_line[3]
        and messages[2]["text"] == "caf\ufffd copied from an old editor"
    )
    assert "do not exist" in by_line[4]
    assert messages[3]["sent_at"] is None and messages[3]["text"] == "the 31st of February"
    assert messages[3]["extra"]["time_as_printed"] == "31/02/2026, 10:00"
    assert messages[4]["text"].startswith("stop it ")
    assert any("does not end with a line break" in str(w) for w in result.warnings)
    assert result.facts["undated_messages"] == 1


def test_android_en_us_12h_group_with_narrow_no_break_spaces(vault: Vault) -> None:
    result, messages = imported(vault, sample("Project Team"), tz="America/New_York")
    assert result.facts["date_order"] == "mdy" and not result.facts["date_order_ambiguous"]
    assert result.system_message_count == 5
    assert messages[1]["text"] == 'Dana Wu created group "Project Team"'
    assert messages[3]["sent_at"] == "2026-11-14T09:05:00-05:00"
    midnight = messages[4]
    assert midnight["sent_at_local"] == "2026-11-15T00:05:00"  # 12:05 AM
    assert midnight["sender"] == "+1 (555) 010-4477" and midnight["sender_id"] == "+15550104477"
    assert messages[5]["sent_at_local"] == "2026-11-15T12:30:00"  # 12:30 PM
    assert messages[6]["text"] == "Nobody wants you on this team, Dana.\nJust leave."
    assert messages[7]["is_system"] and messages[7]["sender"] is None
    assert messages[8] == messages[8] | {"is_system": True, "text": "Dana Wu left"}


def test_month_first_is_read_from_chronology_when_no_day_is_over_12(vault: Vault) -> None:
    result, messages = imported(vault, sample("Lee Park"))
    assert result.facts["date_order"] == "mdy"
    assert [m["sent_at_local"][:10] for m in messages] == [
        "2026-01-09",
        "2026-01-10",
        "2026-02-01",
        "2026-02-03",
    ]
    forced, messages = imported(vault, sample("Lee Park"), date_order="dmy")
    assert forced.facts["date_order"] == "dmy"
    assert messages[0]["sent_at_local"][:10] == "2026-09-01"


def test_an_ambiguous_order_is_reported(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Jess.txt"
    path.write_text("3/4/26, 10:00 - Jess: hi\n3/4/26, 10:05 - Rob: hello\n", "utf-8")
    result, messages = imported(vault, path)
    assert result.facts["date_order_ambiguous"] is True
    assert result.facts["date_order"] == "dmy"  # Europe/London reads day first
    assert any("--date-order mdy" in str(w) for w in result.warnings)
    us, messages = imported(vault, path, tz="America/Chicago")
    assert us.facts["date_order"] == "mdy" and messages[0]["sent_at_local"] == "2026-03-04T10:00:00"


def test_android_german_with_attached_file_and_caption(vault: Vault) -> None:
    result, messages = imported(vault, DATA / "WhatsApp-Chat mit Kim Vogel.txt", tz="Europe/Berlin")
    assert messages[0]["is_system"] and "Mehr\u00a0erfahren" in messages[0]["text"]
    photo = messages[1]
    assert photo["attachments"] == [
        {
            "name": "IMG-20261103-WA0007.jpg",
            "omitted": False,
            "present": False,  # a .txt export carries no media: referenced, not captured
            "item_id": None,
            "sha256": None,
        }
    ]
    assert photo["text"] == "IMG-20261103-WA0007.jpg (Datei angehängt)\nDas bist du auf dem Foto 😂"
    assert photo["text_raw"].startswith("\u200e")
    assert messages[2]["attachments"][0]["omitted"] is True
    assert messages[3]["deleted"] is True
    assert messages[1]["sent_at"] == "2026-11-03T21:16:00+01:00"
    assert result.facts["attachments_not_captured"] == 1


def test_ios_zip_keeps_named_files_records_missing_ones_and_events(
    vault: Vault, tmp_path: Path
) -> None:
    path = ios_zip(tmp_path)
    result, messages = imported(vault, path)
    assert result.message_count == 12 and result.system_message_count == 4
    assert result.attachment_count == 4 and result.attachments_present == 2
    events = [m for m in messages if m["is_system"]]
    assert all(m["sender"] is None for m in events)  # "Netball Club" is not a participant
    assert {m["sender"] for m in messages} == {None, "Priya Shah", "~\u00a0Tom", "+44 7700 900123"}
    photo = messages[4]["attachments"][0]
    data = (DATA / "ios_group" / "00000004-PHOTO-2026-10-24-19-06-02.jpg").read_bytes()
    assert photo["present"] and photo["sha256"] == hashlib.sha256(data).hexdigest()
    child = vault.item(photo["item_id"])
    assert child.kind.value == "attachment" and child.parent_id == result.item.id
    assert b"".join(vault.content(child.id)) == data
    assert [c.id for c in vault.children(result.item.id)] == sorted(
        {photo["item_id"], messages[8]["attachments"][0]["item_id"]}
    )
    missing = messages[6]["attachments"][0]
    assert missing == {
        "name": "00000006-PHOTO-2026-10-24-19-07-01.jpg",
        "omitted": False,
        "present": False,
        "item_id": None,
        "sha256": None,
    }
    assert any(w.line == 7 and "not in the zip" in w.text for w in result.warnings)
    assert result.facts["attachments_not_captured"] == 1
    assert result.facts["files_in_zip_not_named"] == 0
    assert messages[7]["attachments"][0]["omitted"] and messages[7]["sender_id"] == "+447700900123"
    assert messages[9]["edited"] and messages[10]["deleted"]
    assert messages[3]["text_raw"] == "Who invited Tom?"  # CRLF gone, nothing else touched
    assert messages[4]["text"] == "<attached: 00000004-PHOTO-2026-10-24-19-06-02.jpg>"
    assert messages[4]["text_raw"] == "\u200e" + messages[4]["text"]


def test_ios_1to1_encryption_notice_is_not_a_message_from_the_contact(vault: Vault) -> None:
    _result, messages = imported(vault, sample("Riley Quinn"))
    assert messages[0]["is_system"] and messages[0]["sender"] is None
    assert messages[1]["sender"] == "Riley Quinn" and not messages[1]["is_system"]
    assert messages[0]["sent_at_local"] == "2026-11-24T22:15:03"
    assert messages[3]["sender"] == "Riley Quinn" and messages[3]["text"].startswith("Missed voice")
    assert messages[4]["attachments"][0] == messages[4]["attachments"][0] | {
        "name": "sticker",
        "omitted": True,
    }


@pytest.mark.parametrize(
    ("name", "tz", "first_local", "sender", "text"),
    [
        ("Ana Ruiz", "Europe/Madrid", "2026-06-23T13:55:00", "Ana Ruiz", "¿Por qué le contaste a todos?"),
        ("Eero Virtanen", "Europe/Helsinki", "2026-06-13T21:25:00", "Eero Virtanen", "Miksi kerroit kaikille?"),
        ("Ivana Horvat", "Europe/Zagreb", "2026-06-13T21:25:15", "Ivana Horvat", "Zašto si svima rekla?"),
        ("Wei Chen", "Asia/Shanghai", "2026-07-09T14:28:00", "Wei Chen", "你为什么告诉大家？"),
        ("Minji Kim", "Asia/Seoul", "2026-01-05T15:25:00", "Minji Kim", "왜 모두에게 말했어?"),
        ("Old Phone", "Europe/London", "2026-03-14T10:00:00", "Pat Doyle", "line one\ncontinued"),
    ],
)  # fmt: skip
def test_locale_forms(
    vault: Vault, name: str, tz: str, first_local: str, sender: str, text: str
) -> None:
    result, messages = imported(vault, sample(name), tz=tz)
    assert messages[0]["sent_at_local"] == first_local
    assert messages[0]["sender"] == sender and messages[0]["text"] == text
    assert len(messages) == result.message_count >= 2
    assert result.timezone == tz and not result.warnings


def test_spanish_midnight_and_a_forced_order(vault: Vault) -> None:
    _, messages = imported(vault, sample("Ana Ruiz"), tz="Europe/Madrid")
    assert messages[2]["sent_at_local"] == "2026-06-24T00:10:00"  # 12:10 a. m.


def test_a_file_that_is_not_a_chat_is_refused_and_nothing_is_kept(vault: Vault) -> None:
    before = len(vault.custody_events())
    with pytest.raises(ImportFailed, match="not a chat or e-mail export"):
        import_file(vault, DATA / "not_a_chat.txt", tz="Europe/London")
    with pytest.raises(ImportFailed, match="not a WhatsApp chat export"):
        import_file(vault, DATA / "not_a_chat.txt", format_name="whatsapp", tz="Europe/London")
    assert vault.items() == [] and len(vault.custody_events()) == before


def test_cli_import_json_messages_and_search(cli: Any, tmp_path: Path) -> None:
    result = cli(
        "import", str(sample("Sam Carter")), str(ios_zip(tmp_path)), "--tz", "Europe/London",
        "--case", "Work", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    for key in (
        "item_id", "sha256", "format", "message_count", "system_message_count",
        "attachment_count", "timezone", "warnings",
    ):  # fmt: skip
        assert key in first
    assert first["format"] == "whatsapp" and first["message_count"] == 15
    assert first["system_message_count"] == 2 and first["attachment_count"] == 1
    assert first["timezone"] == "Europe/London" and isinstance(first["warnings"], list)
    assert first["sha256"] == hashlib.sha256(sample("Sam Carter").read_bytes()).hexdigest()
    assert second["attachment_count"] == 4

    shown = cli("messages", str(first["item_id"]), "--json")
    assert shown.exit_code == 0, shown.output
    lines = [json.loads(line) for line in shown.stdout.splitlines()]
    assert len(lines) == 15 and [m["index"] for m in lines] == list(range(15))
    assert set(lines[0]) == {
        "index", "conversation", "sender", "sender_id", "is_system", "sent_at", "sent_at_utc",
        "sent_at_local", "text", "text_raw", "edited", "deleted", "attachments",
    }  # fmt: skip
    assert set(lines[4]["attachments"][0]) == {"name", "omitted", "present", "item_id", "sha256"}

    plain = cli("messages", str(first["item_id"]))
    assert "Sam Carter: Why did you tell everyone" in plain.stdout
    assert "(omitted from the export)" in plain.stdout

    found = cli("search", "pathetic", "--json")
    hits = json.loads(found.stdout)
    assert [(h["kind"], h["item_id"]) for h in hits] == [("message", first["item_id"])]
    assert "[pathetic]" in hits[0]["snippet"]
    assert "Nothing found." in cli("search", "zebra").stdout
    assert "pathetic" in cli("search", "Pathetic").stdout


def test_cli_errors_are_plain(cli: Any, tmp_path: Path) -> None:
    refused = cli("import", str(DATA / "not_a_chat.txt"))
    assert refused.exit_code != 0 and "Error:" in refused.stderr
    assert "evidence-kit add" in refused.stderr and "Traceback" not in refused.stderr
    zone = cli("import", str(sample("Lee Park")), "--tz", "Mars/Olympus")
    assert zone.exit_code != 0 and "is not a time zone" in zone.stderr
    mixed = cli("import", str(sample("Lee Park")), str(DATA / "not_a_chat.txt"), "--json")
    assert mixed.exit_code != 0 and "1 of 2 files could not be imported" in mixed.stderr
    assert json.loads(mixed.stdout.splitlines()[0])["message_count"] == 4
    assert cli("messages", "999").exit_code != 0


def test_android_zip_in_a_folder_keeps_the_photo(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Kim Vogel.zip"
    photo = b"\xff\xd8\xff\xe0" + bytes(200) + b"\xff\xd9"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(
            DATA / "WhatsApp-Chat mit Kim Vogel.txt", "Kim/WhatsApp-Chat mit Kim Vogel.txt"
        )
        archive.writestr("Kim/IMG-20261103-WA0007.jpg", photo)
        archive.writestr("Kim/IMG-20261103-WA0099.jpg", b"\xff\xd8\xff unnamed")
    result, messages = imported(vault, path, tz="Europe/Berlin")
    ref = messages[1]["attachments"][0]
    assert ref["present"] and ref["sha256"] == hashlib.sha256(photo).hexdigest()
    assert messages[0]["conversation"] == "Kim Vogel"
    assert result.facts["attachments_not_captured"] == 0
    assert result.facts["files_in_zip_not_named"] == 1
    assert not result.warnings


def test_text_before_the_first_message_is_kept(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("Exported by hand\n\n24/11/2026, 10:15 - Alice: hi\n", "utf-8")
    result, messages = imported(vault, path, format_name="whatsapp")
    assert messages[0]["text"] == "Exported by hand\n" and messages[0]["is_system"]  # blank kept
    assert messages[0]["sent_at"] is None
    assert [w.line for w in result.warnings] == [1]
    assert messages[1]["sender"] == "Alice"


def test_direction_marks_around_a_number_are_kept_raw_only(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Unknown.txt"
    path.write_text(
        "24/11/2026, 10:15 - \u202a+44 7700 900123\u202c: who is \u2068Sam\u2069?\n", "utf-8"
    )
    _, messages = imported(vault, path)
    assert messages[0]["sender"] == "+44 7700 900123"
    assert messages[0]["sender_id"] == "+447700900123"
    assert messages[0]["text"] == "who is Sam?"
    assert messages[0]["text_raw"] == "who is \u2068Sam\u2069?"
