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
@click.option("--encrypt-to", "encrypt_to", multiple=True, metavar="RECIPIENT",
              help="Encrypt for transport (age) to this person's key: an age1… key, an SSH public "
              "key line, or a file holding them. Repeatable. Writes EVB-<id>.zip.age.")  # fmt: skip
@click.option("--encrypt-passphrase", is_flag=True,
              help="Encrypt for transport (age) with a passphrase, asked twice.")  # fmt: skip
@click.option("--encrypt-passphrase-file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Encrypt with the passphrase in FILE (for scripts).")  # fmt: skip
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
    encrypt_to: tuple[str, ...],
    encrypt_passphrase: bool,
    encrypt_passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Seal evidence into EVB-<id>.zip (with EVB-<id>.zip.sha256 beside it).

    With --encrypt-to or a passphrase, the bundle is encrypted with age as it is written
    (EVB-<id>.zip.age; no plain zip is ever on disk): the `age` tool decrypts it, and
    `evidence-kit verify` checks it as it is. Its .sha256 is the encrypted file's.
    """
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
        encryption=_encryption(encrypt_to, encrypt_passphrase, encrypt_passphrase_file),
    )
    with ctx.vault() as vault, _bar("Sealing") as bar:
        result = export_bundle(vault, options, out_dir, progress=bar)
    if as_json:
        emit_json(result.as_dict())
        return
    click.echo(f"Sealed {result.item_count} item(s) into {result.zip_path}")
    if result.withdrawn_left_out:
        click.echo(f"{result.withdrawn_left_out} withdrawn item(s) were left out.")
    if result.encrypted_for:
        click.echo(f"Encrypted (age) for: {', '.join(result.encrypted_for)}")
        click.echo(f"SHA-256 of the zip inside: {result.inner_zip_sha256}")
        click.echo(f"SHA-256 of {result.zip_path.name}: {result.zip_sha256} "
                   f"(also in {result.sha256_path.name})")  # fmt: skip
    else:
        click.echo(f"SHA-256 of the zip: {result.zip_sha256} (also in {result.sha256_path.name})")
    click.echo(f"Time-stamps: {result.items_time_stamped} exhibit(s) carry one; the seal: "
               f"{result.seal_time_stamp}")  # fmt: skip
    click.echo(f"Seal key fingerprint: {result.fingerprint}")
    click.echo(f"  to read aloud:      {result.read_aloud}")
    click.echo("Give the recipient the fingerprint by another channel (phone, in person).")


def _encryption(to: tuple[str, ...], ask: bool, from_file: Path | None) -> Any:
    from evidence_kit.bundle.transport import Encryption
    from evidence_kit.cli.root import ask_secret, read_secret_file
    from evidence_kit.vault.strength import check_passphrase_strength

    if ask and from_file is not None:
        raise click.UsageError("Give --encrypt-passphrase or --encrypt-passphrase-file, not both.")
    passphrase = None
    if from_file is not None:
        passphrase = read_secret_file(from_file, "bundle passphrase")
    elif ask:
        passphrase = ask_secret("Passphrase for the bundle", confirm=True,
                                what="bundle passphrase", options="--encrypt-passphrase-file FILE")  # fmt: skip
    if passphrase is not None:
        check_passphrase_strength(passphrase)  # it travels by e-mail or USB: it must hold
    if not to and passphrase is None:
        return None
    return Encryption(tuple(_recipients(to)), passphrase)


def _recipients(given: tuple[str, ...]) -> list[str]:
    """Each --encrypt-to: the key itself, or a file of them (one a line, # comments)."""
    found: list[str] = []
    for text in given:
        path = Path(text)
        if not text.startswith(("age1", "ssh-")) and path.is_file():
            lines = path.read_text("utf-8", "replace").splitlines()
            found += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        else:
            found.append(text)
    return found


@click.command("verify")
@click.argument("bundle", type=click.Path(path_type=Path, exists=True))
@click.option("--expect-key", default=None, metavar="FINGERPRINT",
              help="The seal key the sender gave you: SHA256:… or the eight groups of digits.")  # fmt: skip
@click.option("--identity", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="For an encrypted bundle (.zip.age): your age identity or SSH private key file.")  # fmt: skip
@click.option("--age-passphrase-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="For an encrypted bundle (.zip.age): the passphrase, in FILE.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print every check as JSON.")
def verify(
    bundle: Path,
    expect_key: str | None,
    identity: Path | None,
    age_passphrase_file: Path | None,
    as_json: bool,
) -> None:
    """Check a sealed bundle (.zip, .zip.age or unpacked folder); exit 0 if every check
    passes, else 1. An encrypted one is checked as it is, with --identity or the passphrase."""
    from evidence_kit.bundle.format.keys import normalise_fingerprint
    from evidence_kit.bundle.verify import verify_bundle

    if expect_key is not None and normalise_fingerprint(expect_key) is None:
        raise click.UsageError(
            "--expect-key takes a fingerprint: SHA256:AbC… (as ssh-keygen -l prints it) or the "
            "eight groups of five digits read aloud."
        )
    with _bar("Checking") as bar:
        if bundle.is_file() and _encrypted(bundle):
            report = _verify_encrypted(bundle, identity, age_passphrase_file, expect_key, bar)
        else:
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


def _encrypted(path: Path) -> bool:
    from evidence_kit.bundle.verify.encrypted import is_encrypted

    return is_encrypted(path)


def _verify_encrypted(
    path: Path, identity: Path | None, passphrase_file: Path | None, expect_key: str | None,
    bar: Progress,
) -> Any:  # fmt: skip
    from evidence_kit.bundle.verify.encrypted import verify_encrypted
    from evidence_kit.cli.root import ask_secret, read_secret_file

    passphrase = None
    if passphrase_file is not None:
        passphrase = read_secret_file(passphrase_file, "bundle passphrase")
    elif identity is None:
        passphrase = ask_secret(f"Passphrase for {path.name}", what="identity or passphrase",
                                options="--identity KEYFILE or --age-passphrase-file FILE")  # fmt: skip
    return verify_encrypted(path, identity=identity, passphrase=passphrase, expect_key=expect_key,
                            progress=bar)  # fmt: skip


COMMANDS = [export, verify]
