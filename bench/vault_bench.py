"""How fast `add` stores files, against what encrypted and plain storage cost on the same bytes.

Since schema 6 the bytes go into sealed files beside the database (vault/content_files.py);
the variants include the design before (bytes in SQLCipher pages) for comparison.

Baselines, measured in the same run on the same files:
  (a) AES-256-GCM (cryptography) + write + fsync + SHA-256 into a plain file;
  (b) plain write + fsync + SHA-256.
Goal: add <= 2x (a). Also: the SQLCipher settings we chose against the others (page size, HMAC,
journal mode, chunk size), and the unlock time (Argon2id).

Run: .venv/bin/python bench/vault_bench.py   (prints a Markdown table)
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_kit.vault import TEST_KDF, Vault, db, schema, store
from evidence_kit.vault.files import add_file
from evidence_kit.vault.keys import KdfParams

PASSPHRASE = "benchmark passphrase"
MB = 1024 * 1024


def make_files(folder: Path, size: int, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = folder / f"f{size}-{n}.bin"
        with open(path, "wb") as handle:
            left = size
            while left:
                block = os.urandom(min(left, 4 * MB))
                handle.write(block)
                left -= len(block)
        paths.append(path)
    return paths


def baseline(paths: list[Path], out: Path, encrypt: bool) -> float:
    key = AESGCM.generate_key(bit_length=256)
    aes = AESGCM(key)
    start = time.perf_counter()
    for n, path in enumerate(paths):
        digest = hashlib.sha256()
        with open(path, "rb") as src, open(out / f"b{n}", "wb") as dst:
            while block := src.read(MB):
                digest.update(block)
                dst.write(aes.encrypt(os.urandom(12), block, None) if encrypt else block)
            dst.flush()
            os.fsync(dst.fileno())
        digest.hexdigest()
    return time.perf_counter() - start


def evidence_kit_add(
    paths: list[Path],
    folder: Path,
    settings: dict[str, object],
    chunk: int,
    schema_version: int = schema.LATEST,
) -> float:
    old_settings, old_chunk = dict(db.DEFAULT_SETTINGS), store.CHUNK
    db.DEFAULT_SETTINGS.update(settings)
    store.CHUNK = chunk
    try:
        created = Vault.create(folder, PASSPHRASE, kdf=TEST_KDF, schema_version=schema_version)
        with created.vault as vault:
            start = time.perf_counter()
            for path in paths:
                add_file(vault, path)
            elapsed = time.perf_counter() - start
            if str(settings.get("journal_mode", "")).upper() == "WAL":
                t0 = time.perf_counter()  # WAL pays for the second write at checkpoint
                vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                elapsed += time.perf_counter() - t0
        return elapsed
    finally:
        db.DEFAULT_SETTINGS.clear()
        db.DEFAULT_SETTINGS.update(old_settings)
        store.CHUNK = old_chunk


SHA512, SHA256 = "HMAC_SHA512", "HMAC_SHA256"


def _v(page: int, hmac: str, journal: str) -> dict[str, object]:
    return {"cipher_page_size": page, "cipher_hmac_algorithm": hmac, "journal_mode": journal}


BEFORE = schema.CONTENT_FILES_STEP - 1  # the last schema that kept the bytes in the database

# (label, database settings, chunk size, schema): the bytes in sealed files (schema 6) with the
# database's settings varied, and the design before it — the bytes in SQLCipher pages.
VARIANTS: list[tuple[str, dict[str, object], int, int]] = [
    ("files; database 16 KiB, WAL", _v(16384, SHA256, "WAL"), MB, schema.LATEST),
    ("files; database 8 KiB, WAL", _v(8192, SHA256, "WAL"), MB, schema.LATEST),
    ("files; database 4 KiB, TRUNCATE", _v(4096, SHA256, "TRUNCATE"), MB, schema.LATEST),
    ("files; database 16 KiB, TRUNCATE", _v(16384, SHA256, "TRUNCATE"), MB, schema.LATEST),
    ("files; 4 MiB chunks", {}, 4 * MB, schema.LATEST),
    ("before (schema 5): bytes in the database, 16 KiB, TRUNCATE",
     _v(16384, SHA256, "TRUNCATE"), MB, BEFORE),
    ("before (schema 5): bytes in the database, 64 KiB, TRUNCATE",
     _v(65536, SHA256, "TRUNCATE"), MB, BEFORE),
    ("chosen again: files; database 4 KiB, HMAC-SHA256, WAL", {}, MB, schema.LATEST),
]  # fmt: skip


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="ek-bench-", dir=os.environ.get("BENCH_DIR", ".")))
    rows: list[str] = []
    try:
        print(
            f"# vault_bench — {time.strftime('%Y-%m-%d')} — {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
        )
        sets = {"2 MB x 50": (2 * MB, 50), "200 MB x 2": (200 * MB, 2)}
        chosen = dict(db.DEFAULT_SETTINGS)
        print(
            "\n| files | (b) write+fsync+sha256 | (a) AES-GCM+write+fsync+sha256 | add (chosen) | add / (a) |"
        )
        print("|---|---|---|---|---|")
        for label, (size, count) in sets.items():
            src = root / f"src-{size}"
            src.mkdir()
            paths = make_files(src, size, count)
            total = size * count
            results = {}
            for repeat in range(3):  # best of three, every contender alike, taken in turn
                for name, fn in (
                    ("plain", lambda o, paths=paths: baseline(paths, o, False)),
                    ("aes", lambda o, paths=paths: baseline(paths, o, True)),
                    (
                        "add",
                        lambda o, paths=paths: evidence_kit_add(
                            paths, o / "vault", chosen, store.CHUNK
                        ),
                    ),
                ):
                    out = root / f"out-{name}-{repeat}"
                    out.mkdir()
                    elapsed = fn(out)
                    results[name] = min(results.get(name, 1e9), elapsed)
                    shutil.rmtree(out)
            mbps = {k: total / v / 1e6 for k, v in results.items()}
            rows.append(label)
            print(
                f"| {label} | {mbps['plain']:.0f} MB/s | {mbps['aes']:.0f} MB/s | {mbps['add']:.0f} MB/s | {results['add'] / results['aes']:.2f}x |"
            )
            print(f"\n| variant ({label}) | add | time vs chosen |")
            print("|---|---|---|")
            for name, settings, chunk, version in VARIANTS:
                out = root / "variant"
                out.mkdir()
                elapsed = evidence_kit_add(
                    paths, out / "vault", {**chosen, **settings}, chunk, version
                )
                shutil.rmtree(out)
                print(
                    f"| {name} | {total / elapsed / 1e6:.0f} MB/s | {elapsed / results['add']:.2f}x |"
                )
            shutil.rmtree(src)

        kdf = KdfParams()
        created = Vault.create(root / "unlock", PASSPHRASE, kdf=kdf)
        created.vault.close()
        times = []
        for _ in range(3):
            start = time.perf_counter()
            Vault.open(root / "unlock", PASSPHRASE).close()
            times.append(time.perf_counter() - start)
        print(
            f"\nUnlock (Argon2id t={kdf.time_cost}, m={kdf.memory_kib // 1024} MiB, p={kdf.parallelism}): {min(times) * 1000:.0f} ms"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
