"""Someone with the key and raw SQL (or a damaged disk) changes the vault behind the program's
back: each append-only trigger dropped, each kind of row edited without touching a hash, an item
deleted with its bytes. `check` names each problem, and export refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.errors import ExportError
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault, schema
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file
from evidence_kit.vault.sealkey import new_private_key
from tests.cli.test_vault_errors import run_cli

TRIGGERS = sorted(
    name for name, (kind, _) in schema.expected_objects().items() if kind == "trigger"
)


@pytest.fixture
def filled(vault: Vault, tmp_path: Path) -> Vault:
    (tmp_path / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (tmp_path / "letter.pdf").write_bytes(b"%PDF-1.4 you will regret it\n")
    first = add_file(vault, tmp_path / "screenshot.png", case="Work", note="posted at 21:04")
    add_file(vault, tmp_path / "letter.pdf", case="Work")
    with vault.transaction() as writer:
        sha, size = writer.put([b"12/03/2026, 21:04 - Alex: everyone saw it\n"])
        chat = writer.add_item(
            ItemKind.IMPORT, sha256=sha, size=size, original_name="chat.txt", case="Work"
        )
        writer.add_messages(chat.id, [
            {"idx": 0, "sender": "Alex", "text": "everyone saw it", "sent_at_utc": "2026-03-12T21:04:00Z"},
            {"idx": 1, "sender": "Me", "text": "please stop", "sent_at_utc": "2026-03-12T21:05:00Z"},
        ])  # fmt: skip
        writer.record_import(chat.id, "whatsapp", "Europe/London", {"message_count": 2})
        writer.withdraw(first.id, "a duplicate of item 2")
    assert check_vault(vault).ok
    return vault


def problems(vault: Vault) -> list[str]:
    report = check_vault(vault)
    assert not report.ok
    return [f"{p.where}: {p.what}" for p in report.problems]


def assert_export_refused(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="failed its integrity check"):
        export_bundle(vault, Options(audience="rep", case="Work"), tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def untriggered(vault: Vault) -> None:
    for name in TRIGGERS:
        vault.conn.execute(f"DROP TRIGGER IF EXISTS {name}")


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_each_dropped_trigger_is_named(filled: Vault, trigger: str, tmp_path: Path) -> None:
    filled.conn.execute(f"DROP TRIGGER {trigger}")
    found = problems(filled)
    assert found == [
        f"trigger {trigger}: is missing: the database no longer refuses that change to evidence"
    ]
    assert_export_refused(filled, tmp_path)


def test_a_trigger_rewritten_to_do_nothing_is_named(filled: Vault) -> None:
    filled.conn.execute("DROP TRIGGER notes_no_update")
    filled.conn.execute("CREATE TRIGGER notes_no_update BEFORE UPDATE ON notes BEGIN SELECT 1; END")
    assert problems(filled) == [
        "trigger notes_no_update: is not as Evidence Kit defines it: it was changed"
    ]


def test_an_added_trigger_is_named(filled: Vault) -> None:
    filled.conn.execute(
        "CREATE TRIGGER quietly AFTER INSERT ON notes BEGIN DELETE FROM search_index; END"
    )
    assert problems(filled) == [
        "trigger quietly: is not part of Evidence Kit's schema: it was added"
    ]


EDITS = {
    "item name": ("UPDATE items SET original_name = 'holiday.png' WHERE id = 1", "item 1: was changed after it was recorded"),
    "item metadata": ("UPDATE items SET metadata = '{}' WHERE id = 2", "item 2: was changed after it was recorded"),
    "item case": ("UPDATE items SET case_id = NULL WHERE id = 2", "item 2: was changed after it was recorded"),
    "note": ("UPDATE notes SET text = 'posted at 23:04' WHERE id = 1", "note 1 of item 1: was changed after it was recorded"),
    "withdrawal": ("UPDATE withdrawals SET reason = 'not relevant' WHERE item_id = 1", "the withdrawal of item 1: was changed after it was recorded"),
    "case": ("UPDATE cases SET name = 'Home' WHERE id = 1", "case 1: was changed after it was recorded"),
    "import summary": ("UPDATE imports SET summary = '{\"message_count\": 1}' WHERE item_id = 3", "the import record of item 3: was changed after it was recorded"),
    "message text": ("UPDATE messages SET text = 'see you tomorrow' WHERE idx = 0", "the parsed messages of item 3: were changed after they were stored"),
    "message sender": ("UPDATE messages SET sender = 'Me' WHERE idx = 0", "the parsed messages of item 3: were changed after they were stored"),
    "message deleted": ("DELETE FROM messages WHERE idx = 1", "the parsed messages of item 3: were changed after they were stored: they no longer hash to the recorded messages_sha256 (1 stored, 2 recorded)"),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_each_kind_of_row_edited_is_named(filled: Vault, kind: str, tmp_path: Path) -> None:
    statement, expected = EDITS[kind]
    untriggered(filled)
    filled.conn.execute(statement)
    found = [p for p in problems(filled) if not p.startswith("trigger ")]
    assert len(found) == 1 and found[0].startswith(expected), found
    assert_export_refused(filled, tmp_path)


def test_a_swapped_seal_key_is_named(filled: Vault) -> None:
    untriggered(filled)
    private, public = new_private_key()
    filled.conn.execute("UPDATE seal_key SET private_key = ?, public_key = ?", (private, public))
    found = [p for p in problems(filled) if not p.startswith("trigger ")]
    assert found == ["seal key: is not the one the vault was created with (custody event 1)"]


def test_an_item_deleted_with_its_bytes_is_named(filled: Vault, tmp_path: Path) -> None:
    untriggered(filled)
    sha = filled.item(2).sha256
    filled.conn.execute("DELETE FROM items WHERE id = 2")
    blob = "(SELECT id FROM blobs WHERE sha256 = ?)"
    name = filled.conn.execute(f"SELECT name FROM blob_files WHERE blob_id = {blob}", (sha,))
    (filled.folder / "content" / name.fetchone()[0]).unlink()
    filled.conn.execute(f"DELETE FROM blob_files WHERE blob_id = {blob}", (sha,))
    filled.conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha,))
    found = [p for p in problems(filled) if not p.startswith("trigger ")]
    assert found == [
        "custody event 6 (file added, item:2): made a record that is no longer in the vault"
    ]
    assert_export_refused(filled, tmp_path)


def test_a_row_slipped_in_is_named(filled: Vault) -> None:
    untriggered(filled)
    filled.conn.execute(
        "INSERT INTO notes (id, item_id, text, added_at, custody_seq) VALUES "
        "(9, 2, 'I made it up', '2026-01-01T00:00:00Z', 6)"
    )
    found = [p for p in problems(filled) if not p.startswith("trigger ")]
    assert found == [
        "note 9 of item 2: points to custody event 6 (file added, item:2), which made item 2"
    ]


def test_the_command_line_check_names_it_and_exits_3(filled: Vault, vault_dir: Path) -> None:
    untriggered(filled)
    filled.conn.execute("UPDATE notes SET text = 'posted at 23:04'")
    filled.close()
    result = run_cli(vault_dir, "check")
    assert result.returncode == 3
    assert (
        "FAIL  schema and triggers" in result.stdout
        and "FAIL  records and custody" in result.stdout
    )
    assert "trigger notes_no_update: is missing" in result.stdout
    assert "note 1 of item 1: was changed after it was recorded" in result.stdout
    exported = run_cli(
        vault_dir,
        "export",
        "--case",
        "Work",
        "--audience",
        "rep",
        "--out",
        str(vault_dir.parent / "out"),
    )
    assert exported.returncode not in (0, 70) and "failed its integrity check" in exported.stderr
