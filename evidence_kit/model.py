"""The shared vocabulary: small immutable values passed between the core and its two faces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class ItemKind(StrEnum):
    FILE = "file"  # any file added as it is (PDF, picture, audio, video)
    SCREENSHOT = "screenshot"  # a full frame grabbed from the screen
    IMPORT = "import"  # an original message export (WhatsApp, e-mail, SMS, …)
    ATTACHMENT = "attachment"  # a file found inside an import (a photo in a WhatsApp zip, …)
    NOTE = "note"  # a written statement with no file
    DERIVED = "derived"  # made from another item (a crop, a redaction); names its parent


@dataclass(frozen=True)
class Case:
    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class Note:
    id: int
    item_id: int
    text: str
    added_at: datetime


@dataclass(frozen=True)
class Withdrawal:
    item_id: int
    reason: str
    at: datetime


@dataclass(frozen=True)
class Item:
    """One piece of evidence. `metadata` holds what the source knows (place, capture, import)."""

    id: int
    uid: str
    kind: ItemKind
    case: str | None
    sha256: str | None
    size: int
    media_type: str | None
    original_name: str | None
    added_at: datetime
    parent_id: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    withdrawal: Withdrawal | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawal is not None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used by `list --json`, `show --json` and the bundle's item.json."""
        from evidence_kit.clock import iso_utc

        return {
            "id": self.id,
            "uid": self.uid,
            "kind": self.kind.value,
            "case": self.case,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "original_name": self.original_name,
            "added_at": iso_utc(self.added_at),
            "parent_id": self.parent_id,
            "withdrawn": self.withdrawn,
            "withdrawal": (
                {"reason": self.withdrawal.reason, "at": iso_utc(self.withdrawal.at)} if self.withdrawal else None
            ),
            "notes": [{"id": n.id, "text": n.text, "added_at": iso_utc(n.added_at)} for n in self.notes],
            "metadata": self.metadata,
        }


@dataclass(frozen=True)
class CustodyEvent:
    """One act on the chain of custody; `hash` covers all the other fields and `prev_hash`."""

    seq: int
    at: datetime
    os_user: str
    owner: str
    action: str
    subject: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        from evidence_kit.clock import iso_utc

        return {
            "seq": self.seq,
            "at": iso_utc(self.at),
            "actor": {"os_user": self.os_user, "owner": self.owner},
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Problem:
    """One thing a check found wrong, and where."""

    where: str
    what: str


@dataclass(frozen=True)
class CheckReport:
    checks: tuple[tuple[str, bool, str], ...]  # (name, passed, detail)
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


# Long work takes these: progress(done, total) with total None when unknown; cancel() -> True to stop.
Progress = Callable[[int, int | None], None]
CancelFlag = Callable[[], bool]


def no_progress(done: int, total: int | None) -> None:
    return None


def never_cancel() -> bool:
    return False
