"""A passphrase strength meter in plain words: the core's judgement (`vault.strength.judge`),
the same one `evidence-kit init`, `passphrase` and `recover` apply."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from evidence_kit.vault.strength import Strength, judge


def strength_words(strength: Strength) -> str:
    if strength.acceptable or not strength.reason:
        return strength.summary
    reason = strength.reason[:1].upper() + strength.reason[1:]
    return f"{strength.summary} {reason}."


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
        self.strength = judge("")
        self.update_for("")

    def update_for(self, passphrase: str, user_inputs: Sequence[str] = ()) -> Strength:
        """Judge `passphrase` (the owner's name counts as a known word) and show the result."""
        self.strength = judge(passphrase, user_inputs)
        self.bar.setValue(self.strength.percent if passphrase else 0)
        self.bar.setVisible(bool(passphrase))  # an empty bar would look like another box
        words = strength_words(self.strength)
        self.label.setText(words if passphrase else "")
        self.bar.setAccessibleDescription(words)
        return self.strength
