"""Saving a grabbed frame into the vault, with what the person tells us about it.

`save_capture` stores, in one transaction: the full frame as a PNG (kind `screenshot`), and for
a region or window a crop of it (kind `derived`, naming its parent's SHA-256 and rectangle),
each with a thumbnail. The GUI grabs first, asks the person, then saves; the CLI calls `capture`.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evidence_kit.capture.device import device
from evidence_kit.capture.encode import encode_png, encoder_name, png_stream, thumbnail_png
from evidence_kit.capture.frame import Frame
from evidence_kit.capture.grab import Grabber, MssGrabber, Target, grab
from evidence_kit.capture.place import NOT_AVAILABLE
from evidence_kit.clock import Clock
from evidence_kit.errors import Cancelled
from evidence_kit.model import CancelFlag, Item, ItemKind, Progress, never_cancel, no_progress

if TYPE_CHECKING:
    from PIL import Image

    from evidence_kit.vault import Vault

PLATFORMS: tuple[str, ...] = (
    "Facebook",
    "Instagram",
    "X",
    "TikTok",
    "Snapchat",
    "WhatsApp Web",
    "e-mail",
    "Teams",
    "Slack",
    "other",
)


@dataclass(frozen=True)
class Details:
    """What the person tells us: where it was, who posted it, what happened, which case."""

    url: str | None = None
    platform: str | None = None
    account: str | None = None
    description: str | None = None
    case: str | None = None
    note: str | None = None
    posted: dict[str, Any] | None = (
        None  # the time shown on the post (`evidence_time.posted_metadata`)
    )

    def cleaned(self) -> Details:
        def tidy(text: str | None) -> str | None:
            return text.strip() or None if text is not None else None

        return Details(
            url=tidy(self.url),
            platform=canonical_platform(tidy(self.platform)),
            account=tidy(self.account),
            description=tidy(self.description),
            case=tidy(self.case),
            note=tidy(self.note),
            posted=self.posted,
        )


def canonical_platform(name: str | None) -> str | None:
    """The PLATFORMS spelling of `name` (any case); other names are kept as typed."""
    if name is None:
        return None
    for known in PLATFORMS:
        if known.casefold() == name.casefold():
            return known
    return name


def metadata(frame: Frame, details: Details, os_user: str) -> dict[str, Any]:
    """The metadata contract for a screenshot (see the common brief and bundle/report)."""
    return {
        "capture": frame.capture_metadata(encoder_name()),
        "place": {
            "url": details.url,
            "platform": details.platform,
            "account": details.account,
            "window_title": frame.window.title or NOT_AVAILABLE,
            "application": frame.window.application or NOT_AVAILABLE,
            "window_rectangle": list(frame.window.rectangle) if frame.window.rectangle else None,
            "window_source": frame.window.source,
        },
        "device": device(os_user),
        "description": details.description,
        **({"posted": details.posted} if details.posted else {}),
    }


@dataclass(frozen=True)
class Prepared:
    """A frame already encoded (in memory only): its PNG, thumbnail, and crop with thumbnail."""

    png: bytes
    thumbnail: bytes
    crop_png: bytes | None
    crop_thumbnail: bytes | None


def prepare(frame: Frame) -> Prepared:
    """Encode a frame ahead of saving it — while the vault is being unlocked, or while the person
    fills in the capture form — on two threads (zlib and Pillow release the GIL)."""
    image = frame.image()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="capture-encode") as pool:
        side = pool.submit(_side_work, image, frame.crop_image())
        png = encode_png(image)
        thumb, crop_png, crop_thumb = side.result()
    return Prepared(png, thumb, crop_png, crop_thumb)


def save_capture(
    vault: Vault,
    frame: Frame,
    details: Details,
    *,
    prepared: Prepared | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> list[Item]:
    """Store `frame` (and its crop) in one transaction; return the items, the full frame first.
    With `prepared` (see `prepare`) nothing is encoded here. Cancelling, or any error, stores
    nothing."""
    details = details.cleaned()
    steps = 4 if frame.crop else 3
    done = 0

    def step() -> None:
        nonlocal done
        if cancel():
            raise Cancelled()
        done += 1
        progress(done, steps)

    # Unless it was prepared ahead, the full frame is compressed on one thread while the vault
    # encrypts and stores what is already compressed (`hash_ahead`: the bytes are hashed there too, exactly as stored); the
    # crop and the thumbnails are made on another. zlib, hashlib, Pillow and SQLCipher all
    # release the GIL, so a capture costs little more than its encoding.
    stamp = frame.at.strftime("%Y%m%dT%H%M%S.%fZ")
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="capture-encode") as pool,
        vault.transaction() as writer,
    ):
        if prepared is not None:
            sha256, size = writer.put([prepared.png], total=len(prepared.png), cancel=cancel)
            full_thumb, crop_png = prepared.thumbnail, prepared.crop_png
            crop_thumb = prepared.crop_thumbnail
            step()
        else:
            image = frame.image()
            side = pool.submit(_side_work, image, frame.crop_image())
            try:
                sha256, size = writer.put(png_stream(image), cancel=cancel, hash_ahead=True)
                step()
                full_thumb, crop_png, crop_thumb = side.result()
            finally:
                side.cancel()  # when stopped early: the side work, if not started, is not needed
        meta = metadata(frame, details, vault.os_user)  # waits for the pixel hash, if still busy
        step()
        full = writer.add_item(
            ItemKind.SCREENSHOT,
            sha256=sha256,
            size=size,
            media_type="image/png",
            original_name=f"screenshot-{stamp}.png",
            case=details.case,
            metadata=meta,
            action="screenshot captured",
        )
        writer.put_thumbnail(full.id, full_thumb)
        made = [full.id]
        if crop_png is not None and crop_thumb is not None and frame.crop is not None:
            crop_sha, crop_size = writer.put([crop_png], total=len(crop_png), cancel=cancel)
            derived = writer.add_item(
                ItemKind.DERIVED,
                sha256=crop_sha,
                size=crop_size,
                media_type="image/png",
                original_name=f"screenshot-{stamp}-{frame.method}.png",
                case=details.case,
                parent_id=full.id,
                metadata={
                    "derived": {
                        "from_sha256": sha256,
                        "operation": "crop",
                        "rectangle": list(frame.crop),
                    },
                    **meta,
                },
                action="crop derived",
            )
            writer.put_thumbnail(derived.id, crop_thumb)
            made.append(derived.id)
            step()
        if details.note:
            writer.add_note(full.id, details.note)
        if cancel():
            raise Cancelled()
        items = [writer.item(item_id) for item_id in made]
    done = steps
    progress(done, steps)
    return items


def _side_work(
    image: Image.Image, cropped: Image.Image | None
) -> tuple[bytes, bytes | None, bytes | None]:
    """The full frame's thumbnail, and the crop's PNG and thumbnail (when there is a crop)."""
    thumb = thumbnail_png(image)
    if cropped is None:
        return thumb, None, None
    return thumb, encode_png(cropped), thumbnail_png(cropped)


def take(
    target: Target,
    *,
    delay: float = 0,
    grabber: Grabber | None = None,
    clock: Clock | None = None,
    cancel: CancelFlag = never_cancel,
) -> Frame:
    """Wait `delay` seconds and grab `target`: the pixels, the instant and the place, in memory."""
    own = grabber is None
    source: Grabber = MssGrabber() if grabber is None else grabber  # a missing display fails now
    try:
        if delay > 0:
            deadline = time.monotonic() + delay
            while (left := deadline - time.monotonic()) > 0:
                if cancel():
                    raise Cancelled()
                time.sleep(min(left, 0.1))
        return grab(target, source, clock=clock)
    finally:
        if own:
            source.close()


def capture(
    vault: Vault,
    target: Target,
    details: Details,
    delay: float = 0,
    grabber: Grabber | None = None,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> list[Item]:
    """Wait `delay` seconds, grab `target`, and save it."""
    frame = take(target, delay=delay, grabber=grabber, clock=vault.clock, cancel=cancel)
    return save_capture(vault, frame, details, progress=progress, cancel=cancel)
