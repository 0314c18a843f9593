"""Plain words for an item: when it happened, what it is, where it was and who posted it.

Everything returned here is plain text that came (partly) from evidence: show it with
`Qt.TextFormat.PlainText`, or `html.escape` it before putting it in rich text.
"""

from __future__ import annotations

from typing import Any

from evidence_kit.model import NOT_IN_A_CASE, Item, ItemKind

KIND_WORDS = {
    ItemKind.SCREENSHOT: "Screenshot",
    ItemKind.IMPORT: "Conversation",
    ItemKind.ATTACHMENT: "Attachment",
    ItemKind.FILE: "File",
    ItemKind.NOTE: "Written note",
    ItemKind.DERIVED: "Cut-out",
    ItemKind.RECEIVED: "Bundle received",
}
EMAIL_FORMATS = {"eml", "mbox", "msg"}
UNKNOWN = {"", "not available", "unknown", None}


def _clean(value: Any) -> str:
    return "" if value in UNKNOWN else " ".join(str(value).split())


def place(item: Item) -> dict[str, Any]:
    found = item.metadata.get("place")
    return found if isinstance(found, dict) else {}


def imported(item: Item) -> dict[str, Any]:
    found = item.metadata.get("import")
    return found if isinstance(found, dict) else {}


def is_email(item: Item) -> bool:
    return item.kind is ItemKind.IMPORT and imported(item).get("format") in EMAIL_FORMATS


def when_text(item: Item) -> str:
    """`Sent Sun 12 Oct 2025 21:14 – 14 Oct 2025`: the evidence time, saying which it is."""
    when = item.evidence_time
    return f"{when.label} {when.range_text()}"


def time_tooltip(item: Item) -> str:
    return item.evidence_time.describe()


def kind_text(item: Item) -> str:
    if is_email(item):
        return "E-mail"
    derived = item.metadata.get("derived")
    if isinstance(derived, dict) and derived.get("operation") == "redaction":
        return "Redacted copy"
    return KIND_WORDS.get(item.kind, item.kind.value)


def platform_text(item: Item) -> str:
    found = _clean(place(item).get("platform"))
    if not found and item.kind is ItemKind.IMPORT and not is_email(item):
        label = _clean(imported(item).get("label"))
        found = label.removesuffix(" export").removesuffix(" chat")
    return found


def place_text(item: Item) -> str:
    where = place(item)
    for key in ("url", "window_title", "application"):
        found = _clean(where.get(key))
        if found:
            return found
    return _clean(item.original_name)


def title_text(item: Item) -> str:
    """A short name for the item: where a screenshot was, else its file's name."""
    if item.kind in (ItemKind.SCREENSHOT, ItemKind.DERIVED):
        return place_text(item) or kind_text(item)
    return _clean(item.original_name) or place_text(item) or kind_text(item)


def who_text(item: Item, senders: list[str] | None = None) -> str:
    """Who posted it: the account typed at capture, or the senders of a conversation."""
    found = _clean(place(item).get("account"))
    if found or not senders:
        return found
    shown = ", ".join(_clean(name) for name in senders[:3] if _clean(name))
    return shown + (f" and {len(senders) - 3} more" if len(senders) > 3 else "")


def case_text(item: Item) -> str:
    return item.case or NOT_IN_A_CASE


def description(item: Item) -> str:
    return _clean(item.metadata.get("description"))


def is_image(item: Item) -> bool:
    return bool(item.media_type and item.media_type.startswith("image/"))


FILE_KINDS = (
    ("image/", "Picture"),
    ("text/", "Text"),
    ("message/", "E-mail"),
    ("application/pdf", "PDF document"),
    ("audio/", "Recording"),
    ("video/", "Video"),
    ("application/zip", "Zip file"),
)


def file_kind(item: Item) -> str:
    """What kind of file it is, in plain words (the media type is in its details)."""
    media = (item.media_type or "").lower()
    return next((words for start, words in FILE_KINDS if media.startswith(start)), "File")


def size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} bytes"


def timestamp_text(stamp: Any, asking: bool = True) -> str:
    """An item's trusted time-stamp (`timestamp.state.ItemTimestamp`) in plain words; `asking`:
    authorities are configured (trusted time-stamps are on)."""
    from evidence_kit.clock import parse_iso_utc

    if stamp is None or stamp.status == "none":
        return "Not time-stamped (nothing of it was sent to a time-stamping authority)"
    if stamp.status == "pending" and not asking:
        return (
            "Waiting for a time-stamp, but trusted time-stamps are off "
            "(Settings → Trusted time-stamps…)"
        )
    if stamp.status == "pending":
        return "Waiting for a time-stamp (it is asked for when the internet is there)"
    if stamp.status == "failed":
        return f"Could not be time-stamped: {stamp.problem or 'the reply did not check out'}"
    parts = []
    for witness in stamp.witnesses:
        try:
            when = f"{parse_iso_utc(witness.at).astimezone():%d %b %Y %H:%M:%S}"
        except ValueError:
            when = witness.at
        note = f" ({witness.clock_note})" if witness.clock_note else ""
        parts.append(f"Witnessed by {witness.signer} at {when}{note}")
    return "; ".join(parts)


def sealed_text(value: Any) -> str:
    """A bundle's sealing time (ISO, UTC) as people read it: `2 Dec 2026 02:28 UTC`."""
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return _clean(value) or "at a time not given"
    return f"{when.day} {when:%b %Y %H:%M} UTC"


def received_text(item: Item) -> str | None:
    """For an item a rep received in a bundle: who sealed it, when, and with which key."""
    got = item.metadata.get("received")
    if not isinstance(got, dict) or not got.get("sender_fingerprint"):
        return None
    sealed = sealed_text(got.get("sealed_at"))
    exhibit = f" as exhibit {_clean(got.get('exhibit'))}" if got.get("exhibit") else ""
    return (
        f"Received from {_clean(got.get('sender_name')) or 'the sender'}{exhibit}, sealed "
        f"{sealed}, fingerprint {_clean(got.get('sender_fingerprint'))} (read aloud: "
        f"{_clean(got.get('sender_read_aloud'))})"
    )
