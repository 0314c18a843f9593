"""One writer at a time; a lock left by a dead process is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_kit.errors import VaultInUse
from evidence_kit.vault import Vault
from tests.conftest import PASSPHRASE

HOLDER = """
import sys, time
from evidence_kit.vault import Vault
vault = Vault.open(sys.argv[1], sys.argv[2])
print("open", flush=True)
time.sleep(60)
"""


def start_holder(vault_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(vault_dir), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    return proc


def test_second_writer_is_told_who_has_the_vault(vault_dir: Path) -> None:
    holder = start_holder(vault_dir)
    try:
        with pytest.raises(VaultInUse) as caught:
            Vault.open(vault_dir, PASSPHRASE)
        assert caught.value.message.startswith(
            f"The vault is open in another Evidence Kit (pid {holder.pid}, since "
        )
    finally:
        holder.kill()
        holder.wait()


def test_stale_lock_of_a_dead_process_is_taken_over(vault_dir: Path) -> None:
    holder = start_holder(vault_dir)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert str(holder.pid) in (vault_dir / ".lock").read_text()
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert vault.items() == []
    assert str(os.getpid()) in (vault_dir / ".lock").read_text()


def test_same_process_cannot_open_twice(vault: Vault) -> None:
    with pytest.raises(VaultInUse):
        Vault.open(vault.folder, PASSPHRASE)
