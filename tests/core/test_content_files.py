"""Evidence bytes in sealed files beside the database: what an accident or an attacker does to
them is found, named and refused; what a stopped save leaves is kept and reported, never read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_kit.errors import ExportError, VaultCorrupted
from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.content_files import NONCE, OVERHEAD
from evidence_kit.vault.files import add_file
from evidence_kit.vault.store import CHUNK
from tests.conftest import PASSPHRASE
from tests.support.old_vault import SETTINGS_BEFORE_CONTENT_FILES, made_with

SIZE = 2 * CHUNK + 12345  # three chunks, the last one short


@pytest.fixture
def two(vault: Vault, tmp_path: Path) -> tuple[Vault, dict[int, Path]]:
    """Two files added; their sealed files by item id."""
    paths = {}
    for n in (1, 2):
        source = tmp_path / f"recording-{n}.m4a"
        source.write_bytes(os.urandom(SIZE))
        item = add_file(vault, source)
        (name,) = vault.conn.execute(
            "SELECT f.name FROM blob_files f JOIN blobs b ON b.id = f.blob_id WHERE b.sha256 = ?",
            (item.sha256,),
        ).fetchone()
        paths[item.id] = vault.folder / "content" / name
    return vault, paths


def problems(vault: Vault) -> list[str]:
    return [f"{p.where}: {p.what}" for p in check_vault(vault).problems]


def read(vault: Vault, item_id: int) -> bytes:
    return b"".join(vault.content(item_id))


def test_the_bytes_come_back_exactly_and_no_plaintext_is_on_disk(
    two: tuple[Vault, dict[int, Path]], tmp_path: Path
) -> None:
    vault, paths = two
    original = (tmp_path / "recording-1.m4a").read_bytes()
    assert read(vault, 1) == original
    sealed = paths[1].read_bytes()
    assert len(sealed) == SIZE + 3 * OVERHEAD
    for start in (0, CHUNK, 2 * CHUNK, SIZE - 64):
        assert original[start : start + 64] not in sealed
    assert check_vault(vault).ok


def test_a_flipped_byte_is_named_and_the_content_refused(
    two: tuple[Vault, dict[int, Path]], tmp_path: Path
) -> None:
    vault, paths = two
    with open(paths[1], "r+b") as handle:
        handle.seek(CHUNK + OVERHEAD + NONCE + 100)  # inside the second chunk's ciphertext
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 1]))
    with pytest.raises(VaultCorrupted, match="Part 1 of the content file"):
        read(vault, 1)
    found = problems(vault)
    assert found == [
        f"content of item(s) 1: Part 1 of the content file content/{paths[1].name} was changed, "
        "moved or replaced: it no longer opens with the vault's key."
    ]
    assert read(vault, 2) == (tmp_path / "recording-2.m4a").read_bytes()  # the other is fine
    from evidence_kit.bundle.export import Options, export_bundle

    with pytest.raises((ExportError, VaultCorrupted), match="Part 1 of the content file"):
        export_bundle(vault, Options(audience="police", item_ids=(1, 2)), tmp_path / "out")


def test_two_files_swapped_are_both_named(two: tuple[Vault, dict[int, Path]]) -> None:
    vault, paths = two
    a, b = paths[1], paths[2]
    spare = a.with_name("spare")
    a.rename(spare)
    b.rename(a)
    spare.rename(b)
    found = problems(vault)
    assert len(found) == 2 and all("no longer opens with the vault's key" in p for p in found)


def test_chunks_reordered_inside_a_file_are_named(two: tuple[Vault, dict[int, Path]]) -> None:
    vault, paths = two
    data = paths[1].read_bytes()
    record = CHUNK + OVERHEAD
    paths[1].write_bytes(data[record : 2 * record] + data[:record] + data[2 * record :])
    with pytest.raises(VaultCorrupted, match="Part 0 of the content file"):
        read(vault, 1)


def test_a_file_cut_short_or_grown_is_named(two: tuple[Vault, dict[int, Path]]) -> None:
    vault, paths = two
    whole = paths[1].read_bytes()
    paths[1].write_bytes(whole[: 2 * (CHUNK + OVERHEAD)])  # the last chunk dropped
    paths[2].write_bytes(paths[2].read_bytes() + b"more")
    found = problems(vault)
    expected = SIZE + 3 * OVERHEAD
    short = 2 * (CHUNK + OVERHEAD)
    assert (
        f"content of item(s) 1: its file content/{paths[1].name} is {short} bytes, not {expected}"
        in found
    )
    assert (
        f"content of item(s) 2: its file content/{paths[2].name} is {expected + 4} bytes, not {expected}"
        in found
    )
    with pytest.raises(VaultCorrupted, match="cut short or added to"):
        read(vault, 1)


def test_a_deleted_file_is_named_before_an_export_too(
    two: tuple[Vault, dict[int, Path]], tmp_path: Path
) -> None:
    vault, paths = two
    paths[2].unlink()
    from evidence_kit.vault.check import pre_export_check

    quick = [f"{p.where}: {p.what}" for p in pre_export_check(vault).problems]
    assert quick == [f"content of item(s) 2: its file content/{paths[2].name} is missing"]
    with pytest.raises(VaultCorrupted, match="is missing"):
        read(vault, 2)


def test_a_file_left_by_a_stopped_save_is_kept_and_reported(
    vault_dir: Path, tmp_path: Path
) -> None:
    """A process killed after writing its sealed file but before its commit: the file is named by
    no record. The vault checks out, the file is kept (nothing deletes what might be evidence),
    and the check says it is there."""
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(3 * CHUNK))
    script = (
        "import os, sys\n"
        "from evidence_kit.vault import Vault\n"
        "from evidence_kit.vault.files import store_file\n"
        "vault = Vault.open(sys.argv[1], sys.argv[2])\n"
        "with vault.transaction() as writer:\n"
        "    store_file(writer, sys.argv[3])\n"
        "    os._exit(9)  # killed before the commit\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(vault_dir), PASSPHRASE, str(source)], check=False
    )
    assert done.returncode == 9
    left = sorted((vault_dir / "content").iterdir())
    assert len(left) == 1
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        report = check_vault(vault)
        assert report.ok and vault.items() == []
        (detail,) = [d for name, ok, d in report.checks if name == "content files"]
        assert "1 other file(s) no record names" in detail and "kept" in detail
    assert sorted((vault_dir / "content").iterdir()) == left


def test_an_old_vault_keeps_its_chunk_rows_and_stores_new_bytes_in_files(
    tmp_path: Path,
) -> None:
    """A vault made before content files (schema 5, 16 KiB pages, rollback journal): opened now,
    it is upgraded; its old bytes still read from the database, new ones go to files, and the
    whole vault checks out and exports."""
    folder = tmp_path / "old"
    (tmp_path / "old.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(CHUNK + 10))
    (tmp_path / "new.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(CHUNK + 20))
    with made_with(SETTINGS_BEFORE_CONTENT_FILES):
        created = Vault.create(folder, PASSPHRASE, kdf=TEST_KDF, schema_version=5)
    with created.vault as vault:
        add_file(vault, tmp_path / "old.jpg")
    assert not (folder / "content").exists()
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.schema_version == 6
        assert vault.conn.execute("PRAGMA journal_mode").fetchone()[0].upper() == "TRUNCATE"
        add_file(vault, tmp_path / "new.jpg")
        assert vault.conn.execute("SELECT count(*) FROM blob_files").fetchone()[0] == 1
        assert vault.conn.execute("SELECT count(DISTINCT blob_id) FROM chunks").fetchone()[0] == 1
        assert read(vault, 1) == (tmp_path / "old.jpg").read_bytes()
        assert read(vault, 2) == (tmp_path / "new.jpg").read_bytes()
        assert check_vault(vault).ok
        from evidence_kit.bundle.export import Options, export_bundle
        from evidence_kit.bundle.verify import verify_bundle

        result = export_bundle(vault, Options(audience="police", item_ids=(1, 2)), tmp_path / "out")
        assert verify_bundle(result.zip_path).ok


def test_a_derived_item_of_the_same_bytes_shares_one_file(vault: Vault) -> None:
    with vault.transaction() as writer:
        sha, size = writer.put([b"the same picture"])
        parent = writer.add_item(ItemKind.FILE, sha256=sha, size=size)
        again, _ = writer.put([b"the same ", b"picture"])
        writer.add_item(ItemKind.DERIVED, sha256=again, size=size, parent_id=parent.id)
    assert again == sha
    assert len(list((vault.folder / "content").iterdir())) == 1
    assert check_vault(vault).ok
