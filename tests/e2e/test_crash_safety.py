"""SIGKILL a writer at random moments: the vault always opens, checks out, and keeps every
`add` that had returned. Also killed during the anchor update (the database is then one act
ahead, which opening tolerates), between small acts, and during a backup (the vault is whole;
a finished copy is good, an unfinished one is a hidden `.partial` folder). `make torture` runs
200 trials; the normal suite 20."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from evidence_kit.vault import Vault
from evidence_kit.vault.backup import backup
from evidence_kit.vault.check import check_vault
from tests.conftest import PASSPHRASE

TRIALS = int(os.environ.get("EVIDENCE_KIT_TORTURE_TRIALS", "20"))
ROUND = 20  # trials on one vault; then a fresh one, so `make torture` does not re-hash gigabytes

WRITER = r"""
import hashlib, os, random, sys
from pathlib import Path
from evidence_kit.vault import Vault
from evidence_kit.vault.files import add_file

folder, work, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
vault = Vault.open(folder, sys.argv[4])
print("ready", flush=True)
n = 0
while True:
    n += 1
    size = rng.choice([0, 1, 5000, 300_000, 1_500_000, 2_600_000])
    source = work / f"f{seed}-{n}.bin"
    source.write_bytes(os.urandom(size))
    item = add_file(vault, source, case=rng.choice([None, "Work", "Home"]), note=rng.choice([None, "seen at 9pm"]))
    print(f"done {item.id} {item.sha256}", flush=True)
"""


def test_killed_writer_never_damages_the_vault(vault_dir: Path, tmp_path: Path) -> None:
    rng = random.Random(20261125)
    pristine = tmp_path / "pristine"
    shutil.copytree(vault_dir, pristine)
    committed: dict[int, str] = {}
    work = tmp_path / "sources"
    work.mkdir()
    kills_mid_add = 0
    for trial in range(TRIALS):
        if trial and trial % ROUND == 0:
            shutil.rmtree(vault_dir)
            shutil.copytree(pristine, vault_dir)
            committed = {}
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(vault_dir), str(work), str(trial), PASSPHRASE],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        lines = proc.stdout.read().splitlines()
        proc.wait()
        for line in lines:
            _, item_id, sha = line.split()
            committed[int(item_id)] = sha
        kills_mid_add += 1
        for leftover in work.iterdir():
            leftover.unlink()

        with Vault.open(vault_dir, PASSPHRASE) as vault:
            report = check_vault(vault)
            assert report.ok, (trial, report.problems)
            stored = {item.id: item for item in vault.items()}
            for item_id, sha in committed.items():
                assert stored[item_id].sha256 == sha, (trial, item_id)
                digest = hashlib.sha256()
                for chunk in vault.content(item_id):
                    digest.update(chunk)
                assert digest.hexdigest() == sha
            # Items that were being added when the process died are either whole or absent.
            for item in stored.values():
                committed.setdefault(item.id, item.sha256 or "")
    assert kills_mid_add == TRIALS and len(committed) > min(TRIALS, ROUND)  # real work was done


NOTES = r"""
import sys
from pathlib import Path
from evidence_kit.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    n += 1
    with vault.transaction() as writer:
        writer.add_note(1, f"seen again, time {n}")
        writer.add_note(1, f"and again, time {n}")
"""

STOPPED_IN_ANCHOR = r"""
import os, sys, time
from pathlib import Path
from evidence_kit import fsutil
from evidence_kit.vault import Vault
real_replace = os.replace

def slow_replace(src, dst):  # the anchor's new bytes are on disk, not yet renamed into place
    if Path(dst).name == "anchor":
        print("in the anchor update", flush=True)
        time.sleep(60)
    real_replace(src, dst)

vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
fsutil.os.replace = slow_replace
with vault.transaction() as writer:
    writer.add_note(1, "the last act before the power went")
"""


def _one_item(vault_dir: Path, tmp_path: Path) -> None:
    from evidence_kit.vault.files import add_file

    (tmp_path / "first.txt").write_text("the first thing they sent")
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        add_file(vault, tmp_path / "first.txt")


def test_killed_during_the_anchor_update_opens_one_step_ahead(
    vault_dir: Path, tmp_path: Path
) -> None:
    _one_item(vault_dir, tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", STOPPED_IN_ANCHOR, str(vault_dir), PASSPHRASE],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "in the anchor update"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert vault.anchor_state == "ahead"  # the commit stands; the anchor is caught up
        assert vault.item(1).notes[-1].text == "the last act before the power went"
        assert check_vault(vault).ok
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert vault.anchor_state == "same"


def test_killed_at_random_between_small_acts_always_opens(vault_dir: Path, tmp_path: Path) -> None:
    _one_item(vault_dir, tmp_path)
    rng = random.Random(20261201)
    states: list[str] = []
    for _ in range(TRIALS):
        proc = subprocess.Popen(
            [sys.executable, "-c", NOTES, str(vault_dir), PASSPHRASE],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.2))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with Vault.open(vault_dir, PASSPHRASE) as vault:
            states.append(vault.anchor_state)
            notes = vault.item(1).notes
            assert len(notes) % 2 == 0  # an act is whole or absent: its two notes go together
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert check_vault(vault).ok
    assert set(states) <= {"same", "ahead"}


BACKUPS = r"""
import sys
from pathlib import Path
from evidence_kit.vault import Vault
from evidence_kit.vault.backup import backup
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
while True:
    made = backup(vault, Path(sys.argv[3]))
    print(f"done {made.folder}", flush=True)
"""


def test_killed_backup_leaves_the_vault_whole_and_every_finished_copy_good(
    vault_dir: Path, tmp_path: Path
) -> None:
    from evidence_kit.vault.files import add_file

    (tmp_path / "video.mp4").write_bytes(os.urandom(12 * 1024 * 1024))
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        add_file(vault, tmp_path / "video.mp4", case="Work")
    usb = tmp_path / "usb"
    rng = random.Random(7)
    for _ in range(max(4, TRIALS // 4)):
        proc = subprocess.Popen(
            [sys.executable, "-c", BACKUPS, str(vault_dir), PASSPHRASE, str(usb)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.8))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(1.0)  # backup folders are named by the second
        with Vault.open(vault_dir, PASSPHRASE) as vault:
            assert check_vault(vault).ok
    finished = [p for p in usb.iterdir() if not p.name.startswith(".")] if usb.exists() else []
    for copy in finished:  # a folder under its final name is a whole, checked copy
        with Vault.open(copy, PASSPHRASE) as opened:
            assert check_vault(opened).ok and len(opened.items()) == 1
    leftovers = [p for p in usb.iterdir() if p.name.startswith(".")] if usb.exists() else []
    assert all(p.name.endswith(".partial") for p in leftovers)
    print(f"{len(finished)} finished copies, {len(leftovers)} killed part-way")


STOPPED_IN_COPY = r"""
import sys, time
from pathlib import Path
from evidence_kit.vault import Vault
from evidence_kit.vault.backup import backup
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])

def progress(done, total):
    if done:  # pages are being copied: the copy is half made
        print("copying", flush=True)
        time.sleep(60)

backup(vault, Path(sys.argv[3]), progress=progress)
"""


def test_killed_in_the_middle_of_the_copy(vault_dir: Path, tmp_path: Path) -> None:
    from evidence_kit.vault.files import add_file

    (tmp_path / "video.mp4").write_bytes(os.urandom(8 * 1024 * 1024))
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        add_file(vault, tmp_path / "video.mp4")
        events = len(vault.custody_events())
    usb = tmp_path / "usb"
    proc = subprocess.Popen(
        [sys.executable, "-c", STOPPED_IN_COPY, str(vault_dir), PASSPHRASE, str(usb)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "copying"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    [left] = list(usb.iterdir())
    assert left.name.startswith(".evidence-kit-backup-") and left.name.endswith(".partial")
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert check_vault(vault).ok and len(vault.custody_events()) == events  # nothing recorded
        made = backup(vault, usb)  # the next backup works beside the leftover
    with Vault.open(made.folder, PASSPHRASE) as copy:
        assert check_vault(copy).ok
