"""Before an import: what the file is, which case it goes in, and (when its times carry no
zone) where it was made. One question page; nothing is kept until the person says Import."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.operations.importing import Detected
from evidence_kit.ui.widgets.case_chooser import CaseChooserWidget
from evidence_kit.ui.widgets.text import ElidedLabel, plain_label
from evidence_kit.ui.widgets.zone_picker import ZonePickerWidget
from evidence_kit.ui.windows import available, grow_with_contents


@dataclass(frozen=True)
class ImportChoice:
    case: str | None
    tz: str | None


class ImportDialog(QDialog):
    def __init__(
        self,
        file_name: str,
        detected: Detected,
        cases: list[str],
        case: str | None,
        zone: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        known = detected.name is not None
        self.setWindowTitle("Evidence Kit — import" if known else "Evidence Kit — keep this file")
        self.setAccessibleName("Import a file")
        name = ElidedLabel(file_name, self)
        name.setAccessibleDescription("File")
        if known:
            what = (
                f"Evidence Kit reads this as a {detected.label}. The file is kept exactly as "
                "it is, and its messages can be read and searched."
            )
        else:
            what = (
                "This is not a chat or e-mail export that Evidence Kit can read as messages. "
                "It can be kept in your vault exactly as it is (a picture, a PDF, a recording…)."
            )
        self.cases = CaseChooserWidget(cases, case, self)
        form = QFormLayout()
        form.addRow("File:", name)
        form.addRow("&Case:", self.cases)
        self.zone: ZonePickerWidget | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(what, self))
        layout.addLayout(form)
        if detected.zone_free:
            layout.addWidget(
                plain_label(
                    "This export writes its times without saying which time zone they are in. "
                    "Where was the phone or computer that made it? Your answer is recorded "
                    "with the import.",
                    self,
                )
            )
            self.zone = ZonePickerWidget(zone, self)
            self.zone.changed.connect(self._changed)
            layout.addWidget(self.zone)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        layout.addWidget(self.problem)
        buttons, self.ok = act_or_cancel(
            self,
            "&Import" if known else "&Keep it",
            "Import" if known else "Keep the file",
            self._accept,
        )
        layout.addWidget(buttons)
        self.cases.changed.connect(self._changed)
        self._changed()
        self.setMinimumWidth(min(560, available(self).width() - 40))

    def _problems(self) -> str:
        found = [self.cases.problem()]
        if self.zone is not None:
            found.append(self.zone.problem())
        return " ".join(p for p in found if p)

    def _changed(self) -> None:
        self.problem.setText(self._problems())

    def _accept(self) -> None:
        problems = self._problems()
        if problems:
            self.problem.setText(problems)
            return
        self.accept()

    def choice(self) -> ImportChoice:
        return ImportChoice(self.cases.case(), self.zone.zone() if self.zone else None)

    @classmethod
    def ask(
        cls,
        file_name: str,
        detected: Detected,
        cases: list[str],
        case: str | None,
        zone: str,
        parent: QWidget | None = None,
    ) -> ImportChoice | None:
        dialog = cls(file_name, detected, cases, case, zone, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
