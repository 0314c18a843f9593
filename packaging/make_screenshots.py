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
# the safekeeping journey (tests/e2e/safekeeping_journey.py), after the first
KEPT_SAFEKEEPING = {
    "backup-reminder": "21-backup-reminder",
    "backup-done": "22-backup-done",
    "new-recovery-code": "23-new-recovery-code",
    "new-recovery-code-shown": "24-new-recovery-code-shown",
    "hand-over-protect-with-a-password": "25-hand-over-protect-with-a-password",
    "hand-over-done-protected": "26-hand-over-done-read-aloud",
    "verify-read-aloud": "27-verify-read-aloud",
    "item-time-stamp": "28-item-time-stamp",
    "time-stamp-settings": "29-time-stamp-settings",
    "open-not-a-vault": "30-open-not-a-vault",
}


def safekeeping(home: Path, shots: Path) -> None:
    """Backup from the reminder, a new recovery code, a protected hand-over, the recipient's
    check with the digits read aloud; a local test authority (127.0.0.1) witnesses the
    evidence, never a real one."""
    import os

    from tests.bundle.test_transport import age_with_passphrase
    from tests.e2e.safekeeping_journey import FILE_PASSWORD, SafekeepingJourney, a_vault_a_week_old
    from tests.support.desktop import Desktop
    from tests.support.tsa import LocalTSA

    home.mkdir()
    (home / "USB stick").mkdir()
    (home / "Holiday photos").mkdir()
    a_vault_a_week_old(home / "vault")
    authority = LocalTSA(home / "tsa")
    os.environ["EVIDENCE_KIT_TSA_URLS"] = authority.url
    os.environ["EVIDENCE_KIT_TSA_CA"] = str(authority.root_pem)
    try:
        with Desktop(home, SCREEN, shots=shots) as desk:
            desk.start_program(home / "vault")
            journey = SafekeepingJourney(desk, "mouse", home)
            journey.unlock()
            journey.time_stamp_in_the_details()
            journey.back_up_from_the_reminder(home / "USB stick")
            journey.new_recovery_code()
            journey.hand_over_with_a_password()
            assert journey.kept.bundle is not None
            plain = home / "opened.zip"
            age_with_passphrase(journey.kept.bundle, plain, FILE_PASSWORD)
            journey.check_with_the_digits_read_aloud(plain, journey.kept.read_aloud)
            journey.time_stamp_settings()
            journey.open_a_folder_that_is_not_a_vault(home / "Holiday photos")
            journey.close_window(journey.main)
    finally:
        authority.stop()


# the redaction and rep journey's (tests/e2e/rep_journey.py), by keyboard alone
REP_KEPT = {
    "redaction-editor": "31-redaction-editor",
    "hand-over-contacts-warning": "32-hand-over-warns-of-phone-numbers",
    "receive-a-bundle": "33-receive-a-bundle",
    "bundle-received": "34-bundle-received",
    "received-details": "35-received-item-details",
    "hide-messages": "36-hide-messages",
    "hand-over-covering-note": "37-hand-over-covering-note",
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
    """`make_screenshots.py FOLDER [--rep-only | --casefile-only]`: --rep-only walks only the
    rep journey and replaces only its pictures; --casefile-only remakes only the case file's
    (packaging/casefile_screenshots.py, Qt's grab() on a fictional case)."""
    rep_only = "--rep-only" in argv
    casefile_only = "--casefile-only" in argv
    argv = [a for a in argv if a not in ("--rep-only", "--casefile-only")]
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "packaging"))
    from casefile_screenshots import make as casefile_shots

    if casefile_only:
        for path in casefile_shots(out):
            print(f"saved {path}")
        return 0
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
            safe_shots = Path(temp) / "safekeeping-shots"
            safekeeping(Path(temp) / "safekeeping", safe_shots)
            taken = _taken(safe_shots)
            kept += [(taken[name], name_out) for name, name_out in KEPT_SAFEKEEPING.items()]
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
        if not rep_only:
            for path in casefile_shots(out):
                print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
