"""When a piece of evidence happened: the one definition, used by the list, the CLI, the report
and the vault's SQL ordering.

In order of preference:
- **sent**: a message export's messages (its first and last send time), or the message that
  carried an attachment;
- **posted**: the time shown on the post, as the person typed it at capture or add
  (`--posted-at`; the item's metadata `posted`, made by `posted_metadata`);
- **captured**: the instant a screenshot (or its crop) was grabbed;
- **file's own time**: the modification time a file carried when it was added;
- **added**: when it was put in the vault, when nothing better is known.

Each `EvidenceTime` says which of these it is, so nothing reads as "when it happened" that is
only "when it was imported". `SQL_ORDER` is the same rule as an SQL expression over the vault's
tables (`items i`, its parent's import summary `pimp`), kept beside the Python form so the two
cannot drift apart (a test compares them on every kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_kit.clock import local_zone_name
from evidence_kit.errors import Refused


class Which(StrEnum):
    SENT = "sent"
    POSTED = "posted"
    CAPTURED = "captured"
    FILE_TIME = "file's own time"
    ADDED = "added"


WORDS = {
    Which.SENT: "Sent",
    Which.POSTED: "Posted",
    Which.CAPTURED: "Captured",
    Which.FILE_TIME: "File dated",
    Which.ADDED: "Added",
}


@dataclass(frozen=True)
class Sent:
    """A send time as the source gave it: UTC, and the wall clock with its offset if known."""

    utc: datetime
    local: datetime | None = None  # aware, at the offset the source printed

    @classmethod
    def parse(cls, utc_text: Any, local_text: Any = None) -> Sent | None:
        utc = _parse(utc_text)
        if utc is None:
            return None
        local = _parse(local_text)
        return cls(utc.astimezone(UTC), local)


@dataclass(frozen=True)
class SentRange:
    """The first and last send time of an import's messages (one message: first == last)."""

    first: Sent
    last: Sent
    zone: str | None = None  # the zone an import's zone-free times were read in


@dataclass(frozen=True)
class EvidenceTime:
    which: Which
    when_utc: datetime  # aware, UTC
    local: datetime  # aware: in `zone` when known, else at the offset recorded
    zone: str | None = None  # IANA name, when known
    last_utc: datetime | None = None  # an import: its last message, when different

    @property
    def label(self) -> str:
        """One of: Sent, Captured, File dated, Added."""
        return WORDS[self.which]

    def local_text(self) -> str:
        """`Sat 14 Mar 2026 09:26` — the wall clock where it happened (or this PC's, for 'added')."""
        return self.local.strftime("%a %d %b %Y %H:%M")

    def last_text(self) -> str:
        """For a conversation: when its last message was sent (a time the same day, else a
        date); '' for anything else."""
        if self.last_utc is None:
            return ""
        last = self.last_utc.astimezone(self.local.tzinfo)
        return f"{last:%H:%M}" if last.date() == self.local.date() else f"{last:%d %b %Y}"

    def range_text(self) -> str:
        """The local time, and for a conversation the day of its last message too."""
        last = self.last_text()
        return f"{self.local_text()} – {last}" if last else self.local_text()

    def zone_text(self) -> str:
        offset = self.local.strftime("%z")
        offset = f"{offset[:3]}:{offset[3:]}" if len(offset) == 5 else offset
        return f"{self.zone}, UTC{offset}" if self.zone else f"UTC{offset}"

    def describe(self) -> str:
        """Plain words for a tooltip or a report line."""
        text = (
            f"{self.label} {self.local:%d %b %Y %H:%M:%S} {self.zone_text()}\n"
            f"= {iso(self.when_utc)} (UTC)"
        )
        if self.last_utc is not None:
            text += f"\nLast message: {iso(self.last_utc)} (UTC)"
        return text

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (`list --json`, `show --json`)."""
        return {
            "which": self.which.value,
            "utc": iso(self.when_utc),
            "local": self.local.isoformat(),
            "timezone": self.zone,
            "last_utc": iso(self.last_utc) if self.last_utc else None,
        }


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _in_zone(moment: datetime, zone: str | None) -> tuple[datetime, str | None]:
    if zone:
        try:
            return moment.astimezone(ZoneInfo(zone)), zone
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment, None


# The times an item's own metadata records, best first: (which, metadata key, (UTC field,
# wall-clock field)); each also carries `timezone`.
_TYPED_TIMES = (
    (Which.POSTED, "posted", ("at_utc", "at_local")),
    (Which.CAPTURED, "capture", ("captured_at_utc", "captured_at_local")),
)


def _typed_time(
    which: Which, facts: dict[str, Any], utc_field: str, local_field: str
) -> EvidenceTime | None:
    moment = _parse(facts.get(utc_field))
    if moment is None:
        return None
    local = _parse(facts.get(local_field)) or moment
    zone = facts.get("timezone") if isinstance(facts.get("timezone"), str) else None
    shown, zone = _in_zone(local, zone)
    return EvidenceTime(which, moment.astimezone(UTC), shown, zone)


def evidence_time(
    metadata: dict[str, Any], added_at: datetime, sent: SentRange | None = None
) -> EvidenceTime:
    """The evidence time of an item from what the vault recorded about it.

    `sent` comes from the messages (see `vault.records`); the rest from the item's metadata."""
    if sent is not None:
        local, zone = _in_zone(sent.first.local or sent.first.utc, sent.zone)
        last = sent.last.utc if sent.last.utc != sent.first.utc else None
        return EvidenceTime(Which.SENT, sent.first.utc, local, zone, last)
    for which, key, fields in _TYPED_TIMES:
        found = _typed_time(which, _mapping(metadata.get(key)), *fields)
        if found is not None:
            return found
    times = _mapping(_mapping(metadata.get("source")).get("file_times"))
    modified = _parse(times.get("modified_utc"))
    if modified is not None:
        return EvidenceTime(Which.FILE_TIME, modified.astimezone(UTC), modified.astimezone())
    return EvidenceTime(Which.ADDED, added_at.astimezone(UTC), added_at.astimezone())


# The same rule in SQL, for ordering in the vault (julianday: mixed ISO forms compare right).
# Needs `items i` and `imports pimp` (the import summary of i's parent) in the FROM clause.
SQL_ORDER = """coalesce(
    CASE WHEN i.kind = 'import' THEN (
        SELECT julianday(m.sent_at_utc) FROM messages m
        WHERE m.item_id = i.id AND julianday(m.sent_at_utc) IS NOT NULL
        ORDER BY julianday(m.sent_at_utc) LIMIT 1) END,
    CASE WHEN i.kind = 'attachment' THEN julianday(
        json_extract(pimp.summary, '$.attachment_sent."' || i.id || '".utc')) END,
    julianday(json_extract(i.metadata, '$.posted.at_utc')),
    julianday(json_extract(i.metadata, '$.capture.captured_at_utc')),
    julianday(json_extract(i.metadata, '$.source.file_times.modified_utc')),
    julianday(i.added_at))"""


# -- times a person typed ----------------------------------------------------------------------


def zone_named(name: str | None) -> str:
    """An IANA zone (`Europe/London`), this computer's when none is given."""
    chosen = (name or "").strip() or local_zone_name()
    try:
        ZoneInfo(chosen)
    except (ZoneInfoNotFoundError, ValueError):
        raise Refused(
            f"{chosen!r} is not a time zone.", hint="Give one such as Europe/London or UTC."
        ) from None
    return chosen


def parse_typed(text: str, zone: str) -> datetime:
    """An aware time a person typed (`--when`, `--posted-at`): with its own offset, or read on
    the wall clock of `zone`. A time the clocks skipped, or passed twice, is refused."""
    cleaned = text.strip()
    try:
        moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(
            f"{cleaned!r} is not a date and time.",
            hint="Use ISO 8601: 2026-11-20T21:14 (in --tz), or 2026-11-20T21:14+00:00.",
        ) from None
    if moment.tzinfo is not None:
        return moment
    place = ZoneInfo(zone)
    first, second = moment.replace(tzinfo=place, fold=0), moment.replace(tzinfo=place, fold=1)
    if first.astimezone(UTC).astimezone(place).replace(tzinfo=None) != moment:
        raise Refused(
            f"{cleaned} did not exist in {zone} (the clocks went forward that night).",
            hint="Check the time, or add the offset it was shown with.",
        )
    if first.utcoffset() != second.utcoffset():
        raise Refused(
            f"{cleaned} happened twice in {zone} (the clocks went back that night).",
            hint="Add the offset to say which: for example +01:00 for the first, +00:00 for the second.",
        )
    return first


def posted_metadata(text: str, zone: str | None = None) -> dict[str, Any]:
    """The item metadata `posted` for `--posted-at TEXT` (read in `zone`, else this computer's):
    the instant in UTC, the wall clock with its offset, the zone, and what was typed."""
    chosen = zone_named(zone)
    moment = parse_typed(text, chosen)
    return {
        "at_utc": iso(moment),
        "at_local": moment.astimezone(ZoneInfo(chosen)).isoformat(),
        "timezone": chosen,
        "as_typed": text.strip(),
    }
