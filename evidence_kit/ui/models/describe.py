"""Plain words for an item: its evidence time, kind, platform, place and who posted it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from evidence_kit.clock import iso_utc, parse_iso_utc
from evidence_kit.model import Item, ItemKind

KIND_WORDS = {
    ItemKind.SCREENSHOT: "Screenshot",
    ItemKind.IMPORT: "Conversation",
    ItemKind.ATTACHMENT: "Attachment",
    ItemKind.FILE: "File",
    ItemKind.NOTE: "Written note",
    ItemKind.DERIVED: "Cut-out",
}

UNKNOWN = {"", "not available", "unknown", None}


def _clean(value: Any) -> str:
    return "" if value in UNKNOWN else str(value)


def place(item: Item) -> dict[str, Any]:
    found = item.metadata.get("place")
    return found if isinstance(found, dict) else {}


def evidence_time(item: Item) -> datetime:
    """When it happened as far as we know: the grab time of a screenshot, else when it was added."""
    capture = item.metadata.get("capture") or {}
    for key in ("captured_at_local", "captured_at_utc"):
        text = capture.get(key) if isinstance(capture, dict) else None
        if text:
            try:
                return parse_iso_utc(str(text))
            except ValueError:
                continue
    return item.added_at


def time_zone(item: Item) -> str | None:
    capture = item.metadata.get("capture")
    if isinstance(capture, dict) and capture.get("timezone"):
        return str(capture["timezone"])
    return None


def local_time_text(moment: datetime) -> str:
    """`Sat 14 Mar 2026, 09:26:53` in this computer's zone."""
    return moment.astimezone().strftime("%a %d %b %Y %H:%M:%S")


def time_tooltip(item: Item) -> str:
    moment = evidence_time(item)
    zone = time_zone(item) or moment.astimezone().tzname() or "local time"
    offset = moment.strftime("%z") or ""
    if len(offset) == 5:
        offset = f"{offset[:3]}:{offset[3:]}"
    label = "Captured" if item.kind in (ItemKind.SCREENSHOT, ItemKind.DERIVED) else "Added"
    return (
        f"{label} {moment.strftime('%d %b %Y %H:%M:%S.%f')} {zone} (UTC{offset})\n"
        f"= {iso_utc(moment)} (UTC)"
    )


def kind_text(item: Item) -> str:
    return KIND_WORDS.get(item.kind, item.kind.value)


def platform_text(item: Item) -> str:
    found = _clean(place(item).get("platform"))
    if not found and item.kind is ItemKind.IMPORT:
        label = _clean((item.metadata.get("import") or {}).get("label"))
        found = label.removesuffix(" export").removesuffix(" chat")
    return found


def place_text(item: Item) -> str:
    where = place(item)
    for key in ("url", "window_title", "application"):
        found = _clean(where.get(key))
        if found:
            return found
    return item.original_name or ""


def who_text(item: Item) -> str:
    return _clean(place(item).get("account"))


def short_hash(item: Item) -> str:
    return item.sha256[:12] if item.sha256 else ""


def description(item: Item) -> str:
    return _clean(item.metadata.get("description"))


def is_image(item: Item) -> bool:
    return bool(item.media_type and item.media_type.startswith("image/"))
