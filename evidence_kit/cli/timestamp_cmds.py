"""`evidence-kit timestamp`: ask for every pending time-stamp now, or set the authorities."""

from __future__ import annotations

import click

from evidence_kit.cli.root import Context, emit_json, progress_bar

pass_ctx = click.make_pass_decorator(Context)


@click.command()
@click.option(
    "--set-authorities",
    "authorities",
    metavar="URL[,URL…]|none",
    help="Store the time-stamping authorities to ask (in the vault, on the custody log); "
    "`none` turns time-stamps off.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_ctx
def timestamp(ctx: Context, authorities: str | None, as_json: bool) -> None:
    """Ask the time-stamping authorities now for every time-stamp still waiting.

    Each capture, file, import and export is queued for an RFC 3161 time-stamp when it is
    saved; one token covers everything waiting (a list of hashes whose last line is the custody
    log's head). Prints how many were stamped and failed in this run, and how many still wait.
    EVIDENCE_KIT_TSA_URLS (comma-separated, or `none`) and EVIDENCE_KIT_TSA_CA (a PEM file of
    extra trusted authority certificates) override what the vault holds.
    """
    from evidence_kit import timestamp as stamps

    with ctx.vault() as vault:
        if authorities is not None:
            urls = stamps.set_authorities(vault, authorities)
            if as_json:
                emit_json({"authorities": list(urls)})
            elif urls:
                click.echo(f"Time-stamps will be asked of: {', '.join(urls)}")
            else:
                click.echo("Time-stamps are off: no authority will be asked.")
            return
        urls = stamps.authority_urls(vault)
        with progress_bar("Asking for time-stamps", len(urls)) as progress:
            counts = stamps.flush(vault, progress)
    for problem in counts.problems:
        click.echo(f"Warning: {problem}", err=True)
    for note in counts.notes:
        click.echo(f"Note: {note}.", err=True)
    if as_json:
        emit_json(counts.as_dict())
        return
    if not urls:
        click.echo(f"Time-stamps are off; {counts.pending} waiting.")
        return
    click.echo(f"{counts.stamped} stamped, {counts.failed} failed, {counts.pending} still waiting.")


COMMANDS = [timestamp]
