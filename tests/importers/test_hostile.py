"""Hostile input: zip slip, zip bombs, a 2 GiB file with no newline, a folder, an unreadable file.

Each gets a clear error naming the file, the vault is unchanged, and memory stays bounded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from evidence_kit.errors import ImportFailed, InputFileError
from evidence_kit.importers import import_file
from evidence_kit.importers.zipsafe import SafeZip, UnsafeArchive, unsafe_name
from evidence_kit.vault import Vault
from tests.conftest import PASSPHRASE
from tests.importers.test_framework import snapshot
from tests.support.memory import PEAK_RSS_SOURCE

CHAT = (
    "[24/10/2026, 19:02:11] Priya Shah: hello\r\n[24/10/2026, 19:03:00] Tom: <attached: a.jpg>\r\n"
)


def chat_zip(path: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", CHAT)
        for name, data in extra.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.jpg",
        "/etc/cron.d/evil",
        "media/../../evil.jpg",
        "C:/Windows/evil.jpg",
        "..\\evil.jpg",
    ],
)
def test_zip_slip_is_refused(vault: Vault, tmp_path: Path, name: str) -> None:
    path = chat_zip(tmp_path / "WhatsApp Chat - Club.zip", {name: b"\xff\xd8\xff" + b"x" * 100})
    before = snapshot(vault)
    with pytest.raises(UnsafeArchive, match="refused as unsafe") as caught:
        import_file(vault, path, tz="Europe/London")
    assert str(path) in caught.value.message and name in caught.value.message
    assert snapshot(vault) == before


def test_safe_names_pass() -> None:
    assert unsafe_name("00000004-PHOTO-2026-10-24-19-06-02.jpg") is None
    assert unsafe_name("WhatsApp Chat/_chat.txt") is None
    assert unsafe_name("a..b.jpg") is None


def test_zip_bomb_by_ratio_is_refused_with_a_clear_message(vault: Vault, tmp_path: Path) -> None:
    path = chat_zip(tmp_path / "WhatsApp Chat - Bomb.zip", {"a.jpg": bytes(64 * 1024 * 1024)})
    assert path.stat().st_size < 1024 * 1024
    before = snapshot(vault)
    with pytest.raises(UnsafeArchive, match=r"looks like a zip bomb: entry 'a\.jpg' would expand"):
        import_file(vault, path, tz="Europe/London")
    assert snapshot(vault) == before


def test_zip_bomb_by_total_size_and_member_count(tmp_path: Path) -> None:
    path = chat_zip(tmp_path / "many.zip", {f"{n:04}.jpg": os.urandom(2048) for n in range(40)})
    with pytest.raises(UnsafeArchive, match="would unpack to"):
        SafeZip(path, max_total=64 * 1024)
    with pytest.raises(UnsafeArchive, match="more than the 10 allowed"):
        SafeZip(path, max_members=10)
    with SafeZip(path) as archive:
        assert len(archive.members()) == 41


def test_a_broken_zip_is_refused(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - Cut.zip"
    whole = chat_zip(tmp_path / "whole.zip", {"a.jpg": os.urandom(4096)}).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    before = snapshot(vault)
    with pytest.raises(ImportFailed) as caught:
        import_file(vault, path, tz="Europe/London")
    assert str(path) in caught.value.message
    assert snapshot(vault) == before


def test_a_folder_is_refused(vault: Vault, tmp_path: Path) -> None:
    before = snapshot(vault)
    with pytest.raises(InputFileError, match=r"Cannot import .* it is a folder, not a file"):
        import_file(vault, tmp_path, tz="Europe/London")
    assert snapshot(vault) == before


def test_an_unreadable_file_is_refused(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "WhatsApp Chat with Locked.txt"
    path.write_text("24/11/2026, 10:15 - Alice: hi\n", "utf-8")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a person
        from evidence_kit.vault import files

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(files, "open", refuse, raising=False)
    before = snapshot(vault)
    with pytest.raises(InputFileError, match="you do not have permission to read it"):
        import_file(vault, path, tz="Europe/London")
    assert snapshot(vault) == before


MEASURE = (
    PEAK_RSS_SOURCE
    + """
import json, sys
from pathlib import Path
from evidence_kit.errors import EvidenceKitError
from evidence_kit.importers import import_file
from evidence_kit.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
try:
    import_file(vault, Path(sys.argv[3]), tz="Europe/London", format_name=sys.argv[4] or None)
    error = None
except EvidenceKitError as exc:
    error = exc.message
items = len(vault.items())
vault.close()
peak = peak_rss_kib() / 1024
print(json.dumps({"error": error, "items": items, "peak_mb": peak}))
"""
)


def measured(vault_dir: Path, path: Path, format_name: str = "") -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(vault_dir), PASSPHRASE, str(path), format_name],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def sparse(path: Path, size: int) -> Path:
    """A chat header, then zeros with no newline up to `size` bytes, without writing them."""
    with open(path, "wb") as handle:
        handle.write(b"24/11/2026, 10:15 - Alice: ")
        handle.truncate(size)
    return path


def test_a_2_gib_file_with_no_newline_is_refused_in_bounded_memory(
    vault_dir: Path, tmp_path: Path
) -> None:
    path = sparse(tmp_path / "WhatsApp Chat with Huge.txt", 2 * 1024**3)
    result = measured(vault_dir, path)
    assert "is not a chat or e-mail export" in str(result["error"])
    assert result["items"] == 0 and float(str(result["peak_mb"])) < 200


def test_a_huge_line_forced_as_whatsapp_is_refused_in_bounded_memory(
    vault_dir: Path, tmp_path: Path
) -> None:
    path = sparse(tmp_path / "WhatsApp Chat with Long.txt", 96 * 1024**2)
    result = measured(vault_dir, path, "whatsapp")
    assert "is not a WhatsApp chat export: line 1 is longer than" in str(result["error"])
    assert result["items"] == 0 and float(str(result["peak_mb"])) < 200
