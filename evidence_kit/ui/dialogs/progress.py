"""A progress dialog for one task: a bar, plain words, and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from evidence_kit.ui.errors import show_error
from evidence_kit.ui.tasks import Job, Task, TaskRunner
from evidence_kit.ui.windows import grow_with_contents


class ProgressDialog(QDialog):
    def __init__(
        self,
        runner: TaskRunner,
        fn: Callable[[Job], Any],
        text: str,
        *,
        cancellable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — working")
        self.setAccessibleName("Working")
        self.result_value: Any = None
        self.error: BaseException | None = None
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # names a file: never read as HTML
        self.label.setWordWrap(True)
        self.label.setText(text)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setVisible(cancellable)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.setMinimumWidth(420)
        self.task: Task = runner.submit(
            fn, on_done=self._done, on_error=self._failed, on_progress=self._progress
        )
        self.cancel_button.clicked.connect(self._cancel)

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))

    def _cancel(self) -> None:
        self.task.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText("Stopping… nothing will be half-saved.")

    def _done(self, value: Any) -> None:
        self.result_value = value
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self.reject()

    def reject(self) -> None:
        if not self.task.done:  # Escape or the close button means Cancel
            self._cancel()
            return
        super().reject()

    @classmethod
    def run(
        cls,
        runner: TaskRunner,
        fn: Callable[[Job], Any],
        text: str,
        *,
        cancellable: bool = True,
        parent: QWidget | None = None,
    ) -> Any:
        """Run `fn` with a progress dialog; the result, or None (errors are shown)."""
        dialog = cls(runner, fn, text, cancellable=cancellable, parent=parent)
        dialog.exec()
        # A quick task maps and unmaps this dialog within a moment, and the window manager may
        # then give the keyboard to no window at all: it goes back to the window it came from.
        if parent is not None and parent.window().isVisible():
            parent.window().activateWindow()
        if dialog.error is not None:
            show_error(parent, dialog.error)
            return None
        return dialog.result_value
