"""A vault made at schema v1 is upgraded when a newer program opens it, with nothing lost."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.vault import TEST_KDF, Vault, schema
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.vault import Vault as VaultType
from tests.conftest import PASSPHRASE


def test_v1_vault_is_upgraded(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    source = tmp_path / "evidence.txt"
    source.write_text("they said they know where I live")
    created = Vault.create(folder, PASSPHRASE, kdf=TEST_KDF, schema_version=1)
    with created.vault as old:
        assert old.schema_version == 1
        assert not old.conn.execute(
            "SELECT 1 FROM sqlite_schema WHERE name = 'messages'"
        ).fetchone()
        sha256 = write_as_v1(old, source)
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.schema_version == schema.LATEST
        upgraded = vault.item(1)
        assert upgraded.sha256 == sha256 and upgraded.notes[0].text == "posted on the group page"
        assert b"".join(vault.content(1)) == source.read_bytes()
        # v3: the case made under v1 is a case now, with the item in it
        assert [(c.name, c.item_count) for c in vault.cases()] == [("Neighbour", 1)]
        assert upgraded.case == "Neighbour" and vault.item_ids("neighbour") == [1]
        last = vault.custody_events()[-1]
        assert last.action == "vault upgraded" and last.details["from_schema"] == 1
        # What v2 adds works on the old content: search finds the note written under v1.
        assert [hit["item_id"] for hit in vault.search("group page")] == [1]
        assert check_vault(vault).ok
    with Vault.open(folder, PASSPHRASE) as vault:  # a second open does not upgrade again
        assert [e.action for e in vault.custody_events()].count("vault upgraded") == 1


def write_as_v1(vault: VaultType, source: Path) -> str:
    """A file in a case with a note, stored as a v1 program stored it (its own SQL)."""
    with vault.transaction() as writer:
        sha256, size = writer.put([source.read_bytes()])
        seq = writer.record("case created", "case:1", {"name": "Neighbour"})
        vault.conn.execute(
            "INSERT INTO cases VALUES (1, 'Neighbour', '2026-03-14T09:00:00.000000Z', ?)", (seq,)
        )
        seq = writer.record("file added", "item:1", {"sha256": sha256, "case": "Neighbour"})
        vault.conn.execute(
            "INSERT INTO items VALUES (1, 'u-1', 'file', 1, NULL, ?, ?, 'text/plain', "
            "'evidence.txt', '2026-03-14T09:00:01.000000Z', '{}', ?)",
            (sha256, size, seq),
        )
        seq = writer.record("note added", "item:1", {"note_id": 1})
        vault.conn.execute(
            "INSERT INTO notes VALUES (1, 1, 'posted on the group page', "
            "'2026-03-14T09:00:02.000000Z', ?)",
            (seq,),
        )
    return sha256
