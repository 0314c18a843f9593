"""How long VERIFY.txt's Linux block takes, run as a person runs it, on a realistic bundle.

A vault with a WhatsApp export and N screen-like pictures (2.6 MB PNGs that do not compress) is
exported for the police; the zip and its .sha256 are put in a fresh folder; the Linux block is
taken from the bundle's own VERIFY.txt and run by bash there (it unzips, then checks). The figure
is the scripted time; the person's own steps (save the two files, open a terminal in the folder,
unzip to read VERIFY.txt, copy and paste the block) are listed beside it with the time they took
when done by hand, so the total can be compared with the goal: under 5 minutes from receiving
the zip.

Run: .venv/bin/python bench/verify_blocks_bench.py [--pictures 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from bundle_bench import noisy_png  # type: ignore[import-not-found]

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault


def block_of(verify_txt: str, heading: str) -> str:
    section = verify_txt.split(heading, 1)[1].splitlines()[1:]
    start = next(i for i, line in enumerate(section) if line.strip().startswith("B="))
    block = []
    for line in section[start:]:
        if block and not line.startswith("    "):
            break
        block.append(line)
    return "\n".join(block) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pictures", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ek-blocks-"))
    try:
        created = Vault.create(
            work / "vault", "bench passphrase words", owner="Bench", kdf=TEST_KDF
        )
        vault = created.vault
        seed = os.urandom(4 << 20)
        with vault.transaction() as writer:
            for n in range(args.pictures):
                sha, size = writer.put([noisy_png(seed, n * 7919)])
                writer.add_item(ItemKind.SCREENSHOT, sha256=sha, size=size, media_type="image/png",
                                original_name=f"shot-{n:03d}.png", case="Work", metadata={})  # fmt: skip
        result = export_bundle(vault, Options(audience="police", case="Work"), work / "out")
        vault.close()
        inbox = work / "Downloads"
        inbox.mkdir()
        for path in (result.zip_path, result.sha256_path):
            shutil.copy(path, inbox)
        with zipfile.ZipFile(result.zip_path) as archive:
            text = archive.read(f"{result.bundle_id}/VERIFY.txt").decode("utf-8")
        size_mb = result.zip_path.stat().st_size / 1e6
        print(f"| bundle | {args.pictures} pictures, {size_mb:.0f} MB zip |")
        for label, heading in (("Linux block (bash, coreutils)", "Linux (a terminal"),
                               ("macOS block (bash, Perl shasum)", "macOS (Terminal")):  # fmt: skip
            block = block_of(text, heading)
            rounds = []
            for _ in range(3):
                shutil.rmtree(inbox / result.bundle_id, ignore_errors=True)
                started = time.perf_counter()
                done = subprocess.run(
                    ["bash", "-c", block], cwd=inbox, capture_output=True, text=True
                )
                rounds.append(time.perf_counter() - started)
                assert done.returncode == 0 and "ALL CHECKS PASSED" in done.stdout, done.stdout
            print(f"| {label}: unzip + every check, best of 3 (rounds) | {min(rounds):.2f} s "
                  f"({', '.join(f'{r:.2f}' for r in rounds)}) |")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
