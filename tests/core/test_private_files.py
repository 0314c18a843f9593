"""Owner-only: the vault folder 0700, every file in it 0600 (SQLCipher's journal too), extracted
copies 0600 — whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.vault.files import add_file
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_vault_is_owner_only_even_with_a_loose_umask(tmp_path: Path) -> None:
    old = os.umask(0)  # the worst case: everything would be 0666/0777
    try:
        created = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=TEST_KDF)
        with created.vault as vault:
            (tmp_path / "a.txt").write_text("evidence")
            add_file(vault, tmp_path / "a.txt")  # a write: SQLCipher makes its log
            vault.extract(1, tmp_path / "copy.txt")
            assert mode(vault.folder / "evidence.db-wal") == 0o600
    finally:
        os.umask(old)
    folder = tmp_path / "vault"
    assert mode(folder) == 0o700
    names = sorted(p.name for p in folder.iterdir())
    # the log is folded into the database when the vault closes
    assert names == [".lock", "anchor", "content", "evidence.db", "keyslots.json"]
    files = [name for name in names if name != "content"]
    assert {name: mode(folder / name) for name in files} == dict.fromkeys(files, 0o600)
    assert mode(folder / "content") == 0o700
    sealed = list((folder / "content").iterdir())
    assert len(sealed) == 1 and mode(sealed[0]) == 0o600
    assert mode(tmp_path / "copy.txt") == 0o600
