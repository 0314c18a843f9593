"""The only place that reads the time. Tests inject a `FixedClock`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time(), tz=UTC)


@dataclass
class FixedClock:
    """A clock for tests: starts at `at` and moves on by `step` at every reading."""

    at: datetime = field(
        default_factory=lambda: datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
    )
    step: timedelta = timedelta(seconds=1)

    def now(self) -> datetime:
        current = self.at
        self.at = self.at + self.step
        return current


def iso_utc(moment: datetime) -> str:
    """`2026-03-14T09:26:53.589793Z`: UTC with microseconds, the form stored everywhere."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_zone_name() -> str:
    """The IANA name of this computer's time zone ("UTC" when it cannot be known)."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # tzlocal raises several kinds when the system zone is unset or odd
        name = None
    return name or "UTC"
