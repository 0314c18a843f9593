"""Time-stamp tests run on the real clock: the local authority signs with the real time, and a
token more than a day from the vault's clock at the request is refused (tests/conftest.py's
FixedClock is months away). The tests of a clock that is off set their own."""

from __future__ import annotations

import pytest

from evidence_kit.clock import SystemClock


@pytest.fixture
def clock() -> SystemClock:
    return SystemClock()
