"""The database itself refuses UPDATE and DELETE on evidence, content and custody (raw SQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from evidence_kit.vault import Vault
from evidence_kit.vault.files import add_file

TABLES = {
    "items": "original_name = 'x'",
    "chunks": "data = x'00'",
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
