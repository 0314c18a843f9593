"""The report's case sections, made from a `CaseFile`: the summary, the statement, the incidents
with their exhibits and quoted messages, and the merged chronology.

Everything here is about what travels: an incident's item or message range that this audience
does not get is named by its label ("withheld from this bundle"), never quoted; an entry of the
chronology about an item not in the bundle at all is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_kit.bundle.exhibits import Exhibit, Withheld
from evidence_kit.bundle.report_threads import side
from evidence_kit.casefile.model import CaseFile, ChronologyEntry, Incident, MessageRange, Person

QUOTE_LIMIT = 200  # messages quoted per range; the rest are in the conversation section
NOT_ADVICE = (
    "This is not legal advice. The offences named are the ones the person tagged; whether any "
    "applies is for the police, a lawyer or a court to judge."
)
KIND_WORDS = {"import": "conversation", "derived": "screenshot", "attachment": "file"}


@dataclass(frozen=True)
class Moment:
    """A time as the report prints it: local with its zone first, UTC beside it."""

    local: str
    utc: str
    sort: str  # UTC ISO, for ordering

    @property
    def text(self) -> str:
        return f"{self.local} ({self.utc})" if self.utc else self.local


def moment(text: str | None, zone: str | None) -> Moment | None:
    """`2026-11-16T14:05:00+00:00` in Europe/London as `Mon 16 Nov 2026 14:05 GMT
    (Europe/London)` and `2026-11-16 14:05 UTC`; a time that does not parse is shown as given."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return Moment(text, "", text)
    tz: Any = None
    if zone:
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            tz = None
    if when.tzinfo is None:
        if tz is None:
            return Moment(f"{when:%a %d %b %Y %H:%M} (zone not recorded)", "", when.isoformat())
        when = when.replace(tzinfo=tz)
    local = when.astimezone(tz) if tz is not None else when
    name = local.strftime("%Z") or local.strftime("UTC%z")
    where = f" ({zone})" if tz is not None else ""
    utc = when.astimezone(UTC)
    return Moment(
        f"{local:%a %d %b %Y %H:%M} {name}{where}", f"{utc:%Y-%m-%d %H:%M} UTC", utc.isoformat()
    )


@dataclass(frozen=True)
class Quoted:
    label: str
    index: int
    when: str
    who: str
    text: str
    deleted: bool = False


@dataclass(frozen=True)
class IncidentView:
    number: int
    incident: Incident
    when: str
    until: str | None
    people: list[str]
    witnesses: list[str]
    offences: list[str]
    exhibits: list[str]  # labels, with "(withheld from this bundle)" where so
    ranges: list[str]  # "TO/3, messages 4 to 6"
    quoted: list[Quoted]

    @property
    def has_evidence(self) -> bool:
        return bool(self.incident.items or self.incident.messages)


@dataclass(frozen=True)
class ChronologyRow:
    local: str
    utc: str
    which: str
    kind: str
    label: str
    summary: str


@dataclass
class CaseSection:
    name: str
    incidents: list[IncidentView] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    offences: list[tuple[str, str, str]] = field(default_factory=list)  # (title, summary, needs)
    conduct: list[str] = field(default_factory=list)
    statement: str | None = None
    chronology: list[ChronologyRow] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    not_advice: str = NOT_ADVICE
    persons: tuple[Person, ...] = ()  # to name the senders of conversations

    @property
    def without_evidence(self) -> list[IncidentView]:
        return [v for v in self.incidents if not v.has_evidence]


class Labels:
    """Which exhibit label an item has in this bundle, and whether it travels."""

    def __init__(self, plan: Sequence[Exhibit], withheld: Sequence[Withheld]) -> None:
        self.travelling = {e.item.id: e.label for e in plan}
        self.withheld = {w.item.id: w.label for w in withheld}

    def named(self, item_id: int) -> str | None:
        if item_id in self.travelling:
            return self.travelling[item_id]
        if item_id in self.withheld:
            return f"{self.withheld[item_id]} (withheld from this bundle)"
        return None


def people_names(people: Sequence[Person]) -> dict[int, str]:
    return {person.id: person.display() for person in people}


def _quote(vault: Any, label: str, rng: MessageRange, people: Sequence[Person]) -> list[Quoted]:
    quoted = []
    count = min(rng.last - rng.first + 1, QUOTE_LIMIT)
    for record in vault.messages(rng.item_id, offset=rng.first, limit=max(0, count)):
        if record["index"] > rng.last:
            break
        stamp = str(record.get("sent_at_utc") or "")[:16].replace("T", " ")
        local = str(record.get("sent_at_local") or "")[:16].replace("T", " ")
        when = " · ".join(x for x in (local, f"{stamp} UTC" if stamp else "") if x)
        who = "System" if record.get("is_system") and not record.get("sender") else side(
            record.get("sender"), record.get("sender_id"), people)  # fmt: skip
        quoted.append(Quoted(label, int(record["index"]), when or "(no time)", who,
                             str(record.get("text") or ""), bool(record.get("deleted"))))  # fmt: skip
    return quoted


def _incident(vault: Any, number: int, incident: Incident, case: CaseFile,
              labels: Labels) -> IncidentView:  # fmt: skip
    names = people_names(case.people)
    offences = {o.code: f"{o.act} {o.section}" for o in case.offences}
    exhibits: list[str] = []
    for item_id in incident.items:
        exhibits.append(labels.named(item_id) or "an item not in this bundle")
    ranges: list[str] = []
    quoted: list[Quoted] = []
    for rng in incident.messages:
        label = labels.named(rng.item_id) or "a conversation not in this bundle"
        span = f"message {rng.first}" if rng.first == rng.last else (
            f"messages {rng.first} to {rng.last}")  # fmt: skip
        ranges.append(f"{label}, {span}")
        if rng.item_id in labels.travelling:
            quoted.extend(_quote(vault, label, rng, case.people))
            shown = rng.last - rng.first + 1
            if shown > QUOTE_LIMIT:
                ranges[-1] += f" (the first {QUOTE_LIMIT} quoted here; all in the conversation)"
    when = moment(incident.when, incident.zone)
    until = moment(incident.until, incident.zone)
    return IncidentView(
        number=number,
        incident=incident,
        when=when.text if when else "time not recorded",
        until=until.text if until else None,
        people=[names.get(i, f"person {i}") for i in incident.people],
        witnesses=[names.get(i, f"person {i}") for i in incident.witnesses],
        offences=[
            f"{code}: {offences[code]}" if code in offences else code for code in incident.offences
        ],
        exhibits=exhibits,
        ranges=ranges,
        quoted=quoted,
    )


def _chronology(case: CaseFile, labels: Labels, exhibits: Sequence[Any],
                numbers: dict[int, int]) -> list[ChronologyRow]:  # fmt: skip
    entries: list[ChronologyEntry] = list(case.chronology)
    if not entries:  # no case file recorded: the exhibits by their evidence time
        for v in exhibits:
            t = v.item.evidence_time
            entries.append(ChronologyEntry(t.when_utc.isoformat(), t.local.isoformat(), t.zone,
                                           t.which.value, v.kind, v.label,
                                           v.description or v.original_name or v.kind_title,
                                           item_id=v.item.id))  # fmt: skip
        for incident in case.incidents:
            when = moment(incident.when, incident.zone)
            entries.append(ChronologyEntry(when.sort if when else "", incident.when,
                                           incident.zone, "incident", "incident",
                                           f"incident {incident.id}", incident.title,
                                           incident_id=incident.id))  # fmt: skip
    rows: list[tuple[str, ChronologyRow]] = []
    for entry in entries:
        label, summary = entry.label, entry.summary
        if entry.item_id is not None:
            if entry.item_id not in labels.travelling:
                if entry.item_id not in labels.withheld:
                    continue
                summary = "(withheld from this bundle)"
            label = labels.named(entry.item_id) or label
        elif entry.incident_id is not None and entry.incident_id in numbers:
            label = f"Incident {numbers[entry.incident_id]}"  # its number in this report
        shown = moment(entry.when_local or entry.when_utc, entry.zone)
        utc = moment(entry.when_utc, None)
        rows.append((utc.sort if utc else "", ChronologyRow(
            local=shown.local if shown else "time not recorded",
            utc=utc.utc if utc else "",
            which=entry.which_time, kind=KIND_WORDS.get(entry.kind, entry.kind),
            label=label, summary=summary)))  # fmt: skip
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _conduct(case: CaseFile) -> list[str]:
    names = people_names(case.people)
    lines = []
    for c in case.conduct:
        who = names.get(c.person_id, f"person {c.person_id}")
        text = c.summary or (
            f"{who}: {c.occasions} occasions on separate days, between {c.dates[0]} and "
            f"{c.dates[-1]}, by {', '.join(c.channels) or 'channels not recorded'}."
            if c.dates
            else f"{who}: {c.occasions} occasions."
        )
        if c.fear_of_violence_occasions >= 2:
            text += (f" Fear of violence was tagged on {c.fear_of_violence_occasions} of these "
                     "occasions.")  # fmt: skip
        lines.append(text)
    return lines


def build_case(vault: Any, case: CaseFile, plan: Sequence[Exhibit],
               withheld: Sequence[Withheld], exhibits: Sequence[Any]) -> CaseSection:  # fmt: skip
    labels = Labels(plan, withheld)
    ordered = sorted(
        case.incidents, key=lambda i: ((moment(i.when, i.zone) or Moment("", "", "")).sort, i.id)
    )
    section = CaseSection(
        name=case.case_name,
        incidents=[_incident(vault, n, i, case, labels) for n, i in enumerate(ordered, start=1)],
        people=[p.display() + f" — {p.role}" for p in case.people],
        offences=[
            (f"{o.code}: {o.act} {o.section}", o.summary, o.needs)
            for o in case.offences
            if not o.guidance_only
        ],
        conduct=_conduct(case),
        statement=case.statement.text if case.statement is not None else None,
        chronology=_chronology(
            case, labels, exhibits, {i.id: n for n, i in enumerate(ordered, start=1)}
        ),
        persons=case.people,
    )
    dates = [m.sort[:10] for i in ordered for m in (moment(i.when, i.zone),
             moment(i.until, i.zone)) if m is not None]  # fmt: skip
    if dates:
        section.date_from, section.date_to = min(dates), max(dates)
    return section


def header_lines(extra: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """An e-mail's From, To, Cc, Subject and Date, as its headers gave them."""
    headers = extra.get("headers") if isinstance(extra, Mapping) else None
    if not isinstance(headers, Mapping):
        return []
    names = (("from", "From"), ("to", "To"), ("cc", "Cc"), ("subject", "Subject"), ("date", "Date"))
    return [(title, str(headers[key])) for key, title in names if headers.get(key)]
