"""Download imports stay within 100 MB beyond the unlock, measured in a fresh process.

The one in `make test` streams a 60 MB Telegram `result.json`; the 1 GB download (JSON of
hundreds of MB across threads, and media) runs with `make torture`. A realistic WhatsApp export
(bench/whatsapp_realistic.py) is measured the same way: 200,000 lines in `make test`, the
benchmark's million lines with `make torture`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.whatsapp_realistic import write_export
from tests.conftest import PASSPHRASE
from tests.importers.downloads import big
from tests.support.memory import PEAK_RSS_SOURCE

LIMIT_MB = 100  # beyond what the process had reached once the vault was unlocked (Argon2 included)
MB = 1024 * 1024

MEASURE = (
    PEAK_RSS_SOURCE
    + """
import json, sys
from pathlib import Path
from evidence_kit.importers.batch import import_paths
from evidence_kit.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
unlocked = peak_rss_kib()
outcomes = import_paths(vault, [Path(p) for p in sys.argv[3:]], tz="Europe/London")
peak = peak_rss_kib()
results = [o.result for o in outcomes if o.result is not None]
print(json.dumps({
    "errors": [o.error.message for o in outcomes if o.error is not None],
    "messages": sum(r.message_count for r in results),
    "present": sum(r.attachments_present for r in results),
    "unlocked_mb": unlocked / 1024, "peak_mb": peak / 1024, "beyond_mb": (peak - unlocked) / 1024,
}))
vault.close()
"""
)


def measured(vault_dir: Path, *paths: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(vault_dir), PASSPHRASE, *map(str, paths)],
        capture_output=True, text=True, timeout=3000,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_60_mb_telegram_export_streams_in_bounded_memory(vault_dir: Path, tmp_path: Path) -> None:
    count = big.telegram_result(tmp_path / "ChatExport_2026-03-14" / "result.json", 60 * MB)
    result = measured(vault_dir, tmp_path / "ChatExport_2026-03-14")
    print(f"telegram 60 MB: {result}")
    assert result["errors"] == [] and result["messages"] == count
    assert float(str(result["beyond_mb"])) <= LIMIT_MB, result


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("EVIDENCE_KIT_BIG_DOWNLOAD"), reason="1 GB download: run by make torture"
)
def test_a_1_gb_download_in_bounded_memory(vault_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "facebook-joreed-2026-03-15"
    count = big.messenger_download(folder, 1024 * MB)
    on_disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert on_disk >= 1000 * MB
    result = measured(vault_dir, folder)
    print(f"messenger 1 GB: {result}")
    assert result["errors"] == [] and result["messages"] == count
    assert int(str(result["present"])) > 0
    assert float(str(result["beyond_mb"])) <= LIMIT_MB, result


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("EVIDENCE_KIT_BIG_DOWNLOAD"), reason="big downloads: run by make torture"
)
@pytest.mark.parametrize("format_name", sorted(big.BY_FORMAT))
def test_each_importer_on_a_big_download_in_bounded_memory(
    vault_dir: Path, tmp_path: Path, format_name: str
) -> None:
    size = int(os.environ.get("EVIDENCE_KIT_BIG_FORMAT_MB", "200")) * MB
    count = big.BY_FORMAT[format_name](tmp_path / "in", size)
    result = measured(vault_dir, tmp_path / "in")
    print(f"{format_name} {size // MB} MB: {result}")
    assert result["errors"] == [] and result["messages"] == count
    assert float(str(result["beyond_mb"])) <= LIMIT_MB, result


@pytest.mark.parametrize(
    "lines",
    [
        200_000,
        pytest.param(
            1_000_000,
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(
                    not os.environ.get("EVIDENCE_KIT_BIG_DOWNLOAD"),
                    reason="1M-line WhatsApp export: run by make torture",
                ),
            ],
        ),
    ],
)
def test_a_realistic_whatsapp_export_in_bounded_memory(
    vault_dir: Path, tmp_path: Path, lines: int
) -> None:
    path = tmp_path / "WhatsApp Chat with Year 10 Parents.txt"
    count = write_export(path, lines, "android")[0]
    result = measured(vault_dir, path)
    print(f"whatsapp {lines:,} lines: {result}")
    assert result["errors"] == [] and result["messages"] == count
    assert float(str(result["beyond_mb"])) <= LIMIT_MB, result
