"""Incidents: what happened, when, where, to whom, and the evidence of it — kept as versions
(append-only; each version an `incidents` row made by its own custody event, see
schema.V5_CASEFILE). A revision is version N+1; every version stays.

Times are ISO 8601 with an offset, or a wall-clock time read in a zone (`--tz`, else this
computer's); the zone is kept. A local time that does not exist (the clocks went forward) or
happened twice (they went back) is refused rather than guessed. Links are checked before
anything is stored: each item exists, a message range names an import and indexes it has.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from evidence_kit.casefile import offences, people
from evidence_kit.casefile.model import Incident, MessageRange
from evidence_kit.casefile.reading import Source, connection
from evidence_kit.clock import iso_utc
from evidence_kit.errors import NotFound, Refused
from evidence_kit.evidence_time import parse_typed as parse_when
from evidence_kit.evidence_time import zone_named
from evidence_kit.vault.records import load_item
from evidence_kit.vault.writer import Writer

MAX_TEXT = 20_000  # characters in one field: a page or two, not a file


@dataclass(frozen=True)
class Draft:
    """What `incident add` / `revise` were given (None: not given)."""

    when: str | None = None
    until: str | None = None
    zone: str | None = None
    title: str | None = None
    what: str | None = None
    where: str | None = None
    impact: str | None = None
    people: Sequence[str] | None = None  # names
    witnesses: Sequence[str] | None = None  # names
    offences: Sequence[str] | None = None
    references: Sequence[str] | None = None
    items: Sequence[int] | None = None
    messages: Sequence[str] | None = None  # "ITEM:FROM-TO" or "ITEM:N"


def parse_range(text: str) -> MessageRange:
    """`ITEM:FROM-TO` (both ends included) or `ITEM:N`, indexes as `messages ITEM` prints."""
    item, _colon, span = text.strip().partition(":")
    first, dash, last = span.partition("-")
    try:
        item_id, start = int(item), int(first)
        end = int(last) if dash else start
    except ValueError:
        raise Refused(
            f"{text!r} is not a message range.",
            hint="Give ITEM:FROM-TO or ITEM:N, with the index values `evidence-kit messages ITEM` prints.",
        ) from None
    if start < 0 or end < start:
        raise Refused(f"In {text!r} the range runs backwards or below 0.")
    return MessageRange(item_id, start, end)


def parse_items(text: str) -> tuple[int, ...]:
    """`--items 3,5,8` (spaces allowed)."""
    try:
        found = [int(part) for part in text.replace(" ", ",").split(",") if part]
    except ValueError:
        raise Refused(
            f"{text!r} is not a list of item numbers.", hint="For example 3,5,8."
        ) from None
    return tuple(dict.fromkeys(found))


def _check_links(writer: Writer, items: Iterable[int], ranges: Iterable[MessageRange]) -> None:
    for item_id in items:
        load_item(writer.conn, item_id)  # NotFound names it
    for span in ranges:
        item = load_item(writer.conn, span.item_id)
        count = writer.conn.execute(
            "SELECT count(*) FROM messages WHERE item_id = ?", (span.item_id,)
        ).fetchone()[0]
        if not count:
            raise Refused(
                f"Item {span.item_id} is a {item.kind.value}, not an import of messages: "
                f"--messages {span.item_id}:… needs one.",
                hint="Link a whole item with --items instead.",
            )
        found = {
            int(row[0])
            for row in writer.conn.execute(
                "SELECT idx FROM messages WHERE item_id = ? AND idx IN (?, ?)",
                (span.item_id, span.first, span.last),
            )
        }
        missing = [n for n in (span.first, span.last) if n not in found]
        if missing:
            top = writer.conn.execute(
                "SELECT min(idx), max(idx) FROM messages WHERE item_id = ?", (span.item_id,)
            ).fetchone()
            raise Refused(
                f"Item {span.item_id} has no message {missing[0]}: its messages run from "
                f"{top[0]} to {top[1]}.",
                hint=f"`evidence-kit messages {span.item_id}` prints each message's index.",
            )


def _text(value: str | None, what: str, *, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise Refused(f"An incident needs a {what}.")
    if len(cleaned) > MAX_TEXT:
        raise Refused(f"The {what} is longer than {MAX_TEXT} characters.")
    return cleaned


def _build(writer: Writer, draft: Draft, base: Incident | None, case_id: int) -> Incident:
    zone = zone_named(draft.zone if draft.zone is not None else (base.zone if base else None))
    when_text = draft.when if draft.when is not None else (base.when if base else None)
    if not when_text:
        raise Refused("An incident needs a time (--when).")
    when = parse_when(when_text, zone)
    until_text = draft.until if draft.until is not None else (base.until if base else None)
    until = parse_when(until_text, zone) if until_text else None
    if until is not None and until < when:
        raise Refused(
            f"The incident ends ({until.isoformat()}) before it starts ({when.isoformat()})."
        )
    ranges = (
        tuple(parse_range(text) for text in draft.messages)
        if draft.messages is not None
        else (base.messages if base else ())
    )
    items = tuple(draft.items) if draft.items is not None else (base.items if base else ())
    _check_links(writer, items, ranges)
    tags = (
        offences.taggable(draft.offences)
        if draft.offences is not None
        else (base.offences if base else ())
    )

    def who(names: Sequence[str] | None, role: str, kept: tuple[int, ...]) -> tuple[int, ...]:
        if names is None:
            return kept
        return tuple(dict.fromkeys(people.find_or_add(writer, name, role).id for name in names))

    def field(value: str | None, kept: str, what: str, required: bool = False) -> str:
        return _text(value if value is not None else kept, what, required=required)

    return Incident(
        id=base.id if base else 0,
        version=base.version + 1 if base else 1,
        case_id=case_id,
        when=when.isoformat(),
        until=until.isoformat() if until else None,
        zone=zone,
        title=field(draft.title, base.title if base else "", "title", required=True),
        what=field(draft.what, base.what if base else "", "description of what happened"),
        where=field(draft.where, base.where if base else "", "place"),
        impact=field(draft.impact, base.impact if base else "", "impact"),
        people=who(draft.people, "involved", base.people if base else ()),
        witnesses=who(draft.witnesses, "witness", base.witnesses if base else ()),
        offences=tags,
        references=(
            tuple(r.strip() for r in draft.references if r.strip())
            if draft.references is not None
            else (base.references if base else ())
        ),
        items=items,
        messages=ranges,
    )


def _body(incident: Incident) -> str:
    return json.dumps(
        {
            "what": incident.what, "where": incident.where, "impact": incident.impact,
            "people": list(incident.people), "witnesses": list(incident.witnesses),
            "offences": list(incident.offences), "references": list(incident.references),
            "items": list(incident.items),
            "messages": [{"item": m.item_id, "from": m.first, "to": m.last} for m in incident.messages],
        },
        sort_keys=True, ensure_ascii=False,
    )  # fmt: skip


def _store(writer: Writer, incident: Incident) -> Incident:
    row_id = int(
        writer.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM incidents").fetchone()[0]
    )
    row = {
        "id": row_id, "incident_id": incident.id, "version": incident.version,
        "case_id": incident.case_id, "when_at": incident.when, "until_at": incident.until,
        "zone": incident.zone, "title": incident.title, "body": _body(incident),
        "made_at": iso_utc(writer.clock.now()),
    }  # fmt: skip
    action = "incident added" if incident.version == 1 else "incident revised"
    details = {"version": incident.version, "case_id": incident.case_id}
    writer._act("incidents", row, action, f"incident:{incident.id}", details)
    return incident


def _case(writer: Writer, name: str) -> int:
    case_id = writer.find_case(name)
    if case_id is None:
        raise NotFound(
            f"There is no case called {name.strip()!r}.",
            hint="Make it first (`evidence-kit case add NAME`), or check the spelling.",
        )
    return case_id


def add(writer: Writer, case: str, draft: Draft) -> Incident:
    """A new incident in case `case` (version 1, event "incident added")."""
    case_id = _case(writer, case)
    next_id = writer.conn.execute(
        "SELECT coalesce(max(incident_id), 0) + 1 FROM incidents"
    ).fetchone()
    return _store(writer, replace(_build(writer, draft, None, case_id), id=int(next_id[0])))


def revise(writer: Writer, incident_id: int, draft: Draft, case: str | None = None) -> Incident:
    """Version N+1 of an incident: what is given replaces what the last version said."""
    before = incident(writer.conn, incident_id)
    case_id = _case(writer, case) if case is not None else before.case_id
    after = _build(writer, draft, before, case_id)
    if replace(after, version=before.version) == before:
        raise Refused(f"That is what incident {incident_id} says already: nothing to revise.")
    return _store(writer, after)


# -- reading ---------------------------------------------------------------------------------

_COLUMNS = "incident_id, version, case_id, when_at, until_at, zone, title, body"


def _from_row(row: Sequence[Any]) -> Incident:
    body = json.loads(row[7])
    return Incident(
        id=int(row[0]), version=int(row[1]), case_id=int(row[2]), when=str(row[3]),
        until=row[4], zone=str(row[5]), title=str(row[6]), what=body.get("what", ""),
        where=body.get("where", ""), impact=body.get("impact", ""),
        people=tuple(body.get("people", ())), witnesses=tuple(body.get("witnesses", ())),
        offences=tuple(body.get("offences", ())), references=tuple(body.get("references", ())),
        items=tuple(body.get("items", ())),
        messages=tuple(MessageRange(int(m["item"]), int(m["from"]), int(m["to"]))
                       for m in body.get("messages", ())),
    )  # fmt: skip


def versions(source: Source, incident_id: int) -> list[Incident]:
    rows = (
        connection(source)
        .execute(
            f"SELECT {_COLUMNS} FROM incidents WHERE incident_id = ? ORDER BY version",
            (incident_id,),
        )
        .fetchall()
    )
    return [_from_row(row) for row in rows]


def incident(source: Source, incident_id: int) -> Incident:
    found = versions(source, incident_id)
    if not found:
        raise NotFound(
            f"There is no incident {incident_id}.", hint="`evidence-kit incidents` lists them."
        )
    return found[-1]


def latest(source: Source, case_id: int | None = None) -> list[Incident]:
    """The latest version of each incident (of one case, or all), in the order they happened."""
    query = (
        f"SELECT {_COLUMNS} FROM incidents i WHERE version = "
        "(SELECT max(version) FROM incidents j WHERE j.incident_id = i.incident_id)"
    )
    found = [_from_row(row) for row in connection(source).execute(query)]
    if case_id is not None:
        found = [one for one in found if one.case_id == case_id]
    return sorted(found, key=lambda one: (starts(one), one.id))


def starts(incident: Incident) -> datetime:
    return datetime.fromisoformat(incident.when).astimezone(UTC)


def local(incident: Incident, text: str | None = None) -> datetime:
    """`when` (or `text`) on the wall clock of the incident's zone."""
    return datetime.fromisoformat(text or incident.when).astimezone(ZoneInfo(incident.zone))


def as_dict(incident: Incident) -> dict[str, Any]:
    """The JSON form the command line prints (`incident add --json`, `incidents --json`)."""
    return {
        "incident_id": incident.id, "version": incident.version, "case_id": incident.case_id,
        "when": incident.when, "until": incident.until, "zone": incident.zone,
        "title": incident.title, "what": incident.what, "where": incident.where,
        "impact": incident.impact, "people": list(incident.people),
        "witnesses": list(incident.witnesses), "offences": list(incident.offences),
        "references": list(incident.references), "items": list(incident.items),
        "messages": [{"item": m.item_id, "from": m.first, "to": m.last} for m in incident.messages],
    }  # fmt: skip
