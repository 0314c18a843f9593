"""Message rows stored on the inserter's thread: the search index holds exactly what
`search_body` says, an error on that thread fails the import and keeps nothing, and the rows'
times made by the WhatsApp parser's per-hour cache are the ones `row_from_message` makes."""

from __future__ import annotations

import functools
import re
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_kit.importers import timeparse
from evidence_kit.importers.textlines import Warnings
from evidence_kit.importers.whatsapp_clock import HeaderClock
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault, message_store
from evidence_kit.vault.message_codec import MessageRow, search_body, utc_text

words = st.one_of(
    st.none(), st.sampled_from(["", " ", "\u3000", "\n", "Sam", "Sam Carter"]), st.text(max_size=8)
)
rows = st.lists(st.tuples(words, words, words, words), min_size=1, max_size=30)


def row(
    index: int, conversation: str | None, sender: str | None, ident: str | None, text: str | None
) -> MessageRow:
    return MessageRow(
        index, conversation, sender, ident, 0, None, None, None, text or "", text or "", 0, 0, "[]", "{}"
    )  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows, st.integers(min_value=1, max_value=4))
def test_the_index_holds_the_search_body_of_every_row(
    vault: Vault, values: list[tuple[str | None, ...]], split: int
) -> None:
    made = [row(i, *v) for i, v in enumerate(values)]
    with vault.transaction() as writer:
        item = writer.add_item(ItemKind.NOTE, sha256=None, size=0)
        # two calls: the conversation is named again at the start of each
        writer.add_message_rows(item.id, made[:split])
        writer.add_message_rows(item.id, made[split:])
        stored = writer.conn.execute(
            "SELECT m.idx, s.body FROM search_index AS s JOIN messages AS m ON m.id = s.ref_id "
            "WHERE s.kind = 'message' AND s.item_id = ? ORDER BY m.idx",
            (item.id,),
        ).fetchall()
    bodies = []
    for part in (made[:split], made[split:]):
        previous = None
        for r in part:
            body = search_body(r, previous)
            previous = r.conversation
            if body.strip():
                bodies.append((r.idx, body))
    assert stored == bodies


def test_an_error_on_the_inserter_thread_fails_the_import_and_keeps_nothing(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(message_store, "ROWS_PER_INSERT", 10)
    before = len(vault.custody_events())
    good = [row(i, "Chat", "Sam", None, f"message {i}") for i in range(95)]
    bad = [*good[:50], good[50]._replace(idx=3), *good[51:]]  # idx repeats: UNIQUE fails
    interval = sys.getswitchinterval()
    with pytest.raises(Exception, match="UNIQUE"), vault.transaction() as writer:
        item = writer.add_item(ItemKind.NOTE, sha256=None, size=0)
        writer.add_message_batches(item.id, [bad[:40], bad[40:80], bad[80:]])
    assert vault.items() == [] and len(vault.custody_events()) == before
    assert sys.getswitchinterval() == interval
    with vault.transaction() as writer:
        item = writer.add_item(ItemKind.NOTE, sha256=None, size=0)
        assert writer.add_message_batches(item.id, [good[:33], good[33:]]) == 95
    assert [m["index"] for m in vault.messages(item.id)] == list(range(95))


ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
HEADER = re.compile(r"(\d+)/(\d+)/(\d+) ()(\d+):(\d+):(\d+)()")  # groups as the grammar's


@functools.cache
def clock_changes(zone_name: str) -> list[datetime]:
    """The eves of the days the clocks change in `zone_name`, 2020-2027."""
    zone, day, found = ZoneInfo(zone_name), datetime(2020, 1, 1), []
    while day.year < 2028:
        if (
            day.replace(tzinfo=zone).utcoffset()
            != (day + timedelta(days=1)).replace(tzinfo=zone).utcoffset()
        ):
            found.append(day)
        day += timedelta(days=1)
    return found or [datetime(2024, 2, 28)]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.integers(min_value=0, max_value=100),
    st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31)),
    st.lists(st.integers(min_value=0, max_value=4000), min_size=1, max_size=40),
)
def test_header_times_are_the_times_of_the_exact_path(
    zone_name: str, pick: int, anywhere: datetime, steps: list[int]
) -> None:
    """Through both clock changes of every year (and on any day), in whole-hour, half-hour
    and half-hour-DST zones, file order resolving the repeated hour."""
    zone = ZoneInfo(zone_name)
    eves = clock_changes(zone_name)
    start = eves[pick % len(eves)] + timedelta(hours=22) if pick < 70 else anywhere
    start = start.replace(microsecond=0)
    clock = HeaderClock(zone, "dmy", Warnings(lambda line, text: None))
    exact = timeparse.WallClock(zone)
    moment = start
    for number, step in enumerate(steps, 1):
        moment += timedelta(seconds=step)
        header = HEADER.match(f"{moment:%d/%m/%Y %H:%M:%S}")
        assert header is not None
        aware, _ = exact.aware(moment)
        assert clock.when(header, number)[:3] == (
            aware.isoformat(),
            utc_text(aware),
            moment.isoformat(),
        ), (zone_name, moment)
