"""A real X server for tests: `Xvfb` started on a free display number, and stopped again.

    with Xvfb(monitors=[(1280, 800), (1024, 768)]) as server:
        subprocess.run([...], env=server.env())

The display number comes from Xvfb itself (`-displayfd`), so parallel test workers never
collide. When Xvfb is not installed this raises (it never skips): the screen-capture tests
must run in CI.

Several monitors: `monitors=[(w, h), ...]` makes one X screen wide enough for all of them, side
by side from left to right (tops aligned), and declares each one as a RandR 1.5 monitor — what
desktop programs (mss, Qt, window managers) read as the monitor layout. `screens=` with
`xinerama=True` passes `-screen N` and `+xinerama` to Xvfb as asked, but note: Xvfb 21 places
every screen at 0,0 (its Xinerama heads overlap) and RandR then reports one monitor, so that
does not give a side-by-side layout; use `monitors=` for that.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

DEFAULT_SCREEN = (1024, 768)


class XvfbError(RuntimeError):
    """Xvfb is missing or did not start."""


class Xvfb:
    def __init__(
        self,
        screens: Sequence[tuple[int, int]] = (DEFAULT_SCREEN,),
        *,
        monitors: Sequence[tuple[int, int]] = (),
        xinerama: bool = False,
        depth: int = 24,
        extra_args: Sequence[str] = (),
        timeout: float = 20.0,
    ) -> None:
        if not screens:
            raise ValueError("Xvfb needs at least one screen")
        self.monitors = [(int(w), int(h)) for w, h in monitors]
        if self.monitors:
            screens = [(sum(w for w, _ in self.monitors), max(h for _, h in self.monitors))]
        self.screens = [(int(w), int(h)) for w, h in screens]
        self.xinerama = xinerama
        self.depth = depth
        self.extra_args = list(extra_args)
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.display = ""

    def start(self) -> Xvfb:
        binary = shutil.which("Xvfb")
        if binary is None:
            raise XvfbError(
                "Xvfb is not installed; the screen-capture tests need it "
                "(Debian: apt-get install xvfb, or `make system-deps`)."
            )
        read_fd, write_fd = os.pipe()
        args = [binary, "-displayfd", str(write_fd), "-nolisten", "tcp", "-noreset"]
        for number, (width, height) in enumerate(self.screens):
            args += ["-screen", str(number), f"{width}x{height}x{self.depth}"]
        if self.xinerama:
            args.append("+xinerama")
        args += self.extra_args
        self.process = subprocess.Popen(
            args,
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(write_fd)
        try:
            self.display = ":" + self._read_display(read_fd)
            if self.monitors:
                self._declare_monitors()
        except BaseException:
            self.stop()
            raise
        finally:
            os.close(read_fd)
        return self

    def _read_display(self, read_fd: int) -> str:
        deadline = time.monotonic() + self.timeout
        received = b""
        while not received.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(left, 0))
            if not ready:
                raise XvfbError(f"Xvfb did not start within {self.timeout:.0f} s")
            block = os.read(read_fd, 64)
            if not block:
                assert self.process is not None
                self.process.wait(timeout=5)
                err = (self.process.stderr.read() if self.process.stderr else b"").decode(
                    "utf-8", "replace"
                )
                raise XvfbError(f"Xvfb stopped at start (exit {self.process.returncode}): {err}")
            received += block
        return received.decode().strip()

    def monitor_rects(self) -> list[tuple[int, int, int, int]]:
        """(x, y, w, h) of each monitor, left to right."""
        rects, left = [], 0
        for width, height in self.monitors or self.screens[:1]:
            rects.append((left, 0, width, height))
            left += width
        return rects

    def _declare_monitors(self) -> None:
        from Xlib import display as xdisplay
        from Xlib.protocol import rq

        class SetMonitor(rq.Request):  # RandR 1.5 RRSetMonitor (python-xlib's own packs wrongly)
            _request = rq.Struct(
                rq.Card8("opcode"),
                rq.Opcode(43),
                rq.RequestLength(),
                rq.Window("window"),
                rq.Card32("name"),
                rq.Bool("primary"),
                rq.Bool("automatic"),
                rq.LengthOf("outputs", 2),
                rq.Int16("x"),
                rq.Int16("y"),
                rq.Card16("width"),
                rq.Card16("height"),
                rq.Card32("width_mm"),
                rq.Card32("height_mm"),
                rq.List("outputs", rq.Card32Obj),
            )

        conn = xdisplay.Display(self.display)
        try:
            root = conn.screen().root
            outputs = list(root.xrandr_get_screen_resources().outputs)
            opcode = conn.display.get_extension_major("RANDR")
            for number, (x, y, width, height) in enumerate(self.monitor_rects()):
                SetMonitor(
                    display=conn.display,
                    opcode=opcode,
                    window=root,
                    name=conn.intern_atom(f"TEST-MONITOR-{number + 1}"),
                    primary=number == 0,
                    automatic=False,
                    x=x,
                    y=y,
                    width=width,
                    height=height,
                    width_mm=width * 254 // 960,  # 96 dpi
                    height_mm=height * 254 // 960,
                    # the first takes over the screen's one output, so it replaces the automatic
                    # monitor that covers the whole screen; the others have none
                    outputs=outputs[:1] if number == 0 else [],
                )
            conn.sync()
        finally:
            conn.close()

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for a child process on this display (no Wayland)."""
        env = dict(os.environ if base is None else base)
        env["DISPLAY"] = self.display
        env.pop("WAYLAND_DISPLAY", None)
        env["XDG_SESSION_TYPE"] = "x11"
        return env

    def __enter__(self) -> Xvfb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def put_pixmap(conn: Any, drawable: Any, image: Any) -> Any:
    """A server-side pixmap (depth 24) holding a Pillow RGB `image`, sent in request-sized strips."""
    from Xlib import X

    pixmap = drawable.create_pixmap(image.width, image.height, 24)
    gc = pixmap.create_gc()
    data = image.tobytes("raw", "BGRX")
    line = image.width * 4
    rows = max(1, (conn.display.info.max_request_length * 4 - 64) // line)
    for top in range(0, image.height, rows):
        count = min(rows, image.height - top)
        chunk = data[top * line : (top + count) * line]
        pixmap.put_image(gc, 0, top, image.width, count, X.ZPixmap, 24, 0, chunk)
    gc.free()
    return pixmap


def paint_root(display: str, image: Any) -> None:
    """Show a Pillow RGB `image` (the screen's size) as the desktop background, exactly.

    The server paints it from then on, with no client holding it (RetainPermanent)."""
    from Xlib import X
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display)
    try:
        conn.set_close_down_mode(X.RetainPermanent)
        root = conn.screen().root
        root.change_attributes(background_pixmap=put_pixmap(conn, root, image))
        root.clear_area(0, 0, 0, 0)
        conn.sync()
    finally:
        conn.close()
