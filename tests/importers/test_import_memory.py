"""A realistic WhatsApp export imports within 100 MB beyond the unlock, measured in a fresh
process as the download imports are (tests/importers/test_download_memory.py). `make test` runs
200,000 lines; `make torture` the million lines of the benchmark (bench/import_bench.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.whatsapp_realistic import write_export
from tests.importers.test_download_memory import LIMIT_MB, measured


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
