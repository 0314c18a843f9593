"""Reduced copies of pictures, made once when an item enters the vault and kept with it.

Three sizes from one decode: for reports a large preview (at most 1280 pixels a side) and a
small one (480), both JPEG at quality 88 with full colour resolution so text stays readable (a
PDF embeds a JPEG as it is, without decoding it), and a thumbnail for lists (320, PNG).
They are not evidence — the exact file is — so they are stored without custody events and can
be made again; but they live inside the encrypted vault like everything else, never in a cache.

The command line makes them right after its commit (outside the timed capture path); the GUI in
the background; items from before previews existed get theirs on the first export that needs
them. An export then reads, hashes and writes: it decodes no picture.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evidence_kit.errors import EvidenceKitError
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress

if TYPE_CHECKING:
    from PIL.Image import Image

PREVIEW_SIDE = 1280
SMALL_SIDE = 480
THUMBNAIL_SIDE = 320
PICTURE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
                           "image/tiff"})  # fmt: skip
MAX_PICTURE = 256 << 20  # a larger file is not decoded for a preview (its exact bytes still travel)


@dataclass(frozen=True)
class Preview:
    data: bytes
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Made:
    large: Preview
    small: Preview
    thumbnail_png: bytes


def _jpeg(picture: Image) -> Preview:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, subsampling=0, optimize=False)
    return Preview(out.getvalue(), "image/jpeg", picture.width, picture.height)


def from_image(image: Image) -> Made:
    """Every reduced copy of a decoded picture."""
    from PIL import Image as PILImage

    picture = image.convert("RGB") if image.mode != "RGB" else image
    factor = max(1, max(picture.width, picture.height) // PREVIEW_SIDE)
    large = picture.reduce(factor) if factor > 1 else picture.copy()
    large.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), PILImage.Resampling.BILINEAR)
    small = large.copy()
    small.thumbnail((SMALL_SIDE, SMALL_SIDE), PILImage.Resampling.BILINEAR)
    thumb = small.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), PILImage.Resampling.BILINEAR)
    png = io.BytesIO()
    thumb.save(png, "PNG", compress_level=1)
    return Made(_jpeg(large), _jpeg(small), png.getvalue())


def from_bytes(data: bytes) -> Made | None:
    """Previews of a picture file, or None if it cannot be decoded (it is kept all the same)."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as image:
            image.draft("RGB", (PREVIEW_SIDE, PREVIEW_SIDE))  # JPEG: decode at a reduced size
            image.load()
            return from_image(image)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None


def wanted(vault: Any, item_ids: Iterable[int] | None = None) -> list[int]:
    """The pictures among `item_ids` (all items when None) that have no preview yet."""
    return vault.items_without_preview(sorted(PICTURE_TYPES), item_ids)  # type: ignore[no-any-return]


def make(
    vault: Any,
    item_ids: Iterable[int] | None = None,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> int:
    """Make the missing previews of these items; return how many were made. Each is stored in a
    small transaction of its own, so a long run can be stopped at any point."""
    todo = wanted(vault, item_ids)
    made = 0
    for done, item_id in enumerate(todo, start=1):
        if cancel():
            break
        item = vault.item(item_id)
        if item.size > MAX_PICTURE:
            continue
        try:
            result = from_bytes(b"".join(vault.content(item_id)))
        except EvidenceKitError:
            continue  # damaged content is `check`'s to report, not the preview's
        if result is not None:
            with vault.transaction() as writer:
                writer.put_preview(item_id, "large", result.large)
                writer.put_preview(item_id, "small", result.small)
                if vault.thumbnail(item_id) is None:
                    writer.put_thumbnail(item_id, result.thumbnail_png)
            made += 1
        progress(done, len(todo))
    return made
