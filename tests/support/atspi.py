"""Reading the real program's windows through the accessibility tree (AT-SPI over D-Bus).

What a screen reader sees, a test sees: each control's accessible name, role, state (showing,
enabled, focused, checked) and where it is on the screen. The test then acts like a person —
with the mouse or the keyboard (xdotool) — at the place the tree gives. Nothing here calls into
the program or changes it; only read-only calls are made (no DoAction, no SetText).

Uses jeepney (pure-Python D-Bus). The session bus and the accessibility bus are started by
`tests.support.desktop.Desktop`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, DBusErrorResponse, MessageType, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

ROOT = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
COMPONENT = "org.a11y.atspi.Component"
TEXT = "org.a11y.atspi.Text"
PROPERTIES = "org.freedesktop.DBus.Properties"
# AT-SPI state numbers (atspi-constants.h)
STATES = {"enabled": 8, "focusable": 11, "focused": 12, "checked": 4, "selected": 23,
          "showing": 25, "visible": 30, "modal": 16, "active": 1}  # fmt: skip
# Views whose children are rows and cells: not walked unless asked (they can be thousands).
BIG = {"table", "tree table", "list", "tree", "cell", "table cell", "list item"}


class NotFound(AssertionError):
    pass


@dataclass(frozen=True)
class Node:
    bus: AtSpi
    name_owner: str
    path: str

    def _call(self, iface: str, method: str, sig: str | None = None, args: tuple = ()) -> Any:
        return self.bus.call(self.name_owner, self.path, iface, method, sig, args)

    def _prop(self, iface: str, name: str) -> Any:
        return self._call(PROPERTIES, "Get", "ss", (iface, name))[0][1]

    @property
    def name(self) -> str:
        return str(self._prop(ACCESSIBLE, "Name"))

    @property
    def description(self) -> str:
        return str(self._prop(ACCESSIBLE, "Description"))

    @property
    def role(self) -> str:
        return str(self._call(ACCESSIBLE, "GetRoleName")[0])

    def states(self) -> set[str]:
        bits = self._call(ACCESSIBLE, "GetState")[0]
        word = bits[0] | (bits[1] << 32)
        return {name for name, bit in STATES.items() if word >> bit & 1}

    def has(self, state: str) -> bool:
        return state in self.states()

    def children(self) -> list[Node]:
        return [Node(self.bus, str(owner), str(path))
                for owner, path in self._call(ACCESSIBLE, "GetChildren")[0]]  # fmt: skip

    def extents(self) -> tuple[int, int, int, int]:
        """x, y, width, height on the screen."""
        x, y, w, h = self._call(COMPONENT, "GetExtents", "u", (0,))[0]
        return int(x), int(y), int(w), int(h)

    def centre(self) -> tuple[int, int]:
        x, y, w, h = self.extents()
        return x + w // 2, y + h // 2

    def text(self) -> str:
        """The text of a label or a text box (its Text interface), else its name."""
        try:
            count = int(self._prop(TEXT, "CharacterCount"))
            return str(self._call(TEXT, "GetText", "ii", (0, count))[0])
        except Exception:
            return self.name

    def walk(self, *, into_big: bool = False, depth: int = 40) -> Iterator[Node]:
        """This node and everything under it (rows of lists and tables only with `into_big`)."""
        yield self
        if depth <= 0:
            return
        try:
            if not into_big and self.role in BIG:
                return
            children = self.children()
        except Exception:  # a window closing while it is read
            return
        for child in children:
            yield from child.walk(into_big=into_big, depth=depth - 1)

    def find_all(
        self, name: str | None = None, role: str | None = None, *, into_big: bool = False,
        where: Callable[[Node], bool] | None = None,
    ) -> list[Node]:  # fmt: skip
        found = []
        for node in self.walk(into_big=into_big):
            try:
                if name is not None and node.name != name:
                    continue
                if role is not None and node.role != role:
                    continue
                if where is not None and not where(node):
                    continue
            except Exception:
                continue
            found.append(node)
        return found

    def describe(self, depth: int = 0, limit: int = 4) -> str:
        """The tree under this node, for a failure message."""
        lines = []
        try:
            lines.append(f"{'  ' * depth}{self.role} {self.name!r} {self.extents()}")
            if depth < limit and self.role not in BIG:
                for child in self.children():
                    lines.append(child.describe(depth + 1, limit))
        except Exception as exc:
            lines.append(f"{'  ' * depth}(gone: {exc})")
        return "\n".join(lines)


class AtSpi:
    """The accessibility bus of one desktop session (its address comes from the session bus)."""

    def __init__(self, session_bus: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                session = open_dbus_connection(bus=session_bus)
                try:
                    bus = DBusAddress(
                        "/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus"
                    )
                    address = session.send_and_get_reply(
                        new_method_call(bus, "GetAddress"), timeout=5
                    ).body[0]
                finally:
                    session.close()
                self.conn: DBusConnection = open_dbus_connection(bus=address)
                self._kinds: dict[str, bool] = {}
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def close(self) -> None:
        self.conn.close()

    def call(
        self, owner: str, path: str, iface: str, method: str, sig: str | None, args: tuple,
        timeout: float = 10,
    ) -> Any:  # fmt: skip
        address = DBusAddress(path, bus_name=owner, interface=iface)
        message = (
            new_method_call(address, method, sig, args) if sig else new_method_call(address, method)
        )
        reply = self.conn.send_and_get_reply(message, timeout=timeout)
        if reply.header.message_type == MessageType.error:
            raise DBusErrorResponse(reply)
        return reply.body

    def applications(self) -> list[Node]:
        dbus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                           interface="org.freedesktop.DBus")  # fmt: skip
        names = self.conn.send_and_get_reply(new_method_call(dbus, "ListNames"), timeout=5).body[0]
        found = []
        for owner in (str(name) for name in names if str(name).startswith(":")):
            if owner not in self._kinds:  # asked once: a name that is no program never answers
                try:
                    reply = self.call(owner, ROOT, ACCESSIBLE, "GetRoleName", None, (), timeout=1)
                    self._kinds[owner] = reply[0] == "application"
                except TimeoutError:
                    self._kinds[owner] = False
                except Exception:  # not ready yet (a program still starting): ask again later
                    continue
            if self._kinds[owner]:
                found.append(Node(self, owner, ROOT))
        return found

    def windows(self) -> list[Node]:
        """Every top-level window of every program on the bus."""
        found = []
        for app in self.applications():
            try:
                found.extend(app.children())
            except Exception:
                continue
        return found

    def window(self, title: str, timeout: float = 30.0) -> Node:
        """The showing window called `title` (waits for it)."""

        def showing() -> Node | None:
            for window in self.windows():
                try:
                    if window.name == title and window.has("showing"):
                        return window
                except Exception:
                    continue
            return None

        return wait_for(
            showing, timeout, f"a window called {title!r}; windows now: {self.titles()}"
        )

    def titles(self) -> list[str]:
        titles = []
        for window in self.windows():
            try:
                titles.append(window.name)
            except Exception:
                continue
        return titles


def wait_for(get: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> Any:
    """Poll `get()` until it returns something truthy; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = get()
        except Exception:
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise NotFound(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)
