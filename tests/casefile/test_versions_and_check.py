"""Incidents, people and statements are acts: every version kept, each row hashed on the
custody chain, so `check` names a row edited or deleted behind the program's back."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from evidence_kit.casefile import incidents, people, statement
from evidence_kit.casefile.incidents import Draft
from evidence_kit.errors import Refused
from evidence_kit.vault import Vault
from evidence_kit.vault.check import check_vault


def _drop_triggers(vault: Vault, *tables: str) -> None:
    for table in tables:
        for verb in ("update", "delete"):
            vault.conn.execute(f"DROP TRIGGER {table}_no_{verb}")


def test_every_version_is_kept_and_check_passes(vault: Vault) -> None:
    with vault.transaction() as writer:
        writer.add_case("Work")
        first = incidents.add(writer, "Work", Draft(when="2026-11-20T21:14+00:00", title="Warning"))
    with vault.transaction() as writer:
        incidents.revise(writer, first.id, Draft(title="Final warning", people=["Gareth Holloway"]))
    with vault.transaction() as writer:
        incidents.revise(writer, first.id, Draft(impact="I was frightened."))
    kept = incidents.versions(vault, first.id)
    assert [(i.version, i.title, i.impact) for i in kept] == [
        (1, "Warning", ""), (2, "Final warning", ""), (3, "Final warning", "I was frightened."),
    ]  # fmt: skip
    assert incidents.latest(vault)[0].version == 3
    assert check_vault(vault).ok, check_vault(vault).problems


def test_the_database_refuses_an_update_or_delete(vault: Vault) -> None:
    with vault.transaction() as writer:
        people.add(writer, "Gareth Holloway", "reported person")
    for sql in ("UPDATE people SET name = 'Someone Else'", "DELETE FROM people"):
        with pytest.raises(Exception, match="append-only"):
            vault.conn.execute(sql)


def test_check_names_an_edited_incident_and_a_deleted_person(vault: Vault) -> None:
    with vault.transaction() as writer:
        writer.add_case("Work")
        incidents.add(writer, "Work", Draft(when="2026-11-20T21:14+00:00", title="Final warning"))
        people.add(writer, "Gareth Holloway", "reported person")
        statement.write(writer, 1, "What happened.\n")
    _drop_triggers(vault, "incidents", "people", "statements")
    vault.conn.execute("UPDATE incidents SET title = 'Friendly reminder' WHERE incident_id = 1")
    vault.conn.execute("DELETE FROM people WHERE person_id = 1")
    vault.conn.execute("UPDATE statements SET text = 'Nothing happened.'")
    found = {(p.where, p.what.split(":")[0]) for p in check_vault(vault).problems}
    assert ("version 1 of incident 1", "was changed after it was recorded") in found
    assert ("version 1 of the statement of case 1", "was changed after it was recorded") in found
    assert any("person added, person:1" in where and what.startswith("made a record that is no longer")
               for where, what in found), sorted(found)  # fmt: skip


def test_a_row_slipped_in_behind_the_program_is_named(vault: Vault) -> None:
    with vault.transaction() as writer:
        writer.add_case("Work")
        incidents.add(writer, "Work", Draft(when="2026-11-20T21:14+00:00", title="Final warning"))
    seq = vault.conn.execute("SELECT custody_seq FROM incidents").fetchone()[0]
    vault.conn.execute(
        "INSERT INTO incidents (incident_id, version, case_id, when_at, until_at, zone, title, "
        "body, made_at, custody_seq) VALUES (1, 2, 1, '2026-11-20T21:14:00+00:00', NULL, 'UTC', "
        "'It was a joke', '{}', '2026-11-21T00:00:00Z', ?)",
        (seq,),
    )
    found = [(p.where, p.what) for p in check_vault(vault).problems]
    assert any(w == "version 2 of incident 1" and "which made version 1 of incident 1" in what
               for w, what in found), found  # fmt: skip


def test_one_number_typed_two_ways_is_one_person(vault: Vault, gb: Callable[[], None]) -> None:
    with vault.transaction() as writer:
        gareth = people.add(writer, "Gareth Holloway", "reported person",
                            [people.parse_identifier("phone:07700 900123")])  # fmt: skip
    same = [people.parse_identifier("sms:+44 7700 900123")]
    with (
        pytest.raises(Refused, match=r"\+44 7700 900123 is already Gareth Holloway"),
        vault.transaction() as writer,
    ):
        people.add(writer, "Gaz", "involved", same)
    who = people.resolve(vault)
    assert who(None, "+44 7700 900123") == gareth
    assert who("(Unknown)", "07700900123") == gareth
    assert who("Gaz (work)", None) is None  # a nickname is not an identifier
    assert who(None, "+44 7700 900456") is None
    assert gareth.display() == "Gareth Holloway (+44 7700 900123)"


def test_the_locale_gives_the_region_and_gb_is_the_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert people.phone_e164("06 12 34 56 78") == "+33612345678"
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr("locale.getlocale", lambda: (None, None))
    assert people.default_region() == "GB"
    assert people.phone_e164("07700 900123") == "+447700900123"


def test_identifiers_are_normalised() -> None:
    assert people.parse_identifier("email: Gareth.H@Example.ORG ").value == "gareth.h@example.org"
    assert people.parse_identifier("instagram:@gaz_h") == people.identifier("instagram", "gaz_h")
    assert people.parse_identifier("whatsapp:+44 7700 900123").kind == "phone"
    assert people.parse_identifier("X:@GazH").kind == "x"
    for bad in ("email:nobody", "phone:12", "phone:", "my phone:123"):
        with pytest.raises(Refused):
            people.parse_identifier(bad)


def test_a_revision_adds_identifiers_and_keeps_the_first_version(
    vault: Vault, gb: Callable[[], None]
) -> None:
    with vault.transaction() as writer:
        made = people.add(writer, "Gareth Holloway", "reported person")
        people.revise(writer, made.id, identifiers=[people.parse_identifier("phone:07700 900123")])
    first, second = people.versions(vault, made.id)
    assert first.identifiers == () and second.identifiers[0].value == "+447700900123"
    with pytest.raises(Refused, match="nothing to revise"), vault.transaction() as writer:
        people.revise(writer, made.id, role="reported person")
