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


def test_a_holder_that_has_not_written_yet_is_still_named(vault_dir: Path) -> None:
    """The holder takes the OS lock a moment before it writes who it is: the second program
    waits for the line instead of saying "another Evidence Kit" with no name."""
    import fcntl
    import threading
    import time

    fd = os.open(vault_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.ftruncate(fd, 0)

    def write_late() -> None:
        time.sleep(0.3)
        os.write(fd, b' {"pid": 4242, "holder": "the Evidence Kit window", "since": "09:15"}\n')

    late = threading.Thread(target=write_late)
    late.start()
    try:
        with pytest.raises(VaultInUse) as caught:
            Vault.open(vault_dir, PASSPHRASE)
    finally:
        late.join()
        os.close(fd)
    assert caught.value.message == (
        "The vault is open in another Evidence Kit: the Evidence Kit window (pid 4242, since 09:15)."
    )
