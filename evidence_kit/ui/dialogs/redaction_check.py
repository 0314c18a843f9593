"""Check a redacted copy against its original (the verify window's action): every pixel or
message outside the hidden parts unchanged, the hidden parts opaque — as `evidence-kit
verify-redaction` does. No vault is needed; it runs on the verify window's own worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.errors import error_text
from evidence_kit.ui.operations.redaction import check_redaction
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.text import plain_label

INTRO = (
    "A redacted copy hides parts of a picture or a chat. If you also have the original (for "
    "example the police were given it), this checks that the copy was made from it and that "
    "nothing but the hidden parts was changed. Choose the redacted file from the bundle (its "
    "item.json beside it holds the proof) and the original file."
)


class RedactionCheckDialog(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("Evidence Kit — check a redacted copy")
        self.setAccessibleName("Check a redacted copy")
        self.redacted = self._file_row("The redacted file from the bundle")
        self.proof = self._file_row("Its proof (item.json; found beside it if left empty)")
        self.original = self._file_row("The original file")
        form = QFormLayout()
        form.addRow("&Redacted copy:", self.redacted[0])
        form.addRow("&Proof:", self.proof[0])
        form.addRow("&Original:", self.original[0])
        self.outcome = plain_label("", self)
        self.outcome.setAccessibleDescription("Result of the redaction check")
        self.check_button = QPushButton("&Check", self)
        self.check_button.setAccessibleName("Check the redacted copy")
        self.check_button.clicked.connect(self.check)
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(INTRO, self))
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.setMinimumWidth(640)

    def _file_row(self, name: str) -> tuple[QWidget, QLineEdit]:
        row = QWidget(self)
        field = QLineEdit(row)
        field.setAccessibleName(name)
        browse = QPushButton("Choose…", row)
        browse.setAccessibleName(f"Choose: {name}")
        browse.clicked.connect(lambda: self._browse(field, name))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(field, 1)
        layout.addWidget(browse)
        return row, field

    def _browse(self, field: QLineEdit, name: str) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, name, field.text())
        if chosen:
            field.setText(chosen)

    def check(self) -> None:
        redacted, original = self.redacted[1].text().strip(), self.original[1].text().strip()
        proof = self.proof[1].text().strip()
        if not redacted or not original:
            self.outcome.setText("Choose the redacted file and the original first.")
            return
        self.outcome.setText("Checking…")
        self.check_button.setEnabled(False)
        self.runner.submit(
            lambda job: check_redaction(
                Path(redacted), Path(original), Path(proof) if proof else None
            ),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, problems: list[str]) -> None:
        self.check_button.setEnabled(True)
        if problems:
            self.outcome.setText(
                "✘ This is NOT a faithful redaction of that original:\n"
                + "\n".join(f"• {problem}" for problem in problems)
            )
        else:
            self.outcome.setText(
                "✔ The redacted copy was made from this original: every pixel or message "
                "outside the hidden parts is unchanged, and the hidden parts are filled."
            )

    def _failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        message, hint = error_text(exc)
        self.outcome.setText(f"✘ {message} {hint or ''}".strip())
