"""The importer framework: detection from content, honest time, all-or-nothing for every importer."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from evidence_kit.errors import Cancelled, EvidenceKitError, ImportFailed
from evidence_kit.importers import import_file, registry, timeparse
from evidence_kit.model import AttachmentRef, Message
from evidence_kit.vault import Vault
from evidence_kit.vault.message_codec import record_from_row, row_from_message
from tests.importers.msgwriter import outlook_message

DATA = Path(__file__).parent / "data"
WHATSAPP = DATA / "whatsapp" / "WhatsApp Chat with Sam Carter.txt"

# A valid sample per importer (the e-mail and SMS importers' own tests have the full sets);
# used to fail an import half-way through and check that nothing is left behind.
VALID: dict[str, bytes] = {
    "whatsapp": WHATSAPP.read_bytes(),
    "eml": (
        b"From: Sam Carter <sam@example.org>\r\nTo: Jo Reed <jo@example.org>\r\n"
        b"Subject: meeting\r\nDate: Tue, 20 Oct 2026 18:02:00 +0100\r\n"
        b"Message-ID: <1@example.org>\r\n\r\nWhy did you tell everyone?\r\n"
    ),
    "mbox": (
        b"From sam@example.org Tue Oct 20 18:02:00 2026\nFrom: sam@example.org\n"
        b"Subject: one\nDate: Tue, 20 Oct 2026 18:02:00 +0100\n\nfirst\n\n"
        b"From sam@example.org Tue Oct 20 18:03:00 2026\nFrom: sam@example.org\n"
        b"Subject: two\nDate: Tue, 20 Oct 2026 18:03:00 +0100\n\nsecond\n"
    ),
    "sms-backup": (
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        b'<smses count="2"><sms protocol="0" address="+447700900123" date="1792515720000" '
        b'type="1" body="first" readable_date="" contact_name="Sam Carter" />'
        b'<sms protocol="0" address="+447700900123" date="1792515780000" type="2" '
        b'body="second" readable_date="" contact_name="Sam Carter" /></smses>\n'
    ),
    "msg": outlook_message(
        subject="meeting",
        sender_name="Sam Carter",
        sender_address="sam@example.org",
        body="Why did you tell everyone?",
        to=[("Jo Reed", "jo@example.org")],
        sent=datetime(2026, 10, 20, 17, 2, tzinfo=UTC),
        attachments=[("note.txt", b"see you at the meeting", "text/plain")],
    ),
}
# Not the format at all, forced with --format: every importer must refuse it cleanly.
BROKEN = b"\x00\x01 this is not any export format \xff\xfe\n" * 50


def snapshot(vault: Vault) -> dict[str, int]:
    tables = ("items", "blobs", "chunks", "messages", "imports", "custody", "cases")
    counts = {t: int(vault.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
    counts["search"] = int(vault.conn.execute("SELECT count(*) FROM search_index").fetchone()[0])
    return counts


@pytest.fixture(params=registry.names())
def importer_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_broken_file_forced_into_any_importer_leaves_nothing(
    vault: Vault, tmp_path: Path, importer_name: str
) -> None:
    path = tmp_path / "broken.bin"
    path.write_bytes(BROKEN)
    before = snapshot(vault)
    with pytest.raises(EvidenceKitError):
        import_file(vault, path, format_name=importer_name, tz="Europe/London", case="New case")
    assert snapshot(vault) == before


def test_a_failure_half_way_through_any_importer_leaves_nothing(
    vault: Vault, tmp_path: Path, importer_name: str
) -> None:
    assert importer_name in VALID, f"add a valid {importer_name} sample to VALID"
    path = tmp_path / f"sample.{importer_name}"
    path.write_bytes(VALID[importer_name])
    before = snapshot(vault)
    calls = {"n": 0}

    def cancel_after_storing() -> bool:  # the original is stored before parsing starts
        calls["n"] += 1
        return vault.conn.execute("SELECT count(*) FROM items").fetchone()[0] > before["items"]

    with pytest.raises(Cancelled):
        import_file(
            vault, path, format_name=importer_name, tz="Europe/London", case="New case",
            cancel=cancel_after_storing,
        )  # fmt: skip
    assert calls["n"] > 0
    assert snapshot(vault) == before
    done = import_file(vault, path, format_name=importer_name, tz="Europe/London")
    assert done.message_count >= 1 and snapshot(vault)["items"] > before["items"]


def test_detection_reads_content_not_the_file_name(vault: Vault, tmp_path: Path) -> None:
    renamed = tmp_path / "notes.dat"
    shutil.copy(WHATSAPP, renamed)
    assert import_file(vault, renamed, tz="Europe/London").format == "whatsapp"
    disguised = tmp_path / "WhatsApp Chat with Nobody.txt"
    disguised.write_text("Shopping list\n- milk\n- bread\n", "utf-8")
    with pytest.raises(ImportFailed, match=r"evidence-kit add|not a chat"):
        import_file(vault, disguised, tz="Europe/London")


def test_unknown_format_zone_and_order_are_refused_before_anything_is_kept(vault: Vault) -> None:
    before = snapshot(vault)
    with pytest.raises(ImportFailed, match="Unknown format"):
        import_file(vault, WHATSAPP, format_name="telegraph")
    with pytest.raises(ImportFailed, match="not a time zone"):
        import_file(vault, WHATSAPP, tz="Nowhere/Special")
    with pytest.raises(ImportFailed, match="Unknown date order"):
        import_file(vault, WHATSAPP, date_order="ddmm")
    assert snapshot(vault) == before


def test_progress_reaches_the_end(vault: Vault) -> None:
    seen: list[tuple[int, int | None]] = []
    import_file(vault, WHATSAPP, tz="Europe/London", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (1, 1)
    assert all(done <= (total or done) for done, total in seen)


def test_a_message_reads_back_from_its_row_as_its_record() -> None:
    zone = ZoneInfo("Europe/London")
    message = Message(
        index=3, sender="Sam", text="hi", text_raw="\u200ehi", sent_at=datetime(2026, 10, 25, 1, 7, fold=1, tzinfo=zone),
        sent_at_local="2026-10-25T01:07:00", attachments=[AttachmentRef("a.jpg", present=False)],
        extra={"time_flag": "repeated"},
    )  # fmt: skip
    row = row_from_message(message)
    assert row.text == "hi" and row.text_raw == "\u200ehi" and row.idx == 3
    expected = message.as_dict()
    assert record_from_row(tuple(row)) == expected
    assert list(expected)[-1] == "index" and expected["index"] == 3
    assert expected["sent_at_utc"] == "2026-10-25T01:07:00Z"
    assert expected["sent_at"] == "2026-10-25T01:07:00+00:00"


# --- time -------------------------------------------------------------------------------------


def test_wall_clock_fall_back_by_file_order() -> None:
    clock = timeparse.WallClock(ZoneInfo("Europe/London"))
    times = [(0, 50), (1, 35), (1, 58), (1, 7), (1, 40), (2, 5)]
    results = [clock.aware(datetime(2026, 10, 25, h, m)) for h, m in times]
    utc = [moment.astimezone(UTC).strftime("%H:%M") for moment, _ in results]
    assert utc == ["23:50", "00:35", "00:58", "01:07", "01:40", "02:05"]
    assert [flag for _, flag in results] == [
        None,
        "repeated",
        "repeated",
        "repeated",
        "repeated",
        None,
    ]


def test_wall_clock_spring_forward_gap_is_flagged() -> None:
    clock = timeparse.WallClock(ZoneInfo("America/New_York"))
    _, flag = clock.aware(datetime(2026, 3, 8, 2, 30))
    assert flag == timeparse.NONEXISTENT
    moment, flag = clock.aware(datetime(2026, 3, 8, 3, 30))
    assert flag is None and moment.utcoffset() is not None
    assert moment.astimezone(UTC).hour == 7


@pytest.mark.parametrize(
    ("triples", "given", "order", "ambiguous"),
    [
        ([(24, 11, 26)], None, "dmy", False),
        ([(11, 24, 26)], None, "mdy", False),
        ([(1, 9, 26), (1, 10, 26), (2, 1, 26)], None, "mdy", False),
        ([(9, 1, 26), (10, 1, 26), (1, 2, 26)], None, "dmy", False),
        ([(3, 4, 26)], None, "dmy", True),
        ([(3, 4, 26)], "mdy", "mdy", False),
        ([(1, 1, 26), (2, 1, 26), (3, 1, 26), (3, 2, 26)], None, "dmy", True),
    ],
)
def test_day_month_order(
    triples: list[tuple[int, int, int]], given: str | None, order: str, ambiguous: bool
) -> None:
    decision = timeparse.decide_order(triples, given=given)
    assert (decision.order, decision.ambiguous) == (order, ambiguous)
    assert decision.reason


def test_fallback_order_by_zone() -> None:
    assert timeparse.fallback_order(ZoneInfo("America/Los_Angeles")) == "mdy"
    assert timeparse.fallback_order(ZoneInfo("Europe/Paris")) == "dmy"
