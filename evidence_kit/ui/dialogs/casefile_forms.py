"""The case file's forms: an incident (new, or a new version of one) and a person.

A form never stores anything itself: it hands what was typed to its flow (`submitted`), which
runs the core on the worker; a refusal comes back in plain words in the form (`show_problem`)
and nothing is stored. Evidence text is always plain text here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.casefile import incidents
from evidence_kit.casefile.incidents import Draft
from evidence_kit.casefile.model import ROLES, Incident, MessageRange, Person
from evidence_kit.casefile.offences import catalogue
from evidence_kit.evidence_time import zone_named
from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import fit_to_screen

TIME_FORMAT = "%Y-%m-%d %H:%M"
LINK_ROLE = Qt.ItemDataRole.UserRole


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def range_text(span: MessageRange, title: str) -> str:
    """ "Messages 1–3 of <chat>", "Message 5 of <chat>" (the indexes `messages ITEM` prints)."""
    if span.first == span.last:
        return f"Message {span.first} of {title}"
    return f"Messages {span.first}–{span.last} of {title}"


def _problem_label(parent: QWidget) -> QLabel:
    label = plain_label("", parent)
    label.setStyleSheet("color: #a40000; font-weight: bold;")
    label.setAccessibleName("Problem")
    label.hide()
    return label


class _PeoplePicker(QWidget):
    """Tick people already known, or type new names (separated by commas)."""

    def __init__(self, what: str, everyone: Sequence[Person], chosen: Sequence[int],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName(f"{what}: people already known")
        self.list.setMaximumHeight(90)
        for person in everyone:
            row = QListWidgetItem(f"{person.display()} — {person.role}", self.list)
            row.setData(LINK_ROLE, person.name)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(
                Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked
            )
        self.new = QLineEdit(self)
        self.new.setAccessibleName(f"{what}: new names")
        self.new.setPlaceholderText("New names, separated by commas")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if everyone:
            layout.addWidget(self.list)
        else:
            self.list.hide()
        layout.addWidget(self.new)
        self.setFocusProxy(self.list if everyone else self.new)

    def names(self) -> list[str]:
        ticked = [
            str(self.list.item(row).data(LINK_ROLE))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
        return list(dict.fromkeys([*ticked, *_names(self.new.text())]))


class IncidentForm(QDialog):
    submitted = Signal(object)  # a Draft

    def __init__(
        self,
        case: str,
        everyone: Sequence[Person],
        links: Mapping[int, str],
        base: Incident | None = None,
        version_count: int = 0,
        parent: QWidget | None = None,
        titles: Mapping[int, str] | None = None,
        ranges: Sequence[MessageRange] = (),
    ) -> None:
        super().__init__(parent)
        self.base = base
        self.setWindowTitle(
            f"Revise incident: {base.title}" if base else f"Add an incident to “{case}”"
        )
        self.setAccessibleName("Incident")
        zone = base.zone if base else zone_named(None)
        intro = (
            f"This incident has {version_count} version(s). Saving makes version "
            f"{version_count + 1}; every earlier version is kept."
            if base
            else "Write down what happened, in your own words. Only the time and a title are "
            "needed; you can add the rest later (every version is kept)."
        )
        self.when = self._line("When it happened", "2026-11-20 21:14")
        self.until = self._line("When it ended (if it went on)", "leave empty for one moment")
        self.zone = self._line("Time zone", "e.g. Europe/London")
        self.zone.setText(zone)
        completer = QCompleter(sorted(available_timezones()), self.zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)
        self.title = self._line("Title", "A few words, e.g. Threat by text after the meeting")
        self.what = self._text("What happened")
        self.where = self._line("Where", "Platform, web address or place")
        self.impact = self._text("Impact on you")
        self.people = _PeoplePicker("People involved", everyone, base.people if base else (), self)
        self.witnesses = _PeoplePicker("Witnesses", everyone, base.witnesses if base else (), self)
        self.references = self._text("References")
        self.references.setPlaceholderText(
            "One per line: a platform report number, a police reference"
        )
        self.offences = self._offence_list(base.offences if base else ())
        self.links = QListWidget(self)
        self.links.setAccessibleName("Linked evidence")
        self.links.setMaximumHeight(90)
        self._fill_links(links, (*(base.messages if base else ()), *ranges), titles or links)
        self.remove = QPushButton("Re&move the chosen link", self)
        self.remove.setAccessibleName("Remove the chosen link")
        self.remove.clicked.connect(self._remove_link)
        if base:
            self._fill(base)
        self.problem = _problem_label(self)
        self.buttons, self.save = act_or_cancel(self, "&Save the incident", "Save the incident",
                                                self._submit)  # fmt: skip
        self._lay_out(intro)

    # -- building ----------------------------------------------------------------------------

    def _line(self, name: str, hint: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(hint)
        return edit

    def _text(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        edit.setMaximumHeight(80)
        return edit

    def _offence_list(self, chosen: Sequence[str]) -> QListWidget:
        listed = QListWidget(self)
        listed.setAccessibleName("Possible offences")
        listed.setMaximumHeight(120)
        for offence in catalogue().offences:
            if offence.guidance_only:
                continue
            gone = "" if offence.in_force else " (repealed)"
            row = QListWidgetItem(f"{offence.act}, {offence.section}{gone}", listed)
            described = f"{offence.summary}\nNeeds: {offence.needs}"
            row.setToolTip(described)
            row.setData(Qt.ItemDataRole.AccessibleDescriptionRole, described)
            row.setData(LINK_ROLE, offence.code)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = offence.code in chosen
            row.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        return listed

    def _fill_links(
        self, links: Mapping[int, str], ranges: Sequence[MessageRange], titles: Mapping[int, str]
    ) -> None:
        for item_id, title in links.items():
            row = QListWidgetItem(f"{title} (item {item_id})", self.links)
            row.setData(LINK_ROLE, ("item", item_id))
        for span in ranges:
            title = titles.get(span.item_id, f"item {span.item_id}")
            row = QListWidgetItem(range_text(span, title), self.links)
            row.setData(LINK_ROLE, ("messages", f"{span.item_id}:{span.first}-{span.last}"))

    def _fill(self, base: Incident) -> None:
        self.when.setText(f"{incidents.local(base):{TIME_FORMAT}}")
        if base.until:
            self.until.setText(f"{incidents.local(base, base.until):{TIME_FORMAT}}")
        self.title.setText(base.title)
        self.what.setPlainText(base.what)
        self.where.setText(base.where)
        self.impact.setPlainText(base.impact)
        self.references.setPlainText("\n".join(base.references))

    def _lay_out(self, intro: str) -> None:
        form = QFormLayout()
        form.addRow("&When:", self.when)
        form.addRow("&Until:", self.until)
        form.addRow("Time &zone:", self.zone)
        form.addRow("&Title:", self.title)
        form.addRow("W&hat happened:", self.what)
        form.addRow("Wh&ere:", self.where)
        form.addRow("&Impact on you:", self.impact)
        form.addRow("&People involved:", self.people)
        form.addRow("Wit&nesses:", self.witnesses)
        form.addRow("&References:", self.references)
        form.addRow("Possible o&ffences:", self.offences)
        advice = catalogue()
        form.addRow(
            "", plain_label(f"{advice.child_protection_guidance}\n{advice.not_legal_advice}", self)
        )
        form.addRow("&Linked evidence:", self.links)
        form.addRow("", self.remove)
        inner = QWidget(self)
        inner.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(intro, self))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(fit_to_screen(self, 720, 760))

    # -- acting ------------------------------------------------------------------------------

    def _remove_link(self) -> None:
        row = self.links.currentRow()
        if row >= 0:
            self.links.takeItem(row)

    def _checked(self, listed: QListWidget) -> list[str]:
        return [
            str(listed.item(row).data(LINK_ROLE))
            for row in range(listed.count())
            if listed.item(row).checkState() == Qt.CheckState.Checked
        ]

    def draft(self) -> Draft:
        links = [self.links.item(row).data(LINK_ROLE) for row in range(self.links.count())]
        return Draft(
            when=self.when.text(), until=self.until.text().strip(), zone=self.zone.text(),
            title=self.title.text(), what=self.what.toPlainText(), where=self.where.text(),
            impact=self.impact.toPlainText(), people=self.people.names(),
            witnesses=self.witnesses.names(), offences=self._checked(self.offences),
            references=[r for r in self.references.toPlainText().splitlines() if r.strip()],
            items=[value for kind, value in links if kind == "item"],
            messages=[value for kind, value in links if kind == "messages"],
        )  # fmt: skip

    def _submit(self) -> None:
        self.problem.hide()
        self.save.setEnabled(False)
        self.submitted.emit(self.draft())

    def show_problem(self, message: str, hint: str | None = None) -> None:
        """The core refused: say why in the form; nothing was stored."""
        self.problem.setText(f"Not saved: {message}" + (f"\n{hint}" if hint else ""))
        self.problem.show()
        self.save.setEnabled(True)


class PersonForm(QDialog):
    submitted = Signal(str, str, object)  # name, role, identifiers ["kind:value", …]

    def __init__(self, base: Person | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = base
        self.setWindowTitle(f"Revise {base.name}" if base else "Add a person")
        self.setAccessibleName("Person")
        self.name = QLineEdit(base.name if base else "", self)
        self.name.setAccessibleName("Name")
        self.role = QComboBox(self)
        self.role.setAccessibleName("Role")
        self.role.addItems(list(ROLES))
        self.role.setCurrentText(base.role if base else "involved")
        self.identifiers = QPlainTextEdit(self)
        self.identifiers.setAccessibleName("New identifiers")
        self.identifiers.setTabChangesFocus(True)
        self.identifiers.setPlaceholderText(
            "One per line, kind: value — e.g.\nphone: 07700 900123\nemail: g.holloway@example.org\n"
            "instagram: @gaz_h"
        )
        kept = ", ".join(f"{i.kind}: {i.shown()}" for i in base.identifiers) if base else ""
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Role:", self.role)
        if kept:
            form.addRow("Kept:", plain_label(kept, self))
        form.addRow("&Identifiers to add:" if base else "&Identifiers:", self.identifiers)
        self.problem = _problem_label(self)
        self.buttons, self.save = act_or_cancel(self, "&Save the person", "Save the person",
                                                self._submit)  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        self.problem.hide()
        lines = [line.strip() for line in self.identifiers.toPlainText().splitlines()]
        self.save.setEnabled(False)
        self.submitted.emit(self.name.text(), self.role.currentText(), [x for x in lines if x])

    def show_problem(self, message: str, hint: str | None = None) -> None:
        self.problem.setText(f"Not saved: {message}" + (f"\n{hint}" if hint else ""))
        self.problem.show()
        self.save.setEnabled(True)
