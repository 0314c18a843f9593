"""The command line contract of issue 14, as another tool would use it: names, `--json` shapes,
and bad input refused with a clear message and nothing stored."""

from __future__ import annotations

import json

from evidence_kit.casefile import statement
from evidence_kit.vault import Vault
from tests.casefile.conftest import Case
from tests.conftest import PASSPHRASE


def test_incident_add_prints_its_id_and_every_field(case: Case) -> None:
    made = case.json(
        "incident", "add", "--case", "Work", "--when", "2026-11-20T21:14", "--tz", "Europe/London",
        "--until", "2026-11-20T21:20", "--title", "Final warning by WhatsApp and SMS",
        "--what", "Two threats in the same minute.", "--where", "WhatsApp and SMS",
        "--impact", "Could not sleep; called in sick.", "--witness", "Dee Okafor",
        "--person", "Gareth Holloway", "--offence", "PHA1997-s2", "--offence", "osa2023-s181",
        "--reference", "WhatsApp report 55120", "--items", str(case.picture),
        "--messages", f"{case.chat}:1-3", "--messages", f"{case.sms}:0",
    )  # fmt: skip
    assert isinstance(made, dict)
    assert made["incident_id"] == 1 and made["version"] == 1
    assert made["when"] == "2026-11-20T21:14:00+00:00" and made["zone"] == "Europe/London"
    assert made["until"] == "2026-11-20T21:20:00+00:00"
    assert made["offences"] == ["PHA1997-s2", "OSA2023-s181"]  # codes as the catalogue has them
    assert made["items"] == [case.picture]
    assert made["messages"] == [
        {"item": case.chat, "from": 1, "to": 3},
        {"item": case.sms, "from": 0, "to": 0},
    ]
    people = {p["name"]: p for p in case.json("people")}  # type: ignore[union-attr]
    assert people["Dee Okafor"]["role"] == "witness"
    assert people["Gareth Holloway"]["role"] == "involved"
    assert made["people"] == [people["Gareth Holloway"]["id"]]
    assert made["witnesses"] == [people["Dee Okafor"]["id"]]
    listed = case.json("incidents", "--case", "Work")
    assert isinstance(listed, list) and listed[0]["incident_id"] == 1
    assert listed[0]["case"] == "Work"


def test_an_offline_incident_needs_no_evidence(case: Case) -> None:
    made = case.json(
        "incident", "add", "--case", "Work", "--when", "2026-11-23T09:00+00:00",
        "--title", "Shouted at me in the car park", "--where", "Car park, Unit 4",
    )  # fmt: skip
    assert made["items"] == [] and made["messages"] == []  # type: ignore[index]


def test_revise_makes_version_two_and_keeps_version_one(case: Case) -> None:
    case.json("incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00",
              "--title", "Final warning", "--offence", "PHA1997-s2")  # fmt: skip
    revised = case.json("incident", "revise", "1", "--title", "Final warning (WhatsApp)")
    assert revised["version"] == 2 and revised["title"] == "Final warning (WhatsApp)"  # type: ignore[index]
    assert revised["offences"] == ["PHA1997-s2"]  # type: ignore[index]  # what was not given stays
    listed = case.json("incidents")
    assert [(i["incident_id"], i["version"]) for i in listed] == [(1, 2)]  # type: ignore[union-attr]
    log = case.json("log")
    actions = [e["action"] for e in log]  # type: ignore[union-attr]
    assert actions.count("incident added") == 1 and actions.count("incident revised") == 1


def test_person_add_normalises_and_people_lists(case: Case) -> None:
    made = case.json("person", "add", "Gareth Holloway", "--id", "phone:07700 900123",
                     "--id", "email:Gareth.Holloway@Example.org", "--id", "instagram:@gaz_h",
                     "--role", "reported person")  # fmt: skip
    assert made == {
        "person_id": 1, "version": 1, "id": 1, "name": "Gareth Holloway",
        "role": "reported person",
        "identifiers": [
            {"kind": "phone", "value": "+447700900123"},
            {"kind": "email", "value": "gareth.holloway@example.org"},
            {"kind": "instagram", "value": "gaz_h"},
        ],
    }  # fmt: skip
    same = case.run("person", "add", "G. Holloway", "--id", "phone:+44 7700 900123")
    assert same.exit_code != 0 and "already Gareth Holloway (person 1)" in same.output
    assert "Traceback" not in same.output
    assert len(case.json("people")) == 1  # type: ignore[arg-type]
    text = case.run("people")
    assert "+44 7700 900123" in text.output  # type: ignore[attr-defined]


def test_offences_lists_the_codes_with_act_and_summary(case: Case) -> None:
    listed = case.json("offences")
    codes = {o["code"]: o for o in listed}  # type: ignore[union-attr]
    for code in ("MCA1988-s1", "CA2003-s127", "PHA1997-s2", "PHA1997-s2A", "PHA1997-s4",
                 "PHA1997-s4A", "POA1986-s4A", "POA1986-s5", "RRHA2006", "OSA2023-s179",
                 "OSA2023-s181", "CMA1990-s1", "DPA2018-s170", "TA1984-s43", "PCA1978", "SOA2003"):  # fmt: skip
        entry = codes[code]
        assert entry["act"] and entry["summary"] and entry["section"] and entry["needs"]
    assert codes["PCA1978"]["guidance_only"] and codes["SOA2003"]["guidance_only"]
    assert "two or more occasions" in codes["PHA1997-s2"]["needs"]
    assert codes["POA1986-s4A"]["act"].find("Criminal Justice and Public Order Act 1994") > 0
    text = case.run("offences").output  # type: ignore[attr-defined]
    assert "not legal advice" in text and "2.7.4" in text


def test_bad_input_is_named_and_stores_nothing(case: Case) -> None:
    before = case.json("log")
    bad = [
        (["incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00", "--title", "x",
          "--messages", f"{case.chat}:2-999"], "has no message 999"),
        (["incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00", "--title", "x",
          "--messages", f"{case.picture}:0-1"], "not an import of messages"),
        (["incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00", "--title", "x",
          "--items", "9999"], "There is no item 9999"),
        (["incident", "add", "--case", "Work", "--when", "next tuesday", "--title", "x"],
         "is not a date and time"),
        (["incident", "add", "--case", "Work", "--when", "2026-03-29T01:30", "--tz",
          "Europe/London", "--title", "x"], "did not exist in Europe/London"),
        (["incident", "add", "--case", "Work", "--when", "2026-10-25T01:30", "--tz",
          "Europe/London", "--title", "x"], "happened twice"),
        (["incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00", "--title", "x",
          "--offence", "PCA1978"], "2.7.4"),
        (["incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00", "--title", "x",
          "--offence", "THEFT1968"], "no offence code 'THEFT1968'"),
        (["incident", "add", "--case", "Nope", "--when", "2026-11-20T21:14+00:00", "--title", "x"],
         "no case called 'Nope'"),
        (["incident", "add", "--case", "Work", "--when", "2026-11-21T10:00+00:00",
          "--until", "2026-11-20T10:00+00:00", "--title", "x"], "before it starts"),
        (["person", "add", "Ann", "--id", "phone:not a number"], "is not a phone number"),
        (["person", "add", "Ann", "--id", "justtext"], "has no kind"),
        (["person", "add", "Ann", "--role", "villain"], "is not a role"),
        (["incident", "revise", "42", "--title", "x"], "no incident 42"),
    ]  # fmt: skip
    for args, words in bad:
        done = case.run(*args)
        assert done.exit_code not in (0, 70), (args, done.output)  # type: ignore[attr-defined]
        assert words in done.output, (args, done.output)  # type: ignore[attr-defined]
        assert "Traceback" not in done.output  # type: ignore[attr-defined]
    # The --witness in a refused incident was not made either: nothing at all was stored.
    refused = case.run("incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00",
                       "--title", "x", "--witness", "Nobody New", "--items", "9999")  # fmt: skip
    assert refused.exit_code != 0  # type: ignore[attr-defined]
    assert case.json("log") == before
    assert case.json("people") == [] and case.json("incidents") == []


def test_statement_kept_exactly_and_versioned(case: Case, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "On 20 November he wrote “Final warning”.\r\n\r\nI was scared.  \n\t(signed) Priya\n"
    first = tmp_path / "statement.txt"
    first.write_bytes(text.encode("utf-8"))
    assert case.run("statement", "--case", "Work", "--file", str(first)).exit_code == 0  # type: ignore[attr-defined]
    shown = case.run("statement", "--case", "Work")
    assert "I was scared." in shown.output  # type: ignore[attr-defined]  # (shown safely)
    again = case.run("statement", "--case", "Work", "--file", str(first))
    assert again.exit_code != 0 and "nothing changed" in again.output  # type: ignore[attr-defined]
    second = tmp_path / "statement-2.txt"
    second.write_text(text + "Added on 25 Nov.\n", encoding="utf-8")
    assert case.run("statement", "--case", "Work", "--file", str(second)).exit_code == 0  # type: ignore[attr-defined]
    log = case.json("log")
    assert [e["action"] for e in log].count("statement written") == 2  # type: ignore[union-attr]
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0not text")
    refused = case.run("statement", "--case", "Work", "--file", str(binary))
    assert refused.exit_code != 0 and "photo.jpg is not UTF-8 text" in refused.output  # type: ignore[attr-defined]
    missing = case.run("statement", "--case", "Work", "--file", str(tmp_path / "nope.txt"))
    assert (
        missing.exit_code != 0
        and "nope.txt" in missing.output
        and "does not exist" in missing.output
    )  # type: ignore[attr-defined]
    assert json.dumps(case.json("log")) == json.dumps(log)
    with Vault.open(case.cli.vault_dir, PASSPHRASE) as vault:
        kept = statement.versions(vault, vault.case_named("Work").id)  # type: ignore[union-attr]
    assert [s.text for s in kept] == [text, text + "Added on 25 Nov.\n"]  # every byte as written


def test_an_escape_code_in_a_title_is_not_sent_to_the_terminal(case: Case) -> None:
    title = "Hi\x1b[2J\x1b]0;owned\x07 there"
    made = case.json("incident", "add", "--case", "Work", "--when", "2026-11-20T21:14+00:00",
                     "--title", title, "--person", "Eve\x1b[31m Red")  # fmt: skip
    assert made["title"] == title  # type: ignore[index]  # kept as given, shown safely
    for args in (("incidents",), ("people",), ("chronology", "--case", "Work")):
        shown = case.run(*args).output  # type: ignore[attr-defined]
        assert "\x1b" not in shown and "\x07" not in shown, args
