"""The program's life with one vault: first run or unlock, the main window, locking, quitting.

Wires the main window's requests to the flows (capture, import, export, verify, cases, search)
and keeps the timeline fresh. Holds no widget layout of its own.

Closing the window locks the vault and quits — unless a tray icon is really there and the
person chose "Keep running in the tray" (then the window hides, and the tray says so once).
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
from evidence_kit.ui.errors import inform, show_error
from evidence_kit.ui.flows.capture import CaptureFlow
from evidence_kit.ui.flows.casefile import CaseFileFlow
from evidence_kit.ui.flows.cases import CaseFlow
from evidence_kit.ui.flows.exporting import ExportFlow
from evidence_kit.ui.flows.importing import ImportFlow
from evidence_kit.ui.flows.receiving import ReceiveFlow
from evidence_kit.ui.flows.redacting import RedactFlow
from evidence_kit.ui.flows.safekeeping import SafekeepingFlow
from evidence_kit.ui.hotkey import GlobalShortcut
from evidence_kit.ui.idle import IdleWatcher
from evidence_kit.ui.main_window import MainWindow
from evidence_kit.ui.models.cases import Entry
from evidence_kit.ui.operations.search import search_everything
from evidence_kit.ui.operations.vault_ops import Timeline, close_vault, create_vault, timeline
from evidence_kit.ui.stamper import Stamper
from evidence_kit.ui.tasks import Job, TaskRunner
from evidence_kit.ui.widgets.tray import TrayIcon, app_icon
from evidence_kit.vault import KdfParams, is_vault

DEFAULT_IDLE_MINUTES = 10
IN_THE_TRAY = (
    "Evidence Kit is still running here, by the clock, and your vault is still open. "
    "Choose “Lock now” from this icon's menu to lock it, or turn this off in Settings."
)


class Session(QObject):
    unlocked = Signal()
    locked = Signal()
    refreshed = Signal()
    searched = Signal(object)  # the hits shown

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
        self.entry = Entry("", 0)  # what the timeline shows: everything, a case, or no case
        self.owner = ""
        self.is_locked: bool = True
        self.quitting = False
        self.window = MainWindow(runner)
        self.capture: CaptureFlow = CaptureFlow(self)
        self.importing = ImportFlow(self)
        self.exporting = ExportFlow(self)
        self.cases = CaseFlow(self)
        self.casefile = CaseFileFlow(self)
        self.safekeeping = SafekeepingFlow(self)
        self.stamper = Stamper(runner, self)
        self.redacting = RedactFlow(self)
        self.receiving = ReceiveFlow(self)
        self.window.setWindowIcon(app_icon())
        self.tray = TrayIcon(self.window.capture_actions, self)
        self.tray.show_requested.connect(self.show_window)
        self.tray.lock_requested.connect(self.lock)
        self.tray.quit_requested.connect(self.quit)
        self.hotkey = GlobalShortcut(self)
        self.hotkey.pressed.connect(lambda: self.capture.start("all", 0))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.hotkey.stop)
        self.idle = IdleWatcher(self.idle_minutes(), self)
        self.idle.idle.connect(self.lock)
        self.window.set_idle_minutes(self.idle_minutes())
        self.window.tray_action.setEnabled(self.tray.available)
        self.window.tray_action.setChecked(self.tray_mode())
        if not self.tray.available:
            self.window.tray_action.setToolTip("This desktop has no tray (no icons by the clock).")
        self._wire()

    @property
    def case(self) -> str | None:
        return self.entry.case

    def _wire(self) -> None:
        w = self.window
        w.lock_requested.connect(self.lock)
        w.quit_requested.connect(self.quit)
        w.close_requested.connect(self.window_closed)
        w.help_requested.connect(lambda: HelpDialog.ask(w))
        w.case_changed.connect(self.show_entry)
        w.idle_minutes_chosen.connect(self.set_idle_minutes)
        w.tray_mode_chosen.connect(lambda on: self.settings.setValue("keep_in_tray", bool(on)))
        w.detail.note_added.connect(lambda _item_id: self.refresh())
        w.capture_actions.triggered.connect(lambda mode, delay: self.capture.start(mode, delay))
        w.import_requested.connect(lambda path: self.importing.start(path))
        w.export_requested.connect(lambda: self.exporting.start())
        w.verify_requested.connect(self.open_verify)
        w.new_case_requested.connect(self.cases.new_case)
        w.rename_case_requested.connect(self.cases.rename_case)
        w.move_requested.connect(self.cases.move_items)
        w.casefile_requested.connect(self.casefile.open)
        w.search_requested.connect(self.search)
        w.results.chosen.connect(self.open_hit)
        w.passphrase_requested.connect(self.change_passphrase)
        w.reload_requested.connect(self.reload)
        w.backup_requested.connect(self.safekeeping.backup)
        w.open_vault_requested.connect(self.safekeeping.open_other)
        w.recovery_code_requested.connect(self.safekeeping.new_recovery_code)
        w.timestamps_requested.connect(self.safekeeping.timestamp_settings)
        # the background time-stamp job: after every act that adds evidence (never before it)
        self.capture.saved.connect(lambda _item_id: self.stamper.kick())
        self.importing.imported.connect(lambda _item_id: self.stamper.kick())
        self.exporting.exported.connect(lambda _done: self.stamper.kick())
        self.stamper.stamped.connect(lambda _counts: self.safekeeping.show_stamp())
        w.redact_requested.connect(lambda: self.redacting.start_picture())
        w.hide_messages_requested.connect(lambda: self.redacting.start_messages())
        w.receive_requested.connect(lambda: self.receiving.start())

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

    def tray_mode(self) -> bool:
        """Keep running in the tray when the window is closed: only if there is a tray."""
        return self.tray.available and bool(self.settings.value("keep_in_tray", False, type=bool))

    def change_passphrase(self) -> None:
        from evidence_kit.ui.dialogs.passphrase_dialog import PassphraseDialog

        if PassphraseDialog.ask(self.runner, self.window):
            inform(
                self.window,
                "Your passphrase is changed. Use the new one from now on; your recovery code "
                "still works.",
            )

    # -- opening, locking, closing -------------------------------------------------------------

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
        remembered = str(self.settings.value("case", "") or "") or None
        self.entry = Entry("", 0, remembered)
        if not self.hotkey.active and not self.hotkey.reason:
            self.hotkey.start()
        self.is_locked = False
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.idle.set_minutes(self.idle_minutes())
        self.refresh()
        self.safekeeping.check_reminder()
        self.stamper.start()
        self.unlocked.emit()

    def _close_vault_windows(self) -> None:
        self.is_locked = True
        self.idle.pause()
        self.stamper.stop()
        self.window.backup_banner.remind(None)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget is not self.window and widget.objectName() != "verify":
                widget.close()
        self.window.hide()
        self.window.items.set_ids([])
        self.window.thumbnails.clear()
        self.window.detail.show_item(None)
        self.window.search_box.clear()
        self.runner.submit(close_vault)
        self.locked.emit()

    def lock(self) -> None:
        if self.is_locked:
            return
        self._close_vault_windows()
        if UnlockDialog.ask(self.runner, self.folder, self.clock):
            self._opened()
        else:
            self.quit()

    def shown_item(self) -> int | None:
        """The item the detail pane shows (None when none)."""
        item = self.window.detail.item
        return item.id if item is not None else None

    def window_closed(self) -> None:
        """The window's close button: to the tray (if chosen and possible), else lock and quit."""
        if self.tray_mode() and not self.is_locked:
            self.window.hide()
            if not self.settings.value("tray_told", False, type=bool):
                self.tray.icon.showMessage("Evidence Kit", IN_THE_TRAY)
                self.settings.setValue("tray_told", True)
            return
        self.quit()

    def quit(self) -> None:
        """Lock (the runner closes the vault as the program ends) and quit."""
        self.quitting = True
        if not self.is_locked:
            self._close_vault_windows()
        self.tray.hide()
        QApplication.quit()

    def show_window(self) -> None:
        """Bring the window to the front (the tray, or a second start of the program)."""
        if self.is_locked:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, UnlockDialog) and widget.isVisible():
                    widget.raise_()
                    widget.activateWindow()
            return
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    # -- the timeline --------------------------------------------------------------------------

    def show_entry(self, entry: Entry) -> None:
        if entry.case == self.entry.case and entry.uncased == self.entry.uncased:
            return
        self.entry = entry
        self.settings.setValue("case", entry.case or "")
        self.refresh()

    def reload(self) -> None:
        self.window.items.retry()
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """Reload the cases and the timeline; keep (or move) the selection."""
        case, uncased = self.entry.case, self.entry.uncased
        if select is None:
            chosen = self.window.selected_item_ids()
            select = chosen[-1] if chosen else None

        def done(found: Timeline) -> None:
            self.owner = found.owner
            names = [c.name for c in found.cases]
            if self.entry.case is not None and self.entry.case not in names:  # gone or renamed
                self.entry = Entry("", 0)
                self.refresh(select)
                return
            total = sum(c.item_count for c in found.cases) + found.uncased
            model = self.window.cases
            self.window.case_list.selectionModel().blockSignals(True)
            model.set_cases(list(found.cases), found.uncased, total)
            self.window.select_entry(self.entry.case, self.entry.uncased)
            self.window.case_list.selectionModel().blockSignals(False)
            self.entry = model.entry(model.row_of(self.entry.case, self.entry.uncased))
            self.window.timeline_title.set_full_text(self._timeline_title())
            self.window.rename_case_button.setEnabled(self.entry.case is not None)
            self.window.items.set_ids(found.ids)
            if select is not None:
                self.window.select_item(select)
            self.refreshed.emit()

        self.runner.submit(
            lambda job: timeline(job, case, uncased), on_done=done, on_error=self.show_error
        )

    def _timeline_title(self) -> str:
        if self.entry.uncased:
            return "Evidence not in a case yet, in the order it happened"
        if self.entry.case is not None:
            return f"Case “{self.entry.case}”, in the order it happened"
        return "All evidence, in the order it happened"

    def show_item_anywhere(self, item_id: int, message_index: int | None = None) -> None:
        """Select `item_id` in the timeline (showing everything if it is not in this view)."""
        window = self.window
        window.show_results(False)
        window.timeline_title.set_full_text(self._timeline_title())
        shown = window.items.row_of(item_id) >= 0
        if not shown:
            self.entry = Entry("", 0)
            self.settings.setValue("case", "")
            self.refresh(select=item_id)
        else:
            window.select_item(item_id)
        if message_index is not None:
            detail = window.detail

            def opened(loaded: Any) -> None:
                detail.loaded.disconnect(opened)
                if loaded.item.id == item_id:
                    detail.tabs.setCurrentIndex(detail.conversation_tab)
                    detail.conversation.show_import(
                        item_id, detail.conversation.is_email, at=message_index
                    )

            detail.loaded.connect(opened)
        window.item_table.setFocus()

    # -- search everything -----------------------------------------------------------------------

    def search(self, text: str) -> None:
        window = self.window
        if not text:
            window.show_results(False)
            window.timeline_title.set_full_text(self._timeline_title())
            return

        def done(hits: list[Any]) -> None:
            window.results.show_hits(text, hits)
            window.show_results(True)
            window.timeline_title.set_full_text(
                "Found in all your evidence (Esc: back to the list)"
            )
            window.results.list.setFocus()
            self.searched.emit(hits)

        self.runner.submit(lambda job: search_everything(job, text), on_done=done)

    def open_hit(self, item_id: int, message_index: object) -> None:
        self.show_item_anywhere(item_id, message_index if isinstance(message_index, int) else None)

    # -- elsewhere -----------------------------------------------------------------------------------

    def show_error(self, exc: BaseException) -> None:
        show_error(self.window, exc)

    def open_verify(self, path: Path | None = None) -> None:
        from evidence_kit.ui.dialogs.verify_window import VerifyWindow

        self.verify_window = VerifyWindow()
        self.verify_window.show()
        if path is not None:
            self.verify_window.check(path)
