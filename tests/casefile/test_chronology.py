"""One chronology of a case, by when things happened, each marked with which time it is."""

from __future__ import annotations

from tests.casefile.conftest import ENTRY_FIELDS, Case


def _setup_people(case: Case) -> None:
    case.json("person", "add", "Gareth Holloway", "--role", "reported person",
              "--id", "phone:07700 900123", "--id", "whatsapp:Gaz (work)")  # fmt: skip
    case.json("person", "add", "Priya Rao", "--role", "the person", "--id", "whatsapp:Priya Rao")


def test_a_whatsapp_message_and_an_sms_of_the_same_minute_sit_side_by_side(case: Case) -> None:
    _setup_people(case)
    case.json("incident", "add", "--case", "Work", "--when", "2026-11-20T21:14", "--tz",
              "Europe/London", "--title", "Final warning", "--person", "Gareth Holloway")  # fmt: skip
    entries = case.json("chronology", "--case", "Work")
    assert isinstance(entries, list)
    assert [e["when_utc"] for e in entries] == sorted(e["when_utc"] for e in entries)
    for entry in entries:
        assert set(entry) >= set(ENTRY_FIELDS)
    summaries = [e["summary"] for e in entries]
    warning = next(n for n, s in enumerate(summaries) if s.endswith("Final warning"))
    friday = next(n for n, s in enumerate(summaries) if "You've got till Friday" in s)
    incident = next(n for n, e in enumerate(entries) if e["kind"] == "incident")
    assert sorted((warning, friday, incident)) == list(
        range(min(warning, incident), min(warning, incident) + 3)
    )
    assert entries[warning]["which_time"] == entries[friday]["which_time"] == "sent"
    assert entries[incident]["which_time"] == "incident"
    # The bully's number beside his name, never a bare number as another person.
    assert "Gareth Holloway (+44 7700 900123): You've got till Friday" in summaries[friday]
    assert "Gareth Holloway (+44 7700 900123): Final warning" in summaries[warning]
    assert not any("07700 900123:" in s or "(Unknown)" in s for s in summaries)
    assert entries[warning]["zone"] == "Europe/London"
    assert entries[warning]["when_local"].startswith("2026-11-20T21:14")
    # The deleted message says so; the file is there with the time it is known by.
    assert any("(deleted by the sender)" in s for s in summaries)
    picture = next(e for e in entries if e["kind"] == "file")
    assert picture["which_time"] in ("file's own time", "added")


def test_local_time_first_with_its_zone_and_utc_beside(case: Case) -> None:
    case.json("incident", "add", "--case", "Work", "--when", "2026-07-01T09:30", "--tz",
              "Europe/London", "--title", "Summer party remark")  # fmt: skip
    [entry] = [e for e in case.json("chronology", "--case", "Work") if e["kind"] == "incident"]  # type: ignore[union-attr]
    assert entry["when_local"] == "2026-07-01T09:30:00+01:00"
    assert entry["when_utc"].startswith("2026-07-01T08:30:00")
    text = case.run("chronology", "--case", "Work").output  # type: ignore[attr-defined]
    line = next(line for line in text.splitlines() if "Summer party" in line)
    assert line.index("2026-07-01 09:30") < line.index("UTC 2026-07-01 08:30")
