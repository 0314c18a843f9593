"""After a grab: where it was, who posted it, what happened — then Save or Discard."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.capture import PLATFORMS as CAPTURE_PLATFORMS

PLATFORMS = ("", *CAPTURE_PLATFORMS, "Text message (SMS)", "LinkedIn", "YouTube")
URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
NO_URL = (
    "The policy asks you to record the place of the site. If you can, copy the web address "
    "from the browser and paste it here. You can still save without it."
)


def url_from(text: str | None) -> str:
    """`text` if it is a single web address (as the clipboard often holds), else ''."""
    text = (text or "").strip()
    return text if URL.match(text) else ""


def url_in_title(title: str | None) -> str:
    """A web address shown in a window title, if there is one."""
    found = re.search(r"(https?://\S+)", title or "")
    return found.group(1) if found else ""


def platform_guess(*texts: str | None) -> str:
    joined = " ".join(t or "" for t in texts).lower()
    for name, marks in (
        ("Facebook", ("facebook", "fb.com")),
        ("Instagram", ("instagram",)),
        ("X", ("twitter", "x.com/")),
        ("TikTok", ("tiktok",)),
        ("WhatsApp Web", ("whatsapp",)),
        ("LinkedIn", ("linkedin",)),
        ("Snapchat", ("snapchat",)),
    ):
        if any(mark in joined for mark in marks):
            return name
    return ""


@dataclass(frozen=True)
class CaptureDetails:
    url: str
    platform: str
    account: str
    description: str
    case: str | None


class CaptureFormDialog(QDialog):
    def __init__(
        self,
        preview: QImage,
        evidence_time: str,
        *,
        url: str = "",
        window_title: str = "",
        cases: list[str] | None = None,
        case: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Kit — describe what you captured")
        picture = QLabel(self)
        picture.setPixmap(
            QPixmap.fromImage(preview).scaled(
                420,
                260,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        picture.setAccessibleName("The picture you captured")
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        when = QLabel(f"<b>Evidence time:</b> {evidence_time}", self)
        when.setAccessibleName("Evidence time")
        when.setToolTip("The moment the screen was captured. It is recorded and cannot be changed.")
        self.url = QLineEdit(url or url_in_title(window_title), self)
        self.url.setAccessibleName("Web address (URL)")
        self.url.setPlaceholderText("https://… (the address of the page)")
        self.url_hint = QLabel(NO_URL, self)
        self.url_hint.setWordWrap(True)
        self.url_hint.setAccessibleName("About the web address")
        self.window_title = QLabel(window_title or "not known", self)
        self.window_title.setWordWrap(True)
        self.platform = QComboBox(self)
        self.platform.setEditable(True)
        self.platform.addItems(PLATFORMS)
        self.platform.setAccessibleName("Platform or site")
        self.platform.setCurrentText(platform_guess(url, window_title))
        self.account = QLineEdit(self)
        self.account.setAccessibleName("Who posted it")
        self.account.setPlaceholderText("The name or @handle as shown on screen")
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName("What happened")
        self.description.setPlaceholderText("In your own words, briefly")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(90)
        self.case = QComboBox(self)
        self.case.setEditable(True)
        self.case.addItems(["", *(cases or [])])
        self.case.setCurrentText(case or "")
        self.case.setAccessibleName("Case")
        self.case.setToolTip("Group it with other evidence about the same situation (optional).")
        form = QFormLayout()
        form.addRow("Web &address:", self.url)
        form.addRow("", self.url_hint)
        form.addRow("Window:", self.window_title)
        form.addRow("&Platform:", self.platform)
        form.addRow("&Who posted it:", self.account)
        form.addRow("W&hat happened:", self.description)
        form.addRow("&Case:", self.case)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save this capture")
        self.save_button.setDefault(True)
        self.discard_button = self.buttons.addButton(
            "Discard", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.discard_button.setAccessibleName("Discard this capture")
        self.discard_button.clicked.connect(self.reject)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(picture)
        layout.addWidget(when)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.url.textChanged.connect(self._url_changed)
        self._url_changed(self.url.text())
        self.setMinimumWidth(560)

    def _url_changed(self, text: str) -> None:
        self.url_hint.setVisible(not text.strip())

    def details(self) -> CaptureDetails:
        return CaptureDetails(
            url=self.url.text().strip(),
            platform=self.platform.currentText().strip(),
            account=self.account.text().strip(),
            description=self.description.toPlainText().strip(),
            case=self.case.currentText().strip() or None,
        )

    @classmethod
    def ask(
        cls,
        preview: QImage,
        evidence_time: str,
        *,
        url: str = "",
        window_title: str = "",
        cases: list[str] | None = None,
        case: str | None = None,
        parent: QWidget | None = None,
    ) -> CaptureDetails | None:
        dialog = cls(
            preview,
            evidence_time,
            url=url,
            window_title=window_title,
            cases=cases,
            case=case,
            parent=parent,
        )
        return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None
