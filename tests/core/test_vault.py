"""The vault: create, open, add, extract, dedupe, notes, withdrawals, keys."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from evidence_kit.errors import (
    NotFound,
    NoVault,
    Refused,
    VaultExists,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryCode,
)
from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.vault.files import add_file
from evidence_kit.vault.keys import normalise_recovery_code
from tests.conftest import PASSPHRASE


def test_vault_folder_holds_database_keyslots_and_lock(vault: Vault) -> None:
    names = {p.name for p in vault.folder.iterdir()}
    assert {"evidence.db", "keyslots.json", ".lock"} <= names
    assert vault.conn.execute("PRAGMA journal_mode").fetchone()[0].upper() == "WAL"
    assert vault.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert vault.conn.execute("PRAGMA locking_mode").fetchone()[0].upper() == "EXCLUSIVE"
    assert vault.conn.execute("PRAGMA cipher_page_size").fetchone()[0] == "4096"
    assert not (vault.folder / "evidence.db-shm").exists()  # the log's index is in memory


def test_database_is_encrypted_with_a_raw_key(vault: Vault) -> None:
    header = (vault.folder / "evidence.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00"
    keyslots = (vault.folder / "keyslots.json").read_text()
    assert PASSPHRASE not in keyslots


def test_add_and_extract_gives_the_exact_bytes(vault: Vault, tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # spans several chunks
    source = tmp_path / "Threat screenshot (1).pdf"
    source.write_bytes(b"%PDF-1.7\n" + data)
    item = add_file(vault, source, case="Work", note="sent at 9pm")
    assert item.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert item.size == source.stat().st_size
    assert item.media_type == "application/pdf"
    assert item.original_name == "Threat screenshot (1).pdf"
    assert item.case == "Work"
    assert item.metadata["source"]["file_times"]["modified_utc"].endswith("Z")
    assert [n.text for n in item.notes] == ["sent at 9pm"]
    out = tmp_path / "out.bin"
    vault.extract(item.id, out)
    assert out.read_bytes() == source.read_bytes()


def test_identical_content_is_stored_once(vault: Vault, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"same bytes" * 1000)
    b.write_bytes(b"same bytes" * 1000)
    first, second = add_file(vault, a), add_file(vault, b)
    assert first.sha256 == second.sha256 and first.id != second.id
    assert vault.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    assert vault.conn.execute("SELECT count(*) FROM blob_files").fetchone()[0] == 1
    assert len(list((vault.folder / "content").iterdir())) == 1  # the second file was removed


def test_empty_file_is_kept(vault: Vault, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    item = add_file(vault, empty)
    assert item.size == 0 and item.sha256 == hashlib.sha256(b"").hexdigest()
    assert b"".join(vault.content(item.id)) == b""


def test_notes_are_added_never_overwritten(vault: Vault, tmp_path: Path) -> None:
    (tmp_path / "x").write_bytes(b"x")
    item = add_file(vault, tmp_path / "x", note="first")
    with vault.transaction() as writer:
        writer.add_note(item.id, "second")
    assert [n.text for n in vault.item(item.id).notes] == ["first", "second"]


def test_withdrawal_hides_the_item_but_keeps_its_bytes(vault: Vault, tmp_path: Path) -> None:
    (tmp_path / "x").write_bytes(b"keep me")
    item = add_file(vault, tmp_path / "x")
    with vault.transaction() as writer:
        writer.withdraw(item.id, "duplicate of item 2")
    assert vault.items(include_withdrawn=False) == []
    withdrawn = vault.item(item.id)
    assert withdrawn.withdrawal is not None and withdrawn.withdrawal.reason == "duplicate of item 2"
    assert b"".join(vault.content(item.id)) == b"keep me"
    with pytest.raises(Refused), vault.transaction() as writer:
        writer.withdraw(item.id, "again")


def test_wrong_passphrase_and_no_vault(vault_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, "not the passphrase")
    with pytest.raises(NoVault):
        Vault.open(tmp_path / "nothing", PASSPHRASE)


def test_create_refuses_existing_vault_and_weak_passphrase(vault_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, PASSPHRASE, kdf=TEST_KDF)
    with pytest.raises(WeakPassphrase):
        Vault.create(tmp_path / "new", "short", kdf=TEST_KDF)
    assert not (tmp_path / "new").exists()


def test_recovery_code_opens_and_resets_the_passphrase(vault_dir: Path, recovery_code: str) -> None:
    typed = recovery_code.lower().replace("-", " ")
    with Vault.open_with_recovery_code(vault_dir, typed) as vault:
        vault.change_passphrase("a brand new passphrase", with_recovery_code=True)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, PASSPHRASE)
    with Vault.open(vault_dir, "a brand new passphrase") as vault:
        assert vault.custody_events()[-1].action == "passphrase reset with recovery code"
    with pytest.raises(WrongRecoveryCode):
        Vault.open_with_recovery_code(vault_dir, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")


def test_recovery_code_tolerates_look_alike_letters() -> None:
    assert normalise_recovery_code("0o1il-abcde") == "00111-ABCDE"


def test_passphrase_change_rewraps_the_same_database_key(vault_dir: Path) -> None:
    from evidence_kit.vault.keys import KeySlots

    slots = vault_dir / "keyslots.json"
    key_before = KeySlots.load(slots).unwrap("passphrase", PASSPHRASE)
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        vault.change_passphrase("another long passphrase")
    key_after = KeySlots.load(slots).unwrap("passphrase", "another long passphrase")
    assert key_after == key_before  # evidence.db keeps its key: nothing is re-encrypted
    with pytest.raises(WrongPassphrase):
        KeySlots.load(slots).unwrap("passphrase", PASSPHRASE)
    with Vault.open(vault_dir, "another long passphrase") as vault:
        assert vault.custody_events()[-1].action == "passphrase changed"


def test_seal_key_fingerprint_matches_ssh_keygen(vault: Vault, tmp_path: Path) -> None:
    from evidence_kit.vault.sealkey import openssh_public_line

    pub = tmp_path / "seal.pub"
    pub.write_text(openssh_public_line(vault.seal_public_key) + " evidence-seal\n")
    printed = subprocess.run(
        ["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True, check=True
    ).stdout
    assert printed.split()[1] == vault.fingerprint
    assert vault.fingerprint.startswith("SHA256:")


def test_derived_item_names_its_parent(vault: Vault) -> None:
    with vault.transaction() as writer:
        sha, size = writer.put([b"full frame"])
        parent = writer.add_item(ItemKind.SCREENSHOT, sha256=sha, size=size)
        sha2, size2 = writer.put([b"crop"])
        child = writer.add_item(ItemKind.DERIVED, sha256=sha2, size=size2, parent_id=parent.id)
    assert child.parent_id == parent.id
    assert [c.id for c in vault.children(parent.id)] == [child.id]


COUNTS = (
    "SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM custody), "
    "(SELECT count(*) FROM blobs), (SELECT count(*) FROM blob_files)"
)


def _content_files(vault: Vault) -> list[str]:
    folder = vault.folder / "content"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_failed_act_leaves_nothing_behind(vault: Vault) -> None:
    with vault.transaction() as writer:
        writer.put([b"already here"])  # the content folder exists and holds one file
    before = vault.conn.execute(COUNTS).fetchone(), _content_files(vault)

    def blocks():
        yield b"part one"
        raise OSError(5, "Input/output error")

    with pytest.raises(Exception), vault.transaction() as writer:  # noqa: B017
        sha, size = writer.put(blocks())
        writer.add_item(ItemKind.FILE, sha256=sha, size=size)
    assert (vault.conn.execute(COUNTS).fetchone(), _content_files(vault)) == before


def test_an_act_that_fails_after_its_bytes_were_written_removes_their_file(vault: Vault) -> None:
    """The bytes are in a durable file before the act commits; the act rolls back: no row names
    the file, so it is removed at once, and the vault is as it was."""
    before = vault.conn.execute(COUNTS).fetchone(), _content_files(vault)
    with pytest.raises(NotFound), vault.transaction() as writer:
        sha, size = writer.put([b"stored, then the act fails"])
        assert len(_content_files(vault)) == len(before[1]) + 1
        writer.add_item(ItemKind.DERIVED, sha256=sha, size=size, parent_id=999)
    assert (vault.conn.execute(COUNTS).fetchone(), _content_files(vault)) == before


def test_search_finds_text_senders_subjects_notes_and_places(vault: Vault) -> None:
    with vault.transaction() as writer:
        sha, size = writer.put([b"export"])
        item = writer.add_item(
            ItemKind.IMPORT,
            sha256=sha,
            size=size,
            metadata={"place": {"url": "https://example.social/p/123"}},
        )
        writer.add_messages(
            item.id,
            [
                {
                    "idx": 0,
                    "conversation": "Re: rota",
                    "sender": "Dana Reed",
                    "text": "you are useless",
                },
                {
                    "idx": 1,
                    "conversation": "Re: rota",
                    "sender": "Dana Reed",
                    "text": "nobody likes you",
                },
            ],
        )
        writer.add_note(item.id, "shown to my line manager")
    assert {hit["kind"] for hit in vault.search("rota")} == {"message"}
    assert len(vault.search("Dana")) == 2
    assert vault.search("useles")[0]["ref_id"] != vault.search("nobody")[0]["ref_id"]
    assert vault.search("line manager")[0]["kind"] == "note"
    assert vault.search("example.social")[0]["kind"] == "place"
    assert vault.search("   ") == []
