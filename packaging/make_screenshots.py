"""Screenshots of the program for the README: `make screenshots`.

Walks the person's journey through the real `evidence-kit-gui` (the journey test's steps, by
mouse and keyboard, with fictional evidence) on Xvfb with a window manager, in a temporary
folder, and copies a representative set of its screenshots into the folder given
(docs/screenshots). Nothing here touches a real vault.

    python packaging/make_screenshots.py docs/screenshots
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREEN = (1280, 800)
# journey screenshot (without its number and mode) -> name in docs/screenshots
KEPT = {
    "first-run-filled": "01-first-run",
    "recovery-code": "02-recovery-code",
    "safeguarding-notice": "03-before-the-first-capture",
    "capture-form": "04-capture-form",
    "region-dragging": "05-region",
    "import-zip-questions": "06-import-which-case-and-time-zone",
    "import-zip-summary": "07-import-summary",
    "conversation": "08-conversation",
    "attachment-photo": "09-attachment-opened",
    "email-from-to-subject": "10-email",
    "save-a-copy-warning": "11-save-a-copy",
    "search-everything": "12-search-everything",
    "withdraw-needs-a-reason": "13-withdraw-needs-a-reason",
    "unlock-wrong-passphrase": "14-unlock-wrong-passphrase",
    "move-to-another-case": "15-move-to-another-case",
    "hand-over-what-goes-in": "16-hand-over-what-goes-in",
    "hand-over-done": "17-hand-over-done",
    "verify-passed": "18-verify",
    "verify-report": "19-verify-report",
    "note-added": "20-note",
}


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    sys.path.insert(0, str(ROOT))
    from tests.e2e.journey import Journey
    from tests.support.desktop import Desktop

    with tempfile.TemporaryDirectory(prefix="evidence-kit-screenshots-") as temp:
        home, shots = Path(temp) / "home", Path(temp) / "shots"
        home.mkdir()
        with Desktop(home, SCREEN, shots=shots) as desk:
            program = desk.start_program(home / "vault")
            journey = Journey(desk, "mouse", home)
            for step in (
                journey.first_run, journey.put_things_on_screen, journey.capture_full,
                journey.capture_region, journey.capture_window, journey.imports,
                journey.read_conversation, journey.open_attachments, journey.search_everything,
                journey.note_and_withdraw, journey.lock_and_unlock, journey.move_item,
            ):  # fmt: skip
                step()
            journey.verify(journey.hand_over())
            journey.close_and_start_again(program, home / "vault")
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.png"):
            old.unlink()
        taken = {}
        for shot in sorted(shots.glob("*.png")):
            name = shot.stem.split("-", 2)[2]  # "07-mouse-capture-form" -> "capture-form"
            taken.setdefault(name, shot)  # the first of several (the first capture's form)
        for name, kept in KEPT.items():
            shutil.copyfile(taken[name], out / f"{kept}.png")
            print(f"saved {out / kept}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
