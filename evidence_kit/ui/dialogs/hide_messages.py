"""Hide messages: choose whole messages, or select text in one and "Hide this" (or hide it
wherever it appears); what will be hidden is listed before saving. The core makes the copy."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.dialogs.hiding import HidingDialog
from evidence_kit.ui.operations.redaction import Message
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import fit_to_screen

HOW = (
    "Tick a message to hide all of it, or choose a message, select words in its text and press "
    "“Hide this” (a bystander's name, a phone number). “Hide it everywhere” hides the selected "
    "words in every message. A new copy is made with those parts replaced by [hidden]; the "
    "original export stays in your vault as it is."
)


@dataclass(frozen=True)
class Part:
    """One thing to hide: a whole message, a span of its text (characters, from 0), or a text
    wherever it appears (`needle`)."""

    index: int | None
    start: int | None = None
    end: int | None = None
    needle: str | None = None
    shown: str = ""


def code_points(text: str, utf16_offset: int) -> int:
    """A Qt text position (UTF-16 units) as a Python string index (code points)."""
    return len(text.encode("utf-16-le")[: 2 * utf16_offset].decode("utf-16-le", "ignore"))


class HideMessagesDialog(HidingDialog):
    def __init__(self, name: str, messages: list[Message], parent: QWidget | None = None) -> None:
        super().__init__(
            "phone numbers of people not involved", "Save the copy with these parts hidden", parent
        )
        self.setWindowTitle("Evidence Kit — hide messages")
        self.setAccessibleName("Hide messages")
        self.messages = {m.index: m for m in messages}
        self.spans: list[Part] = []
        self.list = QListWidget(self)
        self.list.setAccessibleName(f"Messages of {name}; tick one to hide all of it")
        self.list.setAccessibleDescription("Messages")
        for message in messages:
            entry = QListWidgetItem(f"{message.index}. {message.when}  {message.sender}: "
                                    f"{' '.join(message.text.split())[:120]}")  # fmt: skip
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            entry.setData(Qt.ItemDataRole.UserRole, message.index)
            self.list.addItem(entry)
        self.list.currentRowChanged.connect(self._show_message)
        self.list.itemChanged.connect(lambda _e: self._changed())
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setAccessibleName("The chosen message's text: select what to hide")
        self.text.setTabChangesFocus(True)
        self.hide_button = QPushButton("&Hide this", self)
        self.hide_button.setAccessibleName("Hide the selected words in this message")
        self.hide_button.clicked.connect(self.hide_selection)
        self.everywhere_button = QPushButton("Hide it &everywhere", self)
        self.everywhere_button.setAccessibleName("Hide the selected words in every message")
        self.everywhere_button.clicked.connect(lambda: self.hide_selection(everywhere=True))
        self.hidden = QListWidget(self)
        self.hidden.setAccessibleName("What will be hidden")
        self.unhide_button = QPushButton("&Keep this part", self)
        self.unhide_button.setAccessibleName("Do not hide the chosen part")
        self.unhide_button.clicked.connect(self._unhide)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(plain_label("The chosen message:", right))
        right_layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addWidget(self.hide_button)
        row.addWidget(self.everywhere_button)
        row.addStretch()
        right_layout.addLayout(row)
        hidden_title = plain_label("What will be hidden:", right)
        hidden_title.setBuddy(self.hidden)
        right_layout.addWidget(hidden_title)
        right_layout.addWidget(self.hidden, 1)
        right_layout.addWidget(self.unhide_button, 0, Qt.AlignmentFlag.AlignLeft)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(HOW, self))
        layout.addWidget(splitter, 1)
        layout.addLayout(self.reason_row)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        if messages:
            self.list.setCurrentRow(0)
        fit_to_screen(self, 1000, 700)
        self._changed()

    def _current(self) -> Message | None:
        entry = self.list.currentItem()
        return self.messages.get(entry.data(Qt.ItemDataRole.UserRole)) if entry else None

    def _show_message(self, _row: int) -> None:
        message = self._current()
        self.text.setPlainText(message.text if message else "")

    def hide_selection(self, everywhere: bool = False) -> None:
        message = self._current()
        cursor = self.text.textCursor()
        if message is None or not cursor.hasSelection():
            self.problem.setText("First select the words to hide in the chosen message's text.")
            return
        start = code_points(message.text, cursor.selectionStart())
        end = code_points(message.text, cursor.selectionEnd())
        words = message.text[start:end]
        if words != cursor.selectedText().replace("\u2029", "\n") or not words.strip():
            self.problem.setText("That selection cannot be hidden; select the words again.")
            return
        if everywhere:
            part = Part(None, needle=words.strip(), shown=f"“{words.strip()}” in every message")
        else:
            part = Part(message.index, start, end, shown=f"Message {message.index}: “{words}”")
        if part not in self.spans:
            self.spans.append(part)
        self._changed()

    def _unhide(self) -> None:
        row = self.hidden.currentRow()
        whole = self.whole()
        if 0 <= row < len(whole):
            for n in range(self.list.count()):
                entry = self.list.item(n)
                if entry.data(Qt.ItemDataRole.UserRole) == whole[row]:
                    entry.setCheckState(Qt.CheckState.Unchecked)
        elif row >= len(whole):
            del self.spans[row - len(whole)]
        self._changed()

    def whole(self) -> list[int]:
        return [
            int(self.list.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.list.count())
            if self.list.item(n).checkState() == Qt.CheckState.Checked
        ]

    def hides(self) -> list[tuple[int, int | None, int | None]]:
        """What the core hides by index: whole messages, then spans of text."""
        whole = self.whole()
        return [(i, None, None) for i in whole] + [
            (p.index, p.start, p.end) for p in self.spans
            if p.index is not None and p.index not in whole
        ]  # fmt: skip

    def needles(self) -> list[str]:
        return [p.needle for p in self.spans if p.needle]

    def _changed(self) -> None:
        self.hidden.clear()
        for index in self.whole():
            self.hidden.addItem(f"Message {index}, all of it")
        for part in self.spans:
            self.hidden.addItem(part.shown)
        self.unhide_button.setEnabled(self.hidden.count() > 0)
        self.problem.setText(self.problems())

    def missing(self) -> str:
        if self.hides() or self.needles():
            return ""
        return "Choose what to hide: tick a message, or select words and “Hide this”."
