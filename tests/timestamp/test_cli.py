"""`evidence-kit timestamp` as a script uses it, against a local authority."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, Cli
from tests.support.tsa import LocalTSA


def test_timestamp_json_counts_and_authorities(cli: Cli, tsa: LocalTSA, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("EVIDENCE_KIT_TSA_URLS", "none")
    (tmp_path / "a.txt").write_text("a threat")
    assert cli("add", str(tmp_path / "a.txt")).exit_code == 0
    assert json.loads(cli("timestamp", "--json").stdout) == {
        "stamped": 0,
        "pending": 1,
        "failed": 0,
    }
    monkeypatch.delenv("EVIDENCE_KIT_TSA_URLS")
    stored = cli("timestamp", "--set-authorities", tsa.url, "--json")
    assert json.loads(stored.stdout) == {"authorities": [tsa.url]}
    done = cli("timestamp", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == {"stamped": 1, "pending": 0, "failed": 0}
    events = [e["action"] for e in json.loads(cli("log", "--json").stdout)]
    assert "time-stamp authorities set" in events and "time-stamp received" in events
    shown = json.loads(cli("show", "1", "--json").stdout)
    assert "time-stamp queued" in [e["action"] for e in shown["custody"]]
    assert cli("timestamp", "--set-authorities", "none").stdout.startswith("Time-stamps are off")
    bad = cli("timestamp", "--set-authorities", "ftp://example.org")
    assert bad.exit_code != 70 and "is not the address of a time-stamping authority" in bad.output


def test_a_missing_ca_file_is_named(cli: Cli, tsa: LocalTSA, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    (tmp_path / "a.txt").write_text("a threat")
    monkeypatch.setenv("EVIDENCE_KIT_TSA_URLS", "none")
    cli("add", str(tmp_path / "a.txt"))
    monkeypatch.setenv("EVIDENCE_KIT_TSA_URLS", tsa.url)
    monkeypatch.setenv("EVIDENCE_KIT_TSA_CA", str(tmp_path / "nowhere.pem"))
    done = cli("timestamp")
    assert done.exit_code == 1 and "Cannot read the authority certificates in" in done.output


def test_the_command_line_asks_briefly_after_an_add(vault_dir: Path, tsa: LocalTSA,
                                                     tmp_path: Path) -> None:  # fmt: skip
    (tmp_path / "a.txt").write_text("a threat")
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE}
    run = [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir)]
    added = subprocess.run(
        [*run, "add", str(tmp_path / "a.txt")], env=env, capture_output=True, text=True
    )
    assert added.returncode == 0 and "Time-stamped by an outside authority." in added.stderr
    tsa.stop()
    (tmp_path / "b.txt").write_text("another")
    added = subprocess.run(
        [*run, "add", str(tmp_path / "b.txt")], env=env, capture_output=True, text=True
    )
    assert added.returncode == 0 and "the time-stamp waits" in added.stderr
    counted = subprocess.run([*run, "timestamp", "--json"], env=env, capture_output=True, text=True)
    assert json.loads(counted.stdout) == {"stamped": 0, "pending": 1, "failed": 0}
