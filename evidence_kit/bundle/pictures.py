"""The report's pictures: the reduced copies stored with each item (`evidence_kit.previews`),
never a picture decoded at export time. The exact file is always in the bag beside the report."""

from __future__ import annotations

from typing import Any

from evidence_kit.model import Item
from evidence_kit.previews import Preview

PICTURES_FULL = 24  # the printable report shows this many pictures large; the rest as thumbnails


def report_picture(vault: Any, item: Item) -> Preview | None:
    """The report preview (at most 1280 pixels a side) of a picture item, if it has one."""
    found: Preview | None = vault.preview(item.id)
    return found


def small_picture(vault: Any, item: Item) -> Preview | None:
    """The small report preview (at most 480 pixels a side)."""
    found: Preview | None = vault.preview(item.id, "small")
    return found
