"""Redaction commands: redact (a picture by boxes, a chat by messages or text), disclose (the salt
of one hidden part) and verify-redaction (no vault needed)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from evidence_kit.cli.root import Context, emit_json

pass_ctx = click.make_pass_decorator(Context)


@click.command()
@click.argument("item", type=int)
@click.option("--box", "boxes", multiple=True, metavar="X,Y,W,H",
              help="A part of a picture to hide, in pixels from its top-left corner (repeat).")  # fmt: skip
@click.option("--message", "hides", multiple=True, metavar="INDEX[:FROM-TO]",
              help="A message of a chat to hide whole, or the characters FROM up to TO of its text "
              "(counted from 0; the index `evidence-kit messages` shows). Repeat.")  # fmt: skip
@click.option("--hide-text", "needles", multiple=True, metavar="TEXT",
              help="Hide TEXT wherever it appears in a chat (a bystander's name, a number). Repeat.")  # fmt: skip
@click.option("--reason", required=True, help="Why these parts are hidden (kept with the copy).")
@click.option("--json", "as_json", is_flag=True, help="Print the new item as JSON.")
@pass_ctx
def redact(ctx: Context, item: int, boxes: tuple[str, ...], hides: tuple[str, ...],
           needles: tuple[str, ...], reason: str, as_json: bool) -> None:  # fmt: skip
    """Make a redacted copy of ITEM (the original stays as it is), with a proof of what changed."""
    from evidence_kit.redaction.messages import Hide
    from evidence_kit.redaction.pictures import Box
    from evidence_kit.redaction.store import redact_messages, redact_picture

    if boxes and (hides or needles):
        raise click.UsageError(
            "--box is for pictures, --message and --hide-text for chats: not both."
        )
    if not (boxes or hides or needles):
        raise click.UsageError("Say what to hide: --box X,Y,W,H, or --message / --hide-text.")
    with ctx.vault() as vault:
        if boxes:
            made = redact_picture(vault, item, [Box.parse(b) for b in boxes], reason)
        else:
            made = redact_messages(
                vault, item, [Hide.parse(h) for h in hides], list(needles), reason
            )
    proof = made.metadata["derived"]["proof"]
    if as_json:
        emit_json({"item_id": made.id, "sha256": made.sha256, "parent_id": made.parent_id,
                   "proof": proof})  # fmt: skip
        return
    parts = len(proof.get("boxes") or proof.get("hidden") or [])
    click.echo(f"Made item {made.id}: a redacted copy of item {item} ({parts} part(s) hidden).")
    click.echo(f"  SHA-256 {made.sha256}")
    click.echo("The original is kept as it was. A manager's bundle gets this copy instead of it.")


@click.command()
@click.argument("item", type=int)
@click.option("--box", type=int, default=None, help="The box to open (numbered from 1).")
@click.option("--message", type=int, default=None, help="The message whose hidden parts to open.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the disclosure (default: disclosure-ITEM-….json here).")  # fmt: skip
@pass_ctx
def disclose(
    ctx: Context, item: int, box: int | None, message: int | None, out: Path | None
) -> None:
    """Write the salt of one hidden part of a redaction, to give one recipient who holds the
    original: with it, `verify-redaction --salt FILE` shows that part was what the copy hid."""
    from evidence_kit.fsutil import write_durably
    from evidence_kit.redaction.store import disclose as make

    if (box is None) == (message is None):
        raise click.UsageError("Give one of --box N or --message INDEX.")
    with ctx.vault() as vault:
        found = make(vault, item, box=box, message=message)
    target = out or Path(f"disclosure-{item}-{'box' if box else 'message'}-{box or message}.json")
    write_durably(target, json.dumps(found, indent=2).encode("utf-8") + b"\n")
    click.echo(f"Wrote {target}: it opens {len(found['parts'])} hidden part(s) of item {item}.")
    click.echo(
        "Give it only to someone who may see what it hid; it is recorded on the custody log."
    )


@click.command("verify-redaction")
@click.argument("redacted", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("original", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--proof", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="The redacted exhibit's item.json (default: the one beside REDACTED).")  # fmt: skip
@click.option("--salt", "salt_files", multiple=True, type=click.Path(path_type=Path, exists=True),
              help="A disclosure file from the sender (`evidence-kit disclose`). Repeat.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify_redaction(redacted: Path, original: Path, proof: Path | None,
                     salt_files: tuple[Path, ...], as_json: bool) -> None:  # fmt: skip
    """Check that REDACTED derives from ORIGINAL as its proof says: every pixel or message outside
    the hidden parts unchanged, the hidden parts opaque, and (with --salt) what a part hid.
    Exit 0 when it does, 1 when it does not."""
    from evidence_kit.redaction import proving

    problems, opened = proving.verify_files(redacted, original, proof, salt_files)
    if as_json:
        emit_json({"ok": not problems, "problems": problems, "opened": opened})
    elif problems:
        click.echo(f"NOT a faithful redaction of {original.name}:")
        for problem in problems:
            click.echo(f"  - {problem}")
    else:
        parts = f"; hidden part(s) {', '.join(map(str, opened))} opened and match" if opened else ""
        click.echo(f"{redacted.name} is {original.name} with only the hidden parts changed{parts}.")
    if problems:
        raise click.exceptions.Exit(1)


COMMANDS = [redact, disclose, verify_redaction]
