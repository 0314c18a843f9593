"""A conversation's messages on the worker: how many, a page, the ones that match a search."""

from __future__ import annotations

from typing import Any

from evidence_kit.errors import Cancelled
from evidence_kit.ui.tasks import Job

PAGE = 200
SEARCH_LIMIT = 2000


def count(job: Job, item_id: int) -> tuple[int, int]:
    """How many messages, and the index of the first (indexes count on from there)."""
    vault = job.need_vault()
    first = next(iter(vault.messages(item_id, limit=1)), None)
    return vault.message_count(item_id), int(first["index"]) if first else 0


def page(job: Job, item_id: int, offset: int) -> list[dict[str, Any]]:
    return list(job.need_vault().messages(item_id, offset=offset, limit=PAGE))


def search(job: Job, item_id: int, text: str) -> list[dict[str, Any]]:
    words = text.casefold().split()
    found: list[dict[str, Any]] = []
    for message in job.need_vault().messages(item_id):
        if job.cancel():
            raise Cancelled()
        headers = (message.get("extra") or {}).get("headers") or {}
        body = " ".join(
            str(part or "")
            for part in (message.get("sender"), message.get("text"), *headers.values())
        ).casefold()
        if all(word in body for word in words):
            found.append(message)
            if len(found) >= SEARCH_LIMIT:
                break
    return found
