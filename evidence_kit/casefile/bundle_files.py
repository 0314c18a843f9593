"""The case file in a bundle of a case: `bag/data/case/incidents.json`, `people.json`,
`statement.txt` (absent when there is none) and `chronology.jsonl`, written by the export
through the same path as every payload file, so the manifests (and `verify`) cover them.

Only what the bundle holds is named: each incident lists its linked items by exhibit label and
SHA-256; a linked item this audience does not get (withheld from a manager) is named by its
label only when it is in the bundle's numbering; one outside it (another case) is left out and
counted. The chronology is made of the exhibits that travel, under their labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evidence_kit.bundle.exhibits import Exhibit, Withheld
from evidence_kit.bundle.format import layout
from evidence_kit.casefile import chronology, statement
from evidence_kit.casefile import incidents as incident_store
from evidence_kit.casefile import people as people_store
from evidence_kit.casefile.loading import case_people
from evidence_kit.casefile.model import Incident, Person
from evidence_kit.vault.queries import Queries

INCIDENT_LABEL = "incident {id}"


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def incident_record(
    one: Incident,
    travelling: Mapping[int, Exhibit],
    numbered: Mapping[int, str],
    names: Mapping[int, Person],
) -> dict[str, Any]:
    """One incident as `incidents.json` holds it (field names are a contract: see README)."""
    items, left_out = [], 0
    for item_id in one.items:
        if item_id in travelling:
            exhibit = travelling[item_id]
            items.append({"label": exhibit.label, "sha256": exhibit.item.sha256, "in_bundle": True})
        elif item_id in numbered:
            items.append({"label": numbered[item_id], "sha256": None, "in_bundle": False})
        else:
            left_out += 1
    messages, messages_left_out = [], 0
    for span in one.messages:
        label = (
            travelling[span.item_id].label
            if span.item_id in travelling
            else numbered.get(span.item_id)
        )
        if label is None:
            messages_left_out += 1
            continue
        messages.append({"label": label, "from": span.first, "to": span.last,
                         "in_bundle": span.item_id in travelling})  # fmt: skip

    def who(ids: Iterable[int]) -> list[dict[str, Any]]:
        return [{"id": p, "name": names[p].name} for p in ids if p in names]

    return {
        "id": one.id, "version": one.version, "when": one.when, "until": one.until,
        "zone": one.zone, "title": one.title, "what": one.what, "where": one.where,
        "impact": one.impact, "people": who(one.people), "witnesses": who(one.witnesses),
        "offences": list(one.offences), "references": list(one.references),
        "items": items, "messages": messages,
        "items_not_in_bundle": left_out, "messages_not_in_bundle": messages_left_out,
    }  # fmt: skip


def files(
    vault: Queries, case: str, plan: Sequence[Exhibit], withheld: Sequence[Withheld]
) -> list[tuple[str, bytes]]:
    """(payload name below data/, bytes) of each case-file file of a bundle of case `case`."""
    named = vault.case_named(case)
    if named is None:
        return []
    case_incidents = incident_store.latest(vault, named.id)
    travelling = {exhibit.item.id: exhibit for exhibit in plan}
    numbered = {kept.item.id: kept.label for kept in withheld}
    names = {p.id: p for p in people_store.everyone(vault)}
    # Only people this bundle shows: a sender seen only in an item held back (a bystander in a
    # chat a manager gets redacted) is not named here either.
    who = case_people(vault, case_incidents, [exhibit.item for exhibit in plan])
    found = [
        (layout.CASE_INCIDENTS,
         _json([incident_record(one, travelling, numbered, names) for one in case_incidents])),
        (layout.CASE_PEOPLE, _json([person.as_bundle() for person in who])),
    ]  # fmt: skip
    latest = statement.latest(vault, named.id)
    if latest is not None:
        found.append((layout.CASE_STATEMENT, latest.text.encode("utf-8")))
    entries = chronology.entries(
        vault, [(e.item, e.label) for e in plan], case_incidents, incident_label=INCIDENT_LABEL
    )
    lines = b"".join(
        json.dumps(entry.as_bundle(), ensure_ascii=False).encode("utf-8") + b"\n"
        for entry in entries
    )
    found.append((layout.CASE_CHRONOLOGY, lines))
    return found


def subjects(vault: Queries, case: str, plan: Sequence[Exhibit]) -> set[str]:
    """The custody subjects of the case's incidents and of the people its bundle shows, to
    travel with it."""
    named = vault.case_named(case)
    if named is None:
        return set()
    case_incidents = incident_store.latest(vault, named.id)
    who = case_people(vault, case_incidents, [exhibit.item for exhibit in plan])
    return {f"incident:{one.id}" for one in case_incidents} | {f"person:{p.id}" for p in who}
