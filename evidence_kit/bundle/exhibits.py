"""Which items go into a bundle for an audience, in what order, under which labels and names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from evidence_kit.bundle.format import layout
from evidence_kit.clock import iso_utc
from evidence_kit.model import Item, ItemKind


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
    parent_included: bool = False
    message_count: int = 0
    received: dict[str, Any] | None = None  # for an exhibit a rep received: the sender's seal

    @property
    def path(self) -> str | None:
        return f"{layout.DATA}/{self.folder}/{self.file}" if self.file else None

    @property
    def metadata(self) -> dict[str, Any]:
        """What the item's metadata may say in a bundle (see `shareable`)."""
        return shareable(self.item.metadata)


# Facts about the sender's computer that the vault keeps but no bundle carries (DESIGN: "no
# absolute source paths, computer or account names travel in any bundle").
PRIVATE_FIELDS = {"device": ("hostname", "os_user"), "source": ("path",)}


def shareable(metadata: dict[str, Any]) -> dict[str, Any]:
    """An item's metadata as it may travel: without the computer's name, the account name or
    where the file lay on the sender's disk (an absolute path anywhere is cut to its file name)."""

    def clean(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            hidden = PRIVATE_FIELDS.get(key or "", ())
            return {k: clean(v, k) for k, v in value.items() if k not in hidden}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, str) and _absolute(value):
            return value.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        return value

    return {k: clean(v, k) for k, v in metadata.items()}


def _absolute(text: str) -> bool:
    return (
        (
            text.startswith(("/", "\\\\", "~/"))
            or (len(text) > 2 and text[1] == ":" and text[2] in "\\/")
        )
        and "\n" not in text
        and "://" not in text
    )


def evidence_time(item: Item) -> str:
    """When it happened, in UTC: the one definition in evidence_kit/evidence_time.py."""
    return iso_utc(item.evidence_time.when_utc)


@dataclass(frozen=True)
class Withheld:
    """An item in scope that this audience does not get: named by label and SHA-256 only."""

    item: Item
    label: str
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {"exhibit": self.label, "kind": self.item.kind.value, "sha256": self.item.sha256,
                "why": self.why}  # fmt: skip


def plan(
    items: Sequence[Item],
    everything: Iterable[Item],
    owner: str | None,
    withheld: Sequence[tuple[Item, str]] = (),
) -> tuple[list[Exhibit], list[Withheld]]:
    """Labels, folders and ASCII names, in evidence-time order. Withheld items are numbered
    with the rest (so a label names the same exhibit in every audience's bundle of a case)."""
    by_id = {item.id: item for item in everything}
    prefix = layout.label_prefix(owner)
    why = {item.id: reason for item, reason in withheld}
    ordered = sorted(
        [*items, *(item for item, _ in withheld)], key=lambda i: (evidence_time(i), i.id)
    )
    exhibits: list[Exhibit] = []
    kept_back: list[Withheld] = []
    labels: dict[int, str] = {}
    # An exhibit a rep received keeps the label its sender gave it; the rep's own are numbered
    # around those.
    kept = {item.id: str(received["exhibit"]) for item in ordered
            if isinstance(received := item.metadata.get("received"), dict) and received.get("exhibit")}  # fmt: skip
    taken = set(kept.values())
    count = 0
    for number, item in enumerate(ordered, start=1):
        label = kept.get(item.id)
        while label is None:
            count += 1
            candidate = layout.exhibit_label(prefix, count)
            label = candidate if candidate not in taken else None
        labels[item.id] = label
        if item.id in why:
            kept_back.append(Withheld(item, label, why[item.id]))
            continue
        file = None
        if item.sha256 is not None:
            file = layout.ascii_name(item.original_name, f"{item.kind.value}.bin")
        parent = by_id.get(item.parent_id) if item.parent_id is not None else None
        exhibits.append(Exhibit(item, label, layout.item_folder(number), file, parent))
    travelling = {exhibit.item.id for exhibit in exhibits}
    for exhibit in exhibits:
        if exhibit.parent is not None:
            exhibit.parent_label = labels.get(exhibit.parent.id)
            exhibit.parent_included = exhibit.parent.id in travelling
    return exhibits, kept_back


def item_record(exhibit: Exhibit, bundle_id: str) -> dict[str, Any]:
    """The contents of item.json."""
    item = exhibit.item
    meta = exhibit.metadata
    capture = mapping(meta.get("capture"))
    parent = None
    if exhibit.parent is not None:
        derived = mapping(meta.get("derived"))
        parent = {
            "uid": exhibit.parent.uid,
            "sha256": exhibit.parent.sha256 or derived.get("from_sha256"),
            "exhibit": exhibit.parent_label,
            "included": exhibit.parent_included,
            "original_name": exhibit.parent.original_name if exhibit.parent_included else None,
        }
    return {
        "format": layout.FORMAT,
        "bundle": bundle_id,
        "exhibit": exhibit.label,
        "uid": item.uid,
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
        "vault_record": {**item.as_dict(), "metadata": meta},
        "received": _received_block(exhibit),
    }


def _received_block(exhibit: Exhibit) -> dict[str, Any] | None:
    """Where a received exhibit came from, and how its sender's seal can be checked."""
    received = exhibit.item.metadata.get("received")
    if exhibit.received is None or not isinstance(received, dict):
        return None
    return {**exhibit.received, "sender_exhibit": received.get("exhibit"),
            "sender_path": received.get("path"), "sha256": exhibit.item.sha256}  # fmt: skip
