"""Layouts hold with real content: 200-character names, at 1024×700 with 100% text and at
1920×1080 with 200% text (QT_FONT_DPI), on a real X server with a window manager. Nothing off
the screen, nothing outside its window, no wrapped text cut off, long text elided with the whole
of it in a tooltip (see layout_child.py). Pictures of each screen are kept in the test's folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.desktop import Desktop

pytestmark = pytest.mark.xvfb
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("screen", "dpi"), [((1024, 700), 96), ((1920, 1080), 192)], ids=["1024x700", "1920x1080-200%"]
)
def test_every_screen_fits_with_long_names(
    tmp_path: Path, screen: tuple[int, int], dpi: int
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "screens"
    out.mkdir()
    print(f"\nscreens at {screen} ({dpi} dpi text): {out}")
    with Desktop(home, screen, font_dpi=dpi) as desk:
        env = desk.program_env(home / "unused-vault")
        env["PYTHONPATH"] = str(ROOT)
        done = subprocess.run(
            [sys.executable, str(ROOT / "tests/e2e/layout_child.py"), str(out)],
            env={**env, "PATH": os.environ.get("PATH", "")}, capture_output=True, text=True,
            timeout=240, cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 0 and "done" in done.stdout, done.stderr[-3000:]
    problems = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert problems == [], "\n".join(json.dumps(p) for p in problems)
    assert len(list(out.glob("*.png"))) == 9
