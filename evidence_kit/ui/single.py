"""One Evidence Kit per vault: a second start asks the first to show its window, then ends.

The first program listens on a local socket (QLocalServer) named for the vault folder and the
user; a second start connects, says "show", and quits — instead of saying the vault is in use
by a program the person cannot see.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 1500


def server_name(folder: Path) -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = ""
    key = hashlib.sha256(f"{user}\0{Path(folder).resolve()}".encode()).hexdigest()[:20]
    return f"evidence-kit-{key}"


def ask_first_to_show(folder: Path) -> bool:
    """True if another Evidence Kit has this vault open and was asked to show itself."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(folder))
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(b"show\n")
    socket.flush()
    socket.waitForBytesWritten(TIMEOUT_MS)
    socket.waitForReadyRead(TIMEOUT_MS)  # the first one answers once its window is up
    socket.disconnectFromServer()
    return True


class ShowRequests(QObject):
    """Listens for later starts; calls `show()` for each."""

    def __init__(self, folder: Path, show: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.show = show
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(folder)
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # left behind by a program that was killed
            self.server.listen(name)
        self.server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).strip() == b"show":
            self.show()
            socket.write(b"shown\n")
            socket.flush()
        socket.disconnectFromServer()
