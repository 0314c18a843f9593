"""Course of conduct: two or more incidents on separate days involving the same person."""

from __future__ import annotations

from evidence_kit import casefile
from evidence_kit.casefile import conduct, incidents, people
from evidence_kit.casefile.incidents import Draft
from evidence_kit.vault import Vault


def _incident(
    vault: Vault, when: str, *who: str, offences: tuple[str, ...] = (), where: str = ""
) -> None:
    with vault.transaction() as writer:
        incidents.add(writer, "Work", Draft(when=when, zone="Europe/London", title=f"At {when}",
                                            people=list(who), offences=offences, where=where))  # fmt: skip


def _case(vault: Vault) -> None:
    with vault.transaction() as writer:
        writer.add_case("Work")
        people.add(writer, "Gareth Holloway", "reported person")
        people.add(writer, "Priya Rao", "the person")


def test_two_days_is_a_course_of_conduct_in_plain_words(vault: Vault) -> None:
    _case(vault)
    _incident(vault, "2026-11-20T21:14", "Gareth Holloway", "Priya Rao", where="WhatsApp",
              offences=("OSA2023-s181",))  # fmt: skip
    _incident(vault, "2026-11-24T18:02", "Gareth Holloway", where="SMS", offences=("PHA1997-s4",))
    found = casefile.load(vault, "Work").conduct
    assert len(found) == 1  # the person the case is about is never counted
    [course] = found
    assert course.occasions == 2 and course.dates == ("2026-11-20", "2026-11-24")
    assert course.channels == ("WhatsApp", "SMS")
    assert course.fear_of_violence_occasions == 2
    assert (
        "2 separate days, between 20 Nov 2026 and 24 Nov 2026, by WhatsApp and SMS"
        in course.summary
    )
    assert "course of conduct" in course.summary and "fear of violence" in course.summary


def test_two_incidents_on_one_day_are_not(vault: Vault) -> None:
    _case(vault)
    _incident(vault, "2026-11-20T09:00", "Gareth Holloway")
    _incident(vault, "2026-11-20T21:14", "Gareth Holloway", offences=("OSA2023-s181",))
    assert casefile.load(vault, "Work").conduct == ()


def test_a_day_is_the_incident_zones_day_not_utcs(vault: Vault) -> None:
    _case(vault)
    # 23:30 and 00:30 in London in summer are 22:30 and 23:30 UTC: one UTC day, two local days.
    _incident(vault, "2026-07-01T23:30", "Gareth Holloway")
    _incident(vault, "2026-07-02T00:30", "Gareth Holloway")
    [course] = casefile.load(vault, "Work").conduct
    assert course.dates == ("2026-07-01", "2026-07-02")
    assert course.fear_of_violence_occasions == 0 and "fear of violence" not in course.summary


def test_one_fear_tag_is_counted_but_not_called_out(vault: Vault) -> None:
    _case(vault)
    _incident(vault, "2026-11-20T21:14", "Gareth Holloway", offences=("OSA2023-s181",))
    _incident(vault, "2026-11-24T18:02", "Gareth Holloway", offences=("PHA1997-s2",))
    [course] = casefile.load(vault, "Work").conduct
    assert course.fear_of_violence_occasions == 1
    assert "fear of violence" not in course.summary
    assert conduct.find((), {}) == ()


def test_a_channel_is_named_once_however_it_was_written(vault: Vault) -> None:
    _case(vault)
    _incident(vault, "2026-11-20T21:14", "Gareth Holloway", where="WhatsApp")
    _incident(vault, "2026-11-22T09:00", "Gareth Holloway", where="whatsapp ")
    _incident(vault, "2026-11-24T18:02", "Gareth Holloway", where="SMS")
    [course] = casefile.load(vault, "Work").conduct
    assert course.channels == ("WhatsApp", "SMS")
    assert "by WhatsApp and SMS" in course.summary
