"""Items on the worker: timeline rows, one item for the detail pane, notes, withdrawal,
attachments (read for viewing, or saved as a plain copy), thumbnails."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from evidence_kit.errors import Refused
from evidence_kit.model import CustodyEvent, Item, ItemKind
from evidence_kit.timestamp.state import ItemTimestamp
from evidence_kit.ui.models import describe
from evidence_kit.ui.tasks import Job
from evidence_kit.vault import Vault

MAX_PICTURE = 256 * 1024 * 1024
MAX_TEXT = 4 * 1024 * 1024  # a text or e-mail attachment is shown up to this size
THUMBNAIL = 96
MAX_THUMBNAIL_SOURCE = 64 * 1024 * 1024  # larger pictures are not decoded just for a thumbnail


@dataclass(frozen=True)
class Row:
    """One line of the timeline: the item, and who posted it (senders of a conversation)."""

    item: Item
    who: str
    attachment_count: int = 0


def senders(vault: Vault, item: Item) -> list[str]:
    """Who wrote in an import (most messages first), or who sent an attachment."""
    if item.kind is ItemKind.ATTACHMENT and item.parent_id is not None:
        summary = vault.import_summary(item.parent_id) or {}
        sent = (summary.get("attachment_sent") or {}).get(str(item.id)) or {}
        return [str(sent["sender"])] if sent.get("sender") else []
    if item.kind is not ItemKind.IMPORT:
        return []
    summary = vault.import_summary(item.id) or {}
    if isinstance(summary.get("senders"), list):
        return [str(name) for name in summary["senders"]]
    return vault.senders(item.id)  # an import made before its summary kept them


def row(vault: Vault, item: Item) -> Row:
    count = len(vault.children(item.id)) if item.kind is ItemKind.IMPORT else 0
    return Row(item, describe.who_text(item, senders(vault, item)), count)


def load_page(job: Job, ids: list[int]) -> list[Row]:
    vault = job.need_vault()
    return [row(vault, vault.item(item_id)) for item_id in ids]


@dataclass
class Loaded:
    """What the detail pane shows of one item."""

    row: Row
    events: list[CustodyEvent]
    image: QImage | None
    attachments: list[Row] = field(default_factory=list)
    stamp: ItemTimestamp | None = None  # where it stands with trusted time
    stamps_on: bool = True  # authorities are asked (trusted time-stamps are on)

    @property
    def item(self) -> Item:
        return self.row.item


def load_item(job: Job, item_id: int) -> Loaded:
    vault = job.need_vault()
    item = vault.item(item_id)
    events = vault.custody_events(f"item:{item_id}")
    image = picture(vault, item)
    attachments = [
        row(vault, child) for child in vault.children(item_id) if child.kind is ItemKind.ATTACHMENT
    ]
    from evidence_kit.timestamp.authorities import authority_urls

    stamp = vault.timestamp_state(item_id)
    return Loaded(row(vault, item), events, image, attachments, stamp, bool(authority_urls(vault)))


def picture(vault: Vault, item: Item) -> QImage | None:
    if not describe.is_image(item) or item.sha256 is None or item.size > MAX_PICTURE:
        return None
    decoded = QImage.fromData(b"".join(vault.content(item.id)))
    return None if decoded.isNull() else decoded


def add_note(job: Job, item_id: int, text: str) -> int:
    with job.need_vault().transaction() as writer:
        return writer.add_note(item_id, text)


def withdraw(job: Job, item_id: int, reason: str) -> None:
    with job.need_vault().transaction() as writer:
        writer.withdraw(item_id, reason)


# -- attachments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """An attachment ready to show inside the program: a picture, text, or an e-mail."""

    item: Item
    image: QImage | None = None
    text: str | None = None
    headers: tuple[tuple[str, str], ...] = ()  # an e-mail's From, To, Subject, Date


MAIL_HEADERS = (
    ("from", "From"),
    ("to", "To"),
    ("cc", "Cc"),
    ("date", "Date"),
    ("subject", "Subject"),
)
TEXT_TYPES = ("text/plain", "text/csv", "application/json")
EMAIL_TYPES = ("message/rfc822",)


def can_open(item: Item) -> bool:
    """Whether the program shows this kind of file itself (else: Save a copy…)."""
    media = (item.media_type or "").split(";")[0].strip().lower()
    name = (item.original_name or "").lower()
    if item.sha256 is None:
        return False
    if media.startswith("image/") and media != "image/svg+xml":
        return True
    return media in TEXT_TYPES or media in EMAIL_TYPES or name.endswith((".eml", ".txt"))


def open_attachment(job: Job, item_id: int) -> Opened:
    vault = job.need_vault()
    item = vault.item(item_id)
    if not can_open(item):
        raise Refused(f"Evidence Kit cannot show {describe.title_text(item)} itself.")
    media = (item.media_type or "").lower()
    if media.startswith("image/"):
        image = picture(vault, item)
        if image is None:
            raise Refused(f"{describe.title_text(item)} could not be shown as a picture.")
        return Opened(item, image=image)
    if item.size > MAX_TEXT:
        raise Refused(
            f"{describe.title_text(item)} is too large to show here.",
            hint="Use Save a copy… to open it in another program.",
        )
    data = b"".join(vault.content(item_id))
    if media.startswith(EMAIL_TYPES) or (item.original_name or "").lower().endswith(".eml"):
        return _email(item, data)
    return Opened(item, text=data.decode("utf-8", "replace"))


def _email(item: Item, data: bytes) -> Opened:
    import email
    import email.policy

    from evidence_kit.importers import mailtext

    message = email.message_from_bytes(data, policy=email.policy.default)
    headers = tuple(
        (label, mailtext.header_text(str(message[key])))
        for key, label in MAIL_HEADERS
        if message[key] is not None
    )
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        try:
            text = str(body.get_content())
        except (LookupError, ValueError):
            text = body.get_payload(decode=True).decode("utf-8", "replace")  # type: ignore[union-attr]
        if body.get_content_type() == "text/html":
            text = mailtext.html_to_text(text)
    return Opened(item, text=text, headers=headers)


def save_copy(job: Job, item_id: int, out: Path) -> int:
    """A plain, unencrypted copy of the item's exact bytes at `out` (the person asked for it)."""
    if out.exists():
        raise Refused(f"{out} already exists; choose another name.")
    return job.need_vault().extract(item_id, out)


# -- thumbnails --------------------------------------------------------------------------------


def make_thumbnail(job: Job, item_id: int) -> QImage | None:
    """The stored thumbnail, else one made from the picture's bytes."""
    vault = job.need_vault()
    png = vault.thumbnail(item_id)
    if png is None:
        item = vault.item(item_id)
        if not describe.is_image(item) or item.size > MAX_THUMBNAIL_SOURCE:
            return None
        png = _small_png(b"".join(vault.content(item_id)))
        if png is None:
            return None
    image = QImage.fromData(png)
    if image.isNull():
        return None
    return image.scaled(
        THUMBNAIL,
        THUMBNAIL,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def _small_png(data: bytes) -> bytes | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture_file:
            picture_file.thumbnail((THUMBNAIL * 2, THUMBNAIL * 2))
            out = io.BytesIO()
            picture_file.convert("RGB").save(out, "PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
