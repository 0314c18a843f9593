"""Hand-over: `receive`, a rep's vault taking in a bundle the person gave them."""

from __future__ import annotations

from pathlib import Path

import click

from evidence_kit.cli.root import Context, ask_secret, emit_json, read_secret_file

pass_ctx = click.make_pass_decorator(Context)


@click.command()
@click.argument("bundle", type=click.Path(path_type=Path, exists=True))
@click.option("--expect-key", default=None, metavar="FINGERPRINT",
              help="The sender's seal key, as they gave it to you: SHA256:… or the digits.")  # fmt: skip
@click.option("--case", default=None, help="Put it in this case (default: the bundle's own case).")
@click.option("--identity", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="For an encrypted bundle (.zip.age): your age identity or SSH private key file.")  # fmt: skip
@click.option("--age-passphrase-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="For a bundle encrypted with a passphrase: read it from this file.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print what was taken in as JSON.")
@pass_ctx
def receive(ctx: Context, bundle: Path, expect_key: str | None, case: str | None,
            identity: Path | None, age_passphrase_file: Path | None, as_json: bool) -> None:  # fmt: skip
    """Take a sealed bundle into this vault: checked first (a failing one is refused), then kept
    with its original bytes, records and the sender's seal; your own custody log records it."""
    from evidence_kit.bundle.format.keys import normalise_fingerprint
    from evidence_kit.bundle.verify.encrypted import is_encrypted
    from evidence_kit.handover.receive import receive_bundle

    if expect_key is not None and normalise_fingerprint(expect_key) is None:
        raise click.UsageError(
            "--expect-key takes a fingerprint: SHA256:… or eight groups of five digits."
        )
    passphrase = None
    if bundle.is_file() and is_encrypted(bundle):
        if age_passphrase_file is not None:
            passphrase = read_secret_file(age_passphrase_file, "bundle passphrase")
        elif identity is None:
            passphrase = ask_secret(f"Passphrase for {bundle.name}", what="identity or passphrase",
                                    options="--identity KEYFILE or --age-passphrase-file FILE")  # fmt: skip
    with ctx.vault() as vault:
        taken = receive_bundle(vault, bundle, expect_key=expect_key, identity=identity,
                               passphrase=passphrase, case=case)  # fmt: skip
    if as_json:
        emit_json(taken.as_dict())
        return
    if taken.already:
        click.echo(
            f"{bundle.name} was already taken in (item {taken.item.id}); nothing was stored twice."
        )
        return
    click.echo(f"Took in {taken.bundle_id}: {len(taken.items)} exhibit(s), as item {taken.item.id} "
               "and its children.")  # fmt: skip
    click.echo(f"Sealed by {taken.sender_fingerprint}")
    click.echo(f"  read aloud: {taken.sender_read_aloud}")
    if expect_key is None:
        click.echo("Confirm that key with the sender by another channel (phone, in person).")


COMMANDS = [receive]
