"""Labels for text that came from evidence: always plain text, long values elided with the
whole value in a tooltip, never widening a window past the screen.

A label's accessible name is its text (what a screen reader reads); what the label is for
goes in its accessible description."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """A QLabel that shows `text` as it is: no HTML is read from it."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def escaped(text: object) -> str:
    """`text` made safe to put inside rich text (for labels that also hold our own markup)."""
    return html.escape(str(text), quote=True)


class ElidedLabel(QLabel):
    """One line of plain text, cut short with … to fit; the whole text in its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._full = ""
        self.set_full_text(text)

    def set_full_text(self, text: str, more: str = "") -> None:
        """Show `text` (cut short to fit); the tooltip says all of it, then `more`."""
        self._full = " ".join(str(text).split())
        self.setToolTip("\n\n".join(part for part in (self._full, more) if part))
        self.setAccessibleName(self._full)  # read whole, never cut short
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        width = max(self.contentsRect().width(), 10)
        super().setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideMiddle, width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(metrics.horizontalAdvance("…") * 4, metrics.height())

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(min(metrics.horizontalAdvance(self._full) + 4, 400), metrics.height())
