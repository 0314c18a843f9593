"""Key commands: passphrase, recover, recovery-code, key."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click

from evidence_kit.cli.root import Context, ask_secret, emit_json, read_secret_file
from evidence_kit.errors import WeakPassphrase

pass_ctx = click.make_pass_decorator(Context)
ENV_NEW_PASSPHRASE = "EVIDENCE_KIT_NEW_PASSPHRASE"
ENV_RECOVERY_CODE = "EVIDENCE_KIT_RECOVERY_CODE"
NEW_OPTIONS = f"--new-passphrase-file FILE, or set {ENV_NEW_PASSPHRASE}"
CODE_OPTIONS = f"--recovery-code-file FILE, or set {ENV_RECOVERY_CODE}"
TRIES = 3


def choose_passphrase(
    prompt: str, user_inputs: Sequence[str] = (), *, options: str = NEW_OPTIONS
) -> str:
    """Asked twice on the terminal; one too easy to guess is refused with why, and asked again."""
    from evidence_kit.vault.strength import check_passphrase_strength

    for attempt in range(TRIES):
        chosen = ask_secret(prompt, confirm=True, options=options)
        try:
            check_passphrase_strength(chosen, user_inputs)
            return chosen
        except WeakPassphrase as exc:
            if attempt + 1 == TRIES:
                raise
            click.echo(f"{exc.message}\n{exc.hint}", err=True)
    raise AssertionError("unreachable")


def _new_passphrase(source: Path | None, user_inputs: Sequence[str]) -> str:
    if source is not None:
        return read_secret_file(source, "passphrase")
    if os.environ.get(ENV_NEW_PASSPHRASE):
        return os.environ[ENV_NEW_PASSPHRASE]
    return choose_passphrase("New passphrase", user_inputs)


NEW_PASSPHRASE_FILE = click.option(
    "--new-passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"Read the new passphrase from this file (or set {ENV_NEW_PASSPHRASE}).",
)


@click.command()
@NEW_PASSPHRASE_FILE
@pass_ctx
def passphrase(ctx: Context, new_passphrase_file: Path | None) -> None:
    """Change the passphrase (the evidence itself is not re-encrypted)."""
    with ctx.vault() as vault:
        vault.change_passphrase(_new_passphrase(new_passphrase_file, [vault.owner]))
    click.echo("The passphrase is changed. Your recovery code still works.")


@click.command()
@click.option(
    "--recovery-code-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"Read the recovery code from this file (or set {ENV_RECOVERY_CODE}).",
)
@NEW_PASSPHRASE_FILE
@pass_ctx
def recover(
    ctx: Context, recovery_code_file: Path | None, new_passphrase_file: Path | None
) -> None:
    """Open the vault with the recovery code and choose a new passphrase."""
    from evidence_kit.vault import Vault
    from evidence_kit.vault.folder import preflight

    preflight(ctx.vault_dir)
    if recovery_code_file is not None:
        code = read_secret_file(recovery_code_file, "recovery code")
    elif os.environ.get(ENV_RECOVERY_CODE):
        code = os.environ[ENV_RECOVERY_CODE]
    else:
        code = ask_secret("Recovery code", what="recovery code", options=CODE_OPTIONS)
    holder = click.get_current_context().command_path
    with Vault.open_with_recovery_code(ctx.vault_dir, code, holder=holder) as vault:
        vault.change_passphrase(
            _new_passphrase(new_passphrase_file, [vault.owner]), with_recovery_code=True
        )
    click.echo(
        "The vault is open again with your new passphrase. Keep your recovery code: it still works."
    )


@click.command(name="recovery-code")
@click.option("--json", "as_json", is_flag=True, help="Print the new code as JSON.")
@pass_ctx
def recovery_code(ctx: Context, as_json: bool) -> None:
    """Issue a new recovery code; the old one stops working.

    The database key does not change, so an old copy of keyslots.json (a backup) still opens the
    vault with the passphrase or recovery code it was made with. If someone may have such a copy
    and the old passphrase or code, make a new vault and hand your evidence over to it instead.
    """
    with ctx.vault() as vault:
        code = vault.replace_recovery_code()
    if as_json:
        emit_json({"recovery_code": code})
        return
    click.echo("Your new recovery code (shown once; print it or write it down and keep it safe):")
    click.echo("")
    click.echo(f"    {code}")
    click.echo("")
    click.echo("The old code no longer opens this vault. Destroy the page it was on.")
    click.echo(
        "An old copy of keyslots.json (in a backup) still opens the vault with the passphrase "
        "and code it was made with: the evidence itself is not re-encrypted."
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_ctx
def key(ctx: Context, as_json: bool) -> None:
    """Show the vault's seal key: its fingerprint and public key."""
    from evidence_kit.vault.sealkey import openssh_public_line, read_aloud

    with ctx.vault() as vault:
        fingerprint = vault.fingerprint
        aloud = read_aloud(vault.seal_public_key)
        public = openssh_public_line(vault.seal_public_key)
    if as_json:
        emit_json({"fingerprint": fingerprint, "read_aloud": aloud, "public_key": public})
        return
    click.echo(f"Seal key fingerprint: {fingerprint}")
    click.echo(f"  to read aloud:      {aloud}")
    click.echo(f"Public key: {public}")
    click.echo(
        "Give the fingerprint to whoever receives your bundles by another channel (phone, in person)."
    )


COMMANDS = [passphrase, recover, recovery_code, key]
