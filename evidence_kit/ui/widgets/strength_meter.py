"""A passphrase strength meter in plain words."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from evidence_kit.vault.keys import MIN_PASSPHRASE

WORDS = (
    (0, "Too short: use at least {min} characters."),
    (40, "Weak: a few more words would make it much harder to guess."),
    (60, "Fair: good enough, longer is better."),
    (80, "Strong."),
    (100, "Very strong."),
)


def strength(passphrase: str) -> int:
    """A rough score from 0 to 100: length and the variety of characters, as guessing bits."""
    if len(passphrase) < MIN_PASSPHRASE:
        return min(len(passphrase) * 3, 20)
    pool = 0
    pool += 26 if any(c.islower() for c in passphrase) else 0
    pool += 26 if any(c.isupper() for c in passphrase) else 0
    pool += 10 if any(c.isdigit() for c in passphrase) else 0
    pool += 33 if any(not c.isalnum() for c in passphrase) else 0
    distinct = len(set(passphrase))
    bits = min(len(passphrase), distinct * 2) * math.log2(max(pool, 2))
    return max(21, min(100, int(bits * 100 / 90)))


def strength_words(score: int) -> str:
    text = WORDS[0][1]
    for threshold, words in WORDS:
        if score >= threshold:
            text = words
    return text.format(min=MIN_PASSPHRASE)


class StrengthMeterWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Passphrase strength")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Passphrase strength in words")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.update_for("")

    def update_for(self, passphrase: str) -> None:
        score = strength(passphrase)
        self.bar.setValue(score)
        self.bar.setVisible(bool(passphrase))  # an empty bar would look like another box
        self.label.setText(strength_words(score) if passphrase else "")
        self.bar.setAccessibleDescription(strength_words(score))
