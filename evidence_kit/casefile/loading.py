"""`casefile.load(vault, case)`: everything the report, the bundle and the GUI need about one
case's incidents, people, statement, chronology and course of conduct, as one `CaseFile`."""

from __future__ import annotations

from collections.abc import Iterable

from evidence_kit.casefile import chronology, conduct, offences, statement
from evidence_kit.casefile import incidents as incident_store
from evidence_kit.casefile import people as people_store
from evidence_kit.casefile.model import CaseFile, Incident, Person
from evidence_kit.errors import NotFound
from evidence_kit.model import Item
from evidence_kit.vault.queries import Queries


def case_people(
    vault: Queries, case_incidents: Iterable[Incident], items: Iterable[Item]
) -> tuple[Person, ...]:
    """The people of a case: those its incidents name (involved, witnesses) and those who sent
    messages in its imports — nobody else in the vault."""
    everyone = {p.id: p for p in people_store.everyone(vault)}
    wanted = {p for one in case_incidents for p in (*one.people, *one.witnesses)}
    who = people_store.resolve(vault)
    for item in items:
        if vault.message_count(item.id):
            for row in vault.conn.execute(
                "SELECT DISTINCT sender, sender_id FROM messages WHERE item_id = ?", (item.id,)
            ):
                person = who(row[0], row[1])
                if person is not None:
                    wanted.add(person.id)
    return tuple(everyone[p] for p in sorted(wanted) if p in everyone)


def channels_of(vault: Queries) -> conduct.Channels:
    """An incident's channels: where it happened, and how its linked evidence came."""

    def of(one: Incident) -> list[str]:
        found = [one.where] if one.where else []
        for item_id in (*one.items, *(m.item_id for m in one.messages)):
            try:
                found.append(chronology.channel(vault, vault.item(item_id)))
            except NotFound:
                continue
        return found

    return of


def load(vault: Queries, case: str) -> CaseFile:
    named = vault.case_named(case)
    if named is None:
        raise NotFound(
            f"There is no case called {case!r}.", hint="`evidence-kit cases` lists them."
        )
    case_incidents = incident_store.latest(vault, named.id)
    items = vault.items(named.name)
    people = case_people(vault, case_incidents, items)
    everyone = {p.id: p for p in people_store.everyone(vault)}
    return CaseFile(
        case_name=named.name,
        incidents=tuple(case_incidents),
        people=people,
        statement=statement.latest(vault, named.id),
        chronology=tuple(chronology.for_case(vault, named.name)),
        conduct=conduct.find(case_incidents, everyone, channels_of(vault)),
        offences=offences.of(code for one in case_incidents for code in one.offences),
    )
