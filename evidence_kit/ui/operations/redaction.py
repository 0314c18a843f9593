"""Redactions on the worker: the picture as the core decodes it, a chat's messages, and making
the redacted copy (the core's opaque fill and proof; the original stays as it is)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence_kit.ui.tasks import Job


@dataclass(frozen=True)
class Picture:
    """A picture decoded exactly as the redaction decodes it (8-bit RGBA, no orientation), so a
    box drawn on what the editor shows lands on the same pixels the core paints."""

    item_id: int
    name: str
    width: int
    height: int
    rgba: bytes
    lossless: bool
    format: str


def load_picture(job: Job, item_id: int) -> Picture:
    from evidence_kit.redaction import pictures
    from evidence_kit.redaction.store import PICTURES

    vault = job.need_vault()
    item = vault.item(item_id)
    if item.sha256 is None or item.media_type not in PICTURES:
        raise pictures.RedactionError(
            f"{item.original_name or f'Item {item_id}'} is not a picture: only a screenshot or "
            "a picture can have parts hidden by boxes."
        )
    decoded = pictures.decode(b"".join(vault.content(item_id)), item.original_name or "the picture")
    return Picture(item_id, item.original_name or f"item {item_id}", decoded.width,
                   decoded.height, decoded.rgba, decoded.lossless, decoded.format)  # fmt: skip


def redact_picture(
    job: Job, item_id: int, boxes: list[tuple[int, int, int, int]], reason: str
) -> int:
    """The new derived item's id."""
    from evidence_kit.redaction.pictures import Box
    from evidence_kit.redaction.store import redact_picture as make

    made = make(job.need_vault(), item_id, [Box(*box) for box in boxes], reason)
    return made.id


@dataclass(frozen=True)
class Message:
    index: int
    sender: str
    when: str
    text: str


def load_messages(job: Job, item_id: int) -> list[Message]:
    from evidence_kit.redaction.pictures import RedactionError

    vault = job.need_vault()
    if vault.message_count(item_id) == 0:
        raise RedactionError(
            f"Item {item_id} has no messages: only an imported chat or e-mail can have messages "
            "hidden."
        )
    return [
        Message(int(r["index"]), str(r.get("sender") or "(the app)"),
                _when(r.get("sent_at_local") or r.get("sent_at")), str(r.get("text") or ""))
        for r in vault.messages(item_id)
    ]  # fmt: skip


def _when(value: object) -> str:
    """A message's time as it was written there (`12 Oct 2025 21:14`), or as given."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return f"{when.day} {when:%b %Y %H:%M}"


def redact_messages(
    job: Job,
    item_id: int,
    hides: list[tuple[int, int | None, int | None]],
    needles: list[str],
    reason: str,
) -> int:
    from evidence_kit.redaction.messages import Hide
    from evidence_kit.redaction.store import redact_messages as make

    made = make(job.need_vault(), item_id, [Hide(*h) for h in hides], needles, reason)
    return made.id


def check_redaction(redacted: Path, original: Path, proof: Path | None) -> list[str]:
    """The verify window's redaction check (no vault): what is wrong, or nothing."""
    from evidence_kit.redaction.proving import verify_files

    problems, _opened = verify_files(redacted, original, proof)
    return problems
