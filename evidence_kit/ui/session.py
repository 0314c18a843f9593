"""The program's life with one vault: first run or unlock, the main window, locking.

Wires the main window's requests to the flows (capture, import, export, verify) and keeps the
timeline fresh. Holds no widget layout of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication

from evidence_kit.clock import Clock
from evidence_kit.ui.dialogs.create_vault import CreateVaultDialog, ExistingVault
from evidence_kit.ui.dialogs.help import HelpDialog
from evidence_kit.ui.dialogs.recovery_code import RecoveryCodeDialog
from evidence_kit.ui.dialogs.unlock import UnlockDialog
from evidence_kit.ui.errors import show_error
from evidence_kit.ui.flows.capture import CaptureFlow
from evidence_kit.ui.flows.exporting import ExportFlow
from evidence_kit.ui.flows.importing import ImportFlow
from evidence_kit.ui.hotkey import GlobalShortcut
from evidence_kit.ui.idle import IdleWatcher
from evidence_kit.ui.main_window import MainWindow
from evidence_kit.ui.tasks import Job, TaskRunner
from evidence_kit.ui.widgets.tray import TrayIcon, app_icon
from evidence_kit.vault import KdfParams, Vault, is_vault

DEFAULT_IDLE_MINUTES = 10


def create_vault(
    job: Job, folder: Path, passphrase: str, owner: str, kdf: KdfParams | None, clock: Clock | None
) -> str:
    created = Vault.create(folder, passphrase, owner=owner or None, kdf=kdf, clock=clock)
    job.runner.set_vault(job, created.vault)
    return created.recovery_code


def timeline(job: Job, case: str | None) -> tuple[str, list[str], list[int]]:
    vault = job.need_vault()
    return vault.owner, [c.name for c in vault.cases()], vault.item_ids(case, top_level=True)


def close_vault(job: Job) -> None:
    job.runner.set_vault(job, None)


class Session(QObject):
    unlocked = Signal()
    locked = Signal()
    refreshed = Signal()

    def __init__(
        self,
        folder: Path,
        runner: TaskRunner,
        *,
        clock: Clock | None = None,
        kdf: KdfParams | None = None,
        settings: QSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.runner = runner
        self.clock = clock
        self.kdf = kdf
        self.settings = settings or QSettings()
        self.case: str | None = None
        self.owner = ""
        self.is_locked: bool = True
        self.window = MainWindow(runner)
        self.capture: CaptureFlow = CaptureFlow(self)
        self.importing = ImportFlow(self)
        self.exporting = ExportFlow(self)
        self.window.setWindowIcon(app_icon())
        self.tray = TrayIcon(self.window.capture_actions, self)
        self.tray.show_requested.connect(self._show_window)
        self.tray.lock_requested.connect(self.lock)
        self.hotkey = GlobalShortcut(self)
        self.hotkey.pressed.connect(lambda: self.capture.start("all", 0))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.hotkey.stop)
        self.idle = IdleWatcher(self.idle_minutes(), self)
        self.idle.idle.connect(self.lock)
        self.window.set_idle_minutes(self.idle_minutes())
        self._wire()

    def _wire(self) -> None:
        w = self.window
        w.lock_requested.connect(self.lock)
        w.help_requested.connect(lambda: HelpDialog.ask(w))
        w.case_changed.connect(self.show_case)
        w.idle_minutes_chosen.connect(self.set_idle_minutes)
        w.detail.note_added.connect(lambda _item_id: self.refresh())
        w.capture_actions.triggered.connect(lambda mode, delay: self.capture.start(mode, delay))
        w.import_requested.connect(lambda path: self.importing.start(path))
        w.export_requested.connect(lambda: self.exporting.start())
        w.verify_requested.connect(self.open_verify)

    # -- settings ----------------------------------------------------------------------------

    def idle_minutes(self) -> int:
        value: Any = self.settings.value("idle_minutes", DEFAULT_IDLE_MINUTES)
        try:
            return int(value)
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    def set_idle_minutes(self, minutes: int) -> None:
        self.settings.setValue("idle_minutes", minutes)
        self.idle.set_minutes(minutes)
        self.window.set_idle_minutes(minutes)

    # -- opening and locking -------------------------------------------------------------------

    def start(self) -> bool:
        """First run (create) or unlock; then show the main window. False if the person closed it."""
        if is_vault(self.folder):
            ok = UnlockDialog.ask(self.runner, self.folder, self.clock)
        else:
            ok = self.first_run()
        if not ok:
            return False
        self._opened()
        return True

    def first_run(self) -> bool:
        from evidence_kit.ui.dialogs.progress import ProgressDialog

        while True:
            wanted = CreateVaultDialog.ask()
            if wanted is None:
                return False
            if isinstance(wanted, ExistingVault):
                self.folder = wanted.folder
                if UnlockDialog.ask(self.runner, self.folder, self.clock):
                    return True
                continue
            code = ProgressDialog.run(
                self.runner,
                self._creator(wanted.passphrase, wanted.owner),
                "Making your vault… (this takes a few seconds)",
                cancellable=False,
            )
            if code is not None:
                RecoveryCodeDialog.ask(str(code), str(self.folder))
                return True

    def _creator(self, passphrase: str, owner: str) -> Callable[[Job], str]:
        folder, kdf, clock = self.folder, self.kdf, self.clock
        return lambda job: create_vault(job, folder, passphrase, owner, kdf, clock)

    def _opened(self) -> None:
        self.case = str(self.settings.value("case", "") or "") or None
        if not self.hotkey.active and not self.hotkey.reason:
            self.hotkey.start()
        self.is_locked = False
        self.window.show()
        self.idle.set_minutes(self.idle_minutes())
        self.refresh()
        self.unlocked.emit()

    def lock(self) -> None:
        if self.is_locked:
            return
        self.is_locked = True
        self.idle.pause()
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget is not self.window and widget.objectName() != "verify":
                widget.close()
        self.window.hide()
        self.window.items.set_ids([])
        self.window.thumbnails.clear()
        self.window.detail.show_item(None)
        self.runner.submit(close_vault)
        self.locked.emit()
        if UnlockDialog.ask(self.runner, self.folder, self.clock):
            self._opened()
        else:
            QApplication.quit()

    # -- the timeline --------------------------------------------------------------------------

    def show_case(self, case: str | None) -> None:
        self.case = case
        self.settings.setValue("case", case or "")
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """Reload the cases and the timeline; keep (or move) the selection."""
        case = self.case
        if select is None:
            chosen = self.window.selected_item_ids()
            select = chosen[-1] if chosen else None

        def done(found: tuple[str, list[str], list[int]]) -> None:
            self.owner, names, ids = found
            if self.case is not None and self.case not in names:  # remembered, but not here
                self.case = None
                self.refresh(select)
                return
            if names != self.window.cases.names():
                current = self.case
                self.window.case_list.selectionModel().blockSignals(True)
                self.window.cases.set_cases(names)
                self.window.select_case(current)
                self.window.case_list.selectionModel().blockSignals(False)
            self.window.items.set_ids(ids)
            if select is not None:
                self.window.select_item(select)
            self.refreshed.emit()

        self.runner.submit(lambda job: timeline(job, case), on_done=done, on_error=self.show_error)

    def _show_window(self) -> None:
        if not self.is_locked:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def show_error(self, exc: BaseException) -> None:
        show_error(self.window, exc)

    def open_verify(self, path: Path | None = None) -> None:
        from evidence_kit.ui.dialogs.verify_window import VerifyWindow

        self.verify_window = VerifyWindow(self.runner)
        self.verify_window.show()
        if path is not None:
            self.verify_window.check(path)
