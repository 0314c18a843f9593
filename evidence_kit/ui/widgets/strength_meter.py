"""A passphrase strength meter in plain words: the core's judgement (`vault.strength.judge`),
the same one `evidence-kit init`, `passphrase` and `recover` apply."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from evidence_kit.vault.strength import Strength, advice, judge, suggest_passphrase
from evidence_kit.vault.strength import refusal as core_refusal


@lru_cache(maxsize=1)
def example_passphrase() -> str:
    """One suggestion per run of the program, so the advice does not change as a person types."""
    return suggest_passphrase()


def refusal(passphrase: str, user_inputs: Sequence[str] = ()) -> str:
    """Why the vault would refuse `passphrase` (the core's words, as on the command line, with
    one example of a better one for the whole run), or '' if it is accepted."""
    if not passphrase:
        return "Choose a passphrase and type it in the first box."
    refused = core_refusal(passphrase, user_inputs)
    return f"{refused} {advice(f'“{example_passphrase()}”')}" if refused else ""


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
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAccessibleDescription("Passphrase strength in words")
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
