"""A passphrase strength meter in plain words. Whether a passphrase is good enough is the
core's rule (`vault.keys.check_passphrase_strength`), the same as on the command line; the bar
only shows roughly how hard it would be to guess."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from evidence_kit.errors import WeakPassphrase
from evidence_kit.vault.keys import check_passphrase_strength


def refusal(passphrase: str) -> str:
    """Why the vault would refuse `passphrase` (message and hint), or '' if it is accepted."""
    try:
        check_passphrase_strength(passphrase)
    except WeakPassphrase as exc:
        return f"{exc.message} {exc.hint or ''}".strip()
    return ""


def strength(passphrase: str) -> int:
    """A rough score from 0 to 100 for the bar: length and variety, as guessing bits."""
    pool = 0
    pool += 26 if any(c.islower() for c in passphrase) else 0
    pool += 26 if any(c.isupper() for c in passphrase) else 0
    pool += 10 if any(c.isdigit() for c in passphrase) else 0
    pool += 33 if any(not c.isalnum() for c in passphrase) else 0
    distinct = len(set(passphrase))
    bits = min(len(passphrase), distinct * 2) * math.log2(max(pool, 2))
    return max(0, min(100, int(bits * 100 / 90)))


def strength_words(passphrase: str) -> str:
    refused = refusal(passphrase)
    if refused:
        return f"Not strong enough: {refused}"
    score = strength(passphrase)
    return "Strong." if score >= 80 else "Good enough. A longer one would be even harder to guess."


class StrengthMeterWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Passphrase strength")
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAccessibleDescription("Passphrase strength in words")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.update_for("")

    def update_for(self, passphrase: str) -> None:
        accepted = not refusal(passphrase)
        score = strength(passphrase)
        self.bar.setValue(max(score, 60) if accepted else min(score, 30))
        self.bar.setVisible(bool(passphrase))  # an empty bar would look like another box
        words = strength_words(passphrase) if passphrase else ""
        self.label.setText(words)
        self.bar.setAccessibleDescription(words)
