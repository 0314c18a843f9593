"""Capture with a fake grabber: hide, grab, describe, save; region by a simulated drag."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from evidence_kit.capture import Details, Monitor, RawImage, WindowInfo
from evidence_kit.evidence_time import evidence_time
from evidence_kit.model import ItemKind
from evidence_kit.ui.dialogs.capture_form import CaptureFormDialog
from evidence_kit.ui.dialogs.safeguarding import SafeguardingDialog
from evidence_kit.ui.session import Session
from tests.ui.conftest import run_task

WIDTH, HEIGHT = 400, 300
NOW = evidence_time({}, datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC))


class FakeGrabber:
    """A 400x300 desktop: left half red, right half blue; a browser window in front."""

    def __init__(self) -> None:
        self.grabs = 0
        self.windows_visible_at_grab: list[bool] = []

    def monitors(self) -> list[Monitor]:
        return [Monitor(0, 0, WIDTH, HEIGHT), Monitor(0, 0, WIDTH, HEIGHT)]

    def grab(self, box: Monitor) -> RawImage:
        from PySide6.QtWidgets import QApplication

        self.grabs += 1
        self.windows_visible_at_grab.append(
            any(w.isVisible() for w in QApplication.topLevelWidgets())
        )
        row = (b"\x00\x00\xff\x00" * (box.width // 2)) + (
            b"\xff\x00\x00\x00" * (box.width - box.width // 2)
        )
        return RawImage(row * box.height, box.width, box.height)

    def active_window(self) -> WindowInfo:
        return WindowInfo(
            title="Post by @not_a_real_person https://facebook.example/p/1 — Firefox",
            application="firefox",
            rectangle=(50, 40, 200, 100),
            source="test",
        )

    def close(self) -> None:
        pass


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings, shown_errors, monkeypatch):  # type: ignore[no-untyped-def]
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    made.capture.grabber = FakeGrabber()
    made.capture.hide_delay_ms = 10
    return made


def _answer(monkeypatch, details: Details | None, seen: list[dict]) -> None:  # type: ignore[no-untyped-def]
    def ask(cls, preview, evidence_time, **kwargs):  # type: ignore[no-untyped-def]
        seen.append({"preview": preview, "time": evidence_time, **kwargs})
        return details

    monkeypatch.setattr(CaptureFormDialog, "ask", classmethod(ask))


def test_safeguarding_comes_before_the_first_capture(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[bool] = []
    monkeypatch.setattr(
        SafeguardingDialog, "ask", classmethod(lambda cls, parent=None: shown.append(True) or False)
    )
    session.capture.start("all")
    assert shown == [True]
    assert session.capture.grabber.grabs == 0  # declined: nothing grabbed
    assert not session.capture.busy


def test_full_screen_capture_hides_the_window_and_saves(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(SafeguardingDialog, "ask", classmethod(lambda cls, parent=None: True))
    QGuiApplication.clipboard().setText("https://facebook.example/post/42")
    seen: list[dict] = []
    _answer(
        monkeypatch,
        Details("https://facebook.example/post/42", "Facebook", "@nasty", "A threat", "Work"),
        seen,
    )
    session.window.show()
    with qtbot.waitSignal(session.capture.saved, timeout=20_000) as blocker:
        session.window.capture_button.click()
    assert session.capture.grabber.windows_visible_at_grab == [False]
    assert session.window.isVisible()  # back after the grab
    assert seen[0]["url"] == "https://facebook.example/post/42"  # from the clipboard
    assert seen[0]["time"].label == "Captured" and seen[0]["time"].when_utc.year == 2026
    assert seen[0]["preview"].width() == WIDTH
    item = run_task(qtbot, session.runner, lambda job: job.need_vault().item(blocker.args[0]))
    assert item.kind is ItemKind.SCREENSHOT and item.case == "Work"
    assert item.metadata["place"]["account"] == "@nasty"
    assert item.metadata["description"] == "A threat"
    assert item.metadata["capture"]["captured_at_utc"].startswith("2026-03-14T09:26:5")
    qtbot.waitUntil(lambda: session.window.items.rowCount() == 1, timeout=10_000)
    assert session.settings.value("safeguarding_shown", type=bool)


def test_discard_keeps_nothing(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    session.settings.setValue("safeguarding_shown", True)
    _answer(monkeypatch, None, [])
    with qtbot.waitSignal(session.capture.discarded, timeout=20_000):
        session.capture.start("window")
    ids = run_task(qtbot, session.runner, lambda job: job.need_vault().item_ids())
    assert ids == []


def test_region_by_dragging_on_the_frozen_screen(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    session.settings.setValue("safeguarding_shown", True)
    seen: list[dict] = []
    _answer(monkeypatch, Details(), seen)
    with qtbot.waitSignal(session.capture.overlay_shown, timeout=20_000) as shown:
        session.capture.start("region")
    overlay = shown.args[0]
    qtbot.waitExposed(overlay)
    overlay.resize(WIDTH, HEIGHT)  # offscreen: one screen pixel per frame pixel
    with qtbot.waitSignal(session.capture.saved, timeout=20_000) as saved:
        qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(150, 100))
        qtbot.mouseMove(overlay, QPoint(200, 150))
        qtbot.mouseMove(overlay, QPoint(250, 180))
        qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(250, 180))
    preview = seen[0]["preview"]
    assert (preview.width(), preview.height()) == (100, 80)
    assert preview.pixelColor(10, 10).red() == 255 and preview.pixelColor(90, 10).blue() == 255
    crop = run_task(qtbot, session.runner, lambda job: job.need_vault().item(saved.args[0]))
    assert crop.kind is ItemKind.DERIVED and crop.parent_id is not None
    assert crop.metadata["derived"]["rectangle"] == [150, 100, 100, 80]
    assert crop.metadata["capture"]["method"] == "region"


def test_escape_cancels_the_region(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    session.settings.setValue("safeguarding_shown", True)
    with qtbot.waitSignal(session.capture.overlay_shown, timeout=20_000) as shown:
        session.capture.start("region")
    with qtbot.waitSignal(session.capture.discarded, timeout=5_000):
        qtbot.keyClick(shown.args[0], Qt.Key.Key_Escape)
    assert not session.capture.busy


def test_the_form_says_gently_when_the_address_is_missing(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    form = CaptureFormDialog(QImage(10, 10, QImage.Format.Format_RGB32), NOW, window_title="Inbox")
    qtbot.addWidget(form)
    form.show()
    assert form.url_hint.isVisible() and "Record the place" in form.url_hint.text()
    form.url.setText("https://example.org/x")
    assert not form.url_hint.isVisible()
    form2 = CaptureFormDialog(
        QImage(10, 10, QImage.Format.Format_RGB32),
        NOW,
        window_title="see https://x.example/a — Firefox",
    )
    qtbot.addWidget(form2)
    assert form2.url.text() == "https://x.example/a"


def test_the_time_shown_on_the_post_is_checked_and_kept(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    form = CaptureFormDialog(
        QImage(10, 10, QImage.Format.Format_RGB32), NOW, cases=["Work"], case="Work"
    )
    qtbot.addWidget(form)
    form.show()
    form.posted_at.setText("last tuesday")
    form.save_button.click()
    assert form.isVisible() and "Time on the post" in form.problem.text()
    assert "is not a date and time" in form.problem.text()
    form.posted_at.setText("2026-11-19 20:05+00:00")
    form.save_button.click()
    assert not form.isVisible()
    kept = form.details().posted or {}
    assert kept["at_utc"] == "2026-11-19T20:05:00.000000Z"
    assert kept["as_typed"] == "2026-11-19 20:05+00:00" and kept["timezone"]
