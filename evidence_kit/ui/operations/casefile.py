"""The case file on the worker: read one case's incidents, people, statement, chronology and
course of conduct; add or revise an incident or a person; keep a new statement version.

Each write is one transaction (one custody event per version): refused means nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from evidence_kit import casefile
from evidence_kit.casefile import incidents, people, statement
from evidence_kit.casefile.incidents import Draft
from evidence_kit.casefile.model import CaseFile, Incident, Person, Statement
from evidence_kit.errors import NotFound
from evidence_kit.ui.models.describe import title_text
from evidence_kit.ui.tasks import Job
from evidence_kit.vault.queries import Queries


@dataclass(frozen=True)
class CaseView:
    """What the case file window shows of one case."""

    file: CaseFile
    everyone: tuple[Person, ...]  # every person in the vault: the ones a form can pick
    titles: dict[int, str] = field(default_factory=dict)  # item id -> its short title
    versions: dict[int, int] = field(default_factory=dict)  # incident id -> versions kept


def _titles(vault: Queries, item_ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for item_id in dict.fromkeys(item_ids):
        try:
            found[item_id] = title_text(vault.item(item_id))
        except NotFound:
            found[item_id] = f"item {item_id} (not in the vault)"
    return found


def load(job: Job, case: str) -> CaseView:
    vault = job.need_vault()
    loaded = casefile.load(vault, case)
    linked = [
        i for one in loaded.incidents for i in (*one.items, *(m.item_id for m in one.messages))
    ]
    return CaseView(
        file=loaded,
        everyone=tuple(people.everyone(vault)),
        titles=_titles(vault, linked),
        versions={one.id: len(incidents.versions(vault, one.id)) for one in loaded.incidents},
    )


def item_titles(job: Job, item_ids: Sequence[int]) -> dict[int, str]:
    """The titles of the items chosen in the main window, for the incident form's links."""
    return _titles(job.need_vault(), item_ids)


def add_incident(job: Job, case: str, draft: Draft) -> Incident:
    with job.need_vault().transaction() as writer:
        return incidents.add(writer, case, draft)


def revise_incident(job: Job, incident_id: int, draft: Draft) -> Incident:
    with job.need_vault().transaction() as writer:
        return incidents.revise(writer, incident_id, draft)


def add_person(job: Job, name: str, role: str, identifiers: Sequence[str]) -> Person:
    found = [people.parse_identifier(text) for text in identifiers]
    with job.need_vault().transaction() as writer:
        return people.add(writer, name, role, found)


def revise_person(
    job: Job, person_id: int, name: str, role: str, identifiers: Sequence[str]
) -> Person:
    found = [people.parse_identifier(text) for text in identifiers]
    with job.need_vault().transaction() as writer:
        return people.revise(writer, person_id, name=name, role=role, identifiers=found)


def save_statement(job: Job, case: str, text: str) -> Statement:
    vault = job.need_vault()
    named = vault.case_named(case)
    if named is None:
        raise NotFound(f"There is no case called {case!r}.")
    with vault.transaction() as writer:
        return statement.write(writer, named.id, text)
