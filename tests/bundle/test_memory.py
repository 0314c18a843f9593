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


SCRYPT_KB = 256 * 1024  # age's passphrase KDF (scrypt, N=2^18, r=8) needs 256 MiB, once


@pytest.mark.slow
def test_an_encrypted_gigabyte_in_bounded_memory(vault_dir: Path, tmp_path: Path) -> None:
    """Streamed into age, to a key and with a passphrase, and verified as it is: memory is a
    few blocks whatever the size (plus scrypt's fixed 256 MiB for a passphrase)."""
    import shutil

    if shutil.which("age-keygen") is None:
        pytest.skip("Debian's age is not installed")
    with Vault.open(vault_dir, PASSPHRASE) as vault, vault.transaction() as w:
        sha, size = w.put(varied(GIB, 3))
        w.add_item(ItemKind.FILE, sha256=sha, size=size, media_type="video/mp4",
                   original_name="recording.mp4", case="Big", metadata={})  # fmt: skip
    key = tmp_path / "me.key"
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = key.read_text().split("public key: ")[1].split()[0]
    secret = tmp_path / "secret.txt"
    secret.write_text("plum hedgehog lantern quietly 1987")
    for extra, opening, limit in (
        (("--encrypt-to", public), ("--identity", str(key)), LIMIT_KB),
        (("--encrypt-passphrase-file", str(secret)), ("--age-passphrase-file", str(secret)),
         LIMIT_KB + SCRYPT_KB),
    ):  # fmt: skip
        out = tmp_path / extra[0].strip("-")
        exported, export_peak = run_measured("--vault", str(vault_dir), "export", "--case", "Big",
                                             "--audience", "police", "--out", str(out), "--json",
                                             *extra)  # fmt: skip
        assert exported.returncode == 0, exported.stderr
        bundle = Path(json.loads(exported.stdout)["zip"])
        assert bundle.name.endswith(".zip.age") and bundle.stat().st_size > GIB
        assert not list(out.glob("*.zip"))  # never a plain zip on disk
        verified, verify_peak = run_measured("verify", str(bundle), *opening, "--json")
        assert verified.returncode == 0 and json.loads(verified.stdout)["ok"], verified.stdout
        print(
            f"{extra[0]}: peak RSS export {export_peak // 1024} MB, verify {verify_peak // 1024} MB"
        )
        assert export_peak <= limit, f"export peaked at {export_peak // 1024} MB"
        assert verify_peak <= limit, f"verify peaked at {verify_peak // 1024} MB"
        bundle.unlink()
