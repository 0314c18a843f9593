"""Receive a bundle (for a union rep or colleague): which zip, and the seal key's fingerprint
the person told you, if they did; then what was taken in, or why it was refused."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.models.describe import sealed_text
from evidence_kit.ui.operations.receiving import Received, fingerprint_problem, is_encrypted
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import grow_with_contents

EXPLAIN = (
    "Someone you are helping gave you a sealed bundle (a .zip file). Evidence Kit checks it "
    "first: if anything in it was changed since it was sealed, it is refused and nothing is "
    "kept. Otherwise its items are kept in your vault exactly as they were sealed, and you can "
    "add notes, hide parts and hand it on."
)
FINGERPRINT = (
    "If the person told you their seal key's fingerprint (by phone or in person), type it here: "
    "SHA256:… or the eight groups of digits they read out. Then a bundle sealed by anyone else "
    "is refused."
)


class ReceiveDialog(QDialog):
    def __init__(self, start: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — receive a bundle")
        self.setAccessibleName("Receive a bundle")
        self.start = start
        self.path = QLineEdit(self)
        self.path.setAccessibleName("The bundle file")
        self.path.setPlaceholderText("The .zip file you were given")
        browse = QPushButton("C&hoose…", self)
        browse.setAccessibleName("Choose the bundle file")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setAccessibleName("The sender's fingerprint (if you were told it)")
        self.fingerprint.setPlaceholderText("Optional: SHA256:… or 12345 67890 …")
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("The bundle's passphrase")
        self.passphrase_label = QLabel("&Passphrase of the bundle:", self)
        self.passphrase_label.setBuddy(self.passphrase)
        form = QFormLayout()
        bundle_label = QLabel("&Bundle:", self)
        bundle_label.setBuddy(self.path)
        form.addRow(bundle_label, row)
        form.addRow("&Fingerprint:", self.fingerprint)
        form.addRow(self.passphrase_label, self.passphrase)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        buttons, self.ok = act_or_cancel(self, "&Check and take it in", "Check and take it in",
                                         self._accept)  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(EXPLAIN, self))
        layout.addLayout(form)
        layout.addWidget(plain_label(FINGERPRINT, self))
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.path.textChanged.connect(lambda _t: self._changed())
        self.fingerprint.textChanged.connect(lambda _t: self._changed())
        self._changed()
        self.setMinimumWidth(560)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "The bundle you were given", str(self.start),
            "Sealed bundles (*.zip *.zip.age);;All files (*)",
        )  # fmt: skip
        if name:
            self.path.setText(name)

    def chosen(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def _encrypted(self) -> bool:
        path = self.chosen()
        return path is not None and is_encrypted(path)

    def _changed(self) -> None:
        encrypted = self._encrypted()
        self.passphrase.setVisible(encrypted)
        self.passphrase_label.setVisible(encrypted)
        self.problem.setText(self.problems(quiet=True))

    def problems(self, quiet: bool = False) -> str:
        path = self.chosen()
        found = []
        if path is None:
            found.append("" if quiet else "Choose the bundle file first.")
        elif not path.is_file():
            found.append(f"There is no file {path}.")
        found.append(fingerprint_problem(self.fingerprint.text()))
        if self._encrypted() and not self.passphrase.text() and not quiet:
            found.append("This bundle is encrypted: type the passphrase the person gave you.")
        return " ".join(p for p in found if p)

    def _accept(self) -> None:
        if self.problems():
            self.problem.setText(self.problems())
            return
        self.accept()


def result_html(received: Received) -> str:
    """What happened, in plain words (names and fingerprints escaped)."""
    name = escape(received.name)
    if received.refused:
        lines = [f"<h3>{name} was not taken in</h3>",
                 f"<p>{escape(received.refused)}</p>",
                 "<p>Nothing was kept in your vault. Do not rely on this copy: ask the person "
                 "for a fresh one, and for their fingerprint by phone or in person.</p>"]  # fmt: skip
        if received.failed:
            lines.append("<p>What is wrong:</p><ul>")
            lines += [f"<li><b>{escape(c)}</b>: {escape(d)}</li>" for c, d in received.failed[:8]]
            lines.append("</ul>")
        return "".join(lines)
    sender = escape(received.sender or "the sender")
    if received.already:
        head = f"<h3>{name} is already in your vault</h3><p>Nothing was stored twice.</p>"
    else:
        head = (f"<h3>{name} is kept in your vault</h3><p>Every check passed. "
                f"<b>{received.exhibits}</b> item(s) were taken in, exactly as sealed.</p>")  # fmt: skip
    return head + (
        f"<p>Received from <b>{sender}</b>, sealed {escape(sealed_text(received.sealed_at))}.</p>"
        f"<p>Seal key fingerprint: {escape(received.fingerprint)}<br>"
        f"Read aloud: {escape(received.read_aloud)}</p>"
        "<p>If the person did not give you their fingerprint, read these digits back to them "
        "by phone or in person to be sure the bundle is theirs.</p>"
    )


class ReceivedDialog(QDialog):
    def __init__(self, received: Received, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        refused = bool(received.refused)
        self.setWindowTitle(
            "Evidence Kit — " + ("bundle refused" if refused else "bundle received")
        )
        self.setAccessibleName("Bundle refused" if refused else "Bundle received")
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setText(result_html(received))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleDescription("What happened to the bundle")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
