"""The computer a capture was made on: OS, host name, OS user, program version."""

from __future__ import annotations

import platform
import socket

from evidence_kit import PROGRAM_NAME, __version__


def device(os_user: str) -> dict[str, str]:
    """`{"os", "hostname", "os_user", "program"}` as the metadata contract names them."""
    system = platform.system() or "unknown"
    release = platform.release()
    if system == "Linux":
        try:
            pretty = platform.freedesktop_os_release().get("PRETTY_NAME")
        except OSError:
            pretty = None
        name = f"Linux {release}" + (f" ({pretty})" if pretty else "")
    elif system == "Darwin":
        name = f"macOS {platform.mac_ver()[0] or release}"
    elif system == "Windows":
        name = f"Windows {platform.version() or release}"
    else:
        name = f"{system} {release}".strip()
    return {
        "os": name,
        "hostname": socket.gethostname() or "not available",
        "os_user": os_user,
        "program": f"{PROGRAM_NAME} {__version__}",
    }
