"""Import commands: import (message exports), messages (read one back), search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from evidence_kit.cli.root import Context, emit_json, progress_bar
from evidence_kit.cli.terminal import json_text
from evidence_kit.errors import EvidenceKitError, Refused
from evidence_kit.model import ItemKind

pass_ctx = click.make_pass_decorator(Context)

MESSAGE_KEYS = (
    "index", "conversation", "sender", "sender_id", "is_system", "sent_at", "sent_at_utc",
    "sent_at_local", "text", "text_raw", "edited", "deleted", "attachments",
)  # fmt: skip
IMPORT_KEYS = (
    "item_id", "sha256", "format", "message_count", "system_message_count", "attachment_count",
    "timezone", "warnings",
)  # fmt: skip


def _line(value: Any) -> None:
    click.echo(json_text(value, indent=None))


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "format_name", default=None, help="Skip detection: whatsapp, eml, …")
@click.option("--tz", default=None, help="Zone the times were written in (default: this PC's).")
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy", "ymd"]),
    default=None,
    help="Day/month order of the dates (default: decided from the dates).",
)
@click.option("--case", default=None, help="Put the imports in this case (made if new).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per import.")
@pass_ctx
def import_(
    ctx: Context,
    paths: tuple[Path, ...],
    format_name: str | None,
    tz: str | None,
    date_order: str | None,
    case: str | None,
    as_json: bool,
) -> None:
    """Import chat and e-mail exports — files, folders, or the zips of a download (several
    parts are joined): every file read is kept exactly as it is, and its messages read."""
    from evidence_kit.importers.batch import import_paths

    bars: list[Any] = []

    def started(parts: tuple[Path, ...]) -> None:
        for bar in bars:
            bar.__exit__(None, None, None)
        bars.clear()
        size = sum(p.stat().st_size for p in parts if p.is_file()) or None
        bar = progress_bar(f"Importing {', '.join(p.name for p in parts)}", size)
        bars.append(bar)
        progresses[:] = [bar.__enter__()]

    progresses: list[Any] = []

    def progress(done: int, total: int | None) -> None:
        if progresses:
            progresses[0](done, total)

    with ctx.vault() as vault:
        try:
            outcomes = import_paths(vault, list(paths), format_name=format_name, tz=tz,
                                    date_order=date_order, case=case, progress=progress,
                                    started=started)  # fmt: skip
        finally:
            for bar in bars:
                bar.__exit__(None, None, None)
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if len(outcomes) == 1 and failed:
        raise failed[0].error  # type: ignore[misc]
    for outcome in outcomes:
        if outcome.error is not None:
            click.echo(f"Error: {outcome.error.message}", err=True)
            continue
        assert outcome.result is not None
        _report(outcome.result, as_json)
    if failed:
        raise EvidenceKitError(
            f"{len(failed)} of {len(outcomes)} files could not be imported: "
            + ", ".join(str(path) for outcome in failed for path in outcome.paths)
            + ".",
            hint="The others were imported. Nothing was kept of the ones that failed.",
        )


def _report(result: Any, as_json: bool) -> None:
    data = result.as_dict()
    if as_json:
        if not result.conversations:
            _line({key: data[key] for key in IMPORT_KEYS} | _extra_facts(data))
        for conversation in result.conversations:
            one = conversation.as_dict()
            _line({key: one[key] for key in IMPORT_KEYS} | _extra_facts(one) | {
                "conversation": conversation.item.original_name,
                "download": {"item_id": result.item.id, "sha256": result.item.sha256,
                             "original_name": result.item.original_name,
                             "files_read": data.get("files_read"),
                             "skipped_count": data.get("skipped_count")},
            })  # fmt: skip
        return
    click.echo(f"Imported item {result.item.id}: {result.item.original_name} ({result.label})")
    click.echo(f"  SHA-256 {result.item.sha256}")
    if result.conversations:
        click.echo(
            f"  {len(result.conversations)} conversations, {data.get('files_read')} files read "
            f"and kept, {data.get('skipped_count')} skipped (listed in the import's summary)"
        )
        for conversation in result.conversations:
            click.echo(
                f"  Conversation item {conversation.item.id}: {conversation.item.original_name}"
            )
            _counts(conversation)
    else:
        _counts(result)


def _counts(result: Any) -> None:
    indent = "    " if result.facts.get("download_item_id") else "  "
    click.echo(
        f"{indent}{result.message_count} messages ({result.system_message_count} system), "
        f"{result.attachment_count} attachments named, {result.attachments_present} kept"
    )
    if result.timezone:
        click.echo(f"{indent}Times read as {result.timezone} local time")
    for warning in result.warnings:
        click.echo(f"{indent}Warning: {warning}")


def _extra_facts(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("date_order", "date_order_ambiguous", "attachments_present", "original_name")
    return {key: data[key] for key in keys if key in data}


@click.command()
@click.argument("item_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, in file order.")
@pass_ctx
def messages(ctx: Context, item_id: int, as_json: bool) -> None:
    """Show the messages read from one import, in file order."""
    with ctx.vault() as vault:
        item = vault.item(item_id)
        if item.kind != ItemKind.IMPORT:
            raise Refused(
                f"Item {item_id} is not an imported export, so it has no messages.",
                hint="`evidence-kit list` shows which items are imports.",
            )
        for message in vault.messages(item_id):
            if as_json:
                _line({key: message[key] for key in MESSAGE_KEYS})
            else:
                click.echo(_human(message))


def _human(message: dict[str, Any]) -> str:
    from evidence_kit.vault.message_codec import describe

    return f"{message['index']:>6}  " + describe(message).replace("\n", "\n" + " " * 8)


@click.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON array.")
@pass_ctx
def search(ctx: Context, words: tuple[str, ...], as_json: bool) -> None:
    """Find messages, notes and places that contain all of these words."""
    with ctx.vault() as vault:
        hits = vault.search(" ".join(words))
        shown = {
            hit["ref_id"]: vault.message(hit["ref_id"]) for hit in hits if hit["kind"] == "message"
        }
    if as_json:
        emit_json(hits)
        return
    if not hits:
        click.echo("Nothing found.")
    for hit in hits:
        click.echo(f"item {hit['item_id']:>4}  {hit['kind']:<8} {hit['snippet']}")
        found = shown.get(hit["ref_id"]) if hit["kind"] == "message" else None
        if found is not None:
            click.echo("           " + _human(found[1]).replace("\n", "\n" + " " * 11))


COMMANDS = [import_, messages, search]
