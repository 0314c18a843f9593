"""Who gets what: the audience presets that decide whose bytes travel in a bundle.

- **rep** (a union rep or colleague helping the person): everything in scope, withdrawn items
  too (marked as such).
- **police**: every original, always — the parents of every crop and redaction, the download a
  conversation came from — and the crops and redactions beside them. Withdrawn items are left out.
- **manager** (line manager, HR): what the person prepared for them — a redacted copy instead of
  its original, the crop of a region or window capture instead of the full screen, a chat's
  redacted messages instead of the export and its files — and a list of what was withheld, by
  exhibit label and SHA-256, never its content. Withdrawn items are left out.

The scope is what was asked for and what it cannot be understood without: an import's files
(its attachments, a conversation's media), and a derived item's parent where the audience gets
originals. Every item in scope is numbered in evidence-time order, the withheld ones too, so an
exhibit has the same label in the manager's and the police's bundle of the same case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evidence_kit.bundle.format import layout
from evidence_kit.errors import ExportError
from evidence_kit.model import Item, ItemKind

CROP, REDACTION = "crop", "redaction"
REDACTED_INSTEAD = "a redacted copy was given instead"
CROP_INSTEAD = "the crop of the region or window was given instead of the full screen"
EXPORT_REDACTED = (
    "the original export and its files were withheld: its redacted messages were given"
)
DOWNLOAD_WITHHELD = "the whole download the conversation came from (other conversations in it)"


@dataclass(frozen=True)
class Selection:
    travel: list[Item]  # in evidence-time order
    withheld: list[tuple[Item, str]]  # (item, why), in evidence-time order
    withdrawn_left_out: int


def operation(item: Item) -> str | None:
    derived = item.metadata.get("derived")
    if item.kind != ItemKind.DERIVED or not isinstance(derived, dict):
        return None
    name = str(derived.get("operation", "")).lower()
    return REDACTION if name in ("redact", "redaction", "redacted") else name or None


def _files_of(item: Item, by_id: dict[int, Item], children: dict[int, list[Item]]) -> list[Item]:
    """What an import cannot be read without: its attachments, a conversation's files."""
    found = [c for c in children.get(item.id, []) if c.kind == ItemKind.ATTACHMENT]
    conversation = item.metadata.get("conversation")
    if isinstance(conversation, dict):
        for entry in conversation.get("files") or []:
            file_id = entry.get("item_id") if isinstance(entry, dict) else None
            if isinstance(file_id, int) and file_id in by_id:
                found.append(by_id[file_id])
    return found


def select(
    asked: Sequence[Item],
    everything: Iterable[Item],
    audience: str,
    *,
    include_withdrawn: bool = False,
    sort_key=None,  # type: ignore[no-untyped-def]
) -> Selection:
    if audience not in layout.AUDIENCES:
        raise ExportError(
            f"There is no audience called {audience!r}.",
            hint=f"Choose one of: {', '.join(layout.AUDIENCES)}.",
        )
    by_id = {item.id: item for item in everything}
    children: dict[int, list[Item]] = {}
    for item in by_id.values():
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)
    scope: dict[int, Item] = {}

    def take(item: Item) -> None:
        if item.id in scope:
            return
        scope[item.id] = item
        if item.kind == ItemKind.IMPORT:
            for file in _files_of(item, by_id, children):
                take(file)

    for item in asked:
        if item.kind != ItemKind.RECEIVED:  # a received zip travels as its exhibits and seal
            take(item)
    if audience == "police":  # originals always: every ancestor of what travels
        for item in list(scope.values()):
            parent_id = item.parent_id
            while parent_id is not None and parent_id in by_id:
                take(by_id[parent_id])
                parent_id = by_id[parent_id].parent_id
    keep_withdrawn = include_withdrawn or audience == "rep"
    withdrawn = [item for item in scope.values() if item.withdrawn and not keep_withdrawn]
    live = {i: item for i, item in scope.items() if keep_withdrawn or not item.withdrawn}
    withheld: dict[int, str] = {}
    if audience == "manager":
        # What stands in for an item (its redaction, a capture's crop and the crop's redaction)
        # travels even when it was not asked for itself; then the items they replace are held back.
        added = True
        while added:
            added = False
            for stand_in in _stand_ins(live, children):
                if stand_in.id not in live:
                    live[stand_in.id] = stand_in
                    added = True
        withheld = _for_manager(live, by_id, children)
    key = sort_key or (lambda item: item.id)
    travel = sorted((item for i, item in live.items() if i not in withheld), key=key)
    kept_back = sorted(
        ((live[i], why) for i, why in withheld.items()), key=lambda pair: key(pair[0])
    )
    return Selection(travel, kept_back, len(withdrawn))


def _redaction_of(item: Item, children: dict[int, list[Item]]) -> Item | None:
    found = [c for c in children.get(item.id, []) if operation(c) == REDACTION and not c.withdrawn]
    return max(found, key=lambda c: c.id) if found else None


def _crop_of(item: Item, children: dict[int, list[Item]]) -> Item | None:
    found = [c for c in children.get(item.id, []) if operation(c) == CROP and not c.withdrawn]
    return min(found, key=lambda c: c.id) if found else None


def _for_manager(
    live: dict[int, Item], by_id: dict[int, Item], children: dict[int, list[Item]]
) -> dict[int, str]:
    """What a manager does not get of `live`, and why."""
    withheld: dict[int, str] = {}
    for item in live.values():
        redacted = _redaction_of(item, children)
        if redacted is not None:
            withheld[item.id] = (
                EXPORT_REDACTED if item.kind == ItemKind.IMPORT else REDACTED_INSTEAD
            )
            if item.kind == ItemKind.IMPORT:
                for file in _files_of(item, by_id, children):
                    withheld[file.id] = EXPORT_REDACTED
            continue
        if item.kind == ItemKind.SCREENSHOT and _crop_of(item, children) is not None:
            withheld[item.id] = CROP_INSTEAD
        if item.kind == ItemKind.IMPORT and item.sha256 is None and item.parent_id in by_id:
            parent = by_id[item.parent_id]
            if parent.id in live:
                withheld[parent.id] = DOWNLOAD_WITHHELD
    return withheld


def _stand_ins(live: dict[int, Item], children: dict[int, list[Item]]) -> list[Item]:
    """The redactions and crops that replace items of `live`."""
    found: list[Item] = []
    for item in list(live.values()):
        stand_in = _redaction_of(item, children)
        if stand_in is None and item.kind == ItemKind.SCREENSHOT:
            stand_in = _crop_of(item, children)
        if stand_in is not None:
            found.append(stand_in)
    return found
