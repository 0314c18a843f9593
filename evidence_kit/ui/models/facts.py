"""Everything recorded about an item, in plain words: a label for each field the program
records, and an explanation (tooltip) for the technical ones. Values are shown as they are."""

from __future__ import annotations

from typing import Any

LABELS: dict[str, tuple[str, str]] = {
    # key: (plain label, explanation)
    "capture": ("How it was captured", ""),
    "captured_at_utc": ("Captured at (UTC)", "The moment of the grab in universal time (UTC)."),
    "captured_at_local": ("Captured at (local time)", "The same moment on this computer's clock."),
    "timezone": ("Time zone", ""),
    "utc_offset": ("Difference from UTC", ""),
    "before_utc": ("Grab started (UTC)", "The grab happened between this and the next time."),
    "after_utc": ("Grab ended (UTC)", ""),
    "method": ("What was captured", "all: every screen; window: the window in front; region."),
    "monitor": ("Screen number", ""),
    "monitors": ("Screens", ""),
    "region": ("Part of the screen kept", "Left, top, width and height, in pixels."),
    "encoder": ("Saved with", "The program that wrote the picture file (PNG, lossless)."),
    "scale": ("Screen scaling", ""),
    "display_server": ("Kind of desktop", ""),
    "frame": ("Whole picture", ""),
    "pixels_sha256": (
        "Fingerprint of the picture's pixels",
        "A SHA-256 fingerprint of the pixels themselves (not of the file): it shows the "
        "picture is the same even if the file is saved again in another format.",
    ),
    "pixels_format": ("How the pixels were fingerprinted", ""),
    "place": ("Where it was", ""),
    "url": ("Web address", ""),
    "platform": ("Site or app", ""),
    "account": ("Who posted it", ""),
    "window_title": ("Window title", ""),
    "application": ("Program", ""),
    "window_rectangle": ("Window position and size", "Left, top, width and height, in pixels."),
    "window_source": (
        "How the window in front was found",
        "Where the program learnt which window was in front, from the desktop itself.",
    ),
    "device": ("Computer", ""),
    "os": ("System", ""),
    "hostname": ("Computer name", ""),
    "os_user": ("Account on this computer", ""),
    "program": ("Program", ""),
    "description": ("What happened", ""),
    "source": ("Where the file came from", ""),
    "path": ("Folder and file name", ""),
    "file_times": ("The file's own dates", ""),
    "modified_utc": ("Last changed (UTC)", ""),
    "accessed_utc": ("Last opened (UTC)", ""),
    "changed_utc": ("Details last changed (UTC)", ""),
    "created_utc": ("Created (UTC)", ""),
    "import": ("How it was read", ""),
    "format": ("Kind of export", ""),
    "label": ("Read as", ""),
    "date_order": ("Order of day and month", "dmy: day first; mdy: month first."),
    "derived": ("Made from another item", ""),
    "from_sha256": ("Fingerprint of the original", "The SHA-256 fingerprint of the original."),
    "operation": ("What was done", ""),
    "rectangle": ("Part kept", "Left, top, width and height, in pixels."),
    "attachment_of": ("Attachment of item", ""),
    "zip_member": ("Name inside the export", ""),
}
VALUES = {
    "_NET_ACTIVE_WINDOW": "the desktop said which window was in front",
    "input focus": "the window that had the keyboard",
    "win32": "Windows said which window was in front",
    "quartz": "macOS said which window was in front",
}


def label(key: str) -> tuple[str, str]:
    """The plain label and explanation for a recorded field (unknown keys read as written)."""
    found = LABELS.get(key)
    if found is not None:
        return found
    return key.replace("_", " ").capitalize(), ""


def value_text(value: Any) -> str:
    if value is None:
        return "not known"
    text = str(value)
    return VALUES.get(text, text)
