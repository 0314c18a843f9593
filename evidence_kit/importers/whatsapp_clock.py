"""The time of a WhatsApp header, as the three texts a message row keeps.

A header prints a local wall-clock time with no offset; `HeaderClock.when(header, line)` gives
`(sent_at, sent_at_utc, sent_at_local, extra)` for it, e.g. ``("2026-10-20T18:02:00+01:00",
"2026-10-20T17:02:00Z", "2026-10-20T18:02:00", None)``, byte for byte what
`message_codec.row_from_message` makes of the aware time (a test holds the two equal).

Almost every header falls on a day without a clock change, in a zone a whole number of hours
from UTC: for those the texts are put together from a per-hour cache (the date, the hour, the
offset), with no `datetime` per message. Everything else — the two clock-change days a year
(repeated and skipped hours, resolved in file order by `timeparse.WallClock`), zones such as
Asia/Kolkata, impossible dates — takes the exact path through `datetime`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from evidence_kit.importers import timeparse
from evidence_kit.importers import whatsapp_grammar as g
from evidence_kit.importers.textlines import Warnings
from evidence_kit.vault.message_codec import utc_text

_HOUR = timedelta(hours=1)
_ORDERS = {"dmy": (2, 1, 0), "mdy": (2, 0, 1), "ymd": (0, 1, 2)}  # where year, month, day are

When = tuple[str | None, str | None, str | None, dict[str, Any] | None]


class HeaderClock:
    """A header's groups (1-3 date fields, 4 am/pm before, 5 hour, 6 minute, 7 second, 8 am/pm
    after; see `whatsapp_grammar`) to row times, in file order (see the module docstring)."""

    def __init__(self, zone: ZoneInfo, order: str, warnings: Warnings) -> None:
        self.zone = zone
        self.where = _ORDERS[order]
        self.warnings = warnings
        self.clock = timeparse.WallClock(zone)
        self.counts = {"repeated": 0, "nonexistent": 0, "undated": 0, "out_of_order": 0}
        self.last_utc: str | None = None  # "YYYY-MM-DDTHH:MM:SS" of the last dated message
        self._days: dict[tuple[str, str, str], tuple[date, timedelta | None] | None] = {}
        # (date fields, am/pm, hour, am/pm) -> the start of the three texts, or () for the
        # exact path: read by ChatParser's loop directly (see `hour_of`)
        self.hours: dict[tuple[str | None, ...], tuple[str, ...]] = {}

    def when(self, header: re.Match[str], line: int) -> When:
        hour = self.hours.get(header.group(1, 2, 3, 4, 5, 8))
        if hour is None:
            hour = self.hour_of(header)
        minute, second = header.group(6, 7)
        second = second or "00"
        if not hour or minute >= "60" or second >= "60":
            return self._exact(header, line)
        local_hour, utc_hour, suffix = hour
        local = f"{local_hour}{minute}:{second}"
        utc = f"{utc_hour}{minute}:{second}"
        last = self.last_utc
        if last is not None and utc < last:
            self._went_back(line)
        self.last_utc = utc
        return local + suffix, utc + "Z", local, None

    def _day(self, fields: tuple[str | None, ...]) -> tuple[date, timedelta | None] | None:
        key = (str(fields[0]), str(fields[1]), str(fields[2]))
        if key not in self._days:
            at = self.where
            try:
                day = date(timeparse.full_year(int(key[at[0]])), int(key[at[1]]), int(key[at[2]]))
            except ValueError:
                self._days[key] = None
            else:
                self._days[key] = (day, self.clock.plain_offset(day))
        return self._days[key]

    def hour_of(self, header: re.Match[str]) -> tuple[str, ...]:
        """The start of the three texts for the header's date and hour (local, UTC, offset:
        ``("2026-10-20T18:", "2026-10-20T17:", "+01:00")``), or () for the exact path."""
        groups = header.groups()
        found = self.hours[header.group(1, 2, 3, 4, 5, 8)] = self._hour(groups)
        return found

    def _hour(self, groups: tuple[str | None, ...]) -> tuple[str, ...]:
        day = self._day(groups)
        if day is None or day[1] is None or day[1] % _HOUR:
            return ()
        marker = groups[3] or groups[7]
        hour = g.hour24(int(str(groups[4])), marker) if marker else int(str(groups[4]))
        try:
            naive = datetime(day[0].year, day[0].month, day[0].day, hour)
        except ValueError:
            return ()
        aware = naive.replace(tzinfo=self.zone).isoformat()  # "…T18:00:00+01:00"
        return aware[:14], (naive - day[1]).isoformat()[:14], aware[19:]

    def _exact(self, header: re.Match[str], line: int) -> When:
        """Clock-change days, odd offsets and impossible times, through `datetime`."""
        groups = header.groups()
        day = self._day(groups)
        try:
            if day is None:
                raise ValueError
            marker = groups[3] or groups[7]
            hour = g.hour24(int(str(groups[4])), marker) if marker else int(str(groups[4]))
            naive = datetime(
                day[0].year, day[0].month, day[0].day, hour, int(str(groups[5])),
                int(groups[6] or 0),
            )  # fmt: skip
        except ValueError:
            return None, None, None, self._undated(header, line)
        self.clock.last_utc = (
            datetime.fromisoformat(self.last_utc) if self.last_utc is not None else None
        )
        extra: dict[str, Any] = {}
        sent_at, flag = self.clock.aware(naive)
        if flag:
            self.counts[flag] += 1
            extra["time_flag"] = flag
            if flag == timeparse.NONEXISTENT:
                self.warnings.add(
                    "gap",
                    line,
                    f"{naive:%Y-%m-%d %H:%M} never happened in {self.zone.key} (the clocks "
                    "went forward): the file was edited, or the time zone is wrong",
                )
        utc = self.clock.last_utc
        assert utc is not None
        utc_iso = utc.isoformat()
        if self.last_utc is not None and utc_iso < self.last_utc:
            self._went_back(line)
        self.last_utc = utc_iso
        return sent_at.isoformat(), utc_text(sent_at), naive.isoformat(), extra or None

    def _undated(self, header: re.Match[str], line: int) -> dict[str, Any]:
        printed = header.group().strip(" -\u2013[]\u200e")
        self.counts["undated"] += 1
        self.warnings.add(
            "date",
            line,
            f"the date and time {printed!r} do not exist; the message is kept with no time",
        )
        return {"time_as_printed": printed}

    def _went_back(self, line: int) -> None:
        self.counts["out_of_order"] += 1
        self.warnings.add("order", line, "this message is dated before the one above it")
