"""The redaction and rep journey through the real `evidence-kit-gui`, by keyboard alone: capture
the screen, hide a box of it by keys, import a chat the wizard then warns about, hand over for a
manager, check with the command line (`verify-redaction`) that the redacted copy in the bundle
derives from the original in the vault, and take the bundle into a second vault (a rep's) with
File → Receive a bundle…. Same desktop as test_journey.py: Xvfb, openbox, the accessibility
bus; nothing in the program replaced."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.e2e.rep_journey import REASON, RepJourney
from tests.e2e.test_journey import SCREEN, cli
from tests.support.desktop import Desktop

pytestmark = pytest.mark.xvfb


def test_redact_by_keys_hand_over_and_receive(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    person, rep = home / "vault", home / "rep-vault"
    shots = tmp_path / "screenshots"
    print(f"\nscreenshots of the rep journey: {shots}")
    with Desktop(home, SCREEN, shots=shots) as desk:
        journey = RepJourney(desk, "keyboard", home)
        try:
            program = desk.start_program(person)
            journey.first_run()
            journey.put_things_on_screen()
            journey.capture_full()
            journey.redact_by_keys()
            journey.import_chat_with_numbers()
            bundle, warning = journey.hand_over_for_a_manager()
            journey.close_window(journey.main)
            assert program.wait(timeout=60) == 0
            second = desk.start_program(rep)
            journey.first_run()
            said = journey.receive(bundle, journey.fingerprint)
            received = journey.received_details()
            journey.hide_a_message()
            journey.covering_note()
            journey.close_window(journey.main)
            assert second.wait(timeout=60) == 0
        except BaseException:
            desk.shot("FAILED")
            logs = "\n".join(p.read_text("utf-8", "replace")[-2000:] for p in home.glob("*.log"))
            print(f"the program said:\n{logs}")
            raise
    assert warning.startswith("2 messages show phone numbers, e-mail addresses")
    assert "Consider hiding them (Redact…) before sending this to a manager." in warning
    assert "Box 1 of 1" in journey.boxes_said
    # the person's vault: the copy, its boxes and reason, its parent the screenshot
    items = json.loads(cli(person, "list", "--json").stdout)
    shot = next(i for i in items if i["kind"] == "screenshot")
    copy = next(i for i in items if i["kind"] == "derived")
    shown = json.loads(cli(person, "show", str(copy["id"]), "--json").stdout)
    derived = shown["metadata"]["derived"]
    assert derived["operation"] == "redaction" and derived["reason"] == REASON
    assert derived["from_sha256"] == shot["sha256"] and len(derived["boxes"]) == 1
    # the bundle carries the copy, not the screenshot; the command line proves the link
    original = tmp_path / "original.png"
    assert cli(person, "extract", str(shot["id"]), "--out", str(original)).returncode == 0
    out = tmp_path / "bundle"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(out)
    names = {p.name for p in out.rglob("*") if p.is_file()}
    records = [json.loads(p.read_text("utf-8")) for p in out.rglob("item.json")]
    assert not any(r.get("sha256") == shot["sha256"] for r in records)
    redacted = next(p for p in out.rglob("*.png") if p.parent.joinpath("item.json").is_file()
                    and json.loads(p.parent.joinpath("item.json").read_text()).get("sha256")
                    == copy["sha256"])  # fmt: skip
    proved = cli(person, "verify-redaction", str(redacted), str(original))
    assert proved.returncode == 0, proved.stdout + proved.stderr
    assert "with only the hidden parts changed" in proved.stdout
    assert "withheld.json" in names
    # the rep's vault: the bundle as received, its items with the person's hashes
    assert "is kept in your vault" in said and "Every check passed" in said
    assert received.startswith("Received from Alex Doe as exhibit ")
    assert journey.fingerprint in received
    got = json.loads(cli(rep, "list", "--json").stdout)
    assert [i["kind"] for i in got].count("received") == 1
    assert copy["sha256"] in {i["sha256"] for i in got}
    assert shot["sha256"] not in {i["sha256"] for i in got}  # the manager's bundle had not it
    actions = [e["action"] for e in json.loads(cli(rep, "log", "--json").stdout)]
    assert "bundle received" in actions and "reception recorded" in actions
    hidden = next(i for i in got if i["original_name"].endswith("-redacted.jsonl"))
    assert hidden["kind"] == "derived"
