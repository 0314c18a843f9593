"""A 2 GB case exports and verifies in bounded memory (peak RSS <= 200 MB), measured in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from tests.conftest import PASSPHRASE
from tests.support.memory import run_cli_measured

GIB = 1024**3
LIMIT_KB = 200 * 1024


def varied(size: int, seed: int) -> Iterator[bytes]:
    """`size` bytes of random-looking content, made from one random block at little CPU cost."""
    block = os.urandom(1 << 20)
    for n in range(size // len(block)):
        shift = (n * 7 + seed) % len(block)
        yield block[shift:] + block[:shift]


def run_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    return run_cli_measured(*args, passphrase=PASSPHRASE)


@pytest.mark.slow
def test_two_gigabyte_case_in_bounded_memory(vault_dir: Path, tmp_path: Path) -> None:
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        for seed in (1, 2):
            with vault.transaction() as w:
                sha, size = w.put(varied(GIB, seed))
                w.add_item(ItemKind.FILE, sha256=sha, size=size, media_type="video/mp4",
                           original_name=f"recording-{seed}.mp4", case="Big", metadata={})  # fmt: skip
    out = tmp_path / "out"
    exported, export_peak = run_measured("--vault", str(vault_dir), "export", "--case", "Big",
                                         "--audience", "police", "--out", str(out), "--json")  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    bundle = Path(json.loads(exported.stdout)["zip"])
    assert bundle.stat().st_size > 2 * GIB
    verified, verify_peak = run_measured("verify", str(bundle), "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["ok"]
    print(f"peak RSS: export {export_peak // 1024} MB, verify {verify_peak // 1024} MB")
    assert export_peak <= LIMIT_KB, f"export peaked at {export_peak // 1024} MB"
    assert verify_peak <= LIMIT_KB, f"verify peaked at {verify_peak // 1024} MB"
