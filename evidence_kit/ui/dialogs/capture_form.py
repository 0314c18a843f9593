"""After a grab: where it was, who posted it, what happened, which case — then Save or Discard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
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
from evidence_kit.capture import Details
from evidence_kit.errors import EvidenceKitError
from evidence_kit.evidence_time import EvidenceTime
from evidence_kit.ui.operations.capture import platform_guess, posted, url_in_title
from evidence_kit.ui.widgets.case_chooser import CaseChooserWidget
from evidence_kit.ui.widgets.text import ElidedLabel, plain_label
from evidence_kit.ui.windows import available, grow_with_contents, narrow_combo

PLATFORMS = ("", *CAPTURE_PLATFORMS, "Text message (SMS)", "LinkedIn", "YouTube")
NO_URL = (
    "Record the place: if you can, copy the web address from the browser and paste it here. "
    "You can still save without it."
)


class CaptureFormDialog(QDialog):
    def __init__(
        self,
        preview: QImage,
        when: EvidenceTime,
        *,
        url: str = "",
        window_title: str = "",
        cases: list[str] | None = None,
        case: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — describe what you captured")
        self.setAccessibleName("Describe what you captured")
        room = available(self)
        picture = QLabel(self)
        picture.setPixmap(
            QPixmap.fromImage(preview).scaled(
                min(420, room.width() // 3),
                min(240, room.height() // 4),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        picture.setAccessibleName("The picture you captured")
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.when = plain_label(f"Captured {when.local_text()} ({when.zone_text()})", self)
        self.when.setAccessibleDescription("When it was captured")
        self.when.setToolTip(
            "The moment the screen was captured. It is recorded and cannot be changed.\n"
            + when.describe()
        )
        self.url = QLineEdit(url or url_in_title(window_title), self)
        self.url.setAccessibleName("Web address")
        self.url.setPlaceholderText("https://… (the address of the page)")
        self.url_hint = plain_label(NO_URL, self)
        self.url_hint.setAccessibleDescription("About the web address")
        self.window_title = ElidedLabel(window_title or "not known", self)
        self.window_title.setAccessibleDescription("Window")
        self.platform = narrow_combo(QComboBox(self))
        self.platform.setEditable(True)
        self.platform.addItems(PLATFORMS)
        self.platform.setAccessibleName("Site or app")
        self.platform.setAccessibleDescription("Site or app")
        self.platform.setCurrentText(platform_guess(url, window_title))
        self.account = QLineEdit(self)
        self.account.setAccessibleName("Who posted it")
        self.account.setPlaceholderText("The name or @handle as shown on screen")
        self.posted_at = QLineEdit(self)
        self.posted_at.setAccessibleName("Time shown on the post")
        self.posted_at.setPlaceholderText("As shown, e.g. 2026-11-19 20:05 (leave empty if none)")
        self.posted_at.setToolTip(
            "The date and time the post or message shows, if it shows one (your computer's "
            "time zone, unless you add an offset such as +01:00). The capture time is kept too."
        )
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName("What happened")
        self.description.setPlaceholderText("In your own words, briefly")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(80)
        self.case = CaseChooserWidget(cases or [], case, self)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Web &address:", self.url)
        form.addRow("", self.url_hint)
        form.addRow("Window:", self.window_title)
        form.addRow("&Site or app:", self.platform)
        form.addRow("&Who posted it:", self.account)
        form.addRow("Time on the &post:", self.posted_at)
        form.addRow("W&hat happened:", self.description)
        form.addRow("&Case:", self.case)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save this capture")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save it in your vault (Ctrl+Enter, from any box)")
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._accept)
        self.discard_button = self.buttons.addButton(
            "Discard", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.discard_button.setAccessibleName("Discard this capture")
        self.discard_button.clicked.connect(self.reject)
        self.buttons.accepted.connect(self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(picture)
        layout.addWidget(self.when)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._posted: dict[str, Any] | None = None
        self.url.textChanged.connect(self._url_changed)
        self._url_changed(self.url.text())
        self.setMinimumWidth(min(560, room.width() - 40))

    def _url_changed(self, text: str) -> None:
        self.url_hint.setVisible(not text.strip())
        guess = platform_guess(text)
        if guess and not self.platform.currentText().strip():
            self.platform.setCurrentText(guess)

    def _accept(self) -> None:
        problem = self.case.problem()
        if not problem:
            try:
                self._posted = posted(self.posted_at.text())
            except EvidenceKitError as exc:
                problem = f"Time on the post: {exc}"
                self.posted_at.setFocus()
        if problem:
            self.problem.setText(problem)
            return
        self.accept()

    def details(self) -> Details:
        return Details(
            url=self.url.text(),
            platform=self.platform.currentText(),
            account=self.account.text(),
            description=self.description.toPlainText(),
            case=self.case.case(),
            posted=self._posted,
        ).cleaned()

    @classmethod
    def ask(
        cls,
        preview: QImage,
        when: EvidenceTime,
        *,
        url: str = "",
        window_title: str = "",
        cases: list[str] | None = None,
        case: str | None = None,
        parent: QWidget | None = None,
    ) -> Details | None:
        dialog = cls(
            preview, when, url=url, window_title=window_title, cases=cases, case=case,
            parent=parent,
        )  # fmt: skip
        return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None
