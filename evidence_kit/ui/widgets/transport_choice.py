"""On the hand-over wizard's "where" page: protect the file for its journey (age), with a
password (asked twice, judged as a passphrase is) or so that only a person's key opens it
(`age1…` or an SSH public key, pasted or read from a file) — or not at all (a police portal
takes the plain sealed file). What the done page then says about sending and opening it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.widgets.strength_meter import StrengthMeterWidget, refusal
from evidence_kit.ui.widgets.text import plain_label

KEY_FILE_LIMIT = 64 * 1024  # a public key file is a line or two
KEY_STARTS = ("age1", "ssh-ed25519 ", "ssh-rsa ")


class TransportChoiceWidget(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Protect the file on its way (optional)", parent)
        self.setAccessibleName("Protect the file on its way")
        self.plain = QRadioButton("&No extra protection (the sealed .zip as it is)", self)
        self.with_password = QRadioButton("Protect the file with a &password", self)
        self.with_key = QRadioButton("Only a person's &key can open it", self)
        self.group = QButtonGroup(self)
        for button in (self.plain, self.with_password, self.with_key):
            self.group.addButton(button)
        self.plain.setChecked(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password for the file")
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Password for the file again")
        self.meter = StrengthMeterWidget(self)
        self.password_box = QWidget(self)
        form = QFormLayout(self.password_box)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow("Pass&word:", self.password)
        form.addRow("", self.meter)
        form.addRow("The same a&gain:", self.again)
        self.keys = QPlainTextEdit(self)
        self.keys.setAccessibleName("The person's public key")
        self.keys.setPlaceholderText("age1… or ssh-ed25519 AAAA… (one key a line)")
        self.keys.setTabChangesFocus(True)
        self.keys.setMaximumHeight(self.keys.fontMetrics().height() * 4)
        self.key_file = QPushButton("From a &file…", self)
        self.key_file.setAccessibleName("Read the person's public key from a file")
        self.key_file.clicked.connect(self._read_key_file)
        self.key_box = QWidget(self)
        key_row = QHBoxLayout(self.key_box)
        key_row.setContentsMargins(24, 0, 0, 0)
        key_row.addWidget(self.keys, 1)
        key_row.addWidget(self.key_file)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed for the protection")
        layout = QVBoxLayout(self)
        layout.addWidget(self.plain)
        layout.addWidget(self.with_password)
        layout.addWidget(self.password_box)
        layout.addWidget(self.with_key)
        layout.addWidget(self.key_box)
        layout.addWidget(self.problem)
        self.group.buttonToggled.connect(lambda _b, _on: self._update())
        self.password.textChanged.connect(lambda text: self.meter.update_for(text))
        for edit in (self.password, self.again):
            edit.textChanged.connect(lambda _t: self._update())
        self.keys.textChanged.connect(self._update)
        self._update()

    def recipients(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.keys.toPlainText().splitlines() if line.strip())

    def chosen_password(self) -> str | None:
        return self.password.text() if self.with_password.isChecked() else None

    def chosen_recipients(self) -> tuple[str, ...]:
        return self.recipients() if self.with_key.isChecked() else ()

    def needed(self) -> str:
        """What is still missing ("" when the choice can be used)."""
        if self.with_password.isChecked():
            if not self.password.text():
                return "Choose a password for the file and type it in the first box."
            refused = refusal(self.password.text())
            if refused:
                return refused
            if self.password.text() != self.again.text():
                return "Type the same password again in the second box."
        if self.with_key.isChecked():
            keys = self.recipients()
            if not keys:
                return "Paste the person's public key (it starts with age1 or ssh-), or read it from a file."
            for key in keys:
                if not key.startswith(KEY_STARTS):
                    shown = key if len(key) < 40 else key[:37] + "…"
                    return f"“{shown}” is not a public key: it should start with age1 or ssh-."
        return ""

    def _update(self) -> None:
        self.password_box.setVisible(self.with_password.isChecked())
        self.key_box.setVisible(self.with_key.isChecked())
        self.problem.setText(self.needed())
        self.changed.emit()

    def read_key_file(self, path: Path) -> None:
        try:
            with path.open("rb") as handle:
                data = handle.read(KEY_FILE_LIMIT + 1)
        except OSError as exc:
            self.problem.setText(f"Cannot read {path}: {exc.strerror}.")
            return
        text = data.decode("utf-8", "replace")
        keys = [line.strip() for line in text.splitlines() if line.strip().startswith(KEY_STARTS)]
        if len(data) > KEY_FILE_LIMIT or not keys:
            self.problem.setText(f"{path} holds no public key (a line starting age1 or ssh-).")
            return
        self.keys.setPlainText("\n".join(keys))

    def _read_key_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "The person's public key",
            str(Path.home()),
            "Public keys (*.pub *.txt);;All files (*)",
        )
        if name:
            self.read_key_file(Path(name))


def sending_words(file_name: str, encrypted_for: tuple[str, ...]) -> str:
    """The done page's words on what to send and how the recipient opens it."""
    if not encrypted_for:
        return (
            f"Send {file_name}. It opens on any computer; the person can check it with "
            "Evidence Kit, or with the stock tools its VERIFY.txt names."
        )
    inner = file_name.removesuffix(".age")
    if encrypted_for == ("a passphrase",):
        how = (
            f"Send {file_name}: it is locked with the password you chose. Tell the person the "
            "password by phone or in person, never in the same e-mail as the file."
        )
    else:
        how = f"Send {file_name}: only the person whose key you gave can open it."
    return (
        f"{how} To open it they need the free program age (age-encryption.org), which gives "
        f"back {inner}, or Evidence Kit's command evidence-kit verify, which opens and checks "
        "it in one go."
    )
