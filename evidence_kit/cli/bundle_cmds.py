"""Bundle commands: export (sealed bundle from the vault) and verify (any bundle, no vault needed).

`verify` imports nothing of Qt and opens no vault: a manager can run it on a bare install.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from evidence_kit.cli.root import Context, emit_json
from evidence_kit.cli.terminal import raw_stderr
from evidence_kit.model import Progress

pass_ctx = click.make_pass_decorator(Context)
AUDIENCES = ("manager", "police", "rep")


def _item_ids(text: str) -> tuple[int, ...]:
    try:
        ids = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise click.UsageError(
            f"--items takes item numbers separated by commas, not {text!r}."
        ) from None
    if not ids:
        raise click.UsageError("--items needs at least one item number.")
    return ids


@contextlib.contextmanager
def _bar(label: str) -> Iterator[Progress]:
    """A progress bar on a terminal, made when the first report gives the total."""
    state: dict[str, Any] = {"bar": None, "seen": 0}

    def update(done: int, total: int | None) -> None:
        if not sys.stderr.isatty() or not total:
            return
        if state["bar"] is None:
            bar: Any = click.progressbar(length=total, label=label, file=raw_stderr())
            bar.__enter__()
            state["bar"] = bar
        state["bar"].update(done - state["seen"])
        state["seen"] = done

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


@click.command("export")
@click.option("--case", "case", default=None, help="Export this case.")
@click.option("--items", "items", default=None, help="Export these items (numbers, e.g. 3,5,8).")
@click.option("--audience", type=click.Choice(AUDIENCES), required=True,
              help="manager: redacted copies where made; police: originals always; rep: everything.")  # fmt: skip
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="The folder to write EVB-<id>.zip into.")  # fmt: skip
@click.option("--contact-name", default=None, help="Who compiled the bundle (default: the owner).")
@click.option(
    "--organisation", default=None, help="The organisation, for bag-info.txt and the report."
)
@click.option("--title", default=None, help="A title for the report.")
@click.option("--include-withdrawn", is_flag=True, help="Include withdrawn items (marked as such).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def export(
    ctx: Context,
    case: str | None,
    items: str | None,
    audience: str,
    out_dir: Path,
    contact_name: str | None,
    organisation: str | None,
    title: str | None,
    include_withdrawn: bool,
    as_json: bool,
) -> None:
    """Seal evidence into EVB-<id>.zip (with EVB-<id>.zip.sha256 beside it)."""
    from evidence_kit.bundle.export import Options, export_bundle

    if (case is None) == (items is None):
        raise click.UsageError("Give either --case NAME or --items ID,… (one of the two).")
    options = Options(
        audience=audience,
        case=case,
        item_ids=_item_ids(items) if items is not None else (),
        contact_name=contact_name,
        organisation=organisation,
        title=title,
        include_withdrawn=include_withdrawn,
    )
    with ctx.vault() as vault, _bar("Sealing") as bar:
        result = export_bundle(vault, options, out_dir, progress=bar)
    if as_json:
        emit_json(result.as_dict())
        return
    click.echo(f"Sealed {result.item_count} item(s) into {result.zip_path}")
    if result.withdrawn_left_out:
        click.echo(f"{result.withdrawn_left_out} withdrawn item(s) were left out.")
    click.echo(f"SHA-256 of the zip: {result.zip_sha256} (also in {result.sha256_path.name})")
    click.echo(f"Time-stamps: {result.items_time_stamped} exhibit(s) carry one; the seal: "
               f"{result.seal_time_stamp}")  # fmt: skip
    click.echo(f"Seal key fingerprint: {result.fingerprint}")
    click.echo(f"  to read aloud:      {result.read_aloud}")
    click.echo("Give the recipient the fingerprint by another channel (phone, in person).")


@click.command("verify")
@click.argument("bundle", type=click.Path(path_type=Path, exists=True))
@click.option("--expect-key", default=None, metavar="FINGERPRINT",
              help="The seal key the sender gave you: SHA256:… or the eight groups of digits.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print every check as JSON.")
def verify(bundle: Path, expect_key: str | None, as_json: bool) -> None:
    """Check a sealed bundle (.zip or unpacked folder); exit 0 if every check passes, else 1."""
    from evidence_kit.bundle.format.keys import normalise_fingerprint
    from evidence_kit.bundle.verify import verify_bundle

    if expect_key is not None and normalise_fingerprint(expect_key) is None:
        raise click.UsageError(
            "--expect-key takes a fingerprint: SHA256:AbC… (as ssh-keygen -l prints it) or the "
            "eight groups of five digits read aloud."
        )
    with _bar("Checking") as bar:
        report = verify_bundle(bundle, expect_key=expect_key, progress=bar)
    if as_json:
        emit_json(report.as_dict())
    else:
        click.echo(f"Checking {bundle}")
        for check in report.checks:
            click.echo(f"  {'PASS' if check.passed else 'FAIL'}  {check.name}: {check.detail}")
        for note in report.notes:
            click.echo(f"  NOTE  {note}")
        click.echo(f"Seal key: {report.fingerprint or 'unknown'}")
        if report.read_aloud:
            click.echo(f"  read aloud: {report.read_aloud}")
        click.echo(f"Result: {report.summary}")
        if report.ok and expect_key is None:
            click.echo("To confirm it, run again with --expect-key and the fingerprint the sender "
                       "gives you by another channel.")  # fmt: skip
    if not report.ok:
        raise click.exceptions.Exit(1)


COMMANDS = [export, verify]
