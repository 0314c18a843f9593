"""A vault made before row hashes, anchors and owner-only files: opened by this version, it gets
one "row hashes recorded" event, an anchor, a key file naming its database, and 0600/0700."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file
from tests.conftest import PASSPHRASE
from tests.support.old_vault import SETTINGS_BEFORE_CONTENT_FILES, made_with


@pytest.fixture
def old(tmp_path: Path) -> Path:
    folder = tmp_path / "old"
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(3000))
    with made_with(SETTINGS_BEFORE_CONTENT_FILES):
        created = Vault.create(folder, PASSPHRASE, owner="Ana Ruiz", kdf=TEST_KDF, schema_version=2)
    with created.vault as vault:
        item = add_file(vault, tmp_path / "photo.jpg", case="Neighbour", note="left on the door")
        with vault.transaction() as writer:
            sha, size = writer.put([b"chat export"])
            chat = writer.add_item(ItemKind.IMPORT, sha256=sha, size=size, original_name="chat.txt")
            writer.add_messages(
                chat.id, [{"idx": 0, "sender": "Kim", "text": "I know where you live"}]
            )
            writer.record_import(chat.id, "whatsapp", "Europe/Madrid", {"message_count": 1})
            writer.withdraw(item.id, "a blurry copy")
        assert "record_sha256" not in vault.custody_events()[-2].details  # as an old version wrote
        vault.conn.execute("DELETE FROM meta WHERE key = 'anchor_base'")  # nor noted an anchor
    # What an older Evidence Kit left: no anchor, a key file without the database's identity,
    # world-readable files in a folder anyone could list.
    (folder / "anchor").unlink()
    slots = json.loads((folder / "keyslots.json").read_text())
    del slots["database_salt"], slots["anchor"]
    (folder / "keyslots.json").write_text(json.dumps(slots))
    for path in folder.iterdir():
        path.chmod(0o644)
    folder.chmod(0o755)
    return folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_upgrade_records_the_hash_of_every_row_once(old: Path) -> None:
    with Vault.open(old, PASSPHRASE) as vault:
        actions = [e.action for e in vault.custody_events()]
        assert actions.count("row hashes recorded") == 1 and actions[-3:] == [
            "vault upgraded",
            "row hashes recorded",
            "time-stamp queued",
        ]
        listed = vault.custody_events()[-2].details
        assert set(listed["rows"]) == {"items", "notes", "withdrawals", "cases"}
        assert set(listed["rows"]["items"]) == {"1", "2"}
        assert listed["imports"]["2"]["message_count"] == 1
        assert check_vault(vault).ok
        assert vault.anchor_state == "new"
    slots = json.loads((old / "keyslots.json").read_text())
    assert slots["anchor"] is True and len(slots["database_salt"]) == 32
    with Vault.open(old, PASSPHRASE) as vault:  # the second open checks the anchor it wrote
        assert vault.anchor_state == "same"
        assert [e.action for e in vault.custody_events()].count("row hashes recorded") == 1


def test_old_rows_edited_after_the_upgrade_are_named(old: Path) -> None:
    with Vault.open(old, PASSPHRASE) as vault:
        vault.conn.execute("DROP TRIGGER notes_no_update")
        vault.conn.execute("DROP TRIGGER messages_no_update")
        vault.conn.execute("UPDATE notes SET text = 'nothing happened'")
        vault.conn.execute("UPDATE messages SET text = 'see you'")
        found = {
            f"{p.where}: {p.what}"
            for p in check_vault(vault).problems
            if not p.where.startswith("trigger")
        }
    assert any(
        p.startswith("note 1 of item 1: was changed: it no longer matches the hash listed")
        for p in found
    )
    assert any(p.startswith("the parsed messages of item 2: were changed") for p in found)


def test_old_files_are_made_owner_only_on_open(old: Path) -> None:
    assert mode(old) == 0o755
    with Vault.open(old, PASSPHRASE):
        pass
    assert mode(old) == 0o700
    for name in ("evidence.db", "evidence.db-journal", "keyslots.json", "anchor", ".lock"):
        assert mode(old / name) == 0o600, name
