"""An export leaves nothing readable behind, and never a bundle the vault did not record.

Killed with SIGKILL while it writes, the export leaves an owner-only partial that the next unlock
removes, and no event. Killed between the vault's commit and the final rename (by injection), it
leaves the recorded event and no finished bundle; the next unlock removes the partial.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.errors import Cancelled
from evidence_kit.vault import Vault, pending
from evidence_kit.vault.check import check_vault
from tests.bundle.conftest import CASE, populate
from tests.conftest import PASSPHRASE

CHILD = """
import os, signal, sys, time
from pathlib import Path
from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.vault import Vault

vault = Vault.open(Path(sys.argv[1]), sys.argv[3])
where = sys.argv[4]

def progress(done, total):
    if where == "writing" and done:
        print("WRITING", flush=True)
        time.sleep(60)

def before_rename():
    if where == "after-commit":
        os.kill(os.getpid(), signal.SIGKILL)

export_bundle(vault, Options(audience="police", case=%r), Path(sys.argv[2]), progress=progress,
              _before_rename=before_rename)
print("DONE", flush=True)
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def folder(vault: Vault) -> Path:
    populate(vault)
    where = vault.folder
    vault.close()
    return where


def exports(vault: Vault) -> list[str]:
    return [e.subject or "" for e in vault.custody_events() if e.action == "bundle exported"]


def run_child(folder: Path, out: Path, where: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD % CASE, str(folder), str(out), PASSPHRASE, where],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_bundle_and_its_partial_are_owner_only(vault: Vault, tmp_path: Path) -> None:
    populate(vault)
    out = tmp_path / "out"
    seen: list[int] = []

    def progress(done: int, total: int | None) -> None:
        partials = list(out.glob(".EVB-*.zip.partial"))
        if partials and not seen:
            seen.append(mode(partials[0]))

    result = export_bundle(vault, Options(audience="police", case=CASE), out, progress=progress)
    assert seen == [0o600]
    assert mode(result.zip_path) == 0o600 and mode(result.sha256_path) == 0o600
    assert not list(out.glob(".*partial")) and not (vault.folder / pending.NAME).exists()


def test_a_cancelled_export_leaves_nothing(vault: Vault, tmp_path: Path) -> None:
    populate(vault)
    out = tmp_path / "out"
    calls = [0]

    def cancel() -> bool:
        calls[0] += 1
        return calls[0] > 3

    before = len(vault.custody_events())
    with pytest.raises(Cancelled):
        export_bundle(vault, Options(audience="police", case=CASE), out, cancel=cancel)
    assert list(out.iterdir()) == []
    assert len(vault.custody_events()) == before
    assert not (vault.folder / pending.NAME).exists()


def test_sigkill_while_writing_leaves_no_readable_partial_after_the_next_unlock(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    child = run_child(folder, out, "writing")
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "WRITING"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    (partial,) = out.glob(".EVB-*.zip.partial")
    assert mode(partial) == 0o600  # even before it is removed, no one else can read it
    with Vault.open(folder, PASSPHRASE) as vault:  # the next unlock
        assert not partial.exists()
        assert list(out.iterdir()) == []
        assert exports(vault) == []  # the kill came before the commit: nothing recorded
        assert check_vault(vault).ok


def test_a_kill_between_commit_and_rename_leaves_no_unrecorded_bundle(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    child = run_child(folder, out, "after-commit")
    child.wait(timeout=120)
    assert child.returncode == -signal.SIGKILL
    assert not list(out.glob("EVB-*.zip"))  # no finished bundle…
    leftovers = list(out.glob(".EVB-*"))
    assert leftovers and all(mode(p) == 0o600 for p in leftovers)
    with Vault.open(folder, PASSPHRASE) as vault:
        (subject,) = exports(vault)  # …and the export it would have been is on the chain
        assert not any(p.exists() for p in leftovers)
        assert check_vault(vault).ok
        # The next export continues the same chain: nothing forks.
        again = export_bundle(vault, Options(audience="police", case=CASE), out)
        assert exports(vault) == [subject, f"bundle:{again.bundle_id}"]
