"""The person's journey through the real program, step by step, by mouse and keyboard or by
keyboard alone. Used by test_journey.py; every step waits for what a person would see (a
window by its name, a control showing or enabled) and leaves a screenshot.

Only what a person has is used: keys and mouse (xdotool), and the accessibility tree to know
where a control is and what a label says — no dialog is replaced and nothing is called in the
program.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.atspi import Node, wait_for
from tests.support.desktop import Desktop

PASSPHRASE = "plum kettle orbit seventeen"
TAB_KEYS = {"Picture": "alt+p", "Conversation": "alt+v", "Attachments": "alt+t",
            "Details": "alt+e", "Notes": "alt+n", "History": "alt+y"}  # fmt: skip
OWNER = "Alex Doe"
T = 40.0  # seconds any one step may take on a slow machine


@dataclass
class Journey:
    desk: Desktop
    mode: str  # "mouse" (mouse and keyboard) or "keyboard" (keyboard alone)
    work: Path
    notes: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)

    @property
    def mouse(self) -> bool:
        return self.mode == "mouse"

    # -- finding and acting ---------------------------------------------------------------

    def window(self, name: str, timeout: float = T) -> Node:
        found = self.desk.atspi.window(name, timeout)
        wait_for(lambda: found.has("active") or self._any_active(found), timeout,
                 f"the window {name!r} to have the keyboard")  # fmt: skip
        return found

    def _any_active(self, window: Node) -> bool:
        return any(n.has("focused") for n in window.walk())

    def find(self, window: Node, name: str, role: str | None = None, timeout: float = T) -> Node:
        """A showing control called `name` — its accessible name, or (for a box whose name is
        its current choice, such as a combo box) its accessible description."""

        def showing() -> Node | None:
            for node in window.find_all(role=role, where=lambda n: name in (n.name, n.description)):
                if node.has("showing"):
                    return node
            return None

        try:
            found: Node = wait_for(showing, timeout, f"{role or 'a control'} {name!r}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{window.describe(limit=8)}") from None
        return found

    def enabled(self, node: Node, timeout: float = T) -> Node:
        wait_for(lambda: node.has("enabled"), timeout, f"{node.name!r} to be enabled")
        return node

    def gone(self, window: Node, timeout: float = T) -> None:
        wait_for(lambda: not _showing(window), timeout, "the window to close")

    def press(self, window: Node, button: str, keys: tuple[str, ...]) -> None:
        """Press a button: by mouse, a click on it; by keyboard, the keys a person uses."""
        node = self.enabled(self.find(window, button))
        if self.mouse:
            self.desk.click(node)
        else:
            self.desk.key(*keys)

    def fill(self, window: Node, field_name: str, text: str, role: str | None = None) -> None:
        """Type into a box: clicked, or reached with Tab; what was in it is replaced."""
        node = self.find(window, field_name, role)
        if self.mouse:
            self.desk.click(node)
            wait_for(lambda: node.has("focused"), T, f"{field_name!r} to have the keyboard")
        else:
            self.tab_to(window, field_name, role)
        self.desk.key("ctrl+a")
        self.desk.type(text)

    def focus(
        self, window: Node, name: str, keys: tuple[str, ...], role: str | None = None
    ) -> Node:
        """Reach a control: clicked, or by `keys`; waits until it has the keyboard."""
        node = self.find(window, name, role)
        if self.mouse:
            self.desk.click(node)
        else:
            self.desk.key(*keys)
        wait_for(lambda: node.has("focused"), T, f"{name!r} to have the keyboard")
        return node

    def tab_to(self, window: Node, name: str, role: str | None = None, limit: int = 60) -> Node:
        """Keyboard alone: Tab until the control called `name` has the keyboard."""
        node = self.find(window, name, role)
        for _ in range(limit):
            if node.has("focused"):
                return node
            self.desk.key("Tab")
        raise AssertionError(f"Tab never reached {name!r}:\n{window.describe(limit=8)}")

    def label(self, window: Node, purpose: str) -> Node:
        """A label by what it is for (its accessible description); its name is its text."""

        def showing() -> Node | None:
            for node in window.find_all(role="label", where=lambda n: n.description == purpose):
                return node
            return None

        found: Node = wait_for(showing, T, f"the label for {purpose!r}")
        return found

    def text_of(self, window: Node, purpose: str) -> str:
        return self.label(window, purpose).name

    def shot(self, name: str) -> Path:
        self.desk.settle()
        return self.desk.shot(f"{self.mode}-{name}")

    # -- the journey ------------------------------------------------------------------------

    def first_run(self) -> None:
        setup = self.window("Set up your vault")
        self.shot("first-run")
        self.fill(setup, "Your name", OWNER)
        self.fill(setup, "Passphrase", PASSPHRASE)
        self.fill(setup, "Passphrase again", PASSPHRASE)
        wait_for(lambda: self.text_of(setup, "What is still needed") == "", T,
                 "the first-run page to have nothing missing")  # fmt: skip
        self.shot("first-run-filled")
        self.press(setup, "Create my vault", ("Return",))
        code = self.window("Your recovery code", 90)
        self.shot("recovery-code")
        kept = self.find(code, "I have kept my recovery code")
        if self.mouse:
            self.desk.click(kept)
        else:
            self.tab_to(code, "I have kept my recovery code")
            self.desk.key("space")
        wait_for(lambda: kept.has("checked"), T, "the box to be ticked")
        self.press(code, "Continue", ("Return",))
        self.gone(code)
        self.main = self.window("Evidence Kit")
        self.shot("main-window-empty")

    def put_things_on_screen(self) -> None:
        """What the person is looking at: a post in the browser, and a chat window in front."""
        from tests.e2e.journey_data import chat_window_picture, post_picture
        from tests.support.xvfb import paint_root

        paint_root(self.desk.xvfb.display, post_picture(*self.desk.screen))
        picture = self.work / "chat-window.png"
        chat_window_picture().save(picture)
        self.chat = self.desk.start_helper(
            "tests/support/qt_pattern_window.py", "Chat with Dana — Messages", str(picture),
            str(self.desk.screen[0] - 480), str(self.desk.screen[1] - 380),
        )  # fmt: skip
        self.desk.xdotool("search", "--sync", "--name", "^Chat with Dana — Messages$")
        chat = self.desk.atspi.window("Chat with Dana — Messages")
        wait_for(lambda: chat.has("active"), T, "the chat window to come to the front")
        # back to Evidence Kit: its title bar clicked, or Alt+Tab
        if self.mouse:
            x, y, w, _h = self.main.extents()
            self.desk.click_at(x + w // 2, y - 10)
        else:
            self.desk.key("alt+Tab")
        wait_for(lambda: self.main.has("active"), T, "Evidence Kit to be in front again")

    # -- capture -----------------------------------------------------------------------------

    def menu(self, menu: str, item: str, keys: tuple[str, ...]) -> None:
        """Choose `menu` → `item`: clicked in the menu bar, or by its keys."""
        if not self.mouse:
            self.desk.key(*keys)
            return
        bar = self.find(self.main, "", "menu bar")
        title = self.find(bar, menu, "menu item")
        self.desk.click(title)
        wait_for(lambda: title.has("focused"), T, f"the {menu} menu to open")
        entry = next(n for n in title.find_all(item, "menu item") if n is not title)
        x, y, w, h = entry.extents()
        if not entry.has("showing"):  # Qt gives an open menu's items relative to the menu,
            tx, ty, _tw, th = title.extents()  # which opens just under its title
            x, y = x + tx, y + ty + th
        self.desk.click_at(x + w // 2, y + h // 2)

    def safeguarding(self) -> None:
        notice = self.window("Before you capture")
        self.shot("safeguarding-notice")
        box = self.find(notice, "I understand")
        if self.mouse:
            self.desk.click(box)
        else:
            self.tab_to(notice, "I understand")
            self.desk.key("space")
        wait_for(lambda: box.has("checked"), T, "the box to be ticked")
        self.press(notice, "Continue to capture", ("Tab", "space"))

    def describe(self, url: str, who: str, what: str, case: str | None, new_case: bool) -> None:
        """The form after a grab: where, who, what, which case — then Save."""
        form = self.window("Describe what you captured")
        if url:
            self.fill(form, "Web address", url)
        self.fill(form, "Who posted it", who)
        if self.mouse:
            self.desk.click(self.find(form, "What happened"))
        else:
            self.tab_to(form, "What happened")
        self.desk.type(what)
        if case is not None:
            self.choose_case(form, case, new_case)
        self.shot("capture-form")
        self.press(form, "Save this capture", ("ctrl+Return",))
        self.gone(form)
        self.main = self.window("Evidence Kit")

    def choose_case(self, window: Node, case: str, new_case: bool) -> None:
        """The case box: a person clicks it (or Tabs to it), picks by keys, names a new one."""
        if self.mouse:
            self.desk.click(self.find(window, "Case", "combo box"))  # opens its list
        else:
            self.tab_to(window, "Case", "combo box")
        if new_case:
            self.desk.key("End")  # "A new case…" is last
        else:
            self.desk.type(case.split()[0])  # (a space would open the list)
        if self.mouse:
            self.desk.key("Return")
        if new_case:
            self.fill(window, "Name of the new case", case)

    def capture_full(self) -> None:
        if self.mouse:
            self.desk.click(self.find(self.main, "Capture the screen"))
        else:
            self.desk.key("ctrl+shift+s")
        self.safeguarding()
        self.describe(
            "https://facebook.example/groups/nightshift/posts/1234",
            "Dana (night shift)",
            "A post about me in the night-shift group, shared with the whole ward.",
            "Night shift group",
            new_case=True,
        )
        self.shot("after-full-capture")

    def capture_region(self) -> None:
        self.menu("Capture", "Region…", ("ctrl+shift+r",))
        overlay = self.window("Choose a region of the screen")
        x, y, w, h = overlay.extents()
        if self.mouse:
            self.desk.drag((x + w // 6, y + h // 6), (x + w * 5 // 6, y + h * 2 // 3),
                           during=lambda: self.shot("region-dragging"))  # fmt: skip
        else:
            self.desk.key("Right")  # a rectangle appears in the middle
            self.desk.key("shift+Up", "shift+Left", "ctrl+shift+Right", "ctrl+Down", "ctrl+Down")
            self.shot("region-by-keys")
            self.desk.key("Return")
        self.describe("", "Dana (night shift)", "The part of the post with the threat.",
                      None, new_case=False)  # fmt: skip
        self.shot("after-region-capture")

    # -- imports -----------------------------------------------------------------------------

    def open_file(self, title: str, path: Path) -> None:
        """Qt's file dialog: type the whole path in its file name box and press Enter."""
        chooser = self.window(title)
        name = wait_for(
            lambda: next((n for n in chooser.find_all(role="text") if n.has("focused")), None),
            T, "the file name box to have the keyboard",
        )  # fmt: skip
        for _attempt in range(3):
            if name.text() != str(path):
                self.desk.key("ctrl+a", "BackSpace")
                self.desk.type(str(path))
                try:
                    wait_for(lambda: name.text() == str(path), 5, "the typed path")
                except AssertionError:
                    continue
            # Enter; a list of completions, when it shows, takes the first Enter itself
            self.desk.key("Return")
            try:
                self.gone(chooser, 3)
                return
            except AssertionError:
                continue
        raise AssertionError(f"the file dialog {title!r} did not take {path}")

    def import_file(self, path: Path, case: str, zone: str | None) -> None:
        if self.mouse:
            self.desk.click(self.find(self.main, "Import a file"))
        else:
            self.desk.key("ctrl+i")
        self.open_file("Import a chat or e-mail export, or any file", path)
        question = self.window("Import a file")
        self.choose_case(question, case, new_case=False)
        if zone is not None:
            self.fill(question, "City or country", zone)
            wait_for(lambda: "Europe/London" in self.text_of(question, "Chosen time zone"), T,
                     "the zone to be found from the city")  # fmt: skip
        self.shot(f"import-{path.suffix[1:]}-questions")
        self.press(question, "Import", ("Return",))
        summary = self.window("Imported", 120)
        self.shot(f"import-{path.suffix[1:]}-summary")
        self.press(summary, "OK", ("Return",))
        self.gone(summary)
        self.main = self.window("Evidence Kit")

    def imports(self) -> None:
        from tests.e2e.journey_data import email_file, whatsapp_zip

        self.import_file(whatsapp_zip(self.work), "Night shift group", "London")
        self.import_file(email_file(self.work), "Night shift group", None)
        self.shot("after-imports")

    # -- reading, searching, notes, withdrawing ------------------------------------------------

    def table(self) -> Node:
        return self.find(self.main, "Evidence, in the order it happened", "table")

    def rows_matching(self, text: str) -> list[Node]:
        return [c for c in cells(self.table()) if text in c.name]

    def select_row(self, text: str) -> None:
        """Choose the row that mentions `text`: clicked, or by arrow keys in the list."""
        if self.mouse:
            cell = wait_for(lambda: self.rows_matching(text), T, f"a row with {text!r}")[0]
            self.desk.click(cell)
        else:
            self.tab_to(self.main, "Evidence, in the order it happened", "table")
            self.arrow_to(self.table(), text, "Prior")  # Page Up: the top, chosen
        wait_for(lambda: any(c.has("selected") for c in self.rows_matching(text)), T,
                 f"the row with {text!r} to be chosen")  # fmt: skip

    def arrow_to(self, view: Node, text: str, first: str = "Home") -> None:
        """Keyboard alone, in a list: go to the top, then Down until the chosen line is the
        one that mentions `text` (each key's move is waited for)."""

        def chosen() -> tuple[str, ...]:
            return tuple(c.name for c in cells(view) if c.has("selected"))

        self.desk.key(first)
        try:
            wait_for(chosen, 2, "a line to be chosen")
        except AssertionError:
            self.desk.key("Down")  # nothing was chosen yet: Down chooses the first line
        before: tuple[str, ...] = ()
        for _ in range(40):
            now = wait_for(lambda b=before: chosen() != b and chosen(), 5, "the list to move")
            if any(text in name for name in now):
                return
            before = now
            self.desk.key("Down")
        raise AssertionError(f"no line with {text!r} in {view.name!r}")

    def detail_says(self, purpose: str, text: str) -> None:
        wait_for(lambda: text in self.text_of(self.main, purpose), T,
                 f"the detail pane's {purpose!r} to say {text!r}")  # fmt: skip

    def open_tab(self, tab: str) -> None:
        """A tab of the detail pane: clicked, or (keyboard) the tab bar then arrow keys."""
        node = self.find(self.main, tab, "page tab")
        if self.mouse:
            self.desk.click(node)
        else:
            self.desk.key(TAB_KEYS[tab.split(" (")[0]])
        wait_for(lambda: node.has("selected"), T, f"the {tab!r} tab to open")

    def show_cases_entry(self, entry: str) -> None:
        """Choose a line of the Cases list: clicked, or by arrow keys."""
        cases = self.find(self.main, "Cases", "list")
        wanted = lambda: [c for c in cells(cases) if c.name.startswith(entry)]  # noqa: E731
        if self.mouse:
            self.desk.click(wait_for(wanted, T, f"{entry!r} in the case list")[0])
        else:
            self.tab_to(self.main, "Cases", "list")
            self.arrow_to(cases, entry)
        wait_for(lambda: any(c.has("selected") for c in wanted()), T, f"{entry!r} to be shown")

    def read_conversation(self) -> None:
        self.select_row("Conversation")
        self.detail_says("Item", "Conversation")
        self.open_tab("Conversation")
        messages = self.find(self.main, "Messages")
        wait_for(lambda: "7 message(s)" in self.text_of(self.main, "Number of messages shown"),
                 T, "the conversation's messages")  # fmt: skip
        del messages
        self.shot("conversation")

    def open_attachments(self) -> None:
        self.open_tab("Attachments (1)")
        self.shot("attachments-of-the-chat")
        tree = self.find(self.main, "Attachments")
        if self.mouse:
            row = wait_for(lambda: [c for c in cells(tree) if "IMG-20251012" in c.name], T, "the photo")[0]  # fmt: skip
            self.desk.double_click(row)
        else:
            self.tab_to(self.main, "Attachments")
            self.desk.key("Return")
        viewer = self.window("Attachment")
        self.find(viewer, "Picture")
        self.shot("attachment-photo")
        self.press(viewer, "Close", ("Escape",))
        self.gone(viewer)
        # the e-mail: its text attachment opens inside; its PDF is saved as a copy
        self.select_row("E-mail")
        self.detail_says("Item", "E-mail")
        self.open_tab("Conversation")
        self.shot("email-from-to-subject")
        self.open_tab("Attachments (3)")
        tree = self.find(self.main, "Attachments")
        if self.mouse:
            row = wait_for(lambda: [c for c in cells(tree) if c.name == "shifts.txt"], T, "the text file")[0]  # fmt: skip
            self.desk.double_click(row)
        else:
            self.tab_to(self.main, "Attachments")
            self.desk.key("Down", "Return")  # rota-week-43.png, then shifts.txt
        viewer = self.window("Attachment")
        text = self.find(viewer, "Text of the attachment")
        wait_for(lambda: "Mon night" in text.text(), T, "the text attachment's words")
        self.shot("attachment-text")
        self.press(viewer, "Close", ("Escape",))
        self.gone(viewer)
        if self.mouse:
            row = wait_for(lambda: [c for c in cells(tree) if c.name == "handbook-page-12.pdf"], T, "the PDF")[0]  # fmt: skip
            self.desk.click(row)
            self.desk.click(self.enabled(self.find(self.main, "Save a copy of the attachment")))
        else:
            self.tab_to(self.main, "Attachments")
            self.desk.key("End", "Return")  # a PDF is not shown inside: Save a copy is offered
        warning = self.window("Evidence Kit — save a copy")
        self.shot("save-a-copy-warning")
        self.press(warning, "Save a copy…", ("Return",))
        copy = self.work / "copy-of-handbook-page.pdf"
        self.open_file("Save a copy outside the vault", copy)
        done = self.window("Message")
        self.shot("copy-saved")
        self.press(done, "OK", ("Return",))
        wait_for(copy.exists, T, "the copy to be written")

    def search_everything(self) -> None:
        self.fill(self.main, "Search everything", "ward") if self.mouse else self.desk.key("ctrl+f")
        if not self.mouse:
            self.desk.type("ward")
        self.desk.key("Return")
        results = self.find(self.main, "Search results")
        wait_for(lambda: "place(s) mention" in self.text_of(self.main, "Search result count"), T,
                 "the search results")  # fmt: skip
        self.shot("search-everything")
        if self.mouse:
            hit = wait_for(lambda: [c for c in cells(results) if "ward" in c.name.lower()], T, "a hit")[0]  # fmt: skip
            self.desk.double_click(hit)
        else:
            self.desk.key("Return")  # the first hit has the keyboard
        self.detail_says("Item", "Conversation")
        self.shot("search-hit-opened")

    def note_and_withdraw(self) -> None:
        self.open_tab("Notes")
        self.fill(
            self.main, "New note", "Dana sent these while I was on shift; my manager saw them."
        )
        self.press(self.main, "Add note", ("Tab", "space"))  # the button after the box
        notes = self.find(self.main, "Notes, oldest first")
        wait_for(lambda: any("my manager saw them" in n.name
                             for n in notes.find_all(into_big=True)), T,
                 "the note in the list")  # fmt: skip
        self.shot("note-added")
        self.show_cases_entry("All evidence")
        self.select_row("Dana in the chat app")  # the window captured by mistake
        self.press(self.main, "Withdraw this item", ("alt+w",))
        ask = self.window("Withdraw this item")
        self.press(ask, "Withdraw", ("alt+w",))  # no reason yet
        wait_for(lambda: "Write a reason first" in self.text_of(ask, "What is still needed"),
                 T, "the dialog to say the reason is missing")  # fmt: skip
        self.shot("withdraw-needs-a-reason")
        self.fill(ask, "Why it is withdrawn", "Captured by mistake: the chat is in the export.")
        self.press(ask, "Withdraw", ("alt+w",))
        self.gone(ask)
        self.detail_says("Withdrawn", "Captured by mistake")
        self.shot("withdrawn")

    # -- lock, move, hand over, verify, close -------------------------------------------------

    def lock_and_unlock(self) -> None:
        self.press(self.main, "Lock now", ("ctrl+l",))
        unlock = self.window("Unlock your vault")
        wait_for(lambda: not _showing(self.main), T, "the main window to hide")
        self.fill(unlock, "Passphrase", "plum kettle orbit eighteen")
        self.press(unlock, "Unlock", ("Return",))
        wait_for(lambda: "did not open the vault" in self.text_of(unlock, "Message"), 60,
                 "the wrong passphrase to be said plainly")  # fmt: skip
        self.shot("unlock-wrong-passphrase")
        self.fill(unlock, "Passphrase", PASSPHRASE)
        self.press(unlock, "Unlock", ("Return",))
        self.gone(unlock, 60)
        self.main = self.window("Evidence Kit")
        self.shot("unlocked-again")

    def move_item(self) -> None:
        self.show_cases_entry("Not in a case yet")
        self.select_row("Cut-out")  # the part of the post cut out by the region
        self.press(self.main, "Move the chosen items to another case", ("ctrl+m",))
        ask = self.window("Move to another case")
        target = self.find(ask, "Case to move to")
        if self.mouse:
            self.desk.click(target)
            self.desk.type("Night")
            self.desk.key("Return")
        else:
            self.desk.type("Night")
        wait_for(lambda: target.name == "Night shift group", T, "the case to be chosen")
        self.shot("move-to-another-case")
        self.press(ask, "Move", ("Return",))
        self.gone(ask)
        self.show_cases_entry("Night shift group")
        wait_for(lambda: self.rows_matching("Cut-out"), T, "the cut-out in its new case")
        self.shot("moved-into-the-case")

    def hand_over(self) -> Path:
        self.show_cases_entry("Night shift group")
        self.press(self.main, "Hand over", ("ctrl+e",))
        wizard = self.window("Hand over evidence")
        chose = self.find(wizard, "What you chose")
        wait_for(lambda: "listed below" in self.text_of(wizard, "How many items you chose"),
                 T, "the list of what the case holds")  # fmt: skip
        self.chosen = [c.name for c in cells(chose) if ": " in c.name]
        self.shot("hand-over-what")
        self.press(wizard, "Next >", ("Return",))
        name = self.find(wizard, "Your name")
        wait_for(lambda: name.text() == OWNER, T, "the name from set-up")
        self.shot("hand-over-who-for")
        self.press(wizard, "Next >", ("Return",))  # a name filled in at set-up is enough
        listed = self.find(wizard, "What goes in")
        wait_for(lambda: "go in, listed below" in self.text_of(wizard, "How many items go in"),
                 T, "the list of what goes in")  # fmt: skip
        # "Kind: name" lines; what is held back from a manager (the full screen a cut-out was
        # made from) is listed too, marked, and is not in the bundle.
        lines = [c.name for c in cells(listed) if ": " in c.name]
        self.held_back = [line for line in lines if line.startswith("Held back —")]
        self.listed = [line for line in lines if not line.lower().startswith("held back")]
        self.shot("hand-over-what-goes-in")
        self.press(wizard, "Next >", ("Return",))
        folder = self.work / "bundles"
        folder.mkdir(exist_ok=True)
        self.fill(wizard, "Folder for the bundle", str(folder))
        self.shot("hand-over-where")
        self.press(wizard, "Make the bundle", ("Return",))
        made = self.find(wizard, "Bundle file", timeout=120)
        wait_for(lambda: made.text().endswith(".zip"), 120, "the bundle to be made")
        self.shot("hand-over-done")
        self.fingerprint = self.find(wizard, "Your seal fingerprint").text()
        bundle = Path(made.text())
        self.press(wizard, "Finish", ("Return",))
        self.gone(wizard)
        return bundle

    def verify(self, bundle: Path) -> None:
        self.main = self.window("Evidence Kit")
        self.menu("File", "Check a bundle you received…", ("alt+f", "c"))
        checker = self.window("Check a sealed bundle")
        self.press(checker, "Choose a bundle to check", ("alt+c",))
        self.open_file("Choose a sealed bundle", bundle)
        wait_for(lambda: self.text_of(checker, "Result").startswith("✔ Every check passed"),
                 120, "every check to pass")  # fmt: skip
        self.fill(checker, "Fingerprint the sender gave you", self.fingerprint)
        wait_for(lambda: "fingerprints match" in self.text_of(checker, "Do the fingerprints match"),
                 T, "the fingerprints to match")  # fmt: skip
        self.shot("verify-passed")
        self.press(checker, "Open the report in the bundle", ("alt+r",))
        report = self.window("Report")
        self.shot("verify-report")
        self.press(report, "Close", ("Escape",))
        self.gone(report)
        self.close_window(checker)

    def close_window(self, window: Node) -> None:
        """The window's close button (in its title bar), or Alt+F4."""
        if self.mouse:
            x, y, w, _h = window.extents()
            self.desk.click_at(x + w - 10, y - 10)  # openbox's close button, top right
        else:
            self.desk.key("alt+F4")
        self.gone(window)

    def close_and_start_again(self, process: subprocess.Popen[bytes], vault: Path) -> None:
        """Closing the window locks the vault and ends the program; a second start works."""
        self.main = self.window("Evidence Kit")
        self.close_window(self.main)
        assert process.wait(timeout=T) == 0, "the program did not end when its window closed"
        again = self.desk.start_program(vault)
        unlock = self.window("Unlock your vault", 60)
        self.shot("second-start")
        self.fill(unlock, "Passphrase", PASSPHRASE)
        self.press(unlock, "Unlock", ("Return",))
        self.gone(unlock, 60)
        self.main = self.window("Evidence Kit")
        self.shot("second-start-unlocked")
        # started once more while it runs: the running one comes to the front, no second one
        third = self.desk.start_program(vault)
        assert third.wait(timeout=T) == 0, "a third start did not hand over to the first"
        wait_for(lambda: self.main.has("active"), T, "the running window to come to the front")
        assert not [w for w in self.desk.atspi.windows() if _showing(w) and w.name != "Evidence Kit"
                    and w.name.startswith(("Unlock", "Set up"))]  # fmt: skip
        self.close_window(self.main)
        assert again.wait(timeout=T) == 0

    def capture_window(self) -> None:

        self.menu("Capture", "Window", ("alt+c", "w"))
        self.describe("", "Dana in the chat app", "The chat window in front.", None, new_case=False)
        self.shot("after-window-capture")


CELLS = {"cell", "table cell", "tree item", "list item"}


def cells(view: Node) -> list[Node]:
    """The cells (or items) of a table, tree or list."""
    return view.find_all(into_big=True, where=lambda n: n.role in CELLS)


def _showing(node: Node) -> bool:
    try:
        return node.has("showing")
    except Exception:
        return False
