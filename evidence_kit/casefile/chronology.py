"""One chronology of a case: every message, screenshot, file and incident on one time line by
when it happened, each marked with which time that is (sent, posted, captured, the file's own
time, added — the one definition in `evidence_kit/evidence_time.py` — or the incident's time).

Local time with its zone first, UTC beside it. Messages are named by who sent them as the case's
people know them (`people.resolve`): "Gareth Holloway (+44 7700 900123)", not a bare number.
Attachments are not entries of their own (the message that carried them is), and a copy made
from an item (a crop, a redaction) stands in for its original only when the original is not
there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from evidence_kit.casefile import incidents as incident_store
from evidence_kit.casefile import people as people_store
from evidence_kit.casefile.model import ChronologyEntry, Incident, Person
from evidence_kit.evidence_time import EvidenceTime, Sent, SentRange, Which, evidence_time, iso
from evidence_kit.model import Item, ItemKind
from evidence_kit.vault.queries import Queries

SUMMARY_LIMIT = 280  # characters of a message's text in a summary
KINDS = {
    ItemKind.SCREENSHOT: "screenshot",
    ItemKind.FILE: "file",
    ItemKind.NOTE: "note",
    ItemKind.DERIVED: "copy",
    ItemKind.RECEIVED: "received bundle",
}


def _short(text: str, limit: int = SUMMARY_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _entry(
    moment: EvidenceTime,
    which: str,
    kind: str,
    label: str,
    summary: str,
    item_id: int | None = None,
    incident_id: int | None = None,
) -> ChronologyEntry:
    return ChronologyEntry(
        when_utc=iso(moment.when_utc), when_local=moment.local.isoformat(), zone=moment.zone,
        which_time=which, kind=kind, label=label, summary=summary, item_id=item_id,
        incident_id=incident_id,
    )  # fmt: skip


def channel(vault: Queries, item: Item) -> str:
    """Which channel an item came by: the import's format, the platform of a page, or its kind."""
    if item.kind is ItemKind.IMPORT:
        summary = vault.import_summary(item.id) or {}
        return str(summary.get("format") or "messages")
    place = item.metadata.get("place")
    if isinstance(place, Mapping) and isinstance(place.get("platform"), str):
        return str(place["platform"])
    return KINDS.get(item.kind, item.kind.value)


def _item_summary(item: Item) -> str:
    words = []
    place = item.metadata.get("place")
    if isinstance(place, Mapping):
        for key in ("platform", "url", "window_title", "account"):
            if isinstance(place.get(key), str) and place[key].strip():
                words.append(_short(place[key], 120))
                break
    for key in ("url", "description"):
        if isinstance(item.metadata.get(key), str) and item.metadata[key].strip():
            words.append(_short(item.metadata[key], 120))
    if item.original_name:
        words.append(item.original_name)
    text = f"{KINDS.get(item.kind, item.kind.value).capitalize()}" + (
        f": {' — '.join(dict.fromkeys(words))}" if words else ""
    )
    return text + (" (withdrawn)" if item.withdrawn else "")


def _message_entries(
    vault: Queries, item: Item, label: str, who: people_store.Resolver
) -> Iterator[ChronologyEntry]:
    summary = vault.import_summary(item.id) or {}
    zone = summary.get("timezone") if isinstance(summary.get("timezone"), str) else None
    source = channel(vault, item)
    for record in vault.messages(item.id):
        sent = Sent.parse(record.get("sent_at_utc"), record.get("sent_at"))
        if sent is None:
            continue  # a message without a time cannot be placed on the line
        moment = evidence_time({}, sent.utc, SentRange(sent, sent, zone))
        person = who(record.get("sender"), record.get("sender_id"))
        if person is not None:
            name = person.display()
        else:
            name = (
                record.get("sender")
                or record.get("sender_id")
                or ("System" if record.get("is_system") else "Unknown")
            )
        text = _short(str(record.get("text") or ""))
        if record.get("attachments"):
            text = (text + " " if text else "") + f"[{len(record['attachments'])} file(s)]"
        if record.get("deleted"):
            text += " (deleted by the sender)"
        conversation = record.get("conversation")
        if conversation:  # an SMS thread is named by its number: say whose it is
            other = who(None, str(conversation))
            conversation = other.display() if other is not None else conversation
        where = f"{source}, {conversation}" if conversation else source
        yield _entry(
            moment, "sent", "message", f"{label} #{record['index']}",
            f"{where} — {name}: {text}", item_id=item.id,
        )  # fmt: skip


def _incident_entry(one: Incident, label: str, names: Mapping[int, Person]) -> ChronologyEntry:
    start = incident_store.local(one)
    # An incident's time is the one the person typed: not an item's, so no `Which` of its own.
    moment = EvidenceTime(Which.ADDED, start.astimezone(UTC), start, one.zone)
    involved = [names[p].display() for p in one.people if p in names]
    text = f"Incident: {one.title}"
    if one.until:
        text += f" (until {incident_store.local(one, one.until):%d %b %Y %H:%M})"
    if involved:
        text += f" — {', '.join(involved)}"
    if one.where:
        text += f" — {_short(one.where, 120)}"
    return _entry(moment, "incident", "incident", label, text, incident_id=one.id)


def entries(
    vault: Queries,
    items: Iterable[tuple[Item, str]],
    case_incidents: Sequence[Incident],
    *,
    incident_label: str = "incident {id}",
) -> list[ChronologyEntry]:
    """The time line of these (item, label) pairs and incidents, in time order."""
    who = people_store.resolve(vault)
    names = {p.id: p for p in people_store.everyone(vault)}
    chosen = list(items)
    present = {item.id for item, _ in chosen}
    found: list[ChronologyEntry] = []
    for item, label in chosen:
        if item.kind is ItemKind.ATTACHMENT:
            continue
        if item.kind is ItemKind.DERIVED and item.parent_id in present:
            continue
        if vault.message_count(item.id):
            found.extend(_message_entries(vault, item, label, who))
            continue
        moment = item.evidence_time
        found.append(
            _entry(
                moment,
                moment.which.value,
                KINDS.get(item.kind, item.kind.value),
                label,
                _item_summary(item),
                item_id=item.id,
            )
        )
    for one in case_incidents:
        found.append(_incident_entry(one, incident_label.format(id=one.id), names))
    return sorted(found, key=_order)


def _order(entry: ChronologyEntry) -> tuple[datetime, str]:
    return datetime.fromisoformat(entry.when_utc.replace("Z", "+00:00")), entry.label


def for_case(vault: Queries, case_name: str) -> list[ChronologyEntry]:
    """The vault's chronology of a case: items labelled "item N", incidents "incident N"."""
    case = vault.case_named(case_name)
    if case is None:
        from evidence_kit.errors import NotFound

        raise NotFound(
            f"There is no case called {case_name!r}.", hint="`evidence-kit cases` lists them."
        )
    items = [(item, f"item {item.id}") for item in vault.items(case.name)]
    return entries(vault, items, incident_store.latest(vault, case.id))


def as_dicts(found: Iterable[ChronologyEntry]) -> list[dict[str, Any]]:
    return [entry.as_bundle() for entry in found]
