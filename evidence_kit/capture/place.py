"""Which window is active, its title and application, as far as the platform lets us know.

X11: the window named by the root window's EWMH `_NET_ACTIVE_WINDOW` (set by every modern window
manager); where that is missing (no window manager, as on a bare Xvfb), the window holding the
keyboard focus (`XGetInputFocus`), walked up to the top-level window that carries a name. Title
from `_NET_WM_NAME` (UTF-8), else `WM_NAME`; application from `WM_CLASS` (its class part).
Windows: `GetForegroundWindow` / `GetWindowTextW` / the process image name. macOS: Quartz's
on-screen window list, where pyobjc is installed. Anything else: "not available" — never a guess.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

NOT_AVAILABLE = "not available"


@dataclass(frozen=True)
class WindowInfo:
    """The active window: title, application, rectangle (x, y, w, h in screen pixels), and how
    it was found (`source`: "_NET_ACTIVE_WINDOW", "input focus", "win32", "quartz" or NOT_AVAILABLE)."""

    title: str = NOT_AVAILABLE
    application: str = NOT_AVAILABLE
    rectangle: tuple[int, int, int, int] | None = None
    source: str = NOT_AVAILABLE

    @property
    def known(self) -> bool:
        return self.source != NOT_AVAILABLE


UNKNOWN = WindowInfo()


def active_window(display: str | None = None) -> WindowInfo:
    """The active window on this computer; UNKNOWN where it cannot be known. Never raises."""
    try:
        if sys.platform.startswith("win"):
            return _win32()
        if sys.platform == "darwin":
            return _quartz()
        return _x11(display)
    except Exception:  # a platform API refusing us is "not available", never a failed capture
        return UNKNOWN


# --- X11 ---------------------------------------------------------------------------------------


class X11Windows:
    """One X connection kept for several look-ups (python-xlib's connect costs ~20 ms)."""

    def __init__(self, display_name: str | None) -> None:
        self.display_name = display_name
        self._conn: Any = None

    def active(self) -> WindowInfo:
        """The active window; UNKNOWN where it cannot be known. Never raises."""
        try:
            if self._conn is None:
                from Xlib import display

                self._conn = display.Display(self.display_name)
            return _x11_active(self._conn)
        except Exception:  # a broken connection or a window that vanished: not available
            self.close()
            return UNKNOWN

    def scale(self) -> float | None:
        """The desktop's scale as X11 desktops set it (`Xft.dpi` / 96), None if unset."""
        try:
            if self._conn is None:
                from Xlib import display

                self._conn = display.Display(self.display_name)
            return _x11_scale(self._conn)
        except Exception:
            return None

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass


def _x11(display_name: str | None) -> WindowInfo:
    windows = X11Windows(display_name)
    try:
        return windows.active()
    finally:
        windows.close()


def _x11_active(conn: Any) -> WindowInfo:
    from Xlib import X

    root = conn.screen().root
    source = "_NET_ACTIVE_WINDOW"
    window = _net_active(conn, root)
    if window is None:
        source = "input focus"
        focus = conn.get_input_focus().focus
        if isinstance(focus, int) or focus in (X.NONE, X.PointerRoot) or focus == root:
            return UNKNOWN
        window = _named_ancestor(conn, focus, root)
    if window is None:
        return UNKNOWN
    return WindowInfo(
        title=_title(conn, window) or NOT_AVAILABLE,
        application=_application(window) or NOT_AVAILABLE,
        rectangle=_rectangle(conn, window, root),
        source=source,
    )


def _x11_scale(conn: Any) -> float | None:
    from Xlib import Xatom

    prop = conn.screen().root.get_full_property(Xatom.RESOURCE_MANAGER, Xatom.STRING)
    if prop is None:
        return None
    value = prop.value.decode("latin-1") if isinstance(prop.value, bytes) else str(prop.value)
    for line in value.splitlines():
        name, _, setting = line.partition(":")
        if name.strip() == "Xft.dpi":
            try:
                return round(float(setting.strip()) / 96, 3)
            except ValueError:
                return None
    return None


def display_scale() -> float | None:
    """The scale of the main display on Windows (DPI / 96); None elsewhere or when unknown."""
    if not sys.platform.startswith("win"):
        return None
    try:
        import ctypes

        dpi = int(ctypes.windll.user32.GetDpiForSystem())  # type: ignore[attr-defined]
    except Exception:  # older than Windows 10 1607
        return None
    return round(dpi / 96, 3) if dpi else None


def display_server() -> str:
    """What the pixels come from: "X11", "XWayland" (a Wayland desktop's X server, which
    shows only X programs' windows), "Windows" or "macOS"."""
    import os

    if sys.platform.startswith("win"):
        return "Windows"
    if sys.platform == "darwin":
        return "macOS"
    if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return "XWayland"
    return "X11"


def _net_active(conn: Any, root: Any) -> Any:
    prop = root.get_full_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), 0)  # AnyPropertyType
    if prop is None or not len(prop.value) or not prop.value[0]:
        return None
    return conn.create_resource_object("window", int(prop.value[0]))


def _named_ancestor(conn: Any, window: Any, root: Any) -> Any:
    """The focus may sit on a child (Qt puts it on a focus proxy): climb to a named window."""
    current = window
    while current is not None and current.id != root.id:
        if _title(conn, current) is not None or current.get_wm_class():
            return current
        current = current.query_tree().parent
    return None


def _title(conn: Any, window: Any) -> str | None:
    prop = window.get_full_property(
        conn.intern_atom("_NET_WM_NAME"), conn.intern_atom("UTF8_STRING")
    )
    if prop is not None and prop.value:
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    name = window.get_wm_name()
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return name or None


def _application(window: Any) -> str | None:
    wm_class = window.get_wm_class()
    if not wm_class:
        return None
    return str(wm_class[-1] or wm_class[0]) or None


def _rectangle(conn: Any, window: Any, root: Any) -> tuple[int, int, int, int]:
    geometry = window.get_geometry()
    origin = root.translate_coords(window, 0, 0)  # the window's top-left, in screen pixels
    x, y = int(origin.x), int(origin.y)
    left = top = right = bottom = 0
    extents = window.get_full_property(conn.intern_atom("_NET_FRAME_EXTENTS"), 0)
    if extents is not None and len(extents.value) == 4:
        left, right, top, bottom = (int(v) for v in extents.value)
    return (
        x - left,
        y - top,
        geometry.width + left + right,
        geometry.height + top + bottom,
    )


# --- Windows -----------------------------------------------------------------------------------


def _win32_api() -> tuple[Any, Any, Any]:
    """user32, kernel32 and dwmapi with the signatures of the calls we make declared: ctypes
    would otherwise take every result as a C int, cutting a 64-bit HWND or HANDLE."""
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    dwmapi = ctypes.WinDLL("dwmapi")  # type: ignore[attr-defined]
    user32.GetForegroundWindow.restype = wintypes.HWND
    user32.GetForegroundWindow.argtypes = []
    user32.GetWindowTextLengthW.restype = ctypes.c_int
    user32.GetWindowTextLengthW.argtypes = [wintypes.HWND]
    user32.GetWindowTextW.restype = ctypes.c_int
    user32.GetWindowTextW.argtypes = [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int]
    user32.GetWindowRect.restype = wintypes.BOOL
    user32.GetWindowRect.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.RECT)]
    user32.GetWindowThreadProcessId.restype = wintypes.DWORD
    user32.GetWindowThreadProcessId.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.QueryFullProcessImageNameW.restype = wintypes.BOOL
    kernel32.QueryFullProcessImageNameW.argtypes = [
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.LPWSTR,
        ctypes.POINTER(wintypes.DWORD),
    ]
    kernel32.CloseHandle.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    dwmapi.DwmGetWindowAttribute.restype = ctypes.c_long  # HRESULT
    dwmapi.DwmGetWindowAttribute.argtypes = [
        wintypes.HWND,
        wintypes.DWORD,
        ctypes.c_void_p,
        wintypes.DWORD,
    ]
    return user32, kernel32, dwmapi


DWMWA_EXTENDED_FRAME_BOUNDS = 9
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000


def _win32() -> WindowInfo:
    """Reviewed against Microsoft's documentation (packaging/windows/REVIEW.md); not run here."""
    import ctypes
    from ctypes import wintypes

    user32, kernel32, dwmapi = _win32_api()
    hwnd = user32.GetForegroundWindow()
    if not hwnd:
        return UNKNOWN
    length = user32.GetWindowTextLengthW(hwnd)
    buffer = ctypes.create_unicode_buffer(length + 1)
    user32.GetWindowTextW(hwnd, buffer, length + 1)
    rect = wintypes.RECT()
    rectangle = None
    # The visible frame in physical pixels; GetWindowRect adds invisible resize borders and,
    # for a program that is not DPI-aware, scales the coordinates.
    if dwmapi.DwmGetWindowAttribute(
        hwnd, DWMWA_EXTENDED_FRAME_BOUNDS, ctypes.byref(rect), ctypes.sizeof(rect)
    ) == 0 or user32.GetWindowRect(hwnd, ctypes.byref(rect)):
        rectangle = (rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top)
    application = NOT_AVAILABLE
    pid = wintypes.DWORD()
    user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
    process = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid.value)
    if process:
        try:
            size = wintypes.DWORD(1024)
            path = ctypes.create_unicode_buffer(size.value)
            if kernel32.QueryFullProcessImageNameW(process, 0, path, ctypes.byref(size)):
                application = path.value.rsplit("\\", 1)[-1]
        finally:
            kernel32.CloseHandle(process)
    return WindowInfo(buffer.value or NOT_AVAILABLE, application, rectangle, "win32")


# --- macOS -------------------------------------------------------------------------------------


def _quartz() -> WindowInfo:
    try:
        import Quartz  # pyobjc-framework-Quartz, optional
    except ImportError:
        return UNKNOWN
    options = Quartz.kCGWindowListOptionOnScreenOnly | Quartz.kCGWindowListExcludeDesktopElements
    for info in Quartz.CGWindowListCopyWindowInfo(options, Quartz.kCGNullWindowID) or []:
        if info.get("kCGWindowLayer", 1) != 0:
            continue  # the front-most normal window comes first
        bounds = info.get("kCGWindowBounds") or {}
        rectangle = None
        if bounds:
            rectangle = tuple(int(bounds[k]) for k in ("X", "Y", "Width", "Height"))
        return WindowInfo(
            title=str(
                info.get("kCGWindowName") or NOT_AVAILABLE
            ),  # needs Screen Recording permission
            application=str(info.get("kCGWindowOwnerName") or NOT_AVAILABLE),
            rectangle=rectangle,  # type: ignore[arg-type]
            source="quartz",
        )
    return UNKNOWN
