"""Cases: `case add NAME`, `case rename OLD NEW`, `case move ITEM… --to NAME`, `cases`.

Each act is one event on the custody chain (a move of several items, one event per item).
"""

from __future__ import annotations

import click

from evidence_kit.cli.root import Context, emit_json
from evidence_kit.clock import iso_utc
from evidence_kit.model import NOT_IN_A_CASE

pass_ctx = click.make_pass_decorator(Context)


@click.group(name="case")
def case_group() -> None:
    """Make, rename or fill a case (a group of evidence about one situation)."""


@case_group.command(name="add")
@click.argument("name")
@pass_ctx
def case_add(ctx: Context, name: str) -> None:
    """Make a new, empty case called NAME."""
    with ctx.vault() as vault, vault.transaction() as writer:
        case_id = writer.add_case(name)
        made = writer.case_name(case_id)
    click.echo(f"Made case {made!r}.")


@case_group.command(name="rename")
@click.argument("old")
@click.argument("new")
@pass_ctx
def case_rename(ctx: Context, old: str, new: str) -> None:
    """Call case OLD by the name NEW from now on (the old name stays on the custody log)."""
    with ctx.vault() as vault, vault.transaction() as writer:
        case_id = writer.rename_case(old, new)
        named = writer.case_name(case_id)
    click.echo(f"Case {old.strip()!r} is now called {named!r}.")


@case_group.command(name="move")
@click.argument("items", nargs=-1, required=True, type=int)
@click.option("--to", "to", required=True, metavar="NAME", help="The case to put them in.")
@pass_ctx
def case_move(ctx: Context, items: tuple[int, ...], to: str) -> None:
    """Put items ITEM… in case NAME (an import's attachments go with it)."""
    with ctx.vault() as vault:
        with vault.transaction() as writer:  # all of them, or (on any error) none
            moved = [item_id for item_id in items if writer.move_item(item_id, to)]
        name = vault.case_named(to)
    target = name.name if name else to
    for item_id in items:
        if item_id in moved:
            click.echo(f"Item {item_id} is now in case {target!r}.")
        else:
            click.echo(f"Item {item_id} was already in case {target!r}.")


@click.command(name="cases")
@click.option("--json", "as_json", is_flag=True, help="Print the cases as a JSON array.")
@pass_ctx
def cases(ctx: Context, as_json: bool) -> None:
    """List the cases, with how many items each holds now."""
    with ctx.vault() as vault:
        found = vault.cases()
        loose = vault.uncased_count()
    if as_json:
        emit_json(
            [
                {
                    "id": case.id,
                    "name": case.name,
                    "items": case.item_count,
                    "created_at": iso_utc(case.created_at),
                }
                for case in found
            ]
        )
        return
    if not found:
        click.echo("No cases yet. Make one with: evidence-kit case add NAME")
    for case in found:
        click.echo(f"{case.item_count:>5} item(s)  {case.name}")
    click.echo(f"{loose:>5} item(s)  {NOT_IN_A_CASE}")


COMMANDS = [case_group, cases]
