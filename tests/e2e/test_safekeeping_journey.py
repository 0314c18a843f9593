"""Keeping the vault safe, on the real `evidence-kit-gui` (Xvfb + openbox + the accessibility
bus): backup from the reminder, a new recovery code, a hand-over protected with a password.
Afterwards the vault, the backup and the .age are checked with the command line and `age`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_kit.vault import Vault
from tests.bundle.test_transport import age_with_passphrase
from tests.e2e.journey import PASSPHRASE
from tests.e2e.safekeeping_journey import FILE_PASSWORD, SafekeepingJourney, a_vault_a_week_old
from tests.support.desktop import Desktop

pytestmark = pytest.mark.xvfb
SCREEN = (1280, 800)


def cli(vault: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE, **env}
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--vault", str(vault), *args],
        env=full, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_backup_new_recovery_code_and_a_protected_hand_over(tmp_path: Path, tsa) -> None:  # type: ignore[no-untyped-def]
    home, vault, usb = tmp_path / "home", tmp_path / "home" / "vault", tmp_path / "USB stick"
    home.mkdir()
    usb.mkdir()
    (tmp_path / "Holiday photos").mkdir()
    (tmp_path / "Holiday photos" / "beach.jpg").write_bytes(b"\xff\xd8 a picture")
    old_code = a_vault_a_week_old(vault)
    shots = tmp_path / "screenshots"
    print(f"\nscreenshots of the safekeeping journey: {shots}")
    with Desktop(home, SCREEN, shots=shots) as desk:
        program = desk.start_program(vault)
        journey = SafekeepingJourney(desk, "mouse", home)
        try:
            journey.unlock()
            journey.time_stamp_in_the_details()  # the test's own authority, on 127.0.0.1
            journey.back_up_from_the_reminder(usb)
            journey.new_recovery_code()
            journey.hand_over_with_a_password()
            assert journey.kept.bundle is not None
            plain = tmp_path / "opened.zip"
            assert age_with_passphrase(journey.kept.bundle, plain, FILE_PASSWORD) == 0
            journey.check_with_the_digits_read_aloud(plain, journey.kept.read_aloud)
            journey.time_stamp_settings()
            journey.open_a_folder_that_is_not_a_vault(usb.parent / "Holiday photos")
            journey.close_window(journey.main)
            assert program.wait(timeout=40) == 0
        except BaseException:
            desk.shot("FAILED")
            logs = "\n".join(p.read_text("utf-8", "replace")[-2000:] for p in home.glob("*.log"))
            print(f"the program said:\n{logs}")
            raise
    kept = journey.kept
    # The backup: on the custody chain, where the window said, and a vault of its own.
    actions = [e["action"] for e in json.loads(cli(vault, "log", "--json").stdout)]
    assert "vault backed up" in actions and "recovery code replaced" in actions
    copies = [p for p in usb.iterdir() if p.name.startswith("evidence-kit-backup-")]
    assert len(copies) == 1 and str(copies[0]) in kept.backup_told
    listed = json.loads(cli(copies[0], "list", "--json").stdout)
    assert len(listed) == 3
    # The new recovery code opens the vault; the old one is refused.
    new_pass = "harbour violet seventy kitten"
    refused = cli(vault, "recover", EVIDENCE_KIT_RECOVERY_CODE=old_code,
                  EVIDENCE_KIT_NEW_PASSPHRASE=new_pass)  # fmt: skip
    assert refused.returncode != 0 and refused.returncode != 70, refused.stderr
    assert "recovery code" in refused.stderr.lower()
    assert kept.new_code and kept.new_code != old_code
    opened = cli(vault, "recover", EVIDENCE_KIT_RECOVERY_CODE=kept.new_code,
                 EVIDENCE_KIT_NEW_PASSPHRASE=new_pass)  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    # The .age opens with `age` and the password; the zip inside verifies, sealed by the key
    # whose read-aloud form the done page showed.
    assert kept.bundle is not None and kept.bundle.name.endswith(".zip.age")
    verified = cli(vault, "verify", str(plain), "--json")
    report = json.loads(verified.stdout)
    assert verified.returncode == 0 and report["ok"], verified.stdout
    assert len(kept.read_aloud.split()) == 8
    assert cli(vault, "verify", str(plain), "--expect-key", kept.read_aloud).returncode == 0
    assert kept.fingerprint.startswith("SHA256:")
    # The evidence was witnessed by the authority in the background, after unlock.
    with Vault.open(vault, new_pass) as opened:
        states = [opened.timestamp_state(i).status for i in opened.item_ids()]
    assert states == ["stamped"] * 3, states
