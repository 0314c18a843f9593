"""A 1 GB file is added and extracted with peak RSS under 150 MB, and hashes the same."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.support.memory import run_cli_measured

GIB = 1024**3
LIMIT_KB = 150 * 1024


def run_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    return run_cli_measured(*args, passphrase=PASSPHRASE)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@pytest.mark.slow
def test_one_gigabyte_in_bounded_memory(vault_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "long-recording.mp4"
    with open(source, "wb") as handle:  # varied content, written without holding it in memory
        block = os.urandom(1 << 20)
        for n in range(GIB // len(block)):
            handle.write(block[n % 7 :] + block[: n % 7])
    expected = sha256_of(source)

    added, add_peak = run_measured("--vault", str(vault_dir), "add", str(source), "--json")
    assert added.returncode == 0, added.stderr
    item = json.loads(added.stdout)[0]
    assert item["sha256"] == expected and item["size"] == GIB
    source.unlink()  # room for the copy

    out = tmp_path / "extracted.mp4"
    extracted, extract_peak = run_measured(
        "--vault", str(vault_dir), "extract", str(item["id"]), "--out", str(out)
    )
    assert extracted.returncode == 0, extracted.stderr
    assert sha256_of(out) == expected
    print(f"peak RSS: add {add_peak // 1024} MB, extract {extract_peak // 1024} MB")
    assert add_peak < LIMIT_KB, f"add peaked at {add_peak // 1024} MB"
    assert extract_peak < LIMIT_KB, f"extract peaked at {extract_peak // 1024} MB"
