"""The redaction editor's rules: a box drawn at any zoom lands on the picture's own pixels; a box
can be added, moved, resized and removed by the keyboard alone; a reason is required; a JPEG
says its proof is weaker; Save makes the core's redacted copy under its parent. And hiding
messages: whole messages and selected words, listed before saving."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt, QTimer

from evidence_kit.ui.dialogs.hide_messages import HideMessagesDialog, code_points
from evidence_kit.ui.dialogs.redact_dialog import WEAKER, RedactDialog
from evidence_kit.ui.operations.redaction import Message, Picture, load_picture
from evidence_kit.ui.session import Session
from evidence_kit.ui.widgets.box_canvas import BoxCanvas
from tests.redaction.test_pictures import add_picture, screen
from tests.ui.conftest import run_task


def picture(width: int = 400, height: int = 300, lossless: bool = True) -> Picture:
    image = Image.open(io.BytesIO(screen(width, height))).convert("RGBA")
    return Picture(1, "post.png", width, height, image.tobytes(), lossless, "PNG")


def drag(qtbot, canvas: BoxCanvas, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)


@pytest.mark.parametrize("zoom", [0.5, 1.0, 2.0, 3.0])
def test_a_box_drawn_at_any_zoom_is_the_same_picture_pixels(qtbot, zoom: float) -> None:  # type: ignore[no-untyped-def]
    dialog = RedactDialog(picture())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.canvas.set_zoom(zoom)
    on_screen = lambda x, y: QPoint(int(x * zoom), int(y * zoom))  # noqa: E731
    drag(qtbot, dialog.canvas, on_screen(20, 30), on_screen(120, 90))
    assert dialog.boxes() == [(20, 30, 100, 60)]
    # moved by its middle, then resized by its bottom-right handle, still in picture pixels
    drag(qtbot, dialog.canvas, on_screen(70, 60), on_screen(90, 70))
    assert dialog.boxes() == [(40, 40, 100, 60)]
    drag(qtbot, dialog.canvas, on_screen(140, 100), on_screen(160, 120))
    assert dialog.boxes() == [(40, 40, 120, 80)]
    # a click (no drag) makes no box; a drag past the edge stops at the picture's edge
    drag(qtbot, dialog.canvas, on_screen(300, 10), on_screen(300, 10))
    assert len(dialog.boxes()) == 1
    drag(qtbot, dialog.canvas, on_screen(300, 200), QPoint(int(900 * zoom), int(900 * zoom)))
    assert dialog.boxes()[-1] == (300, 200, 100, 100)
    assert "Box 2: 100 × 100 pixels, at 300, 200" in dialog.box_list.item(1).text()


def test_a_box_by_the_keyboard_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RedactDialog(picture())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_button.setFocus()
    qtbot.keyClick(dialog.add_button, Qt.Key.Key_Space)
    assert dialog.focusWidget() is dialog.canvas and len(dialog.boxes()) == 1
    x, y, w, h = dialog.boxes()[0]
    assert (w, h) == (100, 37) and x >= 0 and x + w <= 400 and y + h <= 300
    canvas = dialog.canvas
    for _ in range(3):
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.boxes()[0] == (x + 3, y + 10, w, h)
    qtbot.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        canvas,
        Qt.Key.Key_Up,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert dialog.boxes()[0] == (x + 3, y + 10, w + 1, h - 10)
    assert "Box 1 of 1" in canvas.accessibleDescription()
    for _ in range(60):  # pushed against the edge, it stays whole inside the picture
        qtbot.keyClick(canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.boxes()[0][0] == 0
    qtbot.keyClick(dialog.add_button, Qt.Key.Key_Space)
    assert len(dialog.boxes()) == 2 and canvas.current == 1
    qtbot.keyClick(canvas, Qt.Key.Key_PageDown)
    assert canvas.current == 0
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert len(dialog.boxes()) == 1


def test_a_reason_and_a_box_are_required(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RedactDialog(picture())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert dialog.isVisible() and "at least one box" in dialog.problem.text()
    dialog.canvas.add_box()
    dialog.save_button.click()
    assert dialog.isVisible() and "Say why" in dialog.problem.text()
    dialog.reason.setText("   ")
    dialog.save_button.click()
    assert dialog.isVisible()
    dialog.reason.setText("Names of colleagues not involved")
    assert dialog.problem.text() == ""
    dialog.save_button.click()
    assert dialog.result() == RedactDialog.DialogCode.Accepted


def test_a_jpeg_says_its_proof_is_weaker(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    texts = lambda d: [label.text() for label in d.findChildren(QLabel)]  # noqa: E731
    jpeg = RedactDialog(picture(lossless=False))
    png = RedactDialog(picture())
    qtbot.addWidget(jpeg)
    qtbot.addWidget(png)
    assert WEAKER in texts(jpeg) and WEAKER not in texts(png)


def test_the_editor_shows_the_pixels_the_core_paints(qtbot, open_runner) -> None:  # type: ignore[no-untyped-def]
    """What the editor shows is the core's own decoding (no orientation turned), so the box on
    the screen is the box in the copy."""
    data = screen(64, 48)
    item_id = run_task(qtbot, open_runner, lambda job: add_picture(job.need_vault(), data))
    shown = run_task(qtbot, open_runner, lambda job: load_picture(job, item_id))
    assert (shown.width, shown.height) == (64, 48)
    assert shown.rgba == Image.open(io.BytesIO(data)).convert("RGBA").tobytes()
    assert shown.lossless


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings, shown_errors):  # type: ignore[no-untyped-def]
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    return made


def test_save_makes_the_core_redaction_under_its_parent(qtbot, session, shown_errors) -> None:  # type: ignore[no-untyped-def]
    runner = session.runner
    data = screen(200, 100)
    parent = run_task(qtbot, runner, lambda job: add_picture(job.need_vault(), data))
    with qtbot.waitSignal(session.refreshed, timeout=10_000):
        session.refresh(select=parent)

    def answer(dialog: RedactDialog) -> None:
        def fill() -> None:
            dialog.canvas.set_zoom(2.0)
            drag(qtbot, dialog.canvas, QPoint(20, 40), QPoint(120, 80))  # pixels 10,20 50x20
            dialog.reason.setText("A colleague's phone number")
            dialog.save_button.click()

        QTimer.singleShot(0, fill)

    session.redacting.asked.connect(answer)
    qtbot.waitUntil(lambda: session.window.redact_action.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(session.redacting.made, timeout=20_000) as made:
        session.window.redact_action.trigger()
    assert not shown_errors
    copy = run_task(qtbot, runner, lambda job: job.need_vault().item(made.args[0]))
    assert copy.parent_id == parent and copy.media_type == "image/png"
    assert copy.metadata["derived"]["boxes"] == [[10, 20, 50, 20]]
    assert copy.metadata["derived"]["reason"] == "A colleague's phone number"
    png = b"".join(run_task(qtbot, runner, lambda job: list(job.need_vault().content(copy.id))))
    out = Image.open(io.BytesIO(png)).convert("RGBA")
    assert out.getpixel((10, 20)) == out.getpixel((59, 39)) == (0, 0, 0, 255)
    original = Image.open(io.BytesIO(data)).convert("RGBA")
    assert out.getpixel((9, 20)) == original.getpixel((9, 20))
    assert out.getpixel((60, 39)) == original.getpixel((60, 39))
    qtbot.waitUntil(lambda: session.window.selected_item_ids() == [copy.id], timeout=10_000)


MESSAGES = [
    Message(0, "Gareth Holloway", "24 Oct 19:02", "Call Sam Carter on 07700 900123 now"),
    Message(1, "Sam Carter", "24 Oct 19:03", "leave her alone 🙂 Priya"),
    Message(2, "Gareth Holloway", "24 Oct 19:04", "Final warning"),
]


def select(dialog: HideMessagesDialog, row: int, words: str) -> None:
    from PySide6.QtGui import QTextCursor

    dialog.list.setCurrentRow(row)
    text = dialog.text.toPlainText()
    start = len(text[: text.index(words)].encode("utf-16-le")) // 2
    cursor = dialog.text.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words.encode("utf-16-le")) // 2, QTextCursor.MoveMode.KeepAnchor)
    dialog.text.setTextCursor(cursor)


def test_hiding_messages_and_words_lists_them_before_saving(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = HideMessagesDialog("Chat with Gareth", MESSAGES)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert dialog.isVisible() and "Choose what to hide" in dialog.problem.text()
    select(dialog, 0, "07700 900123")
    dialog.hide_button.click()
    select(dialog, 1, "Priya")  # after an emoji: Qt counts it as two, Python as one
    dialog.hide_button.click()
    select(dialog, 0, "Sam Carter")
    dialog.everywhere_button.click()
    dialog.list.item(2).setCheckState(Qt.CheckState.Checked)
    shown = [dialog.hidden.item(n).text() for n in range(dialog.hidden.count())]
    assert shown == ["Message 2, all of it", "Message 0: “07700 900123”", "Message 1: “Priya”",
                     "“Sam Carter” in every message"]  # fmt: skip
    assert dialog.hides() == [(2, None, None), (0, 19, 31), (1, 18, 23)]
    assert MESSAGES[1].text[18:23] == "Priya"
    assert dialog.needles() == ["Sam Carter"]
    dialog.save_button.click()
    assert dialog.isVisible() and "Say why" in dialog.problem.text()
    dialog.hidden.setCurrentRow(2)
    dialog.unhide_button.click()
    assert dialog.hides() == [(2, None, None), (0, 19, 31)]
    dialog.reason.setText("Bystanders' names and numbers")
    dialog.save_button.click()
    assert dialog.result() == HideMessagesDialog.DialogCode.Accepted


def test_qt_positions_become_python_indexes() -> None:
    assert code_points("a🙂b", 3) == 2 and code_points("abc", 2) == 2
