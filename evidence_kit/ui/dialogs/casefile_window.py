"""The case file window (Case → Case file…): one case's incidents, people, statement and
chronology, in four tabs. It shows what its flow loaded (`show_view`) and asks its flow for
every act (the signals): it never touches the vault. Evidence text is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.casefile import incidents
from evidence_kit.casefile.model import Incident, Person, Statement
from evidence_kit.casefile.offences import catalogue
from evidence_kit.ui.dialogs.casefile_forms import range_text
from evidence_kit.ui.operations.casefile import CaseView
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import fit_to_screen

SHOWN = "%a %d %b %Y %H:%M"
ID_ROLE = Qt.ItemDataRole.UserRole
MAX_COLUMN = 320  # pixels: a long title wraps or is cut, never pushes the rest off screen


def _table(name: str, headers: Sequence[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], ids: Sequence[int | None]) -> None:
    table.setRowCount(0)
    table.setRowCount(len(rows))
    for r, (values, row_id) in enumerate(zip(rows, ids, strict=True)):
        for c, value in enumerate(values):
            cell = QTableWidgetItem(value)  # a table item is plain text
            cell.setData(ID_ROLE, row_id)
            cell.setToolTip(value)
            table.setItem(r, c, cell)
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):  # the whole text is in each cell's tooltip
        table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN))
    table.resizeRowsToContents()
    if rows:
        table.selectRow(0)


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    return button


def written(found: Statement) -> str:
    at = datetime.fromisoformat(found.written_at.replace("Z", "+00:00")).astimezone()
    return f"Version {found.version} saved {at:{SHOWN}} (this computer's time)."


def evidence_text(one: Incident) -> str:
    """ "2 item(s), 3 message(s)", or that none is linked (allowed: a call, an offline event)."""
    count = sum(m.last - m.first + 1 for m in one.messages)
    parts = [
        f"{len(one.items)} item(s)" if one.items else "",
        f"{count} message(s)" if count else "",
    ]
    return ", ".join(part for part in parts if part) or "none linked"


def offences_text(one: Incident) -> str:
    codes = catalogue().by_code()
    return ", ".join(f"{codes[c].act} {codes[c].section}" for c in one.offences if c in codes)


class CaseFileWindow(QDialog):
    add_incident_requested = Signal()
    revise_incident_requested = Signal(int)
    add_person_requested = Signal()
    revise_person_requested = Signal(int)
    save_statement_requested = Signal(str)
    reload_requested = Signal()

    def __init__(self, case: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.view: CaseView | None = None
        self.setWindowTitle(f"Case file: {case}")
        self.setAccessibleName("Case file")
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Case file parts")
        self.tabs.tabBar().setAccessibleName("Case file parts")
        self.tabs.addTab(self._incidents_tab(), "&Incidents")
        self.tabs.addTab(self._people_tab(), "&People")
        self.tabs.addTab(self._statement_tab(), "S&tatement")
        self.tabs.addTab(self._chronology_tab(), "C&hronology")
        self.loading = plain_label("Loading the case file…", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.loading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(fit_to_screen(self, 1000, 680))

    # -- the tabs ----------------------------------------------------------------------------

    def _incidents_tab(self) -> QWidget:
        tab = QWidget(self)
        self.incident_table = _table(
            "Incidents",
            ("When", "Title", "People", "Evidence", "Version", "Possible offences"), tab,
        )  # fmt: skip
        self.incident_detail = QPlainTextEdit(tab)
        self.incident_detail.setReadOnly(True)
        self.incident_detail.setAccessibleName("The chosen incident")
        self.incident_detail.setTabChangesFocus(True)
        self.incident_detail.setMaximumHeight(150)
        self.add_incident = _button("&Add an incident…", "Add an incident", tab)
        self.revise_incident = _button("&Revise this incident…", "Revise this incident", tab)
        self.add_incident.setToolTip(
            "Links the items chosen in the main window's list to the new incident."
        )
        self.add_incident.clicked.connect(self.add_incident_requested.emit)
        self.revise_incident.clicked.connect(
            lambda: self._chosen(self.incident_table, self.revise_incident_requested)
        )
        self.incident_table.itemSelectionChanged.connect(self._show_incident)
        self.incident_table.doubleClicked.connect(
            lambda _index: self._chosen(self.incident_table, self.revise_incident_requested)
        )
        advice = plain_label(catalogue().not_legal_advice, tab)
        advice.setAccessibleDescription("About the possible offences")
        return self._tab(tab, self.incident_table, (self.incident_detail, advice),
                         (self.add_incident, self.revise_incident))  # fmt: skip

    def _people_tab(self) -> QWidget:
        tab = QWidget(self)
        self.people_table = _table("People", ("Name", "Role", "Identifiers", "Version"), tab)
        self.add_person = _button("Add a &new person…", "Add a new person", tab)
        self.revise_person = _button("Re&vise this person…", "Revise this person", tab)
        self.add_person.clicked.connect(self.add_person_requested.emit)
        self.revise_person.clicked.connect(
            lambda: self._chosen(self.people_table, self.revise_person_requested)
        )
        return self._tab(tab, self.people_table, (), (self.add_person, self.revise_person))

    def _statement_tab(self) -> QWidget:
        tab = QWidget(self)
        intro = plain_label(
            "Your statement: what has happened, in your own words. Each time you save, a new "
            "version is kept and every earlier version stays.", tab,
        )  # fmt: skip
        self.statement = QPlainTextEdit(tab)
        self.statement.setAccessibleName("Your statement")
        self.statement.setTabChangesFocus(True)
        self.statement_status = plain_label("No statement saved yet.", tab)
        self.statement_status.setAccessibleDescription("Statement version")
        self.save_statement = _button("&Save a new version", "Save a new version", tab)
        self.save_statement.clicked.connect(
            lambda: self.save_statement_requested.emit(self.statement.toPlainText())
        )
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.statement, 1)
        row = QHBoxLayout()
        row.addWidget(self.statement_status, 1)
        row.addWidget(self.save_statement)
        layout.addLayout(row)
        return tab

    def _chronology_tab(self) -> QWidget:
        tab = QWidget(self)
        self.conduct = plain_label("", tab)
        self.conduct.setAccessibleDescription("Course of conduct")
        advice = plain_label(catalogue().not_legal_advice, tab)
        self.chronology_table = _table(
            "Chronology", ("When (local)", "UTC", "Which time", "Kind", "What"), tab
        )
        layout = QVBoxLayout(tab)
        layout.addWidget(self.conduct)
        layout.addWidget(advice)
        layout.addWidget(self.chronology_table, 1)
        return tab

    def _tab(self, tab: QWidget, table: QTableWidget, below: Sequence[QWidget],
             buttons: Sequence[QPushButton]) -> QWidget:  # fmt: skip
        layout = QVBoxLayout(tab)
        layout.addWidget(table, 1)
        for widget in below:
            layout.addWidget(widget)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)
        return tab

    def _chosen(self, table: QTableWidget, signal: SignalInstance) -> None:
        cell = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
        if cell is not None and cell.data(ID_ROLE) is not None:
            signal.emit(int(cell.data(ID_ROLE)))

    # -- showing -----------------------------------------------------------------------------

    def show_view(self, view: CaseView) -> None:
        self.view = view
        self.loading.hide()
        names = {p.id: p for p in view.everyone}
        found = view.file.incidents
        _fill(self.incident_table, [self._incident_row(one, names, view) for one in found],
              [one.id for one in found])  # fmt: skip
        self.revise_incident.setEnabled(bool(found))
        _fill(self.people_table, [self._person_row(one) for one in view.everyone],
              [one.id for one in view.everyone])  # fmt: skip
        self.revise_person.setEnabled(bool(view.everyone))
        kept = view.file.statement
        if kept is not None:
            if not self.statement.document().isModified():
                self.statement.setPlainText(kept.text)
            self.statement_status.setText(written(kept))
        self._show_chronology(view)
        self._show_incident()

    def statement_saved(self, kept: Statement) -> None:
        self.statement.document().setModified(False)
        self.statement_status.setText(written(kept))

    def _incident_row(self, one: Incident, names: dict[int, Person], view: CaseView) -> list[str]:
        start = incidents.local(one)
        when = f"{start:{SHOWN}}"
        if one.until:
            end = incidents.local(one, one.until)
            when += f"–{end:%H:%M}" if end.date() == start.date() else f" – {end:{SHOWN}}"
        who = ", ".join(names[p].name for p in one.people if p in names)
        tags = offences_text(one)
        evidence = evidence_text(one)
        return [f"{when} {one.zone}", one.title, who, evidence, f"version {one.version}", tags]

    def _person_row(self, one: Person) -> list[str]:
        ids = ", ".join(f"{i.kind}: {i.shown()}" for i in one.identifiers)
        return [one.name, one.role, ids, f"version {one.version}"]

    def _show_incident(self) -> None:
        view, row = self.view, self.incident_table.currentRow()
        if view is None or not 0 <= row < len(view.file.incidents):
            self.incident_detail.setPlainText(
                "No incidents yet. Choose items in the main window's list, then "
                "“Add an incident…” to record what happened and link them."
            )
            return
        one = view.file.incidents[row]
        names = {p.id: p.display() for p in view.everyone}
        links = [view.titles.get(i, f"item {i}") for i in one.items] + [
            range_text(m, view.titles.get(m.item_id, f"item {m.item_id}")) for m in one.messages
        ]
        versions = view.versions.get(one.id, one.version)
        parts = [
            f"{one.title} (version {one.version}; {versions} version(s) kept)",
            f"What happened: {one.what}" if one.what else "",
            f"Where: {one.where}" if one.where else "",
            f"Impact: {one.impact}" if one.impact else "",
            "Witnesses: " + ", ".join(names.get(w, str(w)) for w in one.witnesses) if one.witnesses else "",
            "References: " + "; ".join(one.references) if one.references else "",
            f"Possible offences: {offences_text(one)}" if one.offences else "",
            "Evidence: " + "; ".join(links) if links else "No evidence linked (that is allowed).",
        ]  # fmt: skip
        self.incident_detail.setPlainText("\n".join(part for part in parts if part))

    def _show_chronology(self, view: CaseView) -> None:
        lines = [c.summary for c in view.file.conduct]
        self.conduct.setText(
            "\n".join(lines)
            or "No course of conduct shown yet: that needs incidents on two or more separate "
            "days involving the same person."
        )
        rows, entries = [], view.file.chronology
        for entry in entries:
            local = datetime.fromisoformat(entry.when_local)
            utc = datetime.fromisoformat(entry.when_utc.replace("Z", "+00:00"))
            zone = entry.zone or f"UTC{local:%z}"
            rows.append([f"{local:{SHOWN}} {zone}", f"{utc:%d %b %Y %H:%M} UTC", entry.which_time,
                         entry.kind, f"{entry.label}: {entry.summary}"])  # fmt: skip
        _fill(self.chronology_table, rows, [e.incident_id or e.item_id for e in entries])
