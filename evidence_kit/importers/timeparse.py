"""Wall-clock times with no offset, read honestly: the zone, daylight saving, and day/month order.

Shared by importers whose format prints local time without an offset (WhatsApp, SMS
`readable_date`, iMessage TXT). Two small tools:

- `WallClock(zone)` turns naive times, fed in file order, into aware ones. A repeated hour
  (autumn fall-back) is resolved by file order: once the file has gone back in time inside the
  repeated hour, the second pass (``fold=1``) is used. A time inside a spring-forward gap cannot
  happen in a genuine export: it is returned with flag ``"nonexistent"`` so it can be reported.
- `decide_order(pairs, given=...)` decides whether ``a/b/yy`` means day/month or month/day from
  the data: a field over 12, then chronology (dates never go backwards in an export), then how
  often each field changes; the `OrderDecision` says whether it was ambiguous.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

REPEATED = "repeated"  # inside a fall-back hour: resolved by file order
NONEXISTENT = "nonexistent"  # inside a spring-forward gap: cannot be a genuine time


class WallClock:
    """Naive wall-clock times in `zone`, in file order, to aware times (see module docstring)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._plain_days: dict[date, bool] = {}
        self.last_utc: datetime | None = None  # naive UTC of the last time resolved

    def _is_plain_day(self, day: date) -> bool:
        plain = self._plain_days.get(day)
        if plain is None:
            start = datetime(day.year, day.month, day.day)
            offsets = {
                (moment.replace(fold=fold, tzinfo=self.zone)).utcoffset()
                for moment in (start, start + timedelta(days=1))
                for fold in (0, 1)
            }
            plain = self._plain_days[day] = len(offsets) == 1
        return plain

    def plain_offset(self, day: date) -> timedelta | None:
        """The UTC offset all day long, or None if the clocks change that day."""
        if not self._is_plain_day(day):
            return None
        return datetime(day.year, day.month, day.day, 12, tzinfo=self.zone).utcoffset()

    def aware(self, naive: datetime) -> tuple[datetime, str | None]:
        """The aware time for `naive` (the next time in file order) and a flag (None if plain)."""
        flag = None
        if self._is_plain_day(naive.date()):
            result = naive.replace(tzinfo=self.zone)
        else:
            first = naive.replace(tzinfo=self.zone, fold=0)
            second = naive.replace(tzinfo=self.zone, fold=1)
            off0, off1 = first.utcoffset(), second.utcoffset()
            assert off0 is not None and off1 is not None
            if off0 == off1:
                result = first
            elif off0 > off1:  # fall back: the hour happens twice
                flag = REPEATED
                earlier = naive - off0
                went_back = self.last_utc is not None and earlier < self.last_utc
                result = second if went_back else first
            else:  # spring forward: this wall-clock time never happened
                flag = NONEXISTENT
                result = first
        offset = result.utcoffset()
        assert offset is not None
        self.last_utc = naive - offset
        return result, flag


def to_utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def full_year(year: int) -> int:
    """Two-digit years are 20xx (no chat export predates 2000)."""
    return year + 2000 if year < 100 else year


@dataclass(frozen=True)
class OrderDecision:
    order: str  # "dmy", "mdy" or "ymd"
    ambiguous: bool  # True when the data could not settle it
    reason: str  # plain words: how it was decided

    def facts(self) -> dict[str, object]:
        return {
            "date_order": self.order,
            "date_order_ambiguous": self.ambiguous,
            "date_order_reason": self.reason,
        }


def _decreases(dates: Sequence[tuple[int, int, int]]) -> int | None:
    """How often `dates` (year, month, day) go backwards; None if one is not a real date."""
    count = 0
    previous: date | None = None
    for year, month, day in dates:
        try:
            current = date(full_year(year), month, day)
        except ValueError:
            return None
        if previous is not None and current < previous:
            count += 1
        previous = current
    return count


def decide_order(
    triples: Sequence[tuple[int, int, int]],
    *,
    given: str | None = None,
    year_first: bool = False,
    fallback: str = "dmy",
) -> OrderDecision:
    """Day/month order for dates printed as (a, b, c), in file order (consecutive repeats removed)."""
    if given:
        return OrderDecision(given, False, "given with --date-order")
    if year_first:
        return OrderDecision("ymd", False, "the year is written first")
    day_first = any(a > 12 for a, _, _ in triples)
    month_first = any(b > 12 for _, b, _ in triples)
    if day_first != month_first:
        order = "dmy" if day_first else "mdy"
        return OrderDecision(order, False, "a day over 12 appears in the dates")
    as_dmy = _decreases([(c, b, a) for a, b, c in triples])
    as_mdy = _decreases([(c, a, b) for a, b, c in triples])
    if as_dmy is not None and as_mdy is not None and as_dmy != as_mdy:
        order = "dmy" if as_dmy < as_mdy else "mdy"
        settled = min(as_dmy, as_mdy) == 0
        return OrderDecision(order, not settled, "only this order keeps the dates in time order")
    if as_dmy is None and as_mdy is not None:
        return OrderDecision("mdy", False, "only month/day gives real dates")
    if as_mdy is None and as_dmy is not None:
        return OrderDecision("dmy", False, "only day/month gives real dates")
    changes_a = sum(1 for x, y in itertools.pairwise(triples) if x[0] != y[0])
    changes_b = sum(1 for x, y in itertools.pairwise(triples) if x[1] != y[1])
    if changes_a != changes_b:
        order = "dmy" if changes_a > changes_b else "mdy"
        return OrderDecision(order, True, "the field that changes most often was taken as the day")
    return OrderDecision(fallback, True, "nothing in the dates tells day and month apart")


def fallback_order(zone: ZoneInfo) -> str:
    """The usual order where the data cannot tell: month first in the Americas' US-style zones."""
    us_style = ("America/", "US/", "Pacific/Honolulu", "Pacific/Guam")
    return "mdy" if zone.key.startswith(us_style) else "dmy"


def parse_iso_instant(value: object) -> datetime | None:
    """An ISO 8601 time with its offset (`2023-09-23T13:15:48.379+03:00`, `…Z`) as an aware
    datetime; None if it is missing, not a time, or has no offset (then it is not an instant)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def epoch_seconds(value: object) -> datetime | None:
    """Seconds since 1970 (a number or a string such as Slack's `"1792515720.000200"`) in UTC."""
    try:
        return datetime.fromtimestamp(float(str(value)), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
