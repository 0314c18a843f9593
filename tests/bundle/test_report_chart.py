"""The timeline chart's real time axis, and PDF tables whose cells wrap instead of being cut."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from evidence_kit.bundle.pdf_layout import FONT, Document, grid
from evidence_kit.bundle.report import chart
from evidence_kit.paths import resource_path


def _items_x(days: list[tuple[str, int, int]]) -> list[float]:
    return [bar["x"] for bar in chart(days)["bars"] if bar["kind"] == "items"]


def test_the_axis_is_proportional_a_week_is_seven_days() -> None:
    first, second, third = _items_x([("2026-11-01", 1, 0), ("2026-11-02", 2, 0),
                                     ("2026-11-09", 1, 4)])  # fmt: skip
    assert third - second == pytest.approx(7 * (second - first), rel=1e-3)
    # not one slot per day that has evidence, as a bar chart of categories would be
    assert third - second > 3 * (second - first)


def test_ticks_are_dates_at_their_place_on_the_axis() -> None:
    days = [("2026-10-25", 1, 3), ("2026-11-20", 0, 2), ("2026-11-24", 1, 5)]
    drawn = chart(days, width=700)
    ticks = drawn["ticks"]
    assert ticks[0] == {"x": 0.0, "text": "2026-10-25"}
    per_day = 700 / ((date(2026, 11, 24) - date(2026, 10, 25)).days + 1)
    for tick in ticks:
        offset = (date.fromisoformat(tick["text"]) - date(2026, 10, 25)).days
        assert tick["x"] == pytest.approx(offset * per_day, abs=0.01)
    assert 3 <= len(ticks) <= 8
    steps = {
        (date.fromisoformat(b["text"]) - date.fromisoformat(a["text"])).days
        for a, b in itertools.pairwise(ticks)
    }
    assert len(steps) == 1  # evenly spaced dates
    # the bars stay inside the chart
    assert all(b["x"] >= 0 and b["x"] + b["w"] <= 700 + 0.01 for b in drawn["bars"])


def test_a_long_case_gets_few_ticks_and_one_day_gets_one() -> None:
    start = date(2025, 1, 1)
    days = [((start + timedelta(days=n)).isoformat(), 1, 0) for n in range(0, 700, 9)]
    assert 2 <= len(chart(days)["ticks"]) <= 8
    one = chart([("2026-03-14", 2, 5)])
    assert [t["text"] for t in one["ticks"]] == ["2026-03-14"]
    assert chart([])["bars"] == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_grid_cells_wrap_and_keep_every_character(tmp_path: Path) -> None:
    url = "https://example.org/" + "".join(f"segment{n:03d}-" for n in range(25))
    url = url[:300]
    pdf = Document(format="A4")
    pdf.add_font(FONT, "", str(resource_path("fonts", "DejaVuSans.ttf")))
    pdf.add_font(FONT, "B", str(resource_path("fonts", "DejaVuSans-Bold.ttf")))
    pdf.add_page()
    grid(pdf, (20, 20, 40), ("Label", "Kind", "A very long heading for a narrow column"),
         [["TO/1", "Screenshot", url], ["TO/2", "File", "short"]])  # fmt: skip
    out = tmp_path / "grid.pdf"
    pdf.output(str(out))
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    joined = "".join(text.split())
    assert url in joined
    assert "Averylongheadingforanarrowcolumn" in joined
    assert "…" not in text
    assert joined.index(url) < joined.index("TO/2")  # the next row starts below the wrapped one
