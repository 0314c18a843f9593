"""The database itself refuses UPDATE and DELETE on evidence, content and custody (raw SQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from evidence_kit.vault import Vault
from evidence_kit.vault.files import add_file

TABLES = {
    "items": "original_name = 'x'",
    "blob_files": "name = 'another-file'",
    "blobs": "size = 1",
    "custody": "action = 'nothing happened'",
    "notes": "text = 'rewritten'",
    "withdrawals": "reason = 'changed'",
    "cases": "name = 'Other'",
    "seal_key": "public_key = x'00'",
    "messages": "text = 'rewritten'",
    "imports": "format = 'x'",
}


@pytest.fixture
def filled(vault: Vault, tmp_path: Path) -> Vault:
    (tmp_path / "f.txt").write_text("evidence")
    item = add_file(vault, tmp_path / "f.txt", case="Work", note="a note")
    with vault.transaction() as writer:
        writer.add_messages(item.id, [{"idx": 0, "sender": "A", "text": "hi", "text_raw": "hi"}])
        writer.record_import(item.id, "test", None, {"message_count": 1})
        writer.withdraw(item.id, "test")
    return vault


@pytest.mark.parametrize("table", sorted(TABLES))
def test_update_is_refused(filled: Vault, table: str) -> None:
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        filled.conn.execute(f"UPDATE {table} SET {TABLES[table]}")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_delete_is_refused(filled: Vault, table: str) -> None:
    assert filled.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        filled.conn.execute(f"DELETE FROM {table}")
    assert filled.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0


def test_chunk_rows_of_an_older_vault_are_refused_too(tmp_path: Path) -> None:
    """A vault made before content files (schema 5) keeps its bytes in `chunks`: still refused."""
    from evidence_kit.vault import TEST_KDF

    old = Vault.create(tmp_path / "old", "correct horse battery", kdf=TEST_KDF, schema_version=5)
    with old.vault as vault:
        (tmp_path / "f.txt").write_text("evidence")
        add_file(vault, tmp_path / "f.txt")
        assert vault.conn.execute("SELECT count(*) FROM chunks").fetchone()[0] == 1
        for statement in ("UPDATE chunks SET data = x'00'", "DELETE FROM chunks"):
            with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
                vault.conn.execute(statement)
