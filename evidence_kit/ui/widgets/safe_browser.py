"""A text browser for HTML from a bundle or a help page that loads nothing from outside it:
no local files, no network; only pictures inlined as data: addresses.

Qt's document would otherwise read a `file://` picture from the disk itself when the browser
declines it, so the browser answers every other address with an empty picture (or text).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget


class SafeBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)  # a link in a report is not followed from here
        self.setOpenExternalLinks(False)
        self.refused: list[str] = []  # what it declined to load (tests read this)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        url = QUrl(name) if isinstance(name, str) else name
        if url.scheme() == "data":
            return super().loadResource(kind, url)
        self.refused.append(url.toString())
        if kind == QTextDocument.ResourceType.ImageResource.value:
            empty = QImage(1, 1, QImage.Format.Format_ARGB32)
            empty.fill(0)
            return empty
        return ""
