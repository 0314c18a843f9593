"""Settings → Trusted time-stamps: on or off, and which authorities are asked. The choice is
kept in the vault, on the custody chain (the core's `set_authorities`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.errors import error_text
from evidence_kit.ui.operations.stamps import Authorities, set_authorities
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import grow_with_contents

EXPLAIN = (
    "A time-stamping authority is an independent service on the internet that signs the "
    "fingerprint of your evidence with its own clock. Later, anyone can check that your "
    "evidence existed at that moment, unchanged. Only fingerprints are sent, never the "
    "evidence itself. Without the internet, your evidence waits and is sent later."
)
FROM_ENVIRONMENT = (
    "This computer is set up (EVIDENCE_KIT_TSA_URLS) to ask the authorities below; "
    "what you choose here is kept and used once that setting is gone."
)


class TimestampSettingsDialog(QDialog):
    def __init__(
        self, runner: TaskRunner, current: Authorities, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.runner = runner
        self.current = current
        self.setWindowTitle("Evidence Kit — trusted time-stamps")
        self.setAccessibleName("Trusted time-stamps")
        self.on = QCheckBox("&Ask trusted time-stamping authorities to witness my evidence", self)
        self.on.setAccessibleName("Trusted time-stamps on")
        self.urls = QPlainTextEdit(self)
        self.urls.setAccessibleName("Time-stamping authorities, one address a line")
        self.urls.setTabChangesFocus(True)
        shown = current.urls or current.defaults
        self.urls.setPlainText("\n".join(shown))
        self.on.setChecked(bool(current.urls))
        self.urls.setEnabled(self.on.isChecked())
        self.on.toggled.connect(self.urls.setEnabled)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        buttons, self.ok = act_or_cancel(self, "&Save", "Save the time-stamp settings", self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(EXPLAIN, self))
        layout.addWidget(self.on)
        layout.addWidget(plain_label("Authorities asked (one web address a line):", self))
        layout.addWidget(self.urls)
        if current.from_environment:
            layout.addWidget(plain_label(FROM_ENVIRONMENT, self))
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def wanted(self) -> str:
        """What is stored: the addresses, or "none" (off)."""
        text = self.urls.toPlainText().strip()
        if not self.on.isChecked():
            return "none"
        return text or "\n".join(self.current.defaults)

    def submit(self) -> None:
        wanted = self.wanted()
        self.ok.setEnabled(False)
        self.runner.submit(
            lambda job: set_authorities(job, wanted),
            on_done=lambda _urls: self.accept(),
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        message, hint = error_text(exc)
        self.problem.setText(f"{message} {hint or ''} Nothing changed.".strip())

    @classmethod
    def ask(cls, runner: TaskRunner, current: Authorities, parent: QWidget | None = None) -> bool:
        return cls(runner, current, parent).exec() == QDialog.DialogCode.Accepted
