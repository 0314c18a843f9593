"""The redaction and hand-over steps of the journey, through the real program, by keyboard
alone: a box over a screenshot (Add a box, arrow keys, a reason), a chat whose numbers the
wizard warns about, a manager bundle, and — in a union rep's own vault — File → Receive a
bundle…. Reuses journey.py's `Journey` (its finding, pressing and filling); used by
test_rep_journey.py and `make screenshots`."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.journey import Journey, T, cells
from tests.support.atspi import wait_for

CHAT_WITH_NUMBERS = """12/10/2025, 21:14 - Dana (night shift): ask Priya, her number is 07700 900461
12/10/2025, 21:15 - Dana (night shift): or mail tom.baker@example.org, he saw it all
12/10/2025, 21:31 - Me: Please stop messaging me.
"""
BOX_KEYS = ("Right", "Right", "Right", "shift+Down", "ctrl+Right", "ctrl+shift+Right")
REASON = "Names of colleagues who are not involved"


class RepJourney(Journey):
    def redact_by_keys(self) -> None:
        """The screenshot chosen, Item → Redact…, a box by keys, a reason, Save."""
        self.select_row("Screenshot")
        self.menu("Redact", "Hide parts of this picture…", ("ctrl+r",))
        editor = self.window("Hide parts of a picture", 60)
        self.desk.key("alt+a")  # Add a box: it appears in the middle, chosen, with the keyboard
        canvas = self.find(editor, "Picture to redact")
        wait_for(lambda: "Box 1 of 1" in canvas.description, T, "a box to be added")
        self.desk.key(*BOX_KEYS)
        wait_for(lambda: "Box 1 of 1" in canvas.description, T, "the box to stay chosen")
        self.boxes_said = canvas.description
        self.fill(editor, "Why these parts are hidden", REASON)
        self.shot("redaction-editor")
        self.press(editor, "Save the redacted copy", ("alt+s",))
        self.gone(editor, 60)
        self.main = self.window("Evidence Kit")
        wait_for(lambda: self.rows_matching("Redacted copy"), T, "the redacted copy in the list")
        self.shot("after-redaction")

    def import_chat_with_numbers(self) -> None:
        path = self.work / "WhatsApp Chat with Dana.txt"
        path.write_text(CHAT_WITH_NUMBERS, "utf-8")
        self.import_file(path, "Night shift group", "London")

    def hand_over_for_a_manager(self) -> tuple[Path, str]:
        """The wizard for a manager: its list page warns of the chat's numbers and addresses."""
        self.show_cases_entry("Night shift group")
        self.press(self.main, "Hand over", ("ctrl+e",))
        wizard = self.window("Hand over evidence")
        wait_for(lambda: "listed below" in self.text_of(wizard, "How many items you chose"),
                 T, "the list of what was chosen")  # fmt: skip
        self.press(wizard, "Next >", ("Return",))  # what -> who
        self.press(wizard, "Next >", ("Return",))
        self.find(wizard, "What goes in")
        warning = wait_for(
            lambda: self.text_of(wizard, "Contact details that would go to the manager"), T,
            "the warning about phone numbers and e-mail addresses",
        )  # fmt: skip
        lines = [c.name for c in cells(self.find(wizard, "What goes in")) if ": " in c.name]
        self.listed = [line for line in lines if not line.lower().startswith("held back")]
        self.held_back = [line for line in lines if line.startswith("Held back —")]
        self.shot("hand-over-contacts-warning")
        self.press(wizard, "Next >", ("Return",))
        folder = self.work / "bundles"
        folder.mkdir(exist_ok=True)
        self.fill(wizard, "Folder for the bundle", str(folder))
        self.press(wizard, "Make the bundle", ("Return",))
        made = self.find(wizard, "Bundle file", timeout=120)
        wait_for(lambda: made.text().endswith(".zip"), 120, "the bundle to be made")
        self.fingerprint = self.find(wizard, "Your seal fingerprint").text()
        bundle = Path(made.text())
        self.press(wizard, "Finish", ("Return",))
        self.gone(wizard)
        return bundle, warning

    def receive(self, bundle: Path, fingerprint: str) -> str:
        """In the rep's vault: File → Receive a bundle…, the fingerprint the person read out."""
        self.main = self.window("Evidence Kit")
        self.menu("File", "Receive a bundle (keep it in my vault)…", ("alt+f", "v"))
        asked = self.window("Receive a bundle")
        self.fill(asked, "The bundle file", str(bundle))
        self.fill(asked, "The sender's fingerprint (if you were told it)", fingerprint)
        wait_for(lambda: self.text_of(asked, "What is still needed") == "", T,
                 "the receive dialog to have nothing missing")  # fmt: skip
        self.shot("receive-a-bundle")
        self.press(asked, "Check and take it in", ("Return",))
        answer = self.window("Bundle received", 120)
        said = self.text_of(answer, "What happened to the bundle")
        self.shot("bundle-received")
        self.press(answer, "OK", ("Return",))
        self.gone(answer)
        self.main = self.window("Evidence Kit")
        return said

    def received_details(self) -> str:
        """A received item's Details tab says who sealed it, when, and with which key."""
        self.select_row("Redacted copy")
        self.open_tab("Details")
        facts = self.find(self.main, "Everything recorded about this item")
        found = wait_for(
            lambda: next((c.name for c in cells(facts) if c.name.startswith("Received from")), None),
            T, "the Received line in the details",
        )  # fmt: skip
        self.shot("received-details")
        return str(found)

    def hide_a_message(self) -> None:
        """The received chat, Redact → Hide messages…: the first message ticked, a reason, Save."""
        self.select_row("Conversation")
        self.menu("Redact", "Hide messages or words in this chat…", ("alt+r", "m"))
        hide = self.window("Hide messages", 60)
        self.tab_to(hide, "Messages")
        self.desk.key("space")  # the first message is the chosen one: ticked, hidden whole
        hidden = self.find(hide, "What will be hidden")
        wait_for(lambda: any("all of it" in c.name for c in cells(hidden)), T,
                 "the ticked message in what will be hidden")  # fmt: skip
        self.fill(hide, "Why these parts are hidden", "A colleague's phone number")
        self.shot("hide-messages")
        copies = len(self.rows_matching("Redacted copy"))
        self.press(hide, "Save the copy with these parts hidden", ("alt+s",))
        self.gone(hide, 60)
        self.main = self.window("Evidence Kit")
        wait_for(lambda: len(self.rows_matching("Redacted copy")) > copies, T,
                 "the copy with the message hidden in the list")  # fmt: skip
        # the keyboard is back in the main window: the frame says "active", or (as `window`
        # accepts: Qt's state event for the frame is sometimes lost on the bus) a control in
        # it has the focus
        wait_for(lambda: self.main.has("active") or self._any_active(self.main), T,
                 "the main window to have the keyboard")  # fmt: skip

    def covering_note(self) -> None:
        """In the rep's vault the wizard offers a covering note for a manager (then cancelled)."""
        self.press(self.main, "Hand over", ("ctrl+e",))
        wizard = self.window("Hand over evidence")
        wait_for(lambda: "listed below" in self.text_of(wizard, "How many items you chose"),
                 T, "the list of what was chosen")  # fmt: skip
        self.press(wizard, "Next >", ("Return",))  # what -> who
        self.press(wizard, "Next >", ("Return",))
        self.fill(wizard, "Covering note", "I am the union rep helping Alex. Alex gave me these "
                  "on 2 December; they are unchanged.")  # fmt: skip
        self.shot("hand-over-covering-note")
        self.desk.key("Escape")
        self.gone(wizard)
        self.main = self.window("Evidence Kit")
