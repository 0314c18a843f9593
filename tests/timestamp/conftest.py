"""A local time-stamping authority (two, for the tests that need both), trusted through
EVIDENCE_KIT_TSA_CA and named in EVIDENCE_KIT_TSA_URLS, as a script would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.tsa import LocalTSA


@pytest.fixture
def tsa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalTSA]:
    authority = LocalTSA(tmp_path / "tsa")
    monkeypatch.setenv("EVIDENCE_KIT_TSA_URLS", authority.url)
    monkeypatch.setenv("EVIDENCE_KIT_TSA_CA", str(authority.root_pem))
    yield authority
    authority.stop()


@pytest.fixture
def second_tsa(
    tsa: LocalTSA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LocalTSA]:
    other = LocalTSA(tmp_path / "tsa2", name="Second Test TSA")
    both = tmp_path / "both-roots.pem"
    both.write_bytes(tsa.root_pem.read_bytes() + other.root_pem.read_bytes())
    monkeypatch.setenv("EVIDENCE_KIT_TSA_URLS", f"{tsa.url},{other.url}")
    monkeypatch.setenv("EVIDENCE_KIT_TSA_CA", str(both))
    yield other
    other.stop()
