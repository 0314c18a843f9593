"""No evidence byte is written to disk unencrypted: not in the vault, its journal, or temp files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE

MARKER = b"EVIDENCE-MARKER-7f3a9c1e-d04b-4e55"


def files_holding(folder: Path, needle: bytes) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if needle in data or needle.decode().encode("utf-16-le") in data:
                found.append(path)
    return found


def test_marker_is_found_in_no_file(vault_dir: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    small = tmp_path / "message.txt"
    small.write_bytes(b"they wrote: " + MARKER + b"\n")
    large = tmp_path / "recording.bin"
    large.write_bytes(os.urandom(1_500_000) + MARKER + os.urandom(1_500_000))
    env = {
        **os.environ,
        "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE,
        "TMPDIR": str(temp),
        "TEMP": str(temp),
        "TMP": str(temp),
    }
    base = [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir)]
    for source in (small, large):
        subprocess.run(
            [*base, "add", str(source), "--note", "kept"], env=env, check=True, capture_output=True
        )
    subprocess.run([*base, "check"], env=env, check=True, capture_output=True)

    # A writer killed in the middle of an add leaves a journal behind: that must hold no plaintext either.
    huge = tmp_path / "video.bin"
    huge.write_bytes((MARKER + os.urandom(4000)) * 3000)
    proc = subprocess.Popen(
        [*base, "add", str(huge)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        proc.wait(timeout=0.3)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    assert files_holding(vault_dir, MARKER) == []
    assert files_holding(temp, MARKER) == []
    assert sorted(p.name for p in vault_dir.iterdir()) <= sorted(
        [".lock", "evidence.db", "evidence.db-journal", "keyslots.json"]
    )
