"""The shared vocabulary: small immutable values passed between the core and its two faces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evidence_kit.evidence_time import EvidenceTime, SentRange


class ItemKind(StrEnum):
    FILE = "file"  # any file added as it is (PDF, picture, audio, video)
    SCREENSHOT = "screenshot"  # a full frame grabbed from the screen
    IMPORT = "import"  # an original message export (WhatsApp, e-mail, SMS, …)
    ATTACHMENT = "attachment"  # a file found inside an import (a photo in a WhatsApp zip, …)
    NOTE = "note"  # a written statement with no file
    DERIVED = "derived"  # made from another item (a crop, a redaction); names its parent
    RECEIVED = "received"  # a sealed bundle someone handed over, kept as it came (a rep's vault)


NOT_IN_A_CASE = "Not in a case yet"  # how an item with no case is shown


@dataclass(frozen=True)
class Case:
    """A case under its current name; `item_count` counts what is in it now (not attachments)."""

    id: int
    name: str
    created_at: datetime
    item_count: int = 0


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
    sent: SentRange | None = None  # when its messages were sent (an import, an attachment)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawal is not None

    @property
    def evidence_time(self) -> EvidenceTime:
        """When it happened, as far as the vault knows, and which time that is."""
        from evidence_kit.evidence_time import evidence_time

        return evidence_time(self.metadata, self.added_at, self.sent)

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
            "evidence_time": self.evidence_time.as_dict(),
            "parent_id": self.parent_id,
            "withdrawn": self.withdrawn,
            "withdrawal": (
                {"reason": self.withdrawal.reason, "at": iso_utc(self.withdrawal.at)}
                if self.withdrawal
                else None
            ),
            "notes": [
                {"id": n.id, "text": n.text, "added_at": iso_utc(n.added_at)} for n in self.notes
            ],
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

    @property
    def actor(self) -> str:
        """Who acted, for people: the owner's name (and, on old events, the account)."""
        if self.os_user and self.os_user != self.owner:
            return f"{self.owner} ({self.os_user})"
        return self.owner

    def as_dict(self) -> dict[str, Any]:
        from evidence_kit.clock import iso_utc

        return {
            "seq": self.seq,
            "at": iso_utc(self.at),
            "actor": (
                {"os_user": self.os_user, "owner": self.owner}
                if self.os_user
                else {"owner": self.owner}
            ),
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


@dataclass
class AttachmentRef:
    """A file a message names. `omitted`: the export left it out ("<Media omitted>");
    `present`: the file was in the export and is kept as a child item (`item_id`, `sha256`)."""

    name: str
    omitted: bool = False
    present: bool = False
    item_id: int | None = None
    sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "omitted": self.omitted,
            "present": self.present,
            "item_id": self.item_id,
            "sha256": self.sha256,
        }


@dataclass
class Message:
    """One parsed message of an import, in file order (`index` counts system messages too).

    `sent_at` is aware. `sent_at_local` is the wall-clock time as the file printed it (ISO, no
    offset) for formats that print no offset, else None. `text_raw` is the text exactly as in
    the file; `text` has invisible marks removed.
    """

    index: int
    sender: str | None
    text: str
    sent_at: datetime | None
    text_raw: str | None = None
    conversation: str | None = None
    sender_id: str | None = None
    is_system: bool = False
    sent_at_local: str | None = None
    edited: bool = False
    deleted: bool = False
    attachments: list[AttachmentRef] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The record the vault gives back for this message (see `vault.message_codec`)."""
        from evidence_kit.vault.message_codec import record_from_message

        return record_from_message(self)
