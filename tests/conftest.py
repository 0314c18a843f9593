"""Shared fixtures: every test gets its own vault in a temporary folder, never the user's."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner, Result

from evidence_kit.clock import FixedClock
from evidence_kit.vault import TEST_KDF, Vault
from tests.support.tsa import LocalTSA

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EVIDENCE_KIT_HOME points into a temporary folder, so nothing touches a real vault."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("EVIDENCE_KIT_HOME", str(home / "vault"))
    monkeypatch.delenv("EVIDENCE_KIT_PASSPHRASE", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # No test ever asks a real time-stamping authority: off unless a test starts its own on
    # 127.0.0.1 (tests/support/tsa.py) — subprocesses inherit this — and, in this process, any
    # other address fails the test outright.
    monkeypatch.setenv("EVIDENCE_KIT_TSA_URLS", "none")
    monkeypatch.delenv("EVIDENCE_KIT_TSA_CA", raising=False)
    from evidence_kit.timestamp import client

    real_ask = client.ask

    def loopback_only(url: str, request: bytes, timeout: float) -> client.Answer:
        host = urlparse(url).hostname
        assert host in ("127.0.0.1", "localhost"), f"a test tried to reach {url}"
        return real_ask(url, request, timeout)

    monkeypatch.setattr(client, "ask", loopback_only)


@pytest.fixture(scope="session")
def template_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A fresh vault made once (cheap KDF), copied for each test that wants one."""
    folder = tmp_path_factory.mktemp("template") / "vault"
    created = Vault.create(folder, PASSPHRASE, owner="Test Owner", kdf=TEST_KDF)
    created.vault.close()
    (folder / ".lock").unlink()
    return folder, created.recovery_code


@pytest.fixture
def vault_dir(template_vault: tuple[Path, str], tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(template_vault[0], folder)
    return folder


@pytest.fixture
def recovery_code(template_vault: tuple[Path, str]) -> str:
    return template_vault[1]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def vault(vault_dir: Path, clock: FixedClock) -> Iterator[Vault]:
    opened = Vault.open(vault_dir, PASSPHRASE, clock=clock)
    try:
        yield opened
    finally:
        opened.close()


class Cli:
    """Runs `evidence-kit` in-process against one vault folder, with the passphrase in the environment."""

    def __init__(self, vault_dir: Path) -> None:
        self.vault_dir = vault_dir
        self.runner = CliRunner()

    def __call__(
        self, *args: str, env: dict[str, str] | None = None, input: str | None = None
    ) -> Result:
        from evidence_kit.cli import cli

        full_env = {"EVIDENCE_KIT_PASSPHRASE": PASSPHRASE, **(env or {})}
        return self.runner.invoke(
            cli, ["--vault", str(self.vault_dir), *args], env=full_env, input=input
        )


@pytest.fixture
def cli(vault_dir: Path) -> Cli:
    return Cli(vault_dir)


# -- a local time-stamping authority (tests/support/tsa.py), trusted as a script would --


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
