"""Choosing what to import: one file or several at once (the parts of a split download), or a
whole folder ("Choose a folder…" in the same dialog)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

TITLE = "Import a chat or e-mail export, or any file"
FOLDER_TITLE = "Import a whole folder (a download unpacked, or a folder of exports)"
FILTER = (
    "Exports and files (*.txt *.zip *.eml *.mbox *.msg *.xml *.json *.js *.html);;All files (*)"
)
FOLDER = 2  # the dialog's result when the person chose to pick a folder instead


class ImportPicker(QFileDialog):
    """Qt's own file dialog (the same on every desktop), several files at once, and a button
    that switches to choosing a folder."""

    def __init__(self, start: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent, TITLE, str(start), FILTER)
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setFileMode(QFileDialog.FileMode.ExistingFiles)
        self.setLabelText(QFileDialog.DialogLabel.FileName, "File(s):")
        self.folder_button = QPushButton("Choose a &folder instead…", self)
        self.folder_button.setAccessibleName("Choose a folder instead")
        self.folder_button.setToolTip(
            "A download you unpacked, or a folder of exports: everything in it is kept."
        )
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(lambda: self.done(FOLDER))
        grid = self.layout()
        if grid is not None:
            grid.addWidget(self.folder_button)

    def chosen(self) -> list[Path]:
        return [Path(name) for name in self.selectedFiles()]


def choose_import_paths(start: Path, parent: QWidget | None = None) -> list[Path]:
    """The files (or the folder) the person chose; empty when they cancelled."""
    picker = ImportPicker(start, parent)
    answer = picker.exec()
    if answer == FOLDER:
        name = QFileDialog.getExistingDirectory(parent, FOLDER_TITLE, str(start))
        return [Path(name)] if name else []
    return picker.chosen() if answer == QFileDialog.DialogCode.Accepted else []
