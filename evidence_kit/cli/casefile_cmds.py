"""The case file on the command line: `incident add|revise`, `incidents`, `person add|revise`,
`people`, `offences`, `statement`, `chronology` (issue 14's contract: names kept exactly).

Each version of an incident, a person or a statement is one event on the custody chain; a
command that is refused stores nothing (one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from evidence_kit.cli.root import Context, emit_json

pass_ctx = click.make_pass_decorator(Context)


def _incident_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--case", "case", metavar="NAME", help="The case it belongs to."),
        click.option("--when", "when", metavar="ISO", help="When it happened (ISO 8601)."),
        click.option("--until", "until", metavar="ISO", help="When it ended, for a range."),
        click.option("--tz", "zone", metavar="ZONE",
                     help="The zone a time without offset is read in (default: this computer's)."),
        click.option("--title", "title", metavar="TEXT", help="A few words: what it was."),
        click.option("--what", "what", metavar="TEXT", help="What happened, in your words."),
        click.option("--where", "where", metavar="TEXT", help="Platform, web address or place."),
        click.option("--impact", "impact", metavar="TEXT", help="What it did to you."),
        click.option("--witness", "witnesses", metavar="NAME", multiple=True,
                     help="Someone who saw or heard it (made a witness if new); repeatable."),
        click.option("--person", "people", metavar="NAME", multiple=True,
                     help="Someone involved (made 'involved' if new); repeatable."),
        click.option("--offence", "offences", metavar="CODE", multiple=True,
                     help="An offence tag (`evidence-kit offences` lists them); repeatable."),
        click.option("--reference", "references", metavar="TEXT", multiple=True,
                     help="A platform report number or police reference; repeatable."),
        click.option("--items", "items", metavar="IDS", help="Whole items, e.g. 3,5,8."),
        click.option("--messages", "messages", metavar="ITEM:FROM-TO", multiple=True,
                     help="Messages of an import by the index `messages ITEM` prints; repeatable."),
        click.option("--json", "as_json", is_flag=True, help="Print the incident as JSON."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _draft(values: dict[str, Any], revising: bool) -> Any:
    from evidence_kit.casefile.incidents import Draft, parse_items

    def many(name: str) -> tuple[str, ...] | None:
        given = tuple(values[name])
        return given if given or not revising else None

    return Draft(
        when=values["when"], until=values["until"], zone=values["zone"], title=values["title"],
        what=values["what"], where=values["where"], impact=values["impact"],
        people=many("people"), witnesses=many("witnesses"), offences=many("offences"),
        references=many("references"),
        items=parse_items(values["items"]) if values["items"] is not None else (None if revising else ()),
        messages=many("messages"),
    )  # fmt: skip


def _show_incident(found: Any, as_json: bool, verb: str) -> None:
    from evidence_kit.casefile import incidents

    if as_json:
        emit_json(incidents.as_dict(found))
        return
    when = incidents.local(found)
    click.echo(
        f"{verb} incident {found.id} (version {found.version}): {found.title}, "
        f"{when:%a %d %b %Y %H:%M} {found.zone}."
    )


@click.group(name="incident")
def incident_group() -> None:
    """Record an incident (what happened, when, who, and its evidence), or revise one."""


@incident_group.command(name="add")
@_incident_options
@pass_ctx
def incident_add(ctx: Context, as_json: bool, **values: Any) -> None:
    """Record a new incident in case NAME (--case, --when and --title are needed)."""
    from evidence_kit.casefile import incidents
    from evidence_kit.cli.root import fail

    if not values["case"]:
        raise fail("Say which case the incident belongs to (--case NAME).")
    if not values["when"] or not values["title"]:
        raise fail("An incident needs --when ISO and --title TEXT.")
    draft = _draft(values, revising=False)
    with ctx.vault() as vault, vault.transaction() as writer:
        found = incidents.add(writer, values["case"], draft)
    _show_incident(found, as_json, "Recorded")


@incident_group.command(name="revise")
@click.argument("incident_id", type=int)
@_incident_options
@pass_ctx
def incident_revise(ctx: Context, incident_id: int, as_json: bool, **values: Any) -> None:
    """Record a new version of incident ID: what you give replaces what it said; every
    version is kept."""
    from evidence_kit.casefile import incidents

    draft = _draft(values, revising=True)
    with ctx.vault() as vault, vault.transaction() as writer:
        found = incidents.revise(writer, incident_id, draft, case=values["case"])
    _show_incident(found, as_json, "Revised")


@click.command(name="incidents")
@click.option("--case", "case", metavar="NAME", help="Only this case's incidents.")
@click.option("--json", "as_json", is_flag=True, help="Print them as a JSON array.")
@pass_ctx
def incidents_list(ctx: Context, case: str | None, as_json: bool) -> None:
    """List the incidents (their latest versions), in the order they happened."""
    from evidence_kit.casefile import incidents
    from evidence_kit.errors import NotFound

    with ctx.vault() as vault:
        case_id = None
        if case is not None:
            named = vault.case_named(case)
            if named is None:
                raise NotFound(
                    f"There is no case called {case!r}.", hint="`evidence-kit cases` lists them."
                )
            case_id = named.id
        found = incidents.latest(vault, case_id)
        names = {c.id: c.name for c in vault.cases()}
    if as_json:
        emit_json([{**incidents.as_dict(one), "case": names.get(one.case_id)} for one in found])
        return
    if not found:
        click.echo("No incidents yet. Record one with: evidence-kit incident add --case NAME …")
    for one in found:
        when = incidents.local(one)
        click.echo(
            f"{one.id:>4}  v{one.version}  {when:%a %d %b %Y %H:%M} {one.zone}  "
            f"{one.title}  [{names.get(one.case_id, one.case_id)}]"
        )


def _ids(texts: tuple[str, ...]) -> list[Any]:
    from evidence_kit.casefile.people import parse_identifier

    return [parse_identifier(text) for text in texts]


def _show_person(found: Any, as_json: bool, verb: str) -> None:
    from evidence_kit.casefile import people

    if as_json:
        emit_json(people.as_dict(found))
    else:
        click.echo(
            f"{verb} person {found.id} (version {found.version}): {found.display()}, {found.role}."
        )


@click.group(name="person")
def person_group() -> None:
    """Add a person (name, role, phone numbers, addresses, handles), or revise one."""


_ID_HELP = "An identifier KIND:VALUE (phone, email, whatsapp, instagram, …); repeatable."
_ROLE_HELP = "the person, reported person, witness, bystander, supporter or involved."


@person_group.command(name="add")
@click.argument("name")
@click.option("--id", "identifiers", metavar="KIND:VALUE", multiple=True, help=_ID_HELP)
@click.option("--role", "role", default="involved", show_default=True, help=_ROLE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the person as JSON.")
@pass_ctx
def person_add(
    ctx: Context, name: str, identifiers: tuple[str, ...], role: str, as_json: bool
) -> None:
    """Add a person called NAME."""
    from evidence_kit.casefile import people

    found_ids = _ids(identifiers)
    with ctx.vault() as vault, vault.transaction() as writer:
        found = people.add(writer, name, role, found_ids)
    _show_person(found, as_json, "Added")


@person_group.command(name="revise")
@click.argument("person_id", type=int)
@click.option("--name", "name", help="Their name from now on.")
@click.option("--id", "identifiers", metavar="KIND:VALUE", multiple=True,
              help="An identifier to add; repeatable.")  # fmt: skip
@click.option("--role", "role", default=None, help=_ROLE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the person as JSON.")
@pass_ctx
def person_revise(
    ctx: Context, person_id: int, name: str | None, identifiers: tuple[str, ...],
    role: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Record a new version of person ID (every version is kept)."""
    from evidence_kit.casefile import people

    found_ids = _ids(identifiers)
    with ctx.vault() as vault, vault.transaction() as writer:
        found = people.revise(writer, person_id, name=name, role=role, identifiers=found_ids)
    _show_person(found, as_json, "Revised")


@click.command(name="people")
@click.option("--json", "as_json", is_flag=True, help="Print them as a JSON array.")
@pass_ctx
def people_list(ctx: Context, as_json: bool) -> None:
    """List the people (their latest versions)."""
    from evidence_kit.casefile import people

    with ctx.vault() as vault:
        found = people.everyone(vault)
    if as_json:
        emit_json([people.as_dict(one) for one in found])
        return
    if not found:
        click.echo("No people yet. Add one with: evidence-kit person add NAME --id phone:…")
    for one in found:
        ids = ", ".join(f"{i.kind}:{i.shown()}" for i in one.identifiers)
        click.echo(f"{one.id:>4}  {one.name}  ({one.role})" + (f"  {ids}" if ids else ""))


@click.command(name="offences")
@click.option("--json", "as_json", is_flag=True, help="Print them as a JSON array.")
def offences_list(as_json: bool) -> None:
    """The offence tags (England and Wales), each with what it covers and what it needs."""
    from evidence_kit.casefile.offences import catalogue

    listed = catalogue()
    if as_json:
        emit_json([offence.as_dict() for offence in listed.offences])
        return
    click.echo(f"Offences in {listed.jurisdiction}, as of {listed.as_of}.\n")
    for offence in listed.offences:
        mark = " (guidance only, not a tag)" if offence.guidance_only else ""
        mark += "" if offence.in_force else " (repealed)"
        click.echo(f"{offence.code}{mark}: {offence.act}, {offence.section}")
        click.echo(f"    {offence.summary}")
        click.echo(f"    Needs: {offence.needs}")
    click.echo(f"\n{listed.child_protection_guidance}")
    click.echo(f"\n{listed.not_legal_advice}")


@click.command(name="statement")
@click.option("--case", "case", required=True, metavar="NAME", help="The case it is about.")
@click.option("--file", "file", type=click.Path(path_type=Path), metavar="FILE",
              help="A UTF-8 text file with the statement, kept exactly as written.")  # fmt: skip
@pass_ctx
def statement_cmd(ctx: Context, case: str, file: Path | None) -> None:
    """Keep a new version of your statement for case NAME (--file), or print the latest."""
    from evidence_kit.casefile import statement
    from evidence_kit.errors import NotFound

    text = statement.read_file(file) if file is not None else None
    with ctx.vault() as vault:
        named = vault.case_named(case)
        if named is None:
            raise NotFound(
                f"There is no case called {case!r}.", hint="`evidence-kit cases` lists them."
            )
        if text is None:
            found = statement.latest(vault, named.id)
            if found is None:
                click.echo(
                    f"Case {named.name!r} has no statement yet: add one with --file FILE.", err=True
                )
                return
            click.echo(found.text, nl=False)
            return
        with vault.transaction() as writer:
            kept = statement.write(writer, named.id, text)
    click.echo(
        f"Kept version {kept.version} of the statement of case {named.name!r} ({len(text)} characters)."
    )


@click.command(name="chronology")
@click.option("--case", "case", required=True, metavar="NAME", help="The case.")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as a JSON array.")
@pass_ctx
def chronology_cmd(ctx: Context, case: str, as_json: bool) -> None:
    """Every message, screenshot, file and incident of case NAME on one time line."""
    from evidence_kit.casefile import chronology

    with ctx.vault() as vault:
        found = chronology.for_case(vault, case)
    if as_json:
        emit_json(
            [{**e.as_bundle(), "item_id": e.item_id, "incident_id": e.incident_id} for e in found]
        )
        return
    if not found:
        click.echo("Nothing in this case yet.")
    for entry in found:
        moment = datetime.fromisoformat(entry.when_local)
        zone = entry.zone or f"UTC{moment:%z}"
        click.echo(f"{moment:%Y-%m-%d %H:%M:%S} {zone}  (UTC {entry.when_utc[:19].replace('T', ' ')})  "
                   f"[{entry.which_time}] {entry.label}  {entry.summary}")  # fmt: skip


COMMANDS = [
    incident_group, incidents_list, person_group, people_list, offences_list, statement_cmd,
    chronology_cmd,
]  # fmt: skip
