"""Redactions in the vault: made as derived items (the original untouched), their salts kept in
the vault, one part disclosed at a time by the owner's choice."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from evidence_kit.errors import NotFound
from evidence_kit.model import Item, ItemKind
from evidence_kit.redaction import DISCLOSURE, messages, pictures
from evidence_kit.redaction.pictures import Box, RedactionError
from evidence_kit.vault import Vault

PICTURES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff"}
REDACTION_ACTION = "redaction made"


def _inherited(parent: Item) -> dict[str, Any]:
    """What the copy keeps of its parent's record (when and where it was captured)."""
    return {k: v for k, v in parent.metadata.items() if k in ("capture", "place", "description")}


def _name(parent: Item, suffix: str) -> str:
    stem = PurePath(parent.original_name or f"item-{parent.id}").stem
    return f"{stem}-redacted{suffix}"


def redact_picture(vault: Vault, item_id: int, boxes: list[Box], reason: str) -> Item:
    parent = vault.item(item_id)
    if parent.sha256 is None or parent.media_type not in PICTURES:
        raise RedactionError(
            f"Item {item_id} is not a picture ({parent.media_type or 'no file'}).",
            hint="Boxes hide parts of a screenshot or picture; use --message for a chat.",
        )
    made = pictures.redact(b"".join(vault.content(item_id)), parent.sha256, boxes, reason)
    with vault.transaction() as writer:
        sha256, size = writer.put([made.png], total=len(made.png))
        item = writer.add_item(
            ItemKind.DERIVED, sha256=sha256, size=size, media_type="image/png",
            original_name=_name(parent, ".png"), case=parent.case, parent_id=parent.id,
            metadata={**_inherited(parent), "derived": {
                "operation": "redaction", "from_sha256": parent.sha256,
                "boxes": [b.as_list() for b in boxes], "reason": made.proof["reason"],
                "proof": made.proof,
            }},
            action=REDACTION_ACTION,
        )  # fmt: skip
        writer.keep_salts(item.id, made.salts)
    return item


def redact_messages(
    vault: Vault, item_id: int, hides: list[messages.Hide], needles: list[str], reason: str
) -> Item:
    parent = vault.item(item_id)
    if parent.kind != ItemKind.IMPORT or vault.message_count(item_id) == 0:
        raise RedactionError(
            f"Item {item_id} has no parsed messages.",
            hint="--message and --hide-text hide parts of an imported chat or e-mail; "
            "use --box for a picture.",
        )
    made, lines = messages.redact(vault.messages(item_id), hides, needles, reason)
    with vault.transaction() as writer:
        sha256, size = writer.put(lines)
        item = writer.add_item(
            ItemKind.DERIVED, sha256=sha256, size=size, media_type="application/x-ndjson",
            original_name=_name(parent, ".jsonl"), case=parent.case, parent_id=parent.id,
            metadata={"derived": {
                "operation": "redaction", "from_sha256": parent.sha256,
                "reason": made.reason, "proof": made.proof(parent.sha256 or ""),
            }, "import": parent.metadata.get("import")},
            action=REDACTION_ACTION,
        )  # fmt: skip
        writer.keep_salts(item.id, made.salts)
    return item


def proof_of(item: Item) -> dict[str, Any]:
    derived = item.metadata.get("derived")
    proof = derived.get("proof") if isinstance(derived, dict) else None
    if not isinstance(proof, dict):
        raise NotFound(f"Item {item.id} is not a redaction made by Evidence Kit.")
    return proof


def disclose(
    vault: Vault, item_id: int, *, box: int | None = None, message: int | None = None
) -> dict[str, Any]:
    """The salt of one hidden part (a box by number from 1, or every part of one message), as
    a disclosure file's contents; the disclosure is an act on the custody chain."""
    item = vault.item(item_id)
    proof = proof_of(item)
    row = vault.conn.execute(
        "SELECT salts FROM redaction_salts WHERE item_id = ?", (item_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"The salts of item {item_id}'s redaction are not in this vault.")
    salts = [bytes.fromhex(s) for s in json.loads(row[0])]
    if box is not None:
        if not 1 <= box <= len(proof.get("boxes") or []):
            raise NotFound(f"Item {item_id}'s redaction has no box {box}.")
        parts = [box]
    elif message is not None:
        parts = [n for n, part in enumerate(proof.get("hidden") or [], start=1)
                 if part.get("index") == message]  # fmt: skip
        if not parts:
            raise NotFound(f"Item {item_id}'s redaction hides nothing of message {message}.")
    else:
        raise RedactionError("Say which part to disclose: --box N or --message INDEX.")
    with vault.transaction() as writer:
        writer.record("redaction part disclosed", f"item:{item_id}", {"parts": parts})
    return {
        "format": DISCLOSURE,
        "redacted_sha256": item.sha256,
        "parts": [{"part": n, "salt": salts[n - 1].hex()} for n in parts],
    }
