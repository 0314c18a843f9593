"""The one task runner: a worker thread that owns the vault and runs every slow call.

The GUI thread never touches the vault, a capture's PNG encoding, an import, an export or a
verification: it submits a function here and gets the result back by signal. Work runs one task
at a time, in order, on one thread — so the vault's connection is only ever used from that
thread. Worker code never touches a widget.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from evidence_kit.errors import Cancelled
from evidence_kit.vault import Vault

BACKGROUND, END = 1, 2  # task priorities: 0 is what a person waits for


@dataclass
class Job:
    """What a task function receives: the open vault (or None), progress and cancel callables."""

    vault: Vault | None
    progress: Callable[[int, int | None], None]
    cancel: Callable[[], bool]
    runner: TaskRunner = field(repr=False)

    def need_vault(self) -> Vault:
        if self.vault is None:
            from evidence_kit.errors import VaultLocked

            raise VaultLocked()
        return self.vault


class Task(QObject):
    """One submitted piece of work. Its signals arrive on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)  # done, total (total -1 when unknown)
    finished = Signal()

    def __init__(self, fn: Callable[[Job], Any], label: str = "") -> None:
        super().__init__()
        self.fn = fn
        self.label = label
        self._cancel = threading.Event()
        self.done = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Worker(QThread):
    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.runner = runner
        # (priority, order, task): background work (thumbnails) waits while anything a person
        # is waiting for (a page of the list, a capture) goes first; otherwise first in, first
        # out. The end (None) comes after everything queued before it.
        self.jobs: queue.PriorityQueue[tuple[int, int, Task | None]] = queue.PriorityQueue()
        self._order = itertools.count()

    def put(self, task: Task | None, priority: int = 0) -> None:
        self.jobs.put((priority, next(self._order), task))

    def run(self) -> None:
        while True:
            _priority, _order, task = self.jobs.get()
            if task is None:
                return
            self.runner._run(task)


class TaskRunner(QObject):
    """Owns the vault; runs tasks one after another on its own thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault: Vault | None = None  # touched only on the worker thread (and after stop())
        self._worker = _Worker(self)
        self._worker.start()
        self._pending = 0
        self._live: set[Task] = set()  # kept alive until their signals have been delivered
        self._lock = threading.Lock()

    def submit(
        self,
        fn: Callable[[Job], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        label: str = "",
        background: bool = False,
    ) -> Task:
        """Run `fn(job)` on the worker thread; its result or exception comes back by signal.
        `background` work (a thumbnail) runs only when nothing else is waiting.

        Without `on_error`, a failure goes to `show_error` (the window in front): no task's
        exception is ever dropped."""
        task = Task(fn, label)
        if on_done is not None:
            task.succeeded.connect(on_done)
        task.failed.connect(on_error if on_error is not None else self._unhandled)
        if on_progress is not None:
            task.progressed.connect(on_progress)
        task.finished.connect(lambda: self._task_finished(task))
        with self._lock:
            self._live.add(task)
            self._pending += 1
            first = self._pending == 1
        if first:
            self.busy_changed.emit(True)
        self._worker.put(task, BACKGROUND if background else 0)
        return task

    def _unhandled(self, exc: BaseException) -> None:
        from PySide6.QtWidgets import QApplication

        from evidence_kit.errors import VaultLocked
        from evidence_kit.ui.errors import show_error

        if isinstance(exc, VaultLocked) and self.vault is None:
            return  # a list or picture still loading when the vault was locked: nothing lost
        show_error(QApplication.activeWindow(), exc)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _task_finished(self, task: Task) -> None:
        with self._lock:
            self._live.discard(task)
            self._pending -= 1
            idle = self._pending == 0
        if idle:
            self.busy_changed.emit(False)

    def _run(self, task: Task) -> None:
        def progress(done: int, total: int | None) -> None:
            task.progressed.emit(int(done), -1 if total is None else int(total))

        job = Job(self.vault, progress, task._cancel.is_set, self)
        try:
            if task.cancelled:
                raise Cancelled()
            result = task.fn(job)
        except BaseException as exc:  # handed to the GUI, which shows it in one place
            task.done = True
            task.failed.emit(exc)
        else:
            task.done = True
            task.succeeded.emit(result)
        task.finished.emit()

    # -- the vault ---------------------------------------------------------------------------

    def set_vault(self, job: Job, vault: Vault | None) -> None:
        """Called from a task function: the worker now owns `vault` (closing the one before)."""
        if self.vault is not None and self.vault is not vault:
            self.vault.close()
        self.vault = vault

    def stop(self) -> None:
        """Close the vault (on the worker thread) and end the thread. Waits for running work."""
        if not self._worker.isRunning():
            return

        def close(job: Job) -> None:
            self.set_vault(job, None)

        self._worker.put(Task(close), END)
        self._worker.put(None, END)
        self._worker.wait()
