"""`evidence-kit backup DEST`."""

from __future__ import annotations

from pathlib import Path

import click

from evidence_kit.cli.root import Context, emit_json, progress_bar

pass_ctx = click.make_pass_decorator(Context)


@click.command()
@click.argument("destination", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def backup(ctx: Context, destination: Path, as_json: bool) -> None:
    """Copy the vault, still encrypted, into a new folder inside DESTINATION (a USB stick).

    The copy is checked, and the backup is recorded on the custody log. The vault stays as it
    is. To restore, open the copy: it is a vault of its own, with the same passphrase and
    recovery code (`evidence-kit --vault DESTINATION/evidence-kit-backup-… status`), or copy
    that folder's files back in place of the vault's.
    """
    from evidence_kit.vault.backup import backup as make_backup
    from evidence_kit.vault.backup import plan_backup

    with ctx.vault() as vault:
        plan = plan_backup(vault, destination)  # checked before a passphrase-long wait
        with progress_bar("Backing up", plan.needed * 2) as progress:
            result = make_backup(vault, destination, progress=progress)
    if as_json:
        emit_json(result.as_dict())
        return
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"Backed up to {result.folder} ({result.size:,} bytes), and checked.")
    click.echo(f"It holds the custody log up to #{result.head.count} {result.head.hash}")
    click.echo(f"To restore, open it as it is: evidence-kit --vault {str(result.folder)!r} status")


COMMANDS = [backup]
