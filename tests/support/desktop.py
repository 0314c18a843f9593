"""A desktop for journey tests: Xvfb, a window manager (openbox), a session D-Bus with the
accessibility bus, and the real `evidence-kit-gui` started in it — driven only as a person
drives it: keys and mouse through xdotool, controls found in the accessibility tree.

    with Desktop(tmp_path, (1280, 800)) as desk:
        app = desk.start_program()
        window = desk.atspi.window("Evidence Kit — set up your vault")
        desk.click(desk.find(window, "Passphrase"))
        desk.type("a long passphrase")
        desk.shot("first run")
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from tests.support.atspi import AtSpi, Node, wait_for
from tests.support.xvfb import Xvfb, XvfbError

SPI_LAUNCHER = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")


def program() -> str:
    """The installed `evidence-kit-gui` of this environment (the venv's entry point)."""
    beside = Path(sys.executable).with_name("evidence-kit-gui")
    if beside.exists():
        return str(beside)
    found = shutil.which("evidence-kit-gui")
    if found is None:
        raise XvfbError("evidence-kit-gui is not installed (pip install -e .)")
    return found


class Desktop:
    def __init__(
        self,
        home: Path,
        screen: tuple[int, int] = (1280, 800),
        *,
        shots: Path | None = None,
        font_dpi: int | None = None,
    ) -> None:
        self.home = home
        self.screen = screen
        self.shots = shots or home / "screenshots"
        self.font_dpi = font_dpi
        self.xvfb = Xvfb([screen])
        self._processes: list[subprocess.Popen[bytes]] = []
        self.shot_count = 0
        self.env: dict[str, str] = {}

    # -- the session -------------------------------------------------------------------------

    def __enter__(self) -> Desktop:
        for tool in ("openbox", "xdotool", "dbus-daemon"):
            if shutil.which(tool) is None:
                raise XvfbError(f"{tool} is not installed (`make system-deps`)")
        launcher = next((p for p in SPI_LAUNCHER if Path(p).exists()), None)
        if launcher is None:
            raise XvfbError("at-spi2-core is not installed (`make system-deps`)")
        self.xvfb.start()
        try:
            self._session(launcher)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _session(self, launcher: str) -> None:
        for sub in ("config", "data", "cache", "runtime"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.home / "runtime", 0o700)
        env = self.xvfb.env({
            key: value for key, value in os.environ.items()
            if not key.startswith(("QT_", "DBUS_", "XDG_", "EVIDENCE_KIT_"))
        })  # fmt: skip
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            XDG_RUNTIME_DIR=str(self.home / "runtime"),
            LANG="en_GB.UTF-8",
            TZ="Europe/London",
            NO_AT_BRIDGE="0",
        )
        daemon = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            env=env, capture_output=True, text=True, timeout=20, check=True,
        )  # fmt: skip
        address, pid = daemon.stdout.split()[:2]
        self._dbus_pid = int(pid)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        self.env = env
        self._spawn([launcher, "--launch-immediately"])
        self._spawn(["openbox", "--sm-disable"])
        wait_for(self._wm_running, 20, "the window manager")
        self.atspi = AtSpi(address)

    def _wm_running(self) -> bool:
        found = subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=self.env, capture_output=True,
            text=True, timeout=10,
        )  # fmt: skip
        return "window id" in found.stdout

    def _spawn(self, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            args, env=env or self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self._processes.append(process)
        return process

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if getattr(self, "atspi", None) is not None:
            try:
                self.atspi.close()
            except Exception:
                pass
        for process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if getattr(self, "_dbus_pid", None):
            try:
                os.kill(self._dbus_pid, 15)
            except OSError:
                pass
        self.xvfb.stop()

    # -- the program -----------------------------------------------------------------------

    def program_env(self, vault: Path) -> dict[str, str]:
        env = dict(self.env)
        env.update(
            EVIDENCE_KIT_HOME=str(vault),
            QT_QPA_PLATFORM="xcb",
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            QT_ACCESSIBILITY="1",
            QT_ENABLE_HIGHDPI_SCALING="0",
        )
        if self.font_dpi:
            env["QT_FONT_DPI"] = str(self.font_dpi)
        # The tests' choice of time-stamping authority ("none", or the fake one on 127.0.0.1)
        # goes to the program too: it never asks a real one.
        for key in ("EVIDENCE_KIT_TSA_URLS", "EVIDENCE_KIT_TSA_CA"):
            if key in os.environ:
                env[key] = os.environ[key]
        env.setdefault("EVIDENCE_KIT_TSA_URLS", "none")
        return env

    def start_program(self, vault: Path, *args: str) -> subprocess.Popen[bytes]:
        """The real `evidence-kit-gui`, as a person starts it (its output kept for failures)."""
        log = (self.home / f"program-{len(self._processes)}.log").open("wb")
        process = subprocess.Popen(
            [program(), *args], env=self.program_env(vault), stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self._processes.append(process)
        return process

    def start_helper(self, script: str, *args: str) -> subprocess.Popen[bytes]:
        """Another program on the desktop (a small Qt window from tests/support)."""
        root = Path(__file__).resolve().parents[2]
        env = dict(self.env, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(root))
        return self._spawn([sys.executable, str(root / script), *args], env)

    # -- a person's hands ------------------------------------------------------------------------

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30
        )
        if done.returncode != 0:
            raise AssertionError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def key(self, *keys: str) -> None:
        """Press keys (xdotool names: Tab, Return, ctrl+l, alt+n, shift+Tab, Down…)."""
        self.xdotool("key", "--delay", "40", *keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "15", "--", text)

    def click(self, node: Node) -> None:
        x, y = node.centre()
        self.click_at(x, y)

    def click_at(self, x: int, y: int, button: int = 1) -> None:
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", str(button))

    def double_click(self, node: Node) -> None:
        x, y = node.centre()
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", "--repeat", "2", "1")

    def drag(
        self,
        start: tuple[int, int],
        end: tuple[int, int],
        steps: int = 8,
        during: Callable[[], object] | None = None,
    ) -> None:
        """Press, move in steps, (call `during` before letting go), release."""
        self.xdotool("mousemove", "--sync", str(start[0]), str(start[1]), "mousedown", "1")
        for step in range(1, steps + 1):
            x = start[0] + (end[0] - start[0]) * step // steps
            y = start[1] + (end[1] - start[1]) * step // steps
            self.xdotool("mousemove", "--sync", str(x), str(y))
        if during is not None:
            during()
        self.xdotool("mouseup", "1")

    def window_geometry(self, title: str) -> tuple[int, int, int, int]:
        """The X window's outer place and size, as the window manager placed it."""
        wid = self.xdotool("search", "--sync", "--onlyvisible", "--name", f"^{title}$").split()[0]
        out = self.xdotool("getwindowgeometry", "--shell", wid)
        values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    # -- seeing -----------------------------------------------------------------------------

    def shot(self, name: str) -> Path:
        """A screenshot of the whole screen, numbered in the order taken."""
        import mss
        import mss.tools

        self.shots.mkdir(parents=True, exist_ok=True)
        self.shot_count += 1
        path = self.shots / f"{self.shot_count:02d}-{name.replace(' ', '-')}.png"
        opener = getattr(mss, "MSS", None) or mss.mss
        with opener(display=self.xvfb.display) as grabber:
            grabbed = grabber.grab(grabber.monitors[0])
            mss.tools.to_png(grabbed.rgb, grabbed.size, output=str(path))
        return path

    def settle(self, seconds: float = 0.3) -> None:
        """Let a repaint reach the screen before a screenshot (never used to wait for work)."""
        time.sleep(seconds)
