"""`evidence-kit capture` refuses clearly, stores nothing, and exits non-zero."""

from __future__ import annotations

import sys

import pytest

from evidence_kit.vault import Vault
from tests.conftest import PASSPHRASE, Cli

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="DISPLAY and Wayland are X11/Linux matters"
)
NO_X = {"DISPLAY": None, "WAYLAND_DISPLAY": None, "XDG_SESSION_TYPE": None}


def nothing_stored(cli: Cli) -> None:
    with Vault.open(cli.vault_dir, PASSPHRASE) as vault:
        assert vault.items() == []
        assert [e.action for e in vault.custody_events()] == ["vault created"]


def one_sentence(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert lines[0].startswith("Error: ") and lines[0].endswith(".")
    assert "Traceback" not in stderr and len(lines) <= 2
    return lines[0]


def test_no_display(cli: Cli) -> None:
    result = cli("capture", "--json", env=NO_X)  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert one_sentence(result.stderr) == (
        "Error: There is no screen to capture: this session has no display."
    )
    assert result.stdout == ""
    nothing_stored(cli)


def test_wayland_without_x(cli: Cli) -> None:
    env = {**NO_X, "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    result = cli("capture", "--window", env=env)  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert "Wayland desktop does not let programs capture the screen" in one_sentence(result.stderr)
    assert "X11" in result.stderr
    nothing_stored(cli)


def test_display_that_cannot_be_reached(cli: Cli) -> None:
    result = cli("capture", env={"DISPLAY": ":4321", "WAYLAND_DISPLAY": None})  # type: ignore[dict-item]
    assert result.exit_code == 1
    assert one_sentence(result.stderr) == (
        "Error: Cannot connect to the display ':4321' to capture the screen."
    )
    nothing_stored(cli)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "1,2,3"], "is not four whole numbers X,Y,WIDTH,HEIGHT"),
        (["--region", "1,2,0,5"], "has no area"),
        (["--monitor", "1", "--window"], "Choose one of --all, --monitor, --region and --window"),
        (["--platform", "Myspace"], "Invalid value for '--platform'"),
    ],
)
def test_bad_arguments(cli: Cli, args: list[str], message: str) -> None:
    result = cli("capture", *args, env=NO_X)  # type: ignore[arg-type]
    assert result.exit_code == 2
    assert message in result.stderr
    nothing_stored(cli)
