"""A vault made at schema v1 is upgraded when a newer program opens it, with nothing lost."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.vault import TEST_KDF, Vault, schema
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file
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
        item = add_file(old, source, case="Neighbour", note="posted on the group page")
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.schema_version == schema.LATEST
        upgraded = vault.item(item.id)
        assert (
            upgraded.sha256 == item.sha256 and upgraded.notes[0].text == "posted on the group page"
        )
        assert b"".join(vault.content(item.id)) == source.read_bytes()
        upgraded_event, baseline, queued = vault.custody_events()[-3:]
        # What the old vault held waits for a time-stamp like anything new.
        assert queued.action == "time-stamp queued" and queued.details["hashes"] == 1
        assert upgraded_event.action == "vault upgraded"
        assert upgraded_event.details["from_schema"] == 1
        # One event lists the hash of every row the old vault held (none carried its own).
        assert baseline.action == "row hashes recorded"
        assert set(baseline.details["rows"]["items"]) == {str(item.id)}
        assert len(baseline.details["rows"]["notes"]) == 1
        # v3: the case made under v1 is a case now, with the item in it
        assert [(c.name, c.item_count) for c in vault.cases()] == [("Neighbour", 1)]
        assert upgraded.case == "Neighbour" and vault.item_ids("neighbour") == [item.id]
        # What v2 adds works on the old content: search finds the note written under v1.
        assert [hit["item_id"] for hit in vault.search("group page")] == [item.id]
        assert check_vault(vault).ok
    with Vault.open(folder, PASSPHRASE) as vault:  # a second open does not upgrade again
        assert [e.action for e in vault.custody_events()].count("vault upgraded") == 1
