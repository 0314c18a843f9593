"""How long the browser verifier takes on a 1 GB bundle, beside `evidence-kit verify`.

A vault with realistic content for its size — a screen recording of 600 MB, a voice note of
150 MB, a 200 MB phone backup export, and forty 1-2 MB screenshots — exported as one bundle
(about 1 GB), then checked by verify_bundle and by resources/evidence-kit-verify.html in headless
Chromium (Debian's chromium, as the tests drive it), given the zip and its .sha256.

    .venv/bin/python bench/verify_html_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault
from tests.support.browser import VerifierPage, launch

MB = 1 << 20
FILES = [("screen-recording.mp4", "video/mp4", 600 * MB), ("voice-note.m4a", "audio/mp4", 150 * MB),
         ("phone-backup.xml", "application/xml", 200 * MB)]  # fmt: skip
FILES += [(f"Screenshot {i:02d}.png", "image/png", MB + (i * 37_000) % MB) for i in range(40)]


def chunks(size: int) -> list[bytes]:
    return [os.urandom(min(8 * MB, size - at)) for at in range(0, size, 8 * MB)]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        vault = Vault.create(folder / "vault", "bench passphrase words", owner="Priya Shah",
                             kdf=TEST_KDF).vault  # fmt: skip
        for name, media, size in FILES:
            with vault.transaction() as w:
                sha, stored = w.put(chunks(size))
                w.add_item(ItemKind.FILE, sha256=sha, size=stored, media_type=media,
                           original_name=name, case="Work", metadata={})  # fmt: skip
        result = export_bundle(vault, Options(audience="police", case="Work"), folder / "out")
        vault.close()
        size = result.zip_path.stat().st_size
        started = time.perf_counter()
        assert verify_bundle(result.zip_path).ok
        python_s = time.perf_counter() - started
        browser = launch()
        chromium = next(browser)
        page = VerifierPage(chromium)
        runs = []
        for _ in range(2):
            started = time.perf_counter()
            shown = page.check(result.zip_path, sidecar=result.sha256_path)
            runs.append(time.perf_counter() - started)
            assert shown["ok"], shown
        page.close()
        next(browser, None)
        print(f"bundle: {size / 1e9:.2f} GB, {len(FILES)} exhibits")
        print(f"evidence-kit verify (verify_bundle): {python_s:.1f} s")
        print(f"browser verifier (Chromium, zip + .sha256): {min(runs):.1f} s (runs: "
              f"{', '.join(f'{r:.1f}' for r in runs)})")  # fmt: skip


if __name__ == "__main__":
    main()
