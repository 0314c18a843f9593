"""What the printable report reads from the vault, read beforehand on the vault's own thread, so
the PDF can be laid out on another thread while the files stream (nothing else touches the
vault's connection from there)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evidence_kit.bundle.pdf import MESSAGE_LIMIT
from evidence_kit.bundle.pictures import PICTURES_FULL
from evidence_kit.bundle.report import ReportContext
from evidence_kit.previews import Preview


class Prefetched:
    """Stands in for the vault in `pdf.render`: previews and the first messages of each import threads."""

    def __init__(self, vault: Any, ctx: ReportContext) -> None:
        self._previews: dict[tuple[int, str], Preview] = {}
        self._threads: dict[tuple[int, str | None], list[dict[str, Any]]] = {}
        pictures = [v for v in ctx.exhibits if v.is_image]
        for number, v in enumerate(pictures):
            size = "large" if number < PICTURES_FULL else "small"
            found = vault.preview(v.item.id, size)
            if found is not None:
                self._previews[(v.item.id, size)] = found
        budget: dict[int, int] = {}  # what the PDF prints of each import: MESSAGE_LIMIT in all
        for t in ctx.threads:
            left = budget.setdefault(t.item_id, MESSAGE_LIMIT + 1)
            found = list(vault.conversation_messages(t.item_id, t.name, limit=left)) if left else []
            self._threads[(t.item_id, t.name)] = found
            budget[t.item_id] = left - len(found)

    def preview(self, item_id: int, size: str = "large") -> Preview | None:
        return self._previews.get((item_id, size))

    def conversation_messages(
        self, item_id: int, conversation: str | None, **_: Any
    ) -> Iterator[dict[str, Any]]:
        return iter(self._threads.get((item_id, conversation), []))
