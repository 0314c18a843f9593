"""P5 in the desktop program: the timeline and a 200,000-message conversation of the scale vault.

Measures, on the real Session and main window (offscreen Qt, the vault that
`bench/scale_bench.py --dir DIR` built):
  - the first page of the timeline after unlocking (unlock itself excluded; goal <= 1 s);
  - scrolling the timeline and the largest conversation to the end: the time each page's rows
    take on the GUI thread (goal: none over 100 ms), and the longest the GUI thread was busy
    at a stretch (an event-loop stall: a 5 ms timer that fires late by that much).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/scale_gui.py --dir /var/tmp/ek-scale
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from evidence_kit.ui.models.items import ItemListModel
from evidence_kit.ui.models.messages import MessageListModel
from evidence_kit.ui.operations.vault_ops import open_vault
from evidence_kit.ui.session import Session
from evidence_kit.ui.tasks import TaskRunner

PASSPHRASE = "scale benchmark passphrase words"
HANDLERS: dict[str, list[float]] = {"timeline": [], "conversation": []}


def timed(kind: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            HANDLERS[kind].append(time.perf_counter() - start)

    return wrapper


class StallMeter:
    """How late a 5 ms timer fires: the longest stretch the GUI thread was busy."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.worst = 0.0
        self.last = 0

    def start(self) -> None:
        self.worst = 0.0
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, (now - self.last - 5) / 1000)
        self.last = now


def wait_until(app: QApplication, done: Callable[[], bool], timeout: float = 120) -> float:
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("gave up waiting")
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - start


def scroll_to_end(
    app: QApplication, view: Any, loaded: Callable[[int], bool], steps: int
) -> list[float]:
    """Jump the view through `steps` evenly spaced positions to the end; how long each took
    until the rows at the top of the view were there."""
    bar = view.verticalScrollBar()
    waits = []
    for n in range(1, steps + 1):
        bar.setValue(bar.maximum() * n // steps)
        app.processEvents()
        found = view.indexAt(view.viewport().rect().topLeft()).row()
        top = found if found >= 0 else bar.value()
        waits.append(wait_until(app, lambda top=top: loaded(top)))
    return waits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--shots", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    folder = args.dir / f"vault-{args.messages}-{args.shots}"
    ItemListModel._page_loaded = timed("timeline", ItemListModel._page_loaded)  # type: ignore[method-assign]
    MessageListModel._page_loaded = timed("conversation", MessageListModel._page_loaded)  # type: ignore[method-assign]
    app = QApplication([])
    runner = TaskRunner()
    opened: list[str] = []
    runner.submit(
        lambda job: open_vault(job, folder, PASSPHRASE, False, None), on_done=opened.append
    )
    wait_until(app, lambda: bool(opened), 300)  # the unlock (Argon2) is not timed
    with tempfile.TemporaryDirectory() as settings_dir:
        settings = QSettings(str(Path(settings_dir) / "s.ini"), QSettings.Format.IniFormat)
        session = Session(folder, runner, settings=settings)
        window = session.window
        window.resize(1280, 800)
        stalls = StallMeter()
        stalls.start()
        start = time.perf_counter()
        session._opened()
        wait_until(app, lambda: window.items.rowCount() > 0 and window.items.row(0) is not None)
        first_page = time.perf_counter() - start
        print(f"| first timeline page after unlocking ({window.items.rowCount()} items) | "
              f"{first_page * 1000:.0f} ms | <= 1000 ms |")  # fmt: skip
        stalls.start()
        waits = scroll_to_end(
            app, window.item_table, lambda r: window.items.row(r) is not None, args.steps
        )
        print(f"| timeline to the end, {args.steps} jumps: rows there after (median / worst) | "
              f"{statistics.median(waits) * 1000:.0f} / {max(waits) * 1000:.0f} ms | |")  # fmt: skip
        print(f"| timeline: a page's rows on the GUI thread (worst of {len(HANDLERS['timeline'])}) | "
              f"{max(HANDLERS['timeline']) * 1000:.1f} ms | <= 100 ms |")  # fmt: skip
        print(
            f"| timeline: longest GUI-thread stall while scrolling | {stalls.worst * 1000:.0f} ms | <= 100 ms |"
        )
        # The largest conversation (the scale vault's imports hold 200,000 messages each).
        conversation = window.detail.conversation
        window.detail.tabs.setCurrentIndex(window.detail.conversation_tab)  # as selecting it does
        imports = [i for i in range(window.items.rowCount())
                   if window.items.item(i) is not None and window.items.item(i).kind.value == "import"]  # fmt: skip
        item_id = window.items.item_id(imports[0]) if imports else 1
        start = time.perf_counter()
        conversation.show_import(item_id)
        model = conversation.model
        wait_until(
            app,
            lambda: model.rowCount() > 0 and model.data(model.index(0)) not in (None, "Loading…"),
        )
        print(f"| conversation of {model.rowCount()} messages: first page | "
              f"{(time.perf_counter() - start) * 1000:.0f} ms | |")  # fmt: skip
        # The list lays the conversation out a batch at a time between events: wait until its
        # length stops growing (the window stays usable meanwhile: the stall figure below).
        stalls.start()
        bar = conversation.list.verticalScrollBar()  # per item: its range is the rows laid out
        wait_until(app, lambda: bar.maximum() >= model.rowCount() - 200, timeout=600)
        print(
            f"| conversation laid out to its end (scroll range {bar.maximum()}, {model.rowCount()} rows) | {(time.perf_counter() - start) * 1000:.0f} ms | |"
        )
        print(
            f"| conversation: longest GUI-thread stall while laying out | {stalls.worst * 1000:.0f} ms | <= 100 ms |"
        )
        stalls.start()
        began = time.perf_counter()
        conversation.list.scrollToBottom()
        app.processEvents()
        print(
            f"| conversation: End key (scroll to the last message) | {(time.perf_counter() - began) * 1000:.0f} ms, range {bar.maximum()} | |"
        )
        conversation.list.scrollToTop()
        app.processEvents()
        stalls.start()

        def message_there(row: int) -> bool:
            return row in model._rows

        waits = scroll_to_end(app, conversation.list, message_there, args.steps)
        print(f"| conversation to the end, {args.steps} jumps: rows there after (median / worst) | "
              f"{statistics.median(waits) * 1000:.0f} / {max(waits) * 1000:.0f} ms | |")  # fmt: skip
        print(
            f"| conversation: pages kept in memory at the end | {len({r // 100 for r in model._rows})} | |"
        )
        print(f"| conversation: a page's rows on the GUI thread (worst of {len(HANDLERS['conversation'])}) | "
              f"{max(HANDLERS['conversation']) * 1000:.1f} ms | <= 100 ms |")  # fmt: skip
        print(
            f"| conversation: longest GUI-thread stall while scrolling | {stalls.worst * 1000:.0f} ms | <= 100 ms |"
        )
        session.quit()
    runner.stop()
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown at interpreter exit (it can crash PySide6 while finalizing)


if __name__ == "__main__":
    main()
