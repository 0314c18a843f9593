"""`evidence-kit-gui`: the desktop program. `evidence-kit-gui --verify FILE` checks a bundle."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from evidence_kit import __version__
from evidence_kit.memory import steady_allocator
from evidence_kit.paths import default_vault_dir, resource_path
from evidence_kit.ui.errors import install_excepthook
from evidence_kit.ui.tasks import TaskRunner


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="evidence-kit-gui", description="Evidence Kit")
    parser.add_argument("--verify", metavar="FILE", type=Path, help="check a sealed bundle")
    parser.add_argument("--vault", metavar="DIR", type=Path, help="the vault folder")
    return parser.parse_args(argv)


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    QCoreApplication.setOrganizationName("EvidenceKit")
    QCoreApplication.setApplicationName("Evidence Kit")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(argv or ["evidence-kit-gui"])
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    """A few sizes and spacings; colours come from the system's own light or dark palette."""
    try:
        app.setStyleSheet(resource_path("style", "app.qss").read_text(encoding="utf-8"))
    except OSError:
        pass


def start(args: argparse.Namespace, runner: TaskRunner) -> QObject | None:
    """Open what was asked for: the Verify window, or the vault (first run or unlock).
    Returns the object that keeps it alive, or None when the person closed it (or when an
    Evidence Kit that already has this vault open was asked to show itself instead)."""
    if args.verify is not None:
        from evidence_kit.ui.dialogs.verify_window import VerifyWindow

        window = VerifyWindow()  # its own worker, with no vault
        window.show()
        window.check(args.verify)
        return window
    from evidence_kit.ui.session import Session
    from evidence_kit.ui.single import ShowRequests, ask_first_to_show

    folder = args.vault or default_vault_dir()
    if ask_first_to_show(folder):
        return None
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setQuitOnLastWindowClosed(False)  # the session decides: lock and quit, or the tray
    session = Session(folder, runner)
    session.requests = ShowRequests(folder, session.show_window, session)  # type: ignore[attr-defined]
    return session if session.start() else None


def no_screen_reason(env: dict[str, str], platform: str = sys.platform) -> str | None:
    """Why the program cannot show a window here (Linux/BSD with no display), or None."""
    if platform in ("win32", "darwin") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "Evidence Kit needs a screen, and this session has none (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set). Start it from your desktop, or use the `evidence-kit` command."
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    reason = no_screen_reason(dict(os.environ))
    if reason:
        print(f"Error: {reason}", file=sys.stderr)
        return 1
    steady_allocator()
    app = make_app(sys.argv[:1])
    install_excepthook()
    runner = TaskRunner()
    kept: QObject | None = None
    try:
        kept = start(args, runner)
        if kept is None:
            return 0
        return app.exec()
    finally:
        if isinstance(kept, QWidget):  # the Verify window stops its own worker
            kept.close()
        runner.stop()


if __name__ == "__main__":
    sys.exit(main())
