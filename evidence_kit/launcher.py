"""`evidence-kit-gui`: starts the desktop program where it is installed, and otherwise says
plainly how to get it.

`pip install evidence-kit` is the command line alone (no Qt); the desktop program comes with
`pip install 'evidence-kit[gui]'` or a packaged build. This module lives outside `ui/` so that it
can run without PySide6: it imports the GUI only once it knows PySide6 imports.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

EXIT_NOT_INSTALLED = 1

NOT_INSTALLED = (
    "The Evidence Kit desktop program is not installed here: this is the command-line version "
    "(evidence-kit), which works without it.\n"
    "To add the desktop program, run:\n"
    "    pip install 'evidence-kit[gui]'\n"
    "or install a packaged build of Evidence Kit for Windows, macOS or Linux (see the README)."
)


def qt_problem() -> str | None:
    """Why the desktop program cannot start (PySide6 missing or broken), or None."""
    try:
        import PySide6.QtWidgets  # noqa: F401  (the one module the program cannot do without)
    except ImportError as exc:
        if getattr(exc, "name", None) in ("PySide6", "shiboken6"):
            return NOT_INSTALLED
        return (
            "The Evidence Kit desktop program cannot start: its Qt libraries (PySide6) are "
            f"installed but do not load ({exc}). On Linux, install the system libraries Qt needs "
            "(packaging/install-system-deps.sh lists them); elsewhere, reinstall Evidence Kit."
        )
    return None


def _tell(message: str) -> None:
    """Show `message` where the person will see it: stderr, or a message box on Windows, where
    a gui-script has no console."""
    if sys.stderr is not None:
        print(f"Error: {message}", file=sys.stderr)
        return
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, message, "Evidence Kit", 0x10)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None, *, problem: Callable[[], str | None] = qt_problem) -> int:
    found = problem()
    if found is not None:
        _tell(found)
        return EXIT_NOT_INSTALLED
    from evidence_kit.ui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
