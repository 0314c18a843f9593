"""Search across everything in the vault: messages, notes, places, names (the full-text index)."""

from __future__ import annotations

from dataclasses import dataclass

from evidence_kit.model import Item, ItemKind
from evidence_kit.ui.models import describe
from evidence_kit.ui.tasks import Job

LIMIT = 200
KIND_WORDS = {"message": "Message", "note": "Note", "place": "Details"}


@dataclass(frozen=True)
class Hit:
    item_id: int
    kind: str  # "Message", "Note", "Details" (its place, names, what happened)
    title: str  # the item it is in
    when: str
    snippet: str  # plain text with the matched words between [ and ]
    message_index: int | None = None


def search_everything(job: Job, text: str) -> list[Hit]:
    vault = job.need_vault()
    hits = []
    items: dict[int, Item] = {}
    for hit in vault.search(text, limit=LIMIT):
        item_id = int(hit["item_id"])
        item = items.get(item_id) or vault.item(item_id)
        items[item_id] = item
        kind = KIND_WORDS.get(hit["kind"], hit["kind"])
        if item.kind is ItemKind.ATTACHMENT and item.parent_id is not None:  # shown in its import
            kind, item_id = f"Attachment: {describe.title_text(item)}", item.parent_id
            item = items.get(item_id) or vault.item(item_id)
            items[item_id] = item
        index = vault.message_index(int(hit["ref_id"])) if hit["kind"] == "message" else None
        hits.append(
            Hit(
                item_id,
                kind,
                describe.title_text(item),
                describe.when_text(item),
                " ".join(str(hit["snippet"]).split()),
                index,
            )
        )
    return hits
