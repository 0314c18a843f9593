"""Screen capture on a real X server (Xvfb, two monitors side by side), through the CLI.

A known image is put on screen with python-xlib: the root window's background is a noise
pattern, and a top-level window with a known title and class shows another one (as its
background pixmap, which the server paints itself). Captures are decoded from the vault and
compared pixel for pixel. Xvfb must be installed: without it these tests fail, never skip.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from evidence_kit.clock import local_zone_name, parse_iso_utc
from evidence_kit.vault import Vault
from tests.capture.fakes import pattern
from tests.conftest import PASSPHRASE, Cli
from tests.support.xvfb import Xvfb, put_pixmap

MONITORS = [(640, 400), (320, 240)]
WINDOW_RECT = (100, 60, 200, 120)
TITLE = "Chat with Bully — évidence ✓"
WM_CLASS = ("evidencetest", "EvidenceTest")


@dataclass
class Screen:
    server: Xvfb
    conn: Any
    root: Any
    window: Any
    desktop: Image.Image  # what the whole screen shows, exactly

    @property
    def display(self) -> str:
        return self.server.display

    def activate_by_ewmh(self) -> None:
        atom = self.conn.intern_atom("_NET_ACTIVE_WINDOW")
        from Xlib import Xatom

        self.root.change_property(atom, Xatom.WINDOW, 32, [self.window.id])
        self.conn.sync()

    def activate_by_focus(self) -> None:
        from Xlib import X

        self.root.delete_property(self.conn.intern_atom("_NET_ACTIVE_WINDOW"))
        self.window.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.conn.sync()

    def activate_nothing(self) -> None:
        from Xlib import X

        self.root.delete_property(self.conn.intern_atom("_NET_ACTIVE_WINDOW"))
        self.conn.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
        self.conn.sync()


@pytest.fixture(scope="module")
def screen() -> Iterator[Screen]:
    from Xlib import X, Xatom, display

    with Xvfb(monitors=MONITORS) as server:
        conn = display.Display(server.display)
        try:
            root = conn.screen().root
            geometry = root.get_geometry()
            desktop = pattern(geometry.width, geometry.height, seed=11)
            root.change_attributes(background_pixmap=put_pixmap(conn, root, desktop))
            root.clear_area(0, 0, 0, 0)
            x, y, w, h = WINDOW_RECT
            content = pattern(w, h, seed=12)
            window = root.create_window(
                x, y, w, h, 0, 24, X.InputOutput, X.CopyFromParent,
                background_pixmap=put_pixmap(conn, root, content), override_redirect=False,
            )  # fmt: skip
            window.set_wm_name(TITLE.encode("ascii", "replace").decode())
            window.change_property(
                conn.intern_atom("_NET_WM_NAME"), conn.intern_atom("UTF8_STRING"), 8,
                TITLE.encode("utf-8"),
            )  # fmt: skip
            window.set_wm_class(*WM_CLASS)
            window.change_property(Xatom.WM_NAME, Xatom.STRING, 8, b"Chat with Bully")
            window.map()
            conn.sync()
            # wait until the server has mapped and painted it
            while window.get_attributes().map_state != X.IsViewable:
                conn.sync()
            desktop.paste(content, (x, y))
            root.change_property(Xatom.RESOURCE_MANAGER, Xatom.STRING, 8, b"Xft.dpi:\t144\n")
            conn.sync()
            yield Screen(server, conn, root, window, desktop)
        finally:
            conn.close()


def run_cli(screen: Screen, vault_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real program, in its own process, on the Xvfb display."""
    env = screen.server.env()
    env.update(EVIDENCE_KIT_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def x_env(screen: Screen) -> dict[str, str | None]:
    return {"DISPLAY": screen.display, "WAYLAND_DISPLAY": None, "XDG_SESSION_TYPE": "x11"}


def decoded(vault_dir: Path, item_id: int) -> Image.Image:
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        data = b"".join(vault.content(item_id))
        assert hashlib.sha256(data).hexdigest() == vault.item(item_id).sha256
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_all_monitors_through_the_program(screen: Screen, vault_dir: Path, tmp_path: Path) -> None:
    screen.activate_by_ewmh()
    before = datetime.now(UTC)
    result = run_cli(
        screen, vault_dir, "capture", "--all", "--json", "--url", "https://example.com/p/1",
        "--platform", "facebook", "--account", "@bully", "--description", "Threat in a comment",
    )  # fmt: skip
    after = datetime.now(UTC)
    assert result.returncode == 0, result.stderr
    (made,) = json.loads(result.stdout)
    assert before <= parse_iso_utc(made["captured_at_utc"]) <= after
    assert made["before_utc"] <= made["captured_at_utc"] <= made["after_utc"]
    assert made["timezone"] == local_zone_name()
    local = datetime.fromisoformat(made["captured_at_local"])
    assert local == parse_iso_utc(made["captured_at_utc"]) and local.utcoffset() is not None
    assert made["kind"] == "screenshot" and made["method"] == "all"
    assert (made["window_title"], made["application"]) == (TITLE, "EvidenceTest")
    assert (made["url"], made["platform"], made["account"]) == (
        "https://example.com/p/1", "Facebook", "@bully",
    )  # fmt: skip
    assert made["description"] == "Threat in a comment"
    # extracted as a recipient would, byte for byte, and decoded to exactly the screen's pixels
    out = tmp_path / "shot.png"
    extract = run_cli(screen, vault_dir, "extract", str(made["item_id"]), "--out", str(out))
    assert extract.returncode == 0, extract.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == made["sha256"]
    image = Image.open(out)
    assert image.size == screen.desktop.size == (960, 400)
    assert image.convert("RGB").tobytes() == screen.desktop.tobytes()
    pixels_sha256 = hashlib.sha256(image.convert("RGB").tobytes()).hexdigest()
    shown = run_cli(screen, vault_dir, "show", str(made["item_id"]), "--json")
    meta = json.loads(shown.stdout)["metadata"]
    assert meta["capture"]["monitors"] == [
        {"left": 0, "top": 0, "width": 640, "height": 400},
        {"left": 640, "top": 0, "width": 320, "height": 240},
    ]
    assert meta["place"]["window_source"] == "_NET_ACTIVE_WINDOW"
    assert meta["device"]["os_user"] and meta["device"]["hostname"]
    assert meta["capture"]["pixels_sha256"] == pixels_sha256  # checkable from the PNG alone
    assert meta["capture"]["scale"] == 1.5 and meta["capture"]["display_server"] == "X11"
    text = run_cli(screen, vault_dir, "show", str(made["item_id"])).stdout
    for shown_value in (TITLE, made["captured_at_local"], made["timezone"], "@bully", "Facebook"):
        assert shown_value in text


def test_region_keeps_frame_and_crop(screen: Screen, cli: Cli) -> None:
    result = cli("capture", "--region", "600,200,150,100", "--json", env=x_env(screen))  # type: ignore[arg-type]
    assert result.exit_code == 0, result.stderr
    full, crop = json.loads(result.stdout)
    assert crop["parent_id"] == full["item_id"] and crop["from_sha256"] == full["sha256"]
    assert crop["rectangle"] == [600, 200, 150, 100] and full["region"] == [600, 200, 150, 100]
    assert decoded(cli.vault_dir, full["item_id"]).tobytes() == screen.desktop.tobytes()
    expected = screen.desktop.crop((600, 200, 750, 300))
    assert decoded(cli.vault_dir, crop["item_id"]).tobytes() == expected.tobytes()


@pytest.mark.parametrize("how", ["ewmh", "focus"])
def test_active_window(screen: Screen, cli: Cli, how: str) -> None:
    screen.activate_by_ewmh() if how == "ewmh" else screen.activate_by_focus()
    result = cli("capture", "--window", "--json", env=x_env(screen))  # type: ignore[arg-type]
    assert result.exit_code == 0, result.stderr
    full, crop = json.loads(result.stdout)
    for made in (full, crop):
        assert (made["window_title"], made["application"]) == (TITLE, "EvidenceTest")
    assert crop["rectangle"] == list(WINDOW_RECT)
    x, y, w, h = WINDOW_RECT
    expected = screen.desktop.crop((x, y, x + w, y + h))
    assert decoded(cli.vault_dir, crop["item_id"]).tobytes() == expected.tobytes()
    with Vault.open(cli.vault_dir, PASSPHRASE) as vault:
        place = vault.item(full["item_id"]).metadata["place"]
    assert place["window_source"] == ("_NET_ACTIVE_WINDOW" if how == "ewmh" else "input focus")
    assert place["window_rectangle"] == list(WINDOW_RECT)


def test_no_active_window_known(screen: Screen, cli: Cli) -> None:
    screen.activate_nothing()
    refused = cli("capture", "--window", env=x_env(screen))  # type: ignore[arg-type]
    assert refused.exit_code == 1
    assert "cannot be known which window is active" in refused.stderr
    result = cli("capture", "--all", "--json", env=x_env(screen))  # type: ignore[arg-type]
    (made,) = json.loads(result.stdout)
    assert (made["window_title"], made["application"]) == ("not available", "not available")


def test_second_monitor(screen: Screen, cli: Cli) -> None:
    result = cli("capture", "--monitor", "2", "--json", env=x_env(screen))  # type: ignore[arg-type]
    assert result.exit_code == 0, result.stderr
    (made,) = json.loads(result.stdout)
    assert made["monitor"] == 2
    image = decoded(cli.vault_dir, made["item_id"])
    assert image.size == (320, 240)
    assert image.tobytes() == screen.desktop.crop((640, 0, 960, 240)).tobytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--monitor", "3"], "Error: There is no monitor 3: this computer has 2 monitors"),
        (["--region", "900,300,100,50"], "goes outside the screen, which is 960x400 at 0,0"),
    ],
)
def test_refusals_store_nothing(screen: Screen, cli: Cli, args: list[str], message: str) -> None:
    result = cli("capture", *args, "--json", env=x_env(screen))  # type: ignore[arg-type]
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""
    with Vault.open(cli.vault_dir, PASSPHRASE) as vault:
        assert vault.items() == []


def test_xvfb_is_required_not_skipped() -> None:
    from tests.support import xvfb

    assert xvfb.shutil.which("Xvfb"), "Xvfb must be installed for the capture tests"


def wait_until_shown(
    display: str, picture: Image.Image, at: tuple[int, int], title: str, timeout: float = 20
) -> None:
    """On a busy machine a toolkit may map, focus and paint a little after it says so."""
    import time

    import mss

    from evidence_kit.capture.place import active_window

    box = {"left": at[0], "top": at[1], "width": picture.width, "height": picture.height}
    deadline = time.monotonic() + timeout
    with mss.MSS(display=display) as screen:
        while True:
            shot = screen.grab(box)
            shown = Image.frombuffer("RGB", picture.size, bytes(shot.raw), "raw", "BGRX", 0, 1)
            if shown.tobytes() == picture.tobytes() and active_window(display).title == title:
                return
            assert time.monotonic() < deadline, "the Qt window was not shown and focused in time"
            time.sleep(0.1)


def test_a_qt_window_through_the_program(vault_dir: Path, tmp_path: Path) -> None:
    """A real toolkit's window (no window manager: found through the keyboard focus)."""
    picture = pattern(120, 80, seed=21)
    picture.save(tmp_path / "pattern.png")
    helper = Path(__file__).resolve().parent.parent / "support" / "qt_pattern_window.py"
    title = "Qt window — Ünïcode ✓"
    with Xvfb([(640, 480)]) as server:
        env = server.env()
        env["QT_QPA_PLATFORM"] = "xcb"
        window = subprocess.Popen(
            [sys.executable, str(helper), title, str(tmp_path / "pattern.png"), "50", "40"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert window.stdout is not None
            line = window.stdout.readline()
            assert line.startswith("ready"), window.stderr.read() if window.stderr else line
            wait_until_shown(server.display, picture, (50, 40), title)
            result = run_cli(
                Screen(server, None, None, None, picture), vault_dir, "capture", "--window",
                "--delay", "0.2", "--json",
            )  # fmt: skip
        finally:
            window.terminate()
            window.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    full, crop = json.loads(result.stdout)
    assert full["window_title"] == title
    assert full["application"] == "qt_pattern_window.py"
    assert crop["rectangle"] == [50, 40, 120, 80]
    assert decoded(vault_dir, crop["item_id"]).tobytes() == picture.tobytes()
    assert parse_iso_utc(full["before_utc"]) <= parse_iso_utc(full["captured_at_utc"])


def test_xwayland_is_recorded_and_said(screen: Screen, cli: Cli) -> None:
    env = {**x_env(screen), "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    result = cli("capture", "--all", "--json", env=env)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.stderr
    assert "only windows of X11 programs show in this capture" in result.stderr
    (made,) = json.loads(result.stdout)
    with Vault.open(cli.vault_dir, PASSPHRASE) as vault:
        assert vault.item(made["item_id"]).metadata["capture"]["display_server"] == "XWayland"


@pytest.mark.parametrize("target", ["all_monitors()", "active_window()"])
def test_after_preload_a_grab_imports_nothing(screen: Screen, target: str) -> None:
    """The command line imports what a grab uses before its capture is timed (`preload`): the
    grab itself, in a new process, then loads none of the modules it uses (~35 ms at first use)."""
    screen.activate_by_ewmh()
    code = (
        "import sys\n"
        "from evidence_kit.capture import Target, preload, take\n"
        "preload()\n"
        "before = set(sys.modules)\n"
        f"frame = take(Target.{target})\n"
        "assert frame.window.known and frame.pixels_sha256\n"
        "used = ('mss', 'Xlib', 'PIL', 'tzlocal', 'evidence_kit')\n"
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in used))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=screen.server.env(), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
