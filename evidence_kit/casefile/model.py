"""The case file's shapes, shared by the vault (which stores them append-only, one custody event
per version), the CLI, the GUI and the bundle's report. Frozen values, no Qt, no database.

Bundle contract (issue 14; keep these names): `bag/data/case/incidents.json` is a list of
`bundle_files.incident_record(incident, …)` (an incident's links need the bundle's labels),
`people.json` a list of `Person.as_bundle()` (only the people this bundle of the case shows),
`statement.txt` the latest statement's text exactly as written, `chronology.jsonl` one
`ChronologyEntry.as_bundle()` per line in time order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("the person", "reported person", "witness", "bystander", "supporter", "involved")


@dataclass(frozen=True)
class Identifier:
    kind: str  # "phone" (E.164), "email" (lower case), or a platform: whatsapp, facebook, …
    value: str

    def as_bundle(self) -> dict[str, str]:
        return {"kind": self.kind, "value": self.value}

    def shown(self) -> str:
        """How a person reads it: a phone number grouped (+44 7700 900123), the rest as kept."""
        if self.kind == "phone":
            from evidence_kit.casefile.people import readable_phone

            return readable_phone(self.value)
        return self.value


@dataclass(frozen=True)
class Person:
    id: int
    version: int
    name: str
    role: str  # one of ROLES
    identifiers: tuple[Identifier, ...] = ()

    def display(self) -> str:
        """ "Gareth Holloway (+44 7700 900123)": the name, and the first phone or address."""
        shown = next((i.shown() for i in self.identifiers if i.kind in ("phone", "email")), None)
        return f"{self.name} ({shown})" if shown else self.name

    def as_bundle(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "identifiers": [i.as_bundle() for i in self.identifiers],
        }


@dataclass(frozen=True)
class MessageRange:
    item_id: int
    first: int  # the `index` `evidence-kit messages ITEM` prints, both ends included
    last: int


@dataclass(frozen=True)
class Incident:
    id: int
    version: int
    case_id: int
    when: str  # ISO 8601 with offset, as given (or read in `zone`)
    until: str | None
    zone: str  # IANA zone the times were given in
    title: str
    what: str = ""
    where: str = ""
    impact: str = ""
    people: tuple[int, ...] = ()  # Person ids (involved)
    witnesses: tuple[int, ...] = ()  # Person ids
    offences: tuple[str, ...] = ()  # Offence codes
    references: tuple[str, ...] = ()  # platform report numbers, police references
    items: tuple[int, ...] = ()  # whole items
    messages: tuple[MessageRange, ...] = ()


@dataclass(frozen=True)
class Offence:
    code: str  # e.g. "PHA1997-s2"
    act: str  # "Protection from Harassment Act 1997"
    section: str  # "s.2"
    summary: str  # one plain sentence of what it covers
    needs: str  # what it needs, e.g. "a course of conduct: two or more occasions"
    fear_of_violence: bool = False
    guidance_only: bool = False  # child-protection entries: lead to guidance, never a tag
    in_force: bool = True  # False: repealed, listed because the policy names it

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (`offences --json`)."""
        return {
            "code": self.code,
            "act": self.act,
            "section": self.section,
            "summary": self.summary,
            "needs": self.needs,
            "fear_of_violence": self.fear_of_violence,
            "guidance_only": self.guidance_only,
            "in_force": self.in_force,
        }


@dataclass(frozen=True)
class Statement:
    case_id: int
    version: int
    text: str  # exactly as written
    written_at: str  # UTC ISO


@dataclass(frozen=True)
class ChronologyEntry:
    when_utc: str
    when_local: str
    zone: str | None
    which_time: str  # "sent", "captured", "posted", "file's own time", "added", "incident"
    kind: str  # "message", "screenshot", "file", "incident", …
    label: str  # the exhibit label in a bundle (or "item N" / "incident N" in the vault)
    summary: str
    item_id: int | None = None
    incident_id: int | None = None

    def as_bundle(self) -> dict[str, Any]:
        return {
            "when_utc": self.when_utc,
            "when_local": self.when_local,
            "zone": self.zone,
            "which_time": self.which_time,
            "kind": self.kind,
            "label": self.label,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class CourseOfConduct:
    """Two or more incidents on separate days involving the same person."""

    person_id: int
    occasions: int
    dates: tuple[str, ...]  # local dates, ISO
    channels: tuple[str, ...]
    fear_of_violence_occasions: int = 0
    summary: str = ""  # the plain words: "Gareth Holloway: 3 occasions between …, by …"


@dataclass(frozen=True)
class CaseFile:
    """Everything the report and the bundle need about one case's incidents."""

    case_name: str
    incidents: tuple[Incident, ...] = ()
    people: tuple[Person, ...] = ()
    statement: Statement | None = None
    chronology: tuple[ChronologyEntry, ...] = ()
    conduct: tuple[CourseOfConduct, ...] = ()
    offences: tuple[Offence, ...] = field(default=())  # the offences the incidents are tagged with
