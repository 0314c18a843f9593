"""The anchor: written after every commit; one transaction ahead tolerated, anything else refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evidence_kit.errors import RolledBack
from evidence_kit.vault import Vault, anchor
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file
from tests.conftest import PASSPHRASE


def add(vault: Vault, tmp_path: Path, name: str, **kwargs) -> int:  # type: ignore[no-untyped-def]
    source = tmp_path / name
    source.write_bytes(name.encode() * 100)
    return add_file(vault, source, **kwargs).id


def anchored(folder: Path) -> tuple[int, str]:
    data = json.loads((folder / "anchor").read_text())
    return data["count"], data["head"]


def test_every_commit_moves_the_anchor(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    assert anchored(vault_dir) == (vault.head().count, vault.head().hash)
    add(vault, tmp_path, "a.txt", case="Work", note="first")
    head = vault.head()
    # vault created, case created, file added, note added, time-stamp queued
    assert head.count == 5 and anchored(vault_dir) == (head.count, head.hash)
    with vault.transaction() as writer:
        writer.add_note(1, "second")
    assert anchored(vault_dir)[0] == 6


def test_one_transaction_ahead_is_tolerated_and_repaired(
    vault: Vault, vault_dir: Path, tmp_path: Path
) -> None:
    before = (vault_dir / "anchor").read_bytes()
    add(vault, tmp_path, "a.txt", case="Work", note="three events in one act")
    vault.close()
    (vault_dir / "anchor").write_bytes(before)  # as if the program died between commit and anchor
    with Vault.open(vault_dir, PASSPHRASE) as again:
        assert again.anchor_state == "ahead"
        assert anchored(vault_dir) == (again.head().count, again.head().hash)
        assert check_vault(again).ok


def test_two_transactions_ahead_is_refused(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    before = (vault_dir / "anchor").read_bytes()
    add(vault, tmp_path, "a.txt")
    add(vault, tmp_path, "b.txt")
    vault.close()
    (vault_dir / "anchor").write_bytes(before)  # an older anchor put back
    with pytest.raises(RolledBack, match="older than its database by more than one step"):
        Vault.open(vault_dir, PASSPHRASE)
    with Vault.open_for_check(vault_dir, PASSPHRASE) as looked:  # check says it, writes nothing
        report = check_vault(looked)
        assert not report.ok and report.problems[0].where == "anchor"
    assert (vault_dir / "anchor").read_bytes() == before


def test_a_database_behind_its_anchor_is_refused(
    vault: Vault, vault_dir: Path, tmp_path: Path
) -> None:
    add(vault, tmp_path, "a.txt")
    vault.close()
    old = tmp_path / "old"
    shutil.copytree(vault_dir, old)
    with Vault.open(vault_dir, PASSPHRASE) as again:
        add(again, tmp_path, "b.txt")
    shutil.copy2(old / "evidence.db", vault_dir / "evidence.db")
    with pytest.raises(RolledBack, match="older than its last recorded state"):
        Vault.open(vault_dir, PASSPHRASE)


def test_a_diverged_chain_of_the_same_length_is_refused(
    vault: Vault, vault_dir: Path, tmp_path: Path
) -> None:
    vault.close()
    fork = tmp_path / "fork"
    shutil.copytree(vault_dir, fork)
    with Vault.open(vault_dir, PASSPHRASE) as one:
        add(one, tmp_path, "mine.txt")
    with Vault.open(fork, PASSPHRASE) as other:
        add(other, tmp_path, "theirs.txt")
    shutil.copy2(fork / "evidence.db", vault_dir / "evidence.db")  # same count, other history
    with pytest.raises(RolledBack, match="not the one its anchor recorded"):
        Vault.open(vault_dir, PASSPHRASE)


def test_a_failed_anchor_write_is_retried_before_the_next_act(
    vault: Vault, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = anchor.write
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(anchor, "write", flaky)
    add(vault, tmp_path, "a.txt")  # saved; the anchor is one transaction behind
    assert anchored(vault_dir)[0] == 1
    add(vault, tmp_path, "b.txt")  # the anchor is caught up first, then moves again
    assert anchored(vault_dir) == (vault.head().count, vault.head().hash)
    vault.close()
    with Vault.open(vault_dir, PASSPHRASE) as again:
        assert again.anchor_state == "same"


def test_an_anchor_that_cannot_be_caught_up_stops_new_acts(
    vault: Vault, vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(anchor, "write", broken)
    add(vault, tmp_path, "a.txt")
    count = vault.head().count
    with pytest.raises(Exception, match="anchor file"):
        add(vault, tmp_path, "b.txt")
    assert vault.head().count == count  # the database never gets two acts ahead
