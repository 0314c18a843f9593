"""The redaction editor: boxes over a picture, a reason, and Save → a new redacted copy.

The original stays in the vault as it is; the copy (solid black boxes, every other pixel the
same) and its proof are made by the core on the worker (`operations.redaction`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.dialogs.hiding import HidingDialog
from evidence_kit.ui.operations.redaction import Picture
from evidence_kit.ui.widgets.box_canvas import ZOOM_STEP, BoxCanvas
from evidence_kit.ui.widgets.text import ElidedLabel, plain_label
from evidence_kit.ui.windows import fit_to_screen

HOW = (
    "Draw a box over each part to hide — a name, a phone number, an address — with the mouse, "
    "or press “Add a box” and move it with the arrow keys (Ctrl + arrow keys change its size, "
    "Shift makes bigger steps, Delete removes it). Each box becomes solid black in a new copy; "
    "your original stays in the vault exactly as it is."
)
WEAKER = (
    "This picture is a JPEG: it is stored with small losses, and another program may show its "
    "pixels very slightly differently. The redacted copy is still exact, but the proof that it "
    "was made from your original is weaker than for a PNG screenshot."
)


def image_of(picture: Picture) -> QImage:
    image = QImage(
        picture.rgba,
        picture.width,
        picture.height,
        4 * picture.width,
        QImage.Format.Format_RGBA8888,
    )
    return image.copy()  # its own pixels, not a view of the bytes


class RedactDialog(HidingDialog):
    def __init__(self, picture: Picture, parent: QWidget | None = None) -> None:
        super().__init__("names of colleagues not involved", "Save the redacted copy", parent)
        self.setWindowTitle("Evidence Kit — hide parts of a picture")
        self.setAccessibleName("Hide parts of a picture")
        self.picture = picture
        self.canvas = BoxCanvas(image_of(picture), self)
        self.scroller = QScrollArea(self)
        self.scroller.setWidget(self.canvas)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.setAccessibleName("The picture")
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        name = ElidedLabel(f"{picture.name} — {picture.width} × {picture.height} pixels", self)
        name.setAccessibleDescription("Picture")
        tools = QHBoxLayout()
        self.add_button = self._button("&Add a box", "Add a box", self._add, tools)
        self.remove_button = self._button(
            "&Remove this box", "Remove the chosen box", self.canvas.remove_current, tools
        )
        tools.addStretch()
        self.fit_button = self._button("&Fit", "Show the whole picture", self.fit, tools)
        self._button("100 %", "Show at actual size", lambda: self.canvas.set_zoom(1.0), tools)
        self._button(
            "+", "Zoom in", lambda: self.canvas.set_zoom(self.canvas.zoom * ZOOM_STEP), tools
        )
        self._button(
            "−", "Zoom out", lambda: self.canvas.set_zoom(self.canvas.zoom / ZOOM_STEP), tools
        )
        QShortcut(
            QKeySequence.StandardKey.ZoomIn,
            self,
            lambda: self.canvas.set_zoom(self.canvas.zoom * ZOOM_STEP),
        )
        QShortcut(
            QKeySequence.StandardKey.ZoomOut,
            self,
            lambda: self.canvas.set_zoom(self.canvas.zoom / ZOOM_STEP),
        )
        self.box_list = QListWidget(self)
        self.box_list.setAccessibleName("Boxes")
        self.box_list.setMaximumHeight(72)
        self.box_list.currentRowChanged.connect(self._list_chose)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(HOW, self))
        if not picture.lossless:
            weaker = plain_label(WEAKER, self)
            weaker.setAccessibleDescription("About the proof")
            layout.addWidget(weaker)
        layout.addWidget(name)
        layout.addLayout(tools)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.box_list)
        layout.addLayout(self.reason_row)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.canvas.changed.connect(self._changed)
        self.setTabOrder(self.add_button, self.canvas)
        fit_to_screen(self, 1000, 760)
        self._changed()
        QTimer.singleShot(0, self.fit)

    def _button(self, text: str, name: str, act: object, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(act)
        row.addWidget(button)
        return button

    def fit(self) -> None:
        self.canvas.fit(self.scroller.viewport().size())

    def _add(self) -> None:
        self.canvas.add_box()
        self.canvas.setFocus()

    def _list_chose(self, row: int) -> None:
        if row != self.canvas.current and row >= 0:
            self.canvas.choose(row)

    def _changed(self) -> None:
        boxes = self.canvas.pixel_boxes()
        self.box_list.blockSignals(True)
        self.box_list.clear()
        for number, (x, y, w, h) in enumerate(boxes, start=1):
            self.box_list.addItem(f"Box {number}: {w} × {h} pixels, at {x}, {y} from the top left")
        self.box_list.setCurrentRow(self.canvas.current)
        self.box_list.blockSignals(False)
        self.remove_button.setEnabled(self.canvas.current >= 0)
        self.problem.setText(self.problems())

    def missing(self) -> str:
        return "" if self.canvas.boxes else "Draw or add at least one box over what to hide."

    def boxes(self) -> list[tuple[int, int, int, int]]:
        return self.canvas.pixel_boxes()
