"""A person's mistake or a damaged disk: one plain sentence, non-zero exit, no traceback, vault unchanged."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, Cli


def state(folder: Path) -> dict[str, str]:
    """Every byte of the vault folder (the lock file aside)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != ".lock"
    }


def contents(folder: Path) -> dict[str, object]:
    """What the vault holds: items, custody chain, stored content — and that it all checks out.

    After a failed write SQLCipher restores every page from its journal, re-encrypted with a
    fresh IV, so the bytes on disk differ while what they hold is exactly as before.
    """
    from evidence_kit.vault import Vault
    from evidence_kit.vault.check import check_vault

    with Vault.open(folder, PASSPHRASE) as vault:
        assert check_vault(vault).ok
        return {
            "items": [item.as_dict() for item in vault.items()],
            "custody": list(vault.custody_records()),
            "blobs": vault.conn.execute("SELECT sha256, size FROM blobs ORDER BY id").fetchall(),
            "chunks": vault.conn.execute("SELECT count(*) FROM chunks").fetchone(),
            "blob files": vault.conn.execute("SELECT * FROM blob_files").fetchall(),
            # a write that failed part way leaves no sealed file behind either
            "content folder": sorted(p.name for p in (folder / "content").glob("*")),
        }


def run_cli(
    vault_dir: Path,
    *args: str,
    passphrase: str = PASSPHRASE,
    env_extra: dict[str, str] | None = None,
    **kwargs,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": passphrase, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), *args],
        capture_output=True, text=True, env=env, **kwargs,
    )  # fmt: skip


def assert_plain_error(result: subprocess.CompletedProcess[str] | object, *words: str) -> None:
    stderr = result.stderr
    code = getattr(result, "returncode", getattr(result, "exit_code", 0))
    assert code not in (0, 70), (code, stderr)  # 70 is "unexpected problem": a bug
    assert stderr.startswith("Error: "), stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word in stderr, stderr


@pytest.fixture
def filled(cli: Cli, vault_dir: Path, tmp_path: Path) -> Path:
    big = tmp_path / "recording.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024))
    assert cli("add", str(big), "--case", "Work").exit_code == 0
    return vault_dir


def test_wrong_passphrase(filled: Path) -> None:
    before = state(filled)
    result = run_cli(filled, "list", passphrase="not my passphrase")
    assert_plain_error(result, "passphrase is not right")
    assert result.returncode == 1 and state(filled) == before


def test_no_vault(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "nowhere", "list")
    assert_plain_error(result, "no Evidence Kit vault", str(tmp_path / "nowhere"))
    assert not (tmp_path / "nowhere").exists()


def test_vault_in_use(filled: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from evidence_kit.vault import Vault; v=Vault.open(sys.argv[1], sys.argv[2]); print('ok', flush=True); time.sleep(60)", str(filled), PASSPHRASE],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = run_cli(filled, "add", __file__)
        assert_plain_error(result, f"open in another Evidence Kit (pid {holder.pid}, since ")
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("what", ["missing", "folder", "unreadable"])
def test_bad_input_file(filled: Path, tmp_path: Path, what: str) -> None:
    if what == "missing":
        target, words = tmp_path / "no-such-file.png", ("no-such-file.png", "does not exist")
    elif what == "folder":
        target, words = tmp_path, (str(tmp_path), "folder")
    elif os.geteuid() == 0:
        target, words = (
            Path("/proc/self/mem"),
            ("/proc/self/mem",),
        )  # root can read any file; this one fails
    else:
        target = tmp_path / "secret.txt"
        target.write_text("x")
        target.chmod(0)
        words = ("secret.txt", "permission")
    before = state(filled)
    result = run_cli(filled, "add", str(target))
    assert_plain_error(result, *words)
    assert state(filled) == before


def corrupt(db: Path, page: int, page_size: int = 16384) -> None:
    with open(db, "r+b") as handle:
        handle.seek(page * page_size + 1000)
        chunk = handle.read(64)
        handle.seek(page * page_size + 1000)
        handle.write(bytes(b ^ 0xFF for b in chunk))


def test_corrupted_page_in_content_is_named_by_check(filled: Path, tmp_path: Path) -> None:
    db = filled / "evidence.db"
    corrupt(db, page=(db.stat().st_size // 16384) - 12)  # inside the stored file's chunks
    before = state(filled)
    checked = run_cli(filled, "check")
    assert checked.returncode == 3
    assert "FAIL" in checked.stdout and "page" in checked.stdout.lower()
    extracted = run_cli(filled, "extract", "1", "--out", str(tmp_path / "out.bin"))
    assert_plain_error(extracted, "damaged")
    assert not (tmp_path / "out.bin").exists()
    assert state(filled) == before
    for output in (checked.stderr, extracted.stderr):
        assert (
            "sqlcipher" not in output.lower() and "ERROR" not in output
        )  # SQLCipher's own log stays quiet


def test_corrupted_first_page(filled: Path) -> None:
    corrupt(filled / "evidence.db", page=0)
    before = state(filled)
    result = run_cli(filled, "list")
    assert_plain_error(result, "damaged")
    assert result.returncode == 3 and state(filled) == before


@pytest.mark.skipif(
    sys.platform != "linux", reason="RLIMIT_FSIZE full-disk simulation is Linux-only"
)
def test_full_disk(filled: Path, tmp_path: Path) -> None:
    db = filled / "evidence.db"
    big = tmp_path / "video.mp4"
    big.write_bytes(os.urandom(8 * 1024 * 1024))
    before = contents(filled)
    limit = db.stat().st_size + 2 * 1024 * 1024  # the disk "fills" part way through the add

    def limit_file_size() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_cli(filled, "add", str(big), preexec_fn=limit_file_size)
    assert_plain_error(result, "not enough room")
    assert contents(filled) == before


@pytest.mark.skipif(
    os.geteuid() != 0 or sys.platform != "linux", reason="mounting a small tmpfs needs root"
)
def test_full_disk_on_a_small_filesystem(template_vault: tuple[Path, str], tmp_path: Path) -> None:
    import shutil

    mount = tmp_path / "small-disk"
    mount.mkdir()
    if (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)]).returncode
        != 0
    ):
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        folder = mount / "vault"
        shutil.copytree(template_vault[0], folder)
        before = contents(folder)
        big = tmp_path / "video.mp4"
        big.write_bytes(os.urandom(12 * 1024 * 1024))
        result = run_cli(folder, "add", str(big))
        assert_plain_error(result, "not enough room")
        assert contents(folder) == before
    finally:
        subprocess.run(["umount", "-l", str(mount)])
