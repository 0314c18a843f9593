"""Course of conduct: where two or more incidents on separate days involve the same person, the
case file says so in plain words — how many occasions, over which dates, by which channels —
and calls out fear-of-violence tags on two or more occasions (Protection from Harassment Act
1997, ss.1, 2, 4: "two or more occasions"). An occasion is a day (in the incident's own zone):
two incidents on one day are one occasion. The person the case is about is never counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from evidence_kit.casefile import incidents as incident_store
from evidence_kit.casefile.model import CourseOfConduct, Incident, Person
from evidence_kit.casefile.offences import catalogue

Channels = Callable[[Incident], Iterable[str]]


def _day(incident: Incident) -> date:
    return incident_store.local(incident).date()


def _dates(days: Sequence[date]) -> str:
    if len(days) == 1:
        return f"on {days[0]:%d %b %Y}"
    return f"between {days[0]:%d %b %Y} and {days[-1]:%d %b %Y}"


def _listed(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def find(
    case_incidents: Sequence[Incident],
    people: Mapping[int, Person],
    channels: Channels = lambda one: [one.where] if one.where else [],
) -> tuple[CourseOfConduct, ...]:
    """Each person involved in incidents on two or more separate days, most occasions first."""
    fearful = {o.code for o in catalogue().offences if o.fear_of_violence}
    found: list[CourseOfConduct] = []
    for person_id in sorted({p for one in case_incidents for p in one.people}):
        person = people.get(person_id)
        if person is None or person.role == "the person":
            continue
        theirs = [one for one in case_incidents if person_id in one.people]
        days = sorted({_day(one) for one in theirs})
        if len(days) < 2:
            continue
        fear_days = sorted({_day(one) for one in theirs if fearful & set(one.offences)})
        ways: dict[
            str, str
        ] = {}  # one channel once, however it was written ("WhatsApp", "whatsapp")
        for one in theirs:
            for way in channels(one):
                if way.strip():
                    ways.setdefault(way.strip().casefold(), way.strip())
        summary = (
            f"{person.display()} is involved in {len(theirs)} incident(s) on {len(days)} "
            f"separate days, {_dates(days)}"
            + (f", by {_listed(list(ways.values()))}" if ways else "")
            + ". Two or more occasions can be a course of conduct (Protection from Harassment "
            "Act 1997)."
        )
        if len(fear_days) >= 2:
            summary += (
                f" On {len(fear_days)} of these days ({', '.join(f'{d:%d %b %Y}' for d in fear_days)})"
                " an incident is tagged as causing fear of violence: putting someone in fear of "
                "violence needs at least two occasions (s.4)."
            )
        found.append(
            CourseOfConduct(
                person_id=person_id,
                occasions=len(days),
                dates=tuple(d.isoformat() for d in days),
                channels=tuple(ways.values()),
                fear_of_violence_occasions=len(fear_days),
                summary=summary,
            )
        )
    return tuple(sorted(found, key=lambda c: (-c.occasions, c.person_id)))
