"""A small Qt window showing a picture, for screen-capture tests on Xvfb (run as a subprocess).

    python tests/support/qt_pattern_window.py TITLE PICTURE.png X Y

Shows PICTURE at its exact pixel size at (X, Y), asks for keyboard focus, and prints
"ready <window id>" once it has been painted; it runs until terminated.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "0"
    os.environ["QT_SCALE_FACTOR"] = "1"
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication, QImage, QPixmap
    from PySide6.QtWidgets import QApplication, QLabel

    title, picture, x, y = argv[1], argv[2], int(argv[3]), int(argv[4])
    app = QApplication(argv[:1])
    image = QImage(picture)
    window = QLabel()
    window.setWindowTitle(title)
    window.setPixmap(QPixmap.fromImage(image))
    window.setContentsMargins(0, 0, 0, 0)
    window.setFixedSize(image.size())
    window.move(x, y)
    window.show()
    window.activateWindow()

    def ready() -> None:
        window.repaint()
        QGuiApplication.sync()
        print("ready", int(window.winId()), flush=True)

    QTimer.singleShot(300, ready)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
