"""Vault commands: init, status, add, list, show, extract, note, withdraw, log, check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from evidence_kit.cli.root import ENV_PASSPHRASE, Context, emit_json, progress_bar
from evidence_kit.clock import iso_utc
from evidence_kit.errors import Refused
from evidence_kit.model import NOT_IN_A_CASE, Item

pass_ctx = click.make_pass_decorator(Context)


@click.command()
@click.option("--owner", default=None, help="Your name, as it should appear on the custody log.")
@pass_ctx
def init(ctx: Context, owner: str | None) -> None:
    """Create a new, empty vault protected by a passphrase.

    This is the only command that makes a vault: a vault whose database is missing or empty is
    refused by every other command, never made anew.
    """
    from evidence_kit.cli.key_cmds import choose_passphrase
    from evidence_kit.vault import Vault

    if ctx.passphrase_file is not None or os.environ.get(ENV_PASSPHRASE):
        passphrase = ctx.passphrase()
    else:
        passphrase = choose_passphrase(
            "Choose a passphrase",
            [owner or ""],
            options=f"--passphrase-file FILE, or set {ENV_PASSPHRASE}",
        )
    created = Vault.create(ctx.vault_dir, passphrase, owner=owner)
    with created.vault as vault:
        click.echo(f"Created a vault in {vault.folder}")
        click.echo(f"Seal key fingerprint: {vault.fingerprint}")
    click.echo("")
    click.echo("Your recovery code (shown once; print it or write it down and keep it safe):")
    click.echo("")
    click.echo(f"    {created.recovery_code}")
    click.echo("")
    click.echo(
        "With it you can open the vault if you forget your passphrase (`evidence-kit recover`)."
    )


@click.command()
@pass_ctx
def status(ctx: Context) -> None:
    """Say where the vault is and what it holds."""
    from evidence_kit.vault import is_vault

    if not is_vault(ctx.vault_dir):
        click.echo(f"No vault yet in {ctx.vault_dir}.")
        click.echo("Create one with: evidence-kit init")
        return
    from evidence_kit.bundle.format.layout import EXPORT_ACTION
    from evidence_kit.vault.backup import backup_status

    with ctx.vault() as vault:
        items = vault.items()
        events = vault.custody_events()
        backups = backup_status(vault)
        click.echo(f"Vault: {vault.folder}")
        click.echo(f"Owner: {vault.owner}")
        click.echo(f"Items: {len(items)} ({sum(1 for i in items if i.withdrawn)} withdrawn)")
        click.echo(f"Cases: {', '.join(c.name for c in vault.cases()) or 'none'}")
        click.echo(
            f"Custody events: {len(events)}; last: {events[-1].action} at {iso_utc(events[-1].at)}"
        )
        click.echo(f"Custody head: #{events[-1].seq} {events[-1].hash}")
        exported = [event for event in events if event.action == EXPORT_ACTION]
        if exported:
            last = exported[-1]
            click.echo(
                f"Last bundle made: {last.details.get('bundle_id', '?')} at {iso_utc(last.at)}; "
                f"it holds the custody log up to #{last.seq} {last.hash}"
            )
            click.echo(
                "  (an outside anchor: a copy of this vault that no longer has that event was rolled back)"
            )
        else:
            click.echo("Last bundle made: none yet")
        if backups.last_at is not None:
            click.echo(
                f"Last backup: {iso_utc(backups.last_at)} in {backups.last_folder}; "
                f"{backups.items_since} item(s) added since"
            )
        else:
            click.echo(
                f"Last backup: none yet ({backups.items_since} item(s) not backed up); "
                "make one with `evidence-kit backup DEST`"
            )
        _timestamps(vault, items)
        click.echo(f"Seal key fingerprint: {vault.fingerprint}")


def _timestamps(vault: Any, items: list[Any]) -> None:
    from evidence_kit.timestamp import authority_urls

    states = [vault.timestamp_state(item.id).status for item in items]
    urls = authority_urls(vault)
    click.echo(
        f"Time-stamps: {states.count('stamped')} item(s) witnessed by an outside authority, "
        f"{states.count('pending')} waiting, {states.count('failed')} failed; "
        + (f"asked of {', '.join(urls)}" if urls else "off")
    )


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--case", "case", default=None, help="Put the items in this case (made if new).")
@click.option("--note", default=None, help="A first note to keep with each item.")
@click.option("--posted-at", "posted_at", default=None, metavar="ISO",
              help="The time shown on the post (ISO 8601; without an offset, in this computer's zone).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the items made as JSON.")
@pass_ctx
def add(
    ctx: Context, files: tuple[Path, ...], case: str | None, note: str | None,
    posted_at: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Keep files (PDF, picture, audio, video, anything) in the vault, exactly as they are."""
    from evidence_kit.evidence_time import posted_metadata
    from evidence_kit.vault.files import add_file, open_input

    told = {"posted": posted_metadata(posted_at)} if posted_at else None

    for path in files:  # refuse early, before anything is stored, if one cannot be read
        handle, _ = open_input(path)
        handle.close()
    made: list[Item] = []
    with ctx.vault() as vault:
        for path in files:
            with progress_bar(f"Adding {path.name}", path.stat().st_size) as progress:
                item = add_file(vault, path, case=case, note=note, metadata=told, progress=progress)
            made.append(item)
            if not as_json:
                click.echo(
                    f"Added item {item.id}: {item.original_name} ({item.media_type}, {item.size} bytes)"
                )
                click.echo(f"  SHA-256 {item.sha256}")
    if as_json:
        emit_json([item.as_dict() for item in made])


@click.command(name="list")
@click.option("--case", "case", default=None, help="Only this case.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_ctx
def list_items(ctx: Context, case: str | None, as_json: bool) -> None:
    """List the items in the vault, by when they happened (sent, captured, file's own time or
    added: each line says which)."""
    with ctx.vault() as vault:
        if case is not None and not vault.case_exists(case):
            raise Refused(
                f"There is no case called {case!r}.", hint="`evidence-kit cases` lists the cases."
            )
        by_id = {item.id: item for item in vault.items(case)}
        items = [by_id[item_id] for item_id in vault.item_ids(case) if item_id in by_id]
    if as_json:
        emit_json([_summary(item) for item in items])
        return
    if not items:
        click.echo("No items yet.")
    for item in items:
        flag = "  [withdrawn]" if item.withdrawn else ""
        sha = (item.sha256 or "-")[:12]
        when = item.evidence_time
        click.echo(
            f"{item.id:>4}  {iso_utc(when.when_utc)} {when.which.value:<15}  "
            f"{item.kind.value:<10} {sha}  {item.original_name or ''}  "
            f"({item.case or NOT_IN_A_CASE}){flag}"
        )


def _summary(item: Item) -> dict[str, object]:
    full = item.as_dict()
    return {
        key: full[key]
        for key in (
            "id",
            "uid",
            "kind",
            "case",
            "sha256",
            "size",
            "media_type",
            "original_name",
            "added_at",
            "evidence_time",
            "parent_id",
            "withdrawn",
        )
    }


@click.command()
@click.argument("item_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print all of it as JSON.")
@pass_ctx
def show(ctx: Context, item_id: int, as_json: bool) -> None:
    """Show one item: its metadata, notes and custody events."""
    with ctx.vault() as vault:
        item = vault.item(item_id)
        events = vault.custody_events(f"item:{item_id}")
        summary = vault.import_summary(item_id)
    data = item.as_dict()
    data["custody"] = [event.as_dict() for event in events]
    if summary is not None:  # what an import found: counts, warnings, a download's skipped files
        data["import_summary"] = summary
    if as_json:
        emit_json(data)
        return
    data["case"] = data["case"] or NOT_IN_A_CASE
    for key in ("id", "kind", "case", "original_name", "media_type", "size", "sha256"):
        if data[key] is not None:
            click.echo(f"{key.replace('_', ' ').capitalize():<15} {data[key]}")
    when = item.evidence_time
    click.echo(f"{'Evidence time':<15} {iso_utc(when.when_utc)} ({when.which.value})")
    click.echo(f"{'Added at':<15} {data['added_at']}")
    if data["parent_id"] is not None:
        click.echo(f"{'Parent id':<15} {data['parent_id']}")
    if item.withdrawal:
        click.echo(f"Withdrawn       {iso_utc(item.withdrawal.at)}: {item.withdrawal.reason}")
    _echo_tree(item.metadata, indent=0)
    if summary is not None:
        _echo_tree(summary, indent=0, key="import summary")
    for note in item.notes:
        click.echo(f"Note {note.id} ({iso_utc(note.added_at)}): {note.text}")
    for event in events:
        click.echo(f"Custody #{event.seq} {iso_utc(event.at)} {event.action} by {event.actor}")


def _echo_tree(value: object, indent: int, key: str | None = None) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        if key is not None:
            click.echo(f"{pad}{key}:")
        for sub_key, sub_value in value.items():
            _echo_tree(sub_value, indent + (1 if key is not None else 0), str(sub_key))
    elif isinstance(value, list):
        click.echo(f"{pad}{key}: {', '.join(str(v) for v in value) if value else '(none)'}")
    else:
        click.echo(f"{pad}{key}: {value if value is not None else 'not available'}")


@click.command()
@click.argument("item_id", type=int)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the file.",
)
@pass_ctx
def extract(ctx: Context, item_id: int, out: Path) -> None:
    """Write an item's exact bytes to a file (a plain, unencrypted copy)."""
    if out.exists():
        raise Refused(f"{out} already exists; choose another name.")
    with ctx.vault() as vault:
        size = vault.extract(item_id, out)
        sha = vault.item(item_id).sha256
    click.echo(f"Wrote {size} bytes to {out}")
    click.echo(f"SHA-256 {sha}")


@click.command()
@click.argument("item_id", type=int)
@click.argument("text")
@pass_ctx
def note(ctx: Context, item_id: int, text: str) -> None:
    """Add a note to an item (earlier notes are kept)."""
    with ctx.vault() as vault, vault.transaction() as writer:
        note_id = writer.add_note(item_id, text)
    click.echo(f"Added note {note_id} to item {item_id}.")


@click.command()
@click.argument("item_id", type=int)
@click.option("--reason", required=True, help="Why the item is withdrawn (kept with it).")
@pass_ctx
def withdraw(ctx: Context, item_id: int, reason: str) -> None:
    """Withdraw an item: it is hidden from bundles, but not a byte of it is removed."""
    with ctx.vault() as vault, vault.transaction() as writer:
        writer.withdraw(item_id, reason)
    click.echo(
        f"Item {item_id} is withdrawn. Its bytes stay in the vault; the reason is on the custody log."
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
@pass_ctx
def log(ctx: Context, as_json: bool) -> None:
    """Show the chain of custody: every act on this vault, in order."""
    with ctx.vault() as vault:
        events = vault.custody_events()
    if as_json:
        emit_json([event.as_dict() for event in events])
        return
    for event in events:
        click.echo(
            f"#{event.seq:<4} {iso_utc(event.at)}  {event.action:<22} {event.subject or '':<12} "
            f"{event.actor}  {event.hash[:12]}"
        )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def check(click_ctx: click.Context, as_json: bool) -> None:
    """Check the vault: every page, every stored file's hash, the custody chain, the anchor
    (a database older than its last recorded state), the schema and its append-only triggers,
    and every record against the custody event that made it. Writes nothing; exits 3 on a problem.

    A rollback of every file of the vault together (an old copy of the whole folder) cannot be
    seen from inside it: a bundle already handed over, or a time-stamp token, is the outside
    anchor. Its last custody event (`status` shows the last bundle's) must still be in the log.
    """
    from evidence_kit.vault.check import OUTSIDE_ANCHOR, check_vault

    ctx: Context = click_ctx.obj
    with ctx.vault(for_check=True) as vault, progress_bar("Checking", None) as progress:
        report = check_vault(vault, progress=progress)
        head = vault.head() if report.ok else None
    if as_json:
        emit_json(
            {
                "ok": report.ok,
                "checks": [{"name": n, "passed": p, "detail": d} for n, p, d in report.checks],
                "problems": [{"where": p.where, "what": p.what} for p in report.problems],
                "custody_head": {"events": head.count, "hash": head.hash} if head else None,
                "note": OUTSIDE_ANCHOR,
            }
        )
    else:
        for name, passed, detail in report.checks:
            click.echo(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}")
        for problem in report.problems:
            click.echo(f"  - {problem.where}: {problem.what}")
        if head is not None:
            click.echo(f"Custody head: #{head.count} {head.hash}")
        click.echo(
            "The vault is intact."
            if report.ok
            else "The vault has problems (listed above). Keep a copy of the folder as it is, "
            "and restore your latest backup (a backup is a vault: open it with --vault)."
        )
        click.echo(f"Note: {OUTSIDE_ANCHOR}")
    if not report.ok:
        click_ctx.exit(3)


COMMANDS = [
    init,
    status,
    add,
    list_items,
    show,
    extract,
    note,
    withdraw,
    log,
    check,
]
