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
    """Stands in for the vault in `pdf.render`: previews and the first messages of each import."""

    def __init__(self, vault: Any, ctx: ReportContext) -> None:
        self._previews: dict[tuple[int, str], Preview] = {}
        self._messages: dict[int, list[dict[str, Any]]] = {}
        pictures = [v for v in ctx.exhibits if v.is_image]
        for number, v in enumerate(pictures):
            size = "large" if number < PICTURES_FULL else "small"
            found = vault.preview(v.item.id, size)
            if found is not None:
                self._previews[(v.item.id, size)] = found
        for v in ctx.exhibits:
            if v.kind == "import":
                self._messages[v.item.id] = list(vault.messages(v.item.id, limit=MESSAGE_LIMIT + 1))

    def preview(self, item_id: int, size: str = "large") -> Preview | None:
        return self._previews.get((item_id, size))

    def messages(self, item_id: int, **_: Any) -> Iterator[dict[str, Any]]:
        return iter(self._messages.get(item_id, []))
