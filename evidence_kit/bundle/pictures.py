"""Reduced copies of pictures for the report: the vault's thumbnail or a JPEG made to fit a box,
and, for the printable report, a queue that makes them on two threads ahead of the layout."""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from evidence_kit.bundle.report import ExhibitView
from evidence_kit.model import Item

PICTURES_FULL = 24  # pictures printed large; the rest as the vault's thumbnails


def preview(vault: Any, item: Item, box: int) -> tuple[bytes, str] | None:
    """A reduced copy of a picture for the report, as (bytes, media type); the exact file is in
    the bundle. Small sizes use the thumbnail the vault already holds, larger ones a JPEG
    (4:4:4, quality 90: text stays sharp and it encodes fast)."""

    if box <= 320:
        stored = vault.thumbnail(item.id)
        if stored and stored.startswith(b"\x89PNG"):
            return stored, "image/png"
    return reduce_picture(b"".join(vault.content(item.id)), box)


def reduce_picture(data: bytes, box: int) -> tuple[bytes, str] | None:
    """`data` (a picture) reduced to fit `box` pixels, as JPEG; thread-safe (Pillow releases
    the GIL while it decodes and encodes)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (box, box))
            image.thumbnail((box, box), reducing_gap=2.0)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=90, subsampling=0)
            return out.getvalue(), "image/jpeg"
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


class ReducedPictures:
    """Reduced copies made on two threads a few pictures ahead of the page being laid out
    (the vault is read on this thread; at most `ahead` pictures' bytes are held at once)."""

    def __init__(self, vault: Any, views: list[ExhibitView], ahead: int = 3) -> None:
        self.vault = vault
        self.views = [v for v in views if v.is_image]
        self.position = {id(v): index for index, v in enumerate(self.views)}
        self.ahead = ahead
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.futures: dict[int, Future[tuple[bytes, str] | None]] = {}
        self.next = 0

    def _submit_upto(self, position: int) -> None:
        while self.next < len(self.views) and self.next <= position + self.ahead:
            v = self.views[self.next]
            if self.next < PICTURES_FULL:
                data = b"".join(self.vault.content(v.item.id))
                self.futures[self.next] = self.pool.submit(reduce_picture, data, 1280)
            else:
                done: Future[tuple[bytes, str] | None] = Future()
                done.set_result(preview(self.vault, v.item, 320))
                self.futures[self.next] = done
            self.next += 1

    def get(self, v: ExhibitView) -> tuple[bytes, str] | None:
        position = self.position[id(v)]
        self._submit_upto(position)
        return self.futures.pop(position).result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
