"""The journey of keeping the vault safe, through the real program (see journey.py for the
person's hands): unlock a vault whose evidence has waited a week for a backup, back it up to a
folder from the reminder, see the reminder go, make a new recovery code, and hand over a bundle
protected with a password — its last page showing the fingerprint to read aloud."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from evidence_kit.clock import FixedClock, SystemClock
from evidence_kit.vault import TEST_KDF, Vault
from tests.e2e.journey import OWNER, PASSPHRASE, Journey, T, _showing, cells
from tests.support.atspi import Node, wait_for
from tests.ui.demo import png, screenshot_metadata

FILE_PASSWORD = "meadow copper lantern ninety"


def a_vault_a_week_old(folder: Path) -> str:
    """A vault whose three screenshots were taken eight days ago, never backed up. Returns its
    recovery code."""
    from evidence_kit.model import ItemKind

    clock = FixedClock(at=SystemClock().now() - timedelta(days=8))
    created = Vault.create(folder, PASSPHRASE, owner=OWNER, kdf=TEST_KDF, clock=clock)
    vault = created.vault
    with vault.transaction() as writer:
        for number in range(3):
            sha, size = writer.put([png(colour=(60 + 40 * number, 90, 160))])
            writer.add_item(
                ItemKind.SCREENSHOT, sha256=sha, size=size, media_type="image/png",
                original_name=f"post-{number}.png", case="Night shift group",
                metadata=screenshot_metadata(
                    f"2026-03-1{number}T21:0{number}:00.000000Z",
                    f"https://social.example/post/{number}", "@dana_not_real",
                    "A message about me in the group",
                ),
            )  # fmt: skip
    vault.close()
    return created.recovery_code


@dataclass
class Kept:
    backup_told: str = ""
    new_code: str = ""
    bundle: Path | None = None
    read_aloud: str = ""
    fingerprint: str = ""


class SafekeepingJourney(Journey):
    kept: Kept

    def unlock(self) -> None:
        self.kept = Kept()
        unlock = self.window("Unlock your vault", 60)
        self.fill(unlock, "Passphrase", PASSPHRASE)
        self.press(unlock, "Unlock", ("Return",))
        self.gone(unlock, 60)
        self.main = self.window("Evidence Kit")

    def message(self, containing: str) -> str:
        """A message box that says `containing`; its words are returned once it is closed."""
        box = self.window("Message")
        label = wait_for(
            lambda: next(
                (n for n in box.find_all(role="label") if containing in (n.name or "")), None
            ),
            T, f"a message saying {containing!r}",
        )  # fmt: skip
        said = str(label.name)
        return said

    def close_message(self) -> None:
        box = self.window("Message")
        self.press(box, "OK", ("Return",))
        self.gone(box)

    def choose_folder(self, title: str, folder: Path) -> None:
        """Qt's folder chooser: the folder's path typed, Enter (into it), then Choose."""
        chooser = self.window(title)
        name = wait_for(
            lambda: next((n for n in chooser.find_all(role="text") if n.has("focused")), None),
            T, "the folder name box to have the keyboard",
        )  # fmt: skip
        self.desk.key("ctrl+a", "BackSpace")
        self.desk.type(str(folder))
        wait_for(lambda: name.text() == str(folder), 5, "the typed folder")
        self.desk.key("Return")
        try:
            self.gone(chooser, 3)
            return
        except AssertionError:
            pass
        self.press(chooser, "Choose", ("alt+c",))
        self.gone(chooser)

    def back_up_from_the_reminder(self, usb: Path) -> None:
        reminder = self.label(self.main, "Backup reminder")
        wait_for(lambda: "no backup yet" in (reminder.name or ""), T, "the backup reminder")
        self.shot("backup-reminder")
        self.press(self.main, "Back up now", ("alt+b",))
        self.choose_folder("Back up your vault to (a USB stick, another disk)", usb)
        self.kept.backup_told = self.message("same passphrase")
        self.shot("backup-done")
        self.close_message()
        wait_for(lambda: not _showing(reminder), T, "the reminder to go")
        self.shot("backup-reminder-gone")

    def new_recovery_code(self) -> None:
        self.menu("Settings", "New recovery code…", ("alt+s", "r"))
        ask = self.window("New recovery code")
        self.fill(ask, "Your passphrase", PASSPHRASE)
        self.shot("new-recovery-code")
        self.press(ask, "Make a new recovery code", ("Return",))
        code = self.window("Your recovery code", 60)
        shown: Node = wait_for(
            lambda: next((n for n in code.find_all(role="label")
                          if n.description == "Recovery code"), None), T, "the new code",
        )  # fmt: skip
        self.kept.new_code = str(shown.name)
        self.shot("new-recovery-code-shown")
        kept = self.find(code, "I have kept my recovery code")
        self.desk.click(kept)
        wait_for(lambda: kept.has("checked"), T, "the box to be ticked")
        self.press(code, "Continue", ("Return",))
        self.gone(code)
        self.message("old one no longer opens this vault")
        self.close_message()

    def hand_over_with_a_password(self) -> None:
        self.main = self.window("Evidence Kit")
        self.press(self.main, "Hand over", ("ctrl+e",))
        wizard = self.window("Hand over evidence")
        wait_for(lambda: "listed below" in self.text_of(wizard, "How many items you chose"),
                 T, "the list of what was chosen")  # fmt: skip
        self.press(wizard, "Next >", ("Return",))  # what -> who
        self.press(wizard, "Next >", ("Return",))
        wait_for(lambda: "go in, listed below" in self.text_of(wizard, "How many items go in"),
                 T, "the list of what goes in")  # fmt: skip
        self.press(wizard, "Next >", ("Return",))
        folder = self.work / "bundles"
        folder.mkdir(exist_ok=True)
        self.fill(wizard, "Folder for the bundle", str(folder))
        protect = self.find(wizard, "Protect the file with a password")
        self.desk.click(protect)
        wait_for(lambda: protect.has("checked"), T, "the password protection to be chosen")
        self.fill(wizard, "Password for the file", FILE_PASSWORD)
        self.fill(wizard, "Password for the file again", FILE_PASSWORD)
        # "Make the bundle" is enabled only once both boxes agree on a strong password
        self.enabled(self.find(wizard, "Make the bundle"))
        self.shot("hand-over-protect-with-a-password")
        self.press(wizard, "Make the bundle", ("alt+m",))
        made = self.find(wizard, "Bundle file", timeout=120)
        wait_for(lambda: made.text().endswith(".zip.age"), 120, "the protected bundle")
        self.kept.read_aloud = self.find(wizard, "Your seal fingerprint to read aloud").text()
        self.kept.fingerprint = self.find(wizard, "Your seal fingerprint").text()
        self.kept.bundle = Path(made.text())
        self.shot("hand-over-done-protected")
        self.press(wizard, "Finish", ("Return",))
        self.gone(wizard)

    # -- the screens around it (also for docs/screenshots) ---------------------------------------

    def time_stamp_in_the_details(self) -> None:
        """The fake authority of the test witnessed the evidence after unlock: the details say
        by whom and when."""
        self.select_row("post/0")
        self.open_tab("Details")
        self.detail_says("Trusted time-stamp", "Witnessed by")  # under when and where
        facts = self.find(self.main, "Everything recorded about this item")
        wait_for(lambda: any("Witnessed by" in (c.name or "") for c in cells(facts)), 60,
                 "the item's time-stamp in its details")  # fmt: skip
        self.shot("item-time-stamp")

    def time_stamp_settings(self) -> None:
        self.menu("Settings", "Trusted time-stamps…", ("alt+s", "t"))
        settings = self.window("Trusted time-stamps")
        self.find(settings, "Trusted time-stamps on")
        self.shot("time-stamp-settings")
        self.press(settings, "Cancel", ("Escape",))
        self.gone(settings)

    def open_a_folder_that_is_not_a_vault(self, folder: Path) -> None:
        self.menu("File", "Open another vault or backup…", ("alt+f", "o"))
        self.choose_folder("Open a vault or a backup folder", folder)
        self.message("is not an Evidence Kit vault")
        self.shot("open-not-a-vault")
        self.close_message()
        self.main = self.window("Evidence Kit")

    def check_with_the_digits_read_aloud(self, bundle: Path, digits: str) -> None:
        """The recipient's side, in the same program: the bundle (taken out of its .age) is
        checked, and the eight groups of digits heard on the phone are typed in."""
        self.menu("File", "Check a bundle you received…", ("alt+f", "c"))
        checker = self.window("Check a sealed bundle")
        self.press(checker, "Choose a bundle to check", ("alt+c",))
        self.open_file("Choose a sealed bundle", bundle)
        wait_for(lambda: self.text_of(checker, "Result").startswith("✔ Every check passed"),
                 120, "every check to pass")  # fmt: skip
        shown = self.find(checker, "Seal fingerprint of this bundle, to read aloud")
        assert shown.text() == digits, (shown.text(), digits)
        self.fill(checker, "Fingerprint the sender gave you", digits.replace(" ", "-"))
        wait_for(lambda: "fingerprints match" in self.text_of(checker, "Do the fingerprints match"),
                 T, "the fingerprints to match")  # fmt: skip
        self.shot("verify-read-aloud")
        self.close_window(checker)
