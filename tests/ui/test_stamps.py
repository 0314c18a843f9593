"""The background time-stamp job and what the item details say, against the fake authority of
tests/support/tsa.py on 127.0.0.1 (never a real one); Settings → Trusted time-stamps."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTreeWidgetItemIterator

from evidence_kit.timestamp.authorities import SET_ACTION
from evidence_kit.timestamp.state import ItemTimestamp, Witness
from evidence_kit.ui.dialogs.timestamp_settings import TimestampSettingsDialog
from evidence_kit.ui.models.describe import timestamp_text
from evidence_kit.ui.operations import stamps
from evidence_kit.ui.operations.vault_ops import open_vault
from evidence_kit.ui.session import Session
from tests.conftest import PASSPHRASE
from tests.ui.conftest import run_task
from tests.ui.demo import add_screenshots


@pytest.fixture
def real_clock_runner(qtbot, runner, vault_dir: Path):  # type: ignore[no-untyped-def]
    """The vault opened with the computer's own clock (an authority's time is checked
    against it)."""
    run_task(qtbot, runner, lambda job: open_vault(job, vault_dir, PASSPHRASE, False, None))
    return runner


def facts_text(session: Session) -> str:
    found = []
    walker = QTreeWidgetItemIterator(session.window.detail.facts)
    while walker.value():
        node = walker.value()
        found.append(f"{node.text(0)}: {node.text(1)}")
        walker += 1
    return "\n".join(found)


def state_of(qtbot, runner, item_id: int) -> ItemTimestamp:  # type: ignore[no-untyped-def]
    return run_task(qtbot, runner, lambda job: job.need_vault().timestamp_state(item_id))


def test_after_unlock_waiting_evidence_is_witnessed_and_the_details_say_so(  # type: ignore[no-untyped-def]
    qtbot, real_clock_runner, vault_dir: Path, settings, tsa
) -> None:
    ids = run_task(qtbot, real_clock_runner, lambda job: add_screenshots(job, 2))
    assert state_of(qtbot, real_clock_runner, ids[0]).status == "pending"
    session = Session(vault_dir, real_clock_runner, settings=settings)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.stamper.stamped, timeout=20_000) as round_:
        session._opened()
    assert round_.args[0].stamped >= 1
    for item_id in ids:
        assert state_of(qtbot, real_clock_runner, item_id).status == "stamped"
    qtbot.waitUntil(lambda: session.window.items.rowCount() == 2, timeout=10_000)
    with qtbot.waitSignal(session.window.detail.loaded, timeout=10_000):
        session.window.select_item(ids[0])
    text = facts_text(session)
    assert "Trusted time-stamp: Witnessed by" in text and "Test TSA" in text
    assert session.window.detail.stamp.toolTip().startswith("Witnessed by")  # under the place


def test_a_capture_never_waits_for_the_authority(  # type: ignore[no-untyped-def]
    qtbot, real_clock_runner, vault_dir: Path, settings, tsa, monkeypatch
) -> None:
    """While an authority takes its time, the vault's worker goes on with other work."""
    run_task(qtbot, real_clock_runner, lambda job: add_screenshots(job, 1))
    asking = threading.Event()
    answer = threading.Event()
    real_ask = stamps.ask

    def slow_ask(request):  # type: ignore[no-untyped-def]
        asking.set()
        answer.wait(30)
        return real_ask(request)

    monkeypatch.setattr(stamps, "ask", slow_ask)
    session = Session(vault_dir, real_clock_runner, settings=settings)
    qtbot.addWidget(session.window)
    session._opened()
    qtbot.waitUntil(asking.is_set, timeout=10_000)
    # The authority has not answered: a new capture is stored at once all the same.
    new = run_task(qtbot, real_clock_runner, lambda job: add_screenshots(job, 1, case=None))
    assert state_of(qtbot, real_clock_runner, new[0]).status == "pending"
    session.stamper.kick()  # a capture asks for another round: remembered, not run twice
    assert session.stamper.again
    answer.set()
    with qtbot.waitSignal(session.stamper.idle, timeout=30_000):
        pass
    qtbot.waitUntil(
        lambda: state_of(qtbot, real_clock_runner, new[0]).status == "stamped", timeout=20_000
    )


def test_an_authority_out_of_reach_leaves_the_evidence_waiting_quietly(  # type: ignore[no-untyped-def]
    qtbot, real_clock_runner, vault_dir: Path, settings, tsa, shown_errors
) -> None:
    ids = run_task(qtbot, real_clock_runner, lambda job: add_screenshots(job, 1))
    tsa.stop()
    session = Session(vault_dir, real_clock_runner, settings=settings)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.stamper.idle, timeout=30_000):
        session._opened()
    assert state_of(qtbot, real_clock_runner, ids[0]).status == "pending"
    assert shown_errors == []  # no dialog about it: the details say "waiting"
    with qtbot.waitSignal(session.window.detail.loaded, timeout=10_000):
        session.window.select_item(ids[0])
    assert "Trusted time-stamp: Waiting for a time-stamp" in facts_text(session)


def test_replies_are_kept_only_in_the_vault_that_asked(qtbot, real_clock_runner, tsa) -> None:  # type: ignore[no-untyped-def]
    run_task(qtbot, real_clock_runner, lambda job: add_screenshots(job, 1))
    request = run_task(qtbot, real_clock_runner, stamps.prepare)
    assert request is not None
    outcomes = stamps.ask(request)
    other = stamps.Request("another-vault", request.batch)
    assert (
        run_task(qtbot, real_clock_runner, lambda job: stamps.record(job, other, outcomes)) is None
    )
    tokens = run_task(
        qtbot,
        real_clock_runner,
        lambda job: (
            job.need_vault().conn.execute("SELECT count(*) FROM timestamp_tokens").fetchone()[0]
        ),
    )
    assert tokens == 0


def test_the_words_for_each_state() -> None:
    assert timestamp_text(ItemTimestamp(1, "pending")).startswith("Waiting for a time-stamp")
    failed = timestamp_text(ItemTimestamp(1, "failed", problem="the token is over other data"))
    assert failed == "Could not be time-stamped: the token is over other data"
    witness = Witness(3, "http://127.0.0.1:1/", "Example TSA", "2026-03-14T09:26:53Z")
    stamped = timestamp_text(ItemTimestamp(1, "stamped", (witness,)))
    assert stamped.startswith("Witnessed by Example TSA at ") and "Mar 2026" in stamped
    assert "2026-03-14T" not in stamped  # a local time, in words
    assert timestamp_text(ItemTimestamp(1, "none")).startswith("Not time-stamped")
    off = timestamp_text(ItemTimestamp(1, "pending"), asking=False)
    assert "trusted time-stamps are off" in off and "internet" not in off


def set_events(qtbot, runner) -> list[list[str]]:  # type: ignore[no-untyped-def]
    events = run_task(qtbot, runner, lambda job: job.need_vault().custody_events())
    return [json.loads(e.details)["urls"] if isinstance(e.details, str) else e.details["urls"]
            for e in events if e.action == SET_ACTION]  # fmt: skip


def test_trusted_time_stamps_can_be_turned_off_and_the_list_chosen(qtbot, open_runner) -> None:  # type: ignore[no-untyped-def]
    current = run_task(qtbot, open_runner, stamps.authorities)
    dialog = TimestampSettingsDialog(open_runner, current)
    qtbot.addWidget(dialog)
    assert current.from_environment  # the tests' EVIDENCE_KIT_TSA_URLS=none: said plainly
    dialog.on.setChecked(True)
    dialog.urls.setPlainText("ftp://example.invalid/tsa")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "not the address" in dialog.problem.text(), timeout=10_000)
    assert set_events(qtbot, open_runner) == []  # nothing changed
    dialog.urls.setPlainText("http://127.0.0.1:9/one\n\nhttp://127.0.0.1:9/two\n")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    assert set_events(qtbot, open_runner) == [["http://127.0.0.1:9/one", "http://127.0.0.1:9/two"]]
    off = TimestampSettingsDialog(open_runner, current)
    qtbot.addWidget(off)
    off.on.setChecked(False)
    assert not off.urls.isEnabled()
    with qtbot.waitSignal(off.accepted, timeout=10_000):
        off.ok.click()
    assert set_events(qtbot, open_runner)[-1] == []
