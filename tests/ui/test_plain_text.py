"""Evidence text is shown as text: HTML in a file name, a window title, a URL or a note never
becomes markup, a fake status, or a picture read from the disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from evidence_kit.model import ItemKind
from evidence_kit.paths import resource_path
from evidence_kit.ui.dialogs.import_summary import summary_html
from evidence_kit.ui.session import Session
from evidence_kit.ui.widgets.safe_browser import SafeBrowser
from tests.ui.conftest import run_task

HOSTILE = (
    '<b>bold</b><img src="file:///etc/passwd">'
    "<br><font size=6 color=red>WITHDRAWN 01 Jan 2026: fake</font>"
)


def add_hostile(job) -> int:  # type: ignore[no-untyped-def]
    with job.need_vault().transaction() as writer:
        sha, size = writer.put([b"\x89PNG not really"])
        item = writer.add_item(
            ItemKind.FILE, sha256=sha, size=size, media_type="text/plain",
            original_name=f"{HOSTILE}.txt", case=f"<i>{HOSTILE}</i>",
            metadata={"place": {"url": f"https://x.example/{HOSTILE}", "account": HOSTILE,
                                "window_title": HOSTILE}, "description": HOSTILE},
        )  # fmt: skip
        writer.add_note(item.id, HOSTILE)
        return item.id


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings):  # type: ignore[no-untyped-def]
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    made.item_id = run_task(qtbot, open_runner, add_hostile)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    return made


def rich_labels_with(window, text: str) -> list[QLabel]:  # type: ignore[no-untyped-def]
    """Labels that would read `text` as markup (shown, not plain text, holding it raw)."""
    found = []
    for label in window.findChildren(QLabel):
        if text in label.text() and label.textFormat() != Qt.TextFormat.PlainText:
            found.append(label)
    return found


def test_the_main_window_and_its_detail_show_evidence_as_text(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = session.window
    window.show()
    with qtbot.waitSignal(window.detail.loaded, timeout=10_000):
        window.select_item(session.item_id)
    detail = window.detail
    assert detail.where.full_text().startswith("https://x.example/<b>bold</b>")
    assert not detail.status.isVisible()  # not withdrawn: the fake WITHDRAWN is just text
    assert rich_labels_with(window, "<b>bold</b>") == []
    assert rich_labels_with(window, "WITHDRAWN") == []
    # the list shows it as typed, and so does the note
    row = window.items.row_of(session.item_id)
    assert "<b>bold</b>" in window.items.index(row, 2).data()
    assert HOSTILE in detail.notes.item(0).text()
    # the case list, the timeline title: plain text
    assert any(HOSTILE in name for name in window.cases.names())


def test_summary_and_messages_escape_what_they_quote() -> None:
    html = summary_html({"original_name": HOSTILE, "warnings": [HOSTILE], "timezone": HOSTILE,
                         "sha256": HOSTILE, "message_count": 1})  # fmt: skip
    assert "<img" not in html and "<font" not in html and "<b>bold" not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


def test_a_report_browser_loads_nothing_from_the_disk_or_the_network(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.svg"
    secret.write_bytes(resource_path("icons", "evidence-kit.svg").read_bytes())  # a picture
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(
        f'<p>report</p><img src="file://{secret}"><img src="https://tracker.example/p.png">'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4'
        'nGMAAQAABQABDQottAAAAABJRU5ErkJggg==">'
    )
    browser.resize(400, 300)
    browser.show()
    qtbot.waitExposed(browser)
    assert browser.toPlainText().startswith("report")
    assert any(str(secret) in url for url in browser.refused)
    assert any("tracker.example" in url for url in browser.refused)
    # what the document holds for the file's address is an empty picture, not the file
    held = browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"file://{secret}")
    )
    assert held.size().width() == 1
    assert not any(url.startswith("data:") for url in browser.refused)
