"""Which items go into a bundle for an audience, in what order, under which labels and names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from evidence_kit.bundle.format import layout
from evidence_kit.clock import iso_utc
from evidence_kit.errors import ExportError
from evidence_kit.model import Item, ItemKind

REDACTION_OPERATIONS = {"redact", "redaction", "redacted"}


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (metadata is read, never trusted)."""
    return value if isinstance(value, dict) else {}


@dataclass
class Exhibit:
    item: Item
    label: str
    folder: str  # "items/0001"
    file: str | None  # ASCII payload name, None for a note
    parent: Item | None = None
    parent_label: str | None = None
    message_count: int = 0

    @property
    def path(self) -> str | None:
        return f"{layout.DATA}/{self.folder}/{self.file}" if self.file else None

    @property
    def metadata(self) -> dict[str, Any]:
        return self.item.metadata


def evidence_time(item: Item) -> str:
    """When it happened, in UTC: the one definition in evidence_kit/evidence_time.py."""
    return iso_utc(item.evidence_time.when_utc)


def is_redaction(item: Item) -> bool:
    derived = item.metadata.get("derived")
    return (
        item.kind == ItemKind.DERIVED
        and isinstance(derived, dict)
        and str(derived.get("operation", "")).lower() in REDACTION_OPERATIONS
    )


def choose(
    items: Sequence[Item],
    everything: Iterable[Item],
    audience: str,
    *,
    include_withdrawn: bool,
) -> list[Item]:
    """The items an audience gets, from the ones asked for (`items`) and the whole vault."""
    if audience not in layout.AUDIENCES:
        raise ExportError(
            f"There is no audience called {audience!r}.",
            hint=f"Choose one of: {', '.join(layout.AUDIENCES)}.",
        )
    by_id = {item.id: item for item in everything}
    keep_withdrawn = include_withdrawn or audience == "rep"
    chosen: dict[int, Item] = {item.id: item for item in items}
    # An import travels with its attachments.
    for item in list(by_id.values()):
        if item.kind == ItemKind.ATTACHMENT and item.parent_id in chosen:
            chosen.setdefault(item.id, item)
    if audience == "police":  # originals always
        for item in list(chosen.values()):
            parent_id = item.parent_id
            while parent_id is not None and parent_id in by_id:
                parent = by_id[parent_id]
                chosen.setdefault(parent.id, parent)
                parent_id = parent.parent_id
    if audience == "manager":  # a redacted copy instead of its original
        redactions: dict[int, Item] = {}
        for item in by_id.values():
            if is_redaction(item) and not item.withdrawn and item.parent_id is not None:
                redactions.setdefault(item.parent_id, item)
        for item_id in list(chosen):
            redacted = redactions.get(item_id)
            if redacted is not None:
                chosen.pop(item_id)
                chosen[redacted.id] = redacted
    result = [item for item in chosen.values() if keep_withdrawn or not item.withdrawn]
    result.sort(key=lambda item: (evidence_time(item), item.id))
    return result


def plan(items: Sequence[Item], everything: Iterable[Item], owner: str | None) -> list[Exhibit]:
    """Labels, folders and ASCII names for the chosen items, in evidence-time order."""
    by_id = {item.id: item for item in everything}
    prefix = layout.label_prefix(owner)
    exhibits: list[Exhibit] = []
    labels: dict[int, str] = {}
    for number, item in enumerate(items, start=1):
        label = layout.exhibit_label(prefix, number)
        labels[item.id] = label
        file = None
        if item.sha256 is not None:
            file = layout.ascii_name(item.original_name, f"{item.kind.value}.bin")
        parent = by_id.get(item.parent_id) if item.parent_id is not None else None
        exhibits.append(Exhibit(item, label, layout.item_folder(number), file, parent))
    for exhibit in exhibits:
        if exhibit.parent is not None:
            exhibit.parent_label = labels.get(exhibit.parent.id)
    return exhibits


def item_record(exhibit: Exhibit, bundle_id: str) -> dict[str, Any]:
    """The contents of item.json."""
    item = exhibit.item
    meta = item.metadata
    capture = mapping(meta.get("capture"))
    parent = None
    if exhibit.parent is not None:
        derived = mapping(meta.get("derived"))
        parent = {
            "uid": exhibit.parent.uid,
            "sha256": exhibit.parent.sha256 or derived.get("from_sha256"),
            "exhibit": exhibit.parent_label,
            "included": exhibit.parent_label is not None,
            "original_name": exhibit.parent.original_name,
        }
    return {
        "format": layout.FORMAT,
        "bundle": bundle_id,
        "exhibit": exhibit.label,
        "kind": item.kind.value,
        "file": exhibit.file,
        "path": exhibit.path,
        "original_name": item.original_name,
        "media_type": item.media_type,
        "size": item.size if item.sha256 else None,
        "sha256": item.sha256,
        "times": {
            "added_utc": iso_utc(item.added_at),
            "captured_utc": capture.get("captured_at_utc"),
            "captured_local": capture.get("captured_at_local"),
            "timezone": capture.get("timezone"),
            "utc_offset": capture.get("utc_offset"),
        },
        "place": meta.get("place"),
        "capture_method": capture.get("method"),
        "device": meta.get("device"),
        "description": meta.get("description"),
        "notes": [{"text": n.text, "added_utc": iso_utc(n.added_at)} for n in item.notes],
        "parent": parent,
        "derived": meta.get("derived"),
        "import": meta.get("import"),
        "messages": (
            {"file": layout.MESSAGES, "count": exhibit.message_count}
            if item.kind == ItemKind.IMPORT
            else None
        ),
        "withdrawn": (
            {"reason": item.withdrawal.reason, "at": iso_utc(item.withdrawal.at)}
            if item.withdrawal
            else None
        ),
        "vault_record": item.as_dict(),
    }
