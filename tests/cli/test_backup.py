"""`evidence-kit backup DEST`: a checked, still-encrypted copy that opens as a vault of its own."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_kit.errors import BackupError, Cancelled
from evidence_kit.fsinfo import FAT32_LIMIT, FileSystem, _longest_mount, _unescape
from evidence_kit.vault import Vault, backup
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file
from tests.cli.test_vault_errors import assert_plain_error, run_cli
from tests.conftest import Cli


@pytest.fixture
def filled(cli: Cli, vault_dir: Path, tmp_path: Path) -> Path:
    video = tmp_path / "doorbell.mp4"
    video.write_bytes(os.urandom(3 * 1024 * 1024))
    assert cli("add", str(video), "--case", "Neighbour", "--note", "3 am").exit_code == 0
    return vault_dir


def test_backup_opens_as_a_vault_of_its_own(
    filled: Path, tmp_path: Path, recovery_code: str
) -> None:
    usb = tmp_path / "USB STICK"
    result = run_cli(filled, "backup", str(usb))
    assert result.returncode == 0, result.stderr
    copy = next(usb.iterdir())
    assert copy.name.startswith("evidence-kit-backup-") and "To restore, open it" in result.stdout
    assert sorted(p.name for p in copy.iterdir()) == [
        "anchor",
        "content",
        "evidence.db",
        "keyslots.json",
    ]
    # Still encrypted: no plaintext of the evidence, no SQLite header.
    assert not (copy / "evidence.db").read_bytes().startswith(b"SQLite format 3")
    sealed = list((copy / "content").iterdir())
    assert len(sealed) == 1 and stat.S_IMODE((copy / "content").stat().st_mode) == 0o700
    assert stat.S_IMODE(sealed[0].stat().st_mode) == 0o600
    plain = (tmp_path / "doorbell.mp4").read_bytes()
    assert plain[1000:1064] not in sealed[0].read_bytes()
    assert sealed[0].read_bytes() == (filled / "content" / sealed[0].name).read_bytes()
    # Owner-only, like the vault.
    assert stat.S_IMODE(copy.stat().st_mode) == 0o700
    assert {
        stat.S_IMODE((copy / n).stat().st_mode) for n in ("evidence.db", "keyslots.json", "anchor")
    } == {0o600}
    # The same passphrase and the same recovery code open it; it checks out and holds the item.
    listed = run_cli(copy, "list", "--json")
    assert listed.returncode == 0 and '"doorbell.mp4"' in listed.stdout
    assert run_cli(copy, "check").returncode == 0
    with Vault.open_with_recovery_code(copy, recovery_code) as opened:
        original = hashlib.sha256((tmp_path / "doorbell.mp4").read_bytes()).hexdigest()
        assert hashlib.sha256(b"".join(opened.content(1))).hexdigest() == original
    # The vault records the backup, and stays usable.
    log = run_cli(filled, "log")
    assert "vault backed up" in log.stdout
    status = run_cli(filled, "status")
    assert "Last backup:" in status.stdout and "0 item(s) added since" in status.stdout
    assert run_cli(filled, "add", __file__).returncode == 0
    assert "1 item(s) added since" in run_cli(filled, "status").stdout


def test_a_copy_with_the_original_key_file_swapped_in_is_named(
    filled: Path, tmp_path: Path
) -> None:
    assert run_cli(filled, "backup", str(tmp_path / "usb")).returncode == 0
    copy = next((tmp_path / "usb").iterdir())
    shutil.copy2(filled / "keyslots.json", copy / "keyslots.json")
    assert_plain_error(run_cli(copy, "list"), "belongs to another vault")


def test_backup_refuses_a_destination_inside_the_vault(filled: Path) -> None:
    result = run_cli(filled, "backup", str(filled / "copies"))
    assert_plain_error(result, "inside the vault itself")
    assert not (filled / "copies").exists()


def test_backup_refuses_a_file_as_destination(filled: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    assert_plain_error(run_cli(filled, "backup", str(tmp_path / "notes.txt")), "is a file")


def test_not_enough_room_is_said_before_writing(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9 - 4096, 4096)
    )  # type: ignore[attr-defined]
    with pytest.raises(BackupError, match="not enough room"):
        backup.backup(vault, tmp_path / "usb")
    assert not (tmp_path / "usb").exists()


@pytest.mark.skipif(
    os.geteuid() != 0 or sys.platform != "linux", reason="mounting a tmpfs needs root"
)
def test_not_enough_room_on_a_real_small_disk(filled: Path, tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)]).returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        result = run_cli(filled, "backup", str(mount))
        assert_plain_error(result, "not enough room", "Nothing was written")
        assert list(mount.iterdir()) == []
    finally:
        subprocess.run(["umount", "-l", str(mount)])


def test_fat32_cannot_take_a_database_over_4_gib(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "filesystem", lambda _p: FileSystem("vfat"))
    monkeypatch.setattr(backup, "_database_size", lambda _v: FAT32_LIMIT + 1)
    monkeypatch.setattr(
        shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**12, 0, 10**12)
    )  # type: ignore[attr-defined]
    with pytest.raises(BackupError, match=r"FAT32\) cannot hold a file over 4\.3 GB"):
        backup.plan_backup(vault, tmp_path / "usb")


def test_fat32_cannot_take_a_content_file_over_4_gib(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5 GB video is one sealed file of its own: too big for FAT32, said before writing."""
    monkeypatch.setattr(backup, "filesystem", lambda _p: FileSystem("vfat"))
    monkeypatch.setattr(backup, "_content_files", lambda _v: [("a1b2", FAT32_LIMIT + 1)])
    monkeypatch.setattr(
        shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**13, 0, 10**13)
    )  # type: ignore[attr-defined]
    with pytest.raises(BackupError, match=r"largest file \(4\.3 GB\) is too big"):
        backup.plan_backup(vault, tmp_path / "usb")
    assert not (tmp_path / "usb").exists() or not any((tmp_path / "usb").iterdir())


def test_exfat_is_allowed_with_a_plain_warning(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "filesystem", lambda _p: FileSystem("exfat"))
    result = backup.backup(vault, tmp_path / "usb")
    assert (
        len(result.warnings) == 1
        and "exFAT disk, which cannot keep files private" in result.warnings[0]
    )
    assert "It stays encrypted" in result.warnings[0]
    assert result.folder.is_dir()


def test_a_cancelled_backup_leaves_nothing_and_records_nothing(
    vault: Vault, tmp_path: Path
) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(6 * 1024 * 1024))
    add_file(vault, tmp_path / "big.bin")
    events = len(vault.custody_events())
    seen: list[int] = []
    with pytest.raises(Cancelled):
        backup.backup(
            vault,
            tmp_path / "usb",
            progress=lambda done, _t: seen.append(done),
            cancel=lambda: len(seen) > 0,
        )
    assert list((tmp_path / "usb").iterdir()) == []
    assert len(vault.custody_events()) == events
    assert check_vault(vault).ok


def test_progress_goes_up_to_the_total(vault: Vault, tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(9 * 1024 * 1024))
    add_file(vault, tmp_path / "big.bin")
    seen: list[tuple[int, int | None]] = []
    backup.backup(vault, tmp_path / "usb", progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 3 and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_backup_status_for_a_reminder(vault: Vault, tmp_path: Path) -> None:
    assert backup.backup_status(vault).last_at is None
    (tmp_path / "a.txt").write_text("a")
    add_file(vault, tmp_path / "a.txt")
    assert backup.backup_status(vault).items_since == 1
    made = backup.backup(vault, tmp_path / "usb")
    status = backup.backup_status(vault)
    assert status.items_since == 0 and status.last_folder == str(made.folder)
    (tmp_path / "b.txt").write_text("b")
    add_file(vault, tmp_path / "b.txt")
    assert backup.backup_status(vault).items_since == 1


def test_mount_table_reading() -> None:
    mounts = [("/", "ext4"), ("/media/sam/USB STICK", "vfat"), ("/media/sam/USB", "exfat")]
    assert _longest_mount(Path("/media/sam/USB STICK/backups"), mounts) == "vfat"
    assert _longest_mount(Path("/media/sam/USB/x"), mounts) == "exfat"
    assert _longest_mount(Path("/media/sam/USBX"), mounts) == "ext4"
    assert _unescape("/media/sam/USB\\040STICK") == "/media/sam/USB STICK"
    assert (
        not FileSystem("vfat").keeps_permissions and FileSystem("vfat").max_file_size == FAT32_LIMIT
    )
    assert FileSystem("ext4").keeps_permissions and FileSystem("exfat").max_file_size is None


def test_restoring_is_opening_the_copy_in_place_of_the_vault(filled: Path, tmp_path: Path) -> None:
    assert run_cli(filled, "backup", str(tmp_path / "usb")).returncode == 0
    copy = next((tmp_path / "usb").iterdir())
    shutil.rmtree(filled)  # the laptop's vault is lost
    shutil.copytree(copy, filled)
    result = run_cli(filled, "check")
    assert result.returncode == 0, result.stdout + result.stderr
