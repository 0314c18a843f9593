"""SIGKILL a writer at random moments: the vault always opens, checks out, and keeps every
`add` that had returned. `make torture` runs 200 trials; the normal suite 20."""

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
