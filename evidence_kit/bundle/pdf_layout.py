"""The printable report's page: an A4 document with a footer, and the blocks it is built from
(headings, paragraphs, one-line tables and name/value lists) in DejaVu Sans."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.fonts import FontFace

from evidence_kit.bundle.report import visible

NAVY = (18, 51, 90)
GREY = (74, 85, 100)
FONT = "DejaVu"
HEAD = FontFace(emphasis="BOLD", fill_color=(232, 237, 243), color=NAVY)


class Document(FPDF):
    bundle_id = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 6, f"{self.bundle_id} · page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def as_text(value: Any) -> str:
    return visible("" if value is None else str(value))


def heading(pdf: FPDF, text: str, size: int = 14) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*NAVY)
    _text_block(pdf, size * 0.55, as_text(text))
    if size >= 14:
        pdf.set_draw_color(*NAVY)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
        pdf.ln(2.5)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=9)


def para(pdf: FPDF, text: str, size: float = 9, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    _text_block(pdf, size * 0.5, as_text(text))
    pdf.set_text_color(0, 0, 0)


def _text_block(pdf: FPDF, height: float, text: str) -> None:
    """Full-width text: one cell when it fits on a line (fpdf2's line breaking is slow)."""
    if "\n" not in text and pdf.get_string_width(text) < pdf.epw - 2:
        pdf.cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _line(pdf: FPDF) -> None:
    pdf.set_draw_color(215, 220, 226)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())


def grid(pdf: FPDF, widths: tuple[float, ...], header: tuple[str, ...], rows: list[list[str]],
         size: float = 7.5, extra: list[list[tuple[str, str]]] | None = None) -> None:  # fmt: skip
    """A table whose cells wrap only when they must (fpdf2's own table lays out every cell and
    is slow on long lists); `extra[i]` adds full-width (label, text) lines under row i."""
    height = size * 0.55

    def head() -> None:
        pdf.set_font(FONT, "B", size)
        pdf.set_fill_color(232, 237, 243)
        pdf.set_text_color(*NAVY)
        wrapped = [_lines(pdf, text, width) for width, text in zip(widths, header, strict=True)]
        tall = max(len(cell) for cell in wrapped) * height + 1
        top, x = pdf.get_y(), pdf.l_margin
        for width, cell in zip(widths, wrapped, strict=True):
            pdf.rect(x, top, width, tall, style="F")
            for number, line in enumerate(cell):
                pdf.set_xy(x, top + 0.5 + number * height)
                pdf.cell(width, height, line)
            x += width
        pdf.set_xy(pdf.l_margin, top + tall)
        pdf.set_text_color(0, 0, 0)
        pdf.set_fill_color(255, 255, 255)

    head()
    for index, row in enumerate(rows):
        lines = extra[index] if extra else []
        pdf.set_font(FONT, size=size)
        texts = [" ".join(as_text(text).split()) for text in row]
        wrapped = [_lines(pdf, text, width) for width, text in zip(widths, texts, strict=True)]
        tall = max(len(cell) for cell in wrapped) * height
        if pdf.get_y() + tall + height * len(lines) > pdf.page_break_trigger:
            pdf.add_page()
            head()
            pdf.set_font(FONT, size=size)
        top, x = pdf.get_y(), pdf.l_margin
        for width, cell in zip(widths, wrapped, strict=True):
            for number, line in enumerate(cell):  # every line of every cell: nothing cut
                pdf.set_xy(x, top + number * height)
                pdf.cell(width, height, line)
            x += width
        pdf.set_xy(pdf.l_margin, top + tall)
        for label, text in lines:
            pdf.set_font(FONT, size=size - 0.5)
            pdf.set_text_color(*GREY)
            pdf.cell(widths[0], height, "")
            shown = as_text(f"{label}: {text}")
            if pdf.get_string_width(shown) < sum(widths[1:]) - 2:
                pdf.cell(sum(widths[1:]), height, shown, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                pdf.multi_cell(sum(widths[1:]), height, shown, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
        _line(pdf)


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` as the lines it takes in a cell `width` mm wide (long words broken, never cut)."""
    if pdf.get_string_width(text) <= width - 1.5:
        return [text]
    found = pdf.multi_cell(width, 1, text, dry_run=True, output=MethodReturnValue.LINES)
    assert isinstance(found, list)  # what output=LINES gives
    return [str(line) for line in found] or [""]


def pairs(pdf: FPDF, rows: list[tuple[str, Any]]) -> None:
    for name, value in rows:
        if pdf.get_y() + 5 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.set_font(FONT, "B", 9)
        pdf.cell(45, 4.8, name)
        pdf.set_font(FONT, size=9)
        text = as_text(value)
        if "\n" not in text and pdf.get_string_width(text) < 133:  # one line: no line breaking
            pdf.cell(135, 4.8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.multi_cell(135, 4.8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _line(pdf)
