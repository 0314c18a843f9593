"""What an import found, in plain words."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.windows import grow_with_contents


def summary_html(facts: dict[str, Any]) -> str:
    """What an import found, in plain words (the file's name and its warnings escaped)."""
    name = escape(str(facts.get("original_name") or "The file"))
    label = escape(str(facts.get("label") or facts.get("format") or "export"))
    lines = [f"<h3>{name} is kept safely in your vault</h3>", f"<p>Read as: {label}.</p><ul>"]
    messages = int(facts.get("message_count") or 0)
    system = int(facts.get("system_message_count") or 0)
    lines.append(
        f"<li><b>{messages - system}</b> message(s)"
        + (f" and {system} notice(s) from the app" if system else "")
        + "</li>"
    )
    attachments = int(facts.get("attachment_count") or 0)
    present = int(facts.get("attachments_present") or 0)
    if attachments:
        missing = attachments - present
        lines.append(
            f"<li><b>{attachments}</b> attachment(s) mentioned: {present} kept"
            + (f", {missing} not included in the export" if missing else "")
            + "</li>"
        )
    else:
        lines.append("<li>No attachments.</li>")
    if facts.get("timezone"):
        lines.append(f"<li>Times read as <b>{escape(str(facts['timezone']))}</b>.</li>")
    lines.append("</ul>")
    warnings = facts.get("warnings") or []
    if warnings:
        lines.append(
            f"<p>{len(warnings)} line(s) could not be read as messages. They are still in the "
            "original file, which is kept exactly as it was:</p><ul>"
        )
        for warning in warnings[:10]:
            lines.append(f"<li>{escape(str(warning))}</li>")
        if len(warnings) > 10:
            lines.append(f"<li>… and {len(warnings) - 10} more.</li>")
        lines.append("</ul>")
    else:
        lines.append("<p>Every line was read without a problem.</p>")
    sha = facts.get("sha256")
    if sha:
        lines.append(
            f"<p><small>Fingerprint of the original file (SHA-256): {escape(str(sha))}</small></p>"
        )
    return "".join(lines)


def several_html(found: list[dict[str, Any]]) -> str:
    """Each import of several files or a folder: what it found, or why it was not imported."""
    failed = [f for f in found if "error" in f]
    lines = [f"<p>{len(found) - len(failed)} of {len(found)} import(s) went in"
             + (": nothing was kept of the others, which are listed with the reason." if failed
                else ".") + "</p>"]  # fmt: skip
    for facts in found:
        if "error" in facts:
            lines.append(f"<h3>{escape(str(facts['read_from']))} was not imported</h3>"
                         f"<p>{escape(str(facts['error']))}</p>")  # fmt: skip
        else:
            lines.append(f"<p><small>Read from {escape(str(facts['read_from']))}</small></p>")
            lines.append(summary_html(facts))
            conversations = facts.get("conversations") or []
            if conversations:
                lines.append(f"<p>{len(conversations)} conversation(s) found in it.</p>")
    return "".join(lines)


class ImportSummaryDialog(QDialog):
    def __init__(self, facts: dict[str, Any] | list[dict[str, Any]],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — imported")
        self.setAccessibleName("Imported")
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setText(several_html(facts) if isinstance(facts, list) else summary_html(facts))
        self.text.setWordWrap(True)
        self.text.setAccessibleName("What was imported")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        if isinstance(facts, list) and len(facts) > 1:  # several: they may not fit the screen
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setWidget(self.text)
            scroll.setMinimumHeight(min(520, self.text.sizeHint().height() + 20))
            layout.addWidget(scroll, 1)
        else:
            layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    @classmethod
    def ask(
        cls, facts: dict[str, Any] | list[dict[str, Any]], parent: QWidget | None = None
    ) -> None:
        cls(facts, parent).exec()
