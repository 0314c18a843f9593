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
# the redaction and rep journey's (tests/e2e/rep_journey.py), by keyboard alone
REP_KEPT = {
    "redaction-editor": "21-redaction-editor",
    "hand-over-contacts-warning": "22-hand-over-warns-of-phone-numbers",
    "receive-a-bundle": "23-receive-a-bundle",
    "bundle-received": "24-bundle-received",
    "received-details": "25-received-item-details",
    "hide-messages": "26-hide-messages",
    "hand-over-covering-note": "27-hand-over-covering-note",
}


def walk_rep(home: Path, shots: Path) -> dict[str, Path]:
    """The redaction and rep journey: the person's vault, then a rep's."""
    from tests.e2e.rep_journey import RepJourney
    from tests.support.desktop import Desktop

    with Desktop(home, SCREEN, shots=shots) as desk:
        journey = RepJourney(desk, "keyboard", home)
        program = desk.start_program(home / "vault")
        for step in (journey.first_run, journey.put_things_on_screen, journey.capture_full,
                     journey.redact_by_keys, journey.import_chat_with_numbers):  # fmt: skip
            step()
        bundle, _warning = journey.hand_over_for_a_manager()
        journey.close_window(journey.main)
        program.wait(timeout=60)
        desk.start_program(home / "rep-vault")
        journey.first_run()
        journey.receive(bundle, journey.fingerprint)
        for step in (journey.received_details, journey.hide_a_message, journey.covering_note):
            step()
        journey.close_window(journey.main)
    return _taken(shots)


def _taken(shots: Path) -> dict[str, Path]:
    taken: dict[str, Path] = {}
    for shot in sorted(shots.glob("*.png")):
        name = shot.stem.split("-", 2)[2]  # "07-mouse-capture-form" -> "capture-form"
        taken.setdefault(name, shot)  # the first of several (the first capture's form)
    return taken


def main(argv: list[str]) -> int:
    """`make_screenshots.py FOLDER [--rep-only]`: --rep-only walks only the rep journey and
    replaces only its pictures."""
    rep_only = "--rep-only" in argv
    argv = [a for a in argv if a != "--rep-only"]
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    sys.path.insert(0, str(ROOT))
    from tests.e2e.journey import Journey
    from tests.support.desktop import Desktop

    with tempfile.TemporaryDirectory(prefix="evidence-kit-screenshots-") as temp:
        kept: list[tuple[Path, str]] = []
        if not rep_only:
            home, shots = Path(temp) / "home", Path(temp) / "shots"
            home.mkdir()
            with Desktop(home, SCREEN, shots=shots) as desk:
                program = desk.start_program(home / "vault")
                journey = Journey(desk, "mouse", home)
                for step in (
                    journey.first_run, journey.put_things_on_screen, journey.capture_full,
                    journey.capture_region, journey.capture_window, journey.imports,
                    journey.read_conversation, journey.open_attachments,
                    journey.search_everything, journey.note_and_withdraw,
                    journey.lock_and_unlock, journey.move_item,
                ):  # fmt: skip
                    step()
                journey.verify(journey.hand_over())
                journey.close_and_start_again(program, home / "vault")
            taken = _taken(shots)
            kept += [(taken[name], name_out) for name, name_out in KEPT.items()]
        rep_home, rep_shots = Path(temp) / "rep-home", Path(temp) / "rep-shots"
        rep_home.mkdir()
        taken = walk_rep(rep_home, rep_shots)
        kept += [(taken[name], name_out) for name, name_out in REP_KEPT.items()]
        out.mkdir(parents=True, exist_ok=True)
        replaced = REP_KEPT.values() if rep_only else None
        for old in out.glob("*.png"):
            if replaced is None or old.stem in replaced:
                old.unlink()
        for shot, name_out in kept:
            shutil.copyfile(shot, out / f"{name_out}.png")
            print(f"saved {out / name_out}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
