"""The Qt binding itself keeps Python's reference counts: PySide6 6.12.0 dropped a reference to
True on every emit of a signal defined in Python, and the program aborted ("Fatal Python error:
bool_dealloc") after a few hundred — mid-capture, mid-export — on Python 3.11."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal


class Emitter(QObject):
    plain = Signal()
    carrying = Signal(int, str)


def counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_emitting_signals_leaves_reference_counts_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    emitter = Emitter()
    seen: list[object] = []
    emitter.plain.connect(lambda: seen.append(1))
    emitter.carrying.connect(lambda n, text: seen.append((n, text)))
    before = counts()
    for n in range(200):  # fewer than it takes to abort: the count is what is compared
        emitter.plain.emit()
        emitter.carrying.emit(n, "x")
    assert len(seen) == 400
    after = counts()
    # a few may move (objects made meanwhile); a binding bug moves them by hundreds
    assert all(abs(a - b) < 50 for a, b in zip(after, before, strict=True)), (before, after)


def test_a_timer_firing_leaves_reference_counts_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    fired: list[int] = []
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: fired.append(1))
    before = counts()
    timer.start()
    qtbot.waitUntil(lambda: len(fired) >= 200, timeout=10_000)
    timer.stop()
    after = counts()
    assert all(abs(a - b) < 50 for a, b in zip(after, before, strict=True)), (before, after)
