"""The printable report (fpdf2, DejaVu Sans so non-Latin text prints): the HTML report's content.

fpdf2 builds the document in memory, so pictures are printed as reduced copies and a very long
conversation is printed up to `MESSAGE_LIMIT` messages, with a pointer to the complete file.
"""

from __future__ import annotations

import io
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from evidence_kit.bundle.report import (
    ExhibitView,
    ReportContext,
    chart,
    preview,
    reduce_picture,
    visible,
)
from evidence_kit.paths import resource_path

MESSAGE_LIMIT = 1500
PICTURES_FULL = 24  # pictures printed large; the rest as the vault's thumbnails
NAVY = (18, 51, 90)
GREY = (74, 85, 100)
FONT = "DejaVu"
HEAD = FontFace(emphasis="BOLD", fill_color=(232, 237, 243), color=NAVY)


class _Document(FPDF):
    bundle_id = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 6, f"{self.bundle_id} · page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _t(value: Any) -> str:
    return visible("" if value is None else str(value))


def _heading(pdf: FPDF, text: str, size: int = 14) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*NAVY)
    _text_block(pdf, size * 0.55, _t(text))
    if size >= 14:
        pdf.set_draw_color(*NAVY)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
        pdf.ln(2.5)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=9)


def _para(pdf: FPDF, text: str, size: float = 9, colour: tuple[int, int, int] = (0, 0, 0)) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    _text_block(pdf, size * 0.5, _t(text))
    pdf.set_text_color(0, 0, 0)


def _text_block(pdf: FPDF, height: float, text: str) -> None:
    """Full-width text: one cell when it fits on a line (fpdf2's line breaking is slow)."""
    if "\n" not in text and pdf.get_string_width(text) < pdf.epw - 2:
        pdf.cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` mm in the current font (one line)."""
    text = " ".join(text.split())
    if pdf.get_string_width(text) <= width - 1.5:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if pdf.get_string_width(text[:mid] + "…") <= width - 1.5:
            low = mid
        else:
            high = mid - 1
    return text[:low] + "…"


def _line(pdf: FPDF) -> None:
    pdf.set_draw_color(215, 220, 226)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())


def _grid(pdf: FPDF, widths: tuple[float, ...], header: tuple[str, ...], rows: list[list[str]],
          size: float = 7.5, extra: list[list[tuple[str, str]]] | None = None) -> None:  # fmt: skip
    """A table of one-line cells (fpdf2's own table wraps every cell and is slow on long
    lists); `extra[i]` adds full-width (label, text) lines under row i."""
    height = size * 0.55

    def head() -> None:
        pdf.set_font(FONT, "B", size)
        pdf.set_fill_color(232, 237, 243)
        pdf.set_text_color(*NAVY)
        for width, text in zip(widths, header, strict=True):
            pdf.cell(width, height + 1, _fit(pdf, text, width), fill=True)
        pdf.ln(height + 1)
        pdf.set_text_color(0, 0, 0)
        pdf.set_fill_color(255, 255, 255)

    head()
    for index, row in enumerate(rows):
        lines = extra[index] if extra else []
        if pdf.get_y() + height * (1 + len(lines)) > pdf.page_break_trigger:
            pdf.add_page()
            head()
        pdf.set_font(FONT, size=size)
        for width, text in zip(widths, row, strict=True):
            pdf.cell(width, height, _fit(pdf, _t(text), width))
        pdf.ln(height)
        for label, text in lines:
            pdf.set_font(FONT, size=size - 0.5)
            pdf.set_text_color(*GREY)
            pdf.cell(widths[0], height, "")
            shown = _t(f"{label}: {text}")
            if pdf.get_string_width(shown) < sum(widths[1:]) - 2:
                pdf.cell(sum(widths[1:]), height, shown, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                pdf.multi_cell(sum(widths[1:]), height, shown, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
        _line(pdf)


def _pairs(pdf: FPDF, rows: list[tuple[str, Any]]) -> None:
    for name, value in rows:
        if pdf.get_y() + 5 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.set_font(FONT, "B", 9)
        pdf.cell(45, 4.8, name)
        pdf.set_font(FONT, size=9)
        text = _t(value)
        if "\n" not in text and pdf.get_string_width(text) < 133:  # one line: no line breaking
            pdf.cell(135, 4.8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.multi_cell(135, 4.8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _line(pdf)


def _cover(pdf: FPDF, ctx: ReportContext) -> None:
    pdf.set_fill_color(*NAVY)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 8, f"  SEALED EVIDENCE BUNDLE · {ctx.bundle_id}", fill=True,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(4)
    _heading(pdf, ctx.title, 18)
    _pairs(pdf, [
        ("Bundle", ctx.bundle_id),
        ("Prepared for", ctx.audience_title),
        ("Compiled by", ctx.compiled_by + (f" ({ctx.organisation})" if ctx.organisation else "")),
        ("Case", ctx.case or "items chosen one by one"),
        ("Evidence dates", f"{ctx.date_from} to {ctx.date_to} (UTC)"),
        ("Sealed at", f"{ctx.sealed_at} (UTC)"),
        ("Exhibits", len(ctx.exhibits)),
        ("Seal key fingerprint", ctx.fingerprint),
    ])  # fmt: skip
    pdf.ln(3)
    _para(pdf, "Sealed means every file in this bundle is listed with its SHA-256 and SHA-512 "
          "fingerprint, and that list is signed with the key above: if any byte changes, the "
          "check fails. To check it, follow VERIFY.txt beside the bag folder (or run "
          "evidence-kit verify), and confirm the key fingerprint with the sender by another "
          "channel.", 10)  # fmt: skip
    pdf.ln(2)
    _para(pdf, f"What this audience gets: {ctx.audience_rules}", 8.5, GREY)
    _para(pdf, f"Time-stamp tokens: {ctx.timestamps_note}", 8.5, GREY)
    _para(pdf, "A signature shows who sealed the bundle and that nothing changed since; it does "
          "not by itself prove that a screenshot is authentic. The capture times, places, "
          "original exports and the custody log give the content its weight.", 8.5, GREY)  # fmt: skip


def _policy(pdf: FPDF, ctx: ReportContext) -> None:
    _heading(pdf, "Records kept under policy 2.8.3")
    with pdf.table(
        col_widths=(50, 18, 112),
        line_height=4.6,
        padding=1,
        text_align="LEFT",
        headings_style=HEAD,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        header = table.row()
        for text in ("The policy asks", "Done", "In this bundle"):
            header.cell(text)
        for what, status, detail in ctx.policy:
            row = table.row()
            row.cell(what)
            row.cell(status)
            row.cell(_t(detail))
    if ctx.missing:
        pdf.ln(2)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(0, 5, "What is missing", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for line in ctx.missing:
            _para(pdf, f"• {line}")


def _timeline(pdf: FPDF, ctx: ReportContext) -> None:
    _heading(pdf, "Timeline")
    bars = chart(ctx.days, width=180, height=45)
    if bars["bars"]:
        top = pdf.get_y()
        for bar in bars["bars"]:
            pdf.set_fill_color(*(NAVY if bar["kind"] == "items" else (143, 179, 217)))
            if bar["h"] > 0:
                pdf.rect(pdf.l_margin + bar["x"], top + bar["y"], bar["w"], bar["h"], style="F")
        pdf.set_fill_color(255, 255, 255)
        pdf.set_font(FONT, size=6.5)
        for label in bars["labels"]:
            pdf.text(pdf.l_margin + label["x"], top + 45 - 14, label["text"])
        pdf.set_y(top + 36)
        _para(pdf, f"Dark: exhibits per day; light: messages per day. Highest bar: {bars['max']}.",
              7.5, GREY)  # fmt: skip
    with pdf.table(
        col_widths=(35, 17, 128),
        line_height=4.4,
        padding=1,
        text_align="LEFT",
        headings_style=HEAD,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        header = table.row()
        for text in ("When (UTC)", "Exhibit", "What and where"):
            header.cell(text)
        for v in ctx.exhibits:
            row = table.row()
            row.cell(v.utc[:19].replace("T", " "))
            row.cell(v.label)
            where = " ".join(x for x in (v.place["platform"], v.place["url"]) if x)
            row.cell(_t(f"{v.kind_title}{': ' + v.description if v.description else ''}"
                        f"{' · ' + where if where else ''}"))  # fmt: skip


def _exhibit_list(pdf: FPDF, ctx: ReportContext) -> None:
    _heading(pdf, "Exhibit list")
    rows = []
    extra = []
    for v in ctx.exhibits:
        rows.append([v.label + (" (withdrawn)" if v.withdrawn else ""), v.kind_title,
                     v.utc[:19].replace("T", " "), v.local, v.place["platform"] or "not recorded",
                     v.who or "not recorded"])  # fmt: skip
        extra.append([("Place / URL", v.place["url"] or v.place["window_title"] or "not recorded"),
                      ("SHA-256", v.sha256 or "(no file)")])  # fmt: skip
    _grid(pdf, (14, 28, 30, 48, 24, 36),
          ("Label", "Kind", "Time (UTC)", "Local time and zone", "Platform", "Who"), rows,
          extra=extra)  # fmt: skip
    pdf.set_font(FONT, size=9)


def _picture(pdf: FPDF, reduced: tuple[bytes, str] | None, v: ExhibitView) -> None:
    if reduced is None:
        _para(pdf, "(This picture could not be shown; the exact file is in the bundle.)")
        return
    from PIL import Image

    small = reduced[0]
    with Image.open(io.BytesIO(small)) as image:
        width_px, height_px = image.size
    width = min(pdf.epw, width_px * 25.4 / 110)  # never enlarged past about 110 dpi
    height = width * height_px / max(1, width_px)
    if height > pdf.eph * 0.8:
        height = pdf.eph * 0.8
        width = height * width_px / max(1, height_px)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y() + 2
    pdf.image(io.BytesIO(small), x=pdf.l_margin, y=top, w=width, h=height)
    pdf.set_draw_color(170, 179, 191)
    pdf.set_line_width(0.2)
    pdf.rect(pdf.l_margin, top, width, height)
    pdf.set_y(top + height + 1)
    _para(pdf, f"Printed smaller; the exact file is {v.path}.", 7.5, GREY)


class _Pictures:
    """Reduced copies made on two threads a few pictures ahead of the page being laid out
    (the vault is read on this thread; at most `ahead` pictures' bytes are held at once)."""

    def __init__(self, vault: Any, views: list[ExhibitView], ahead: int = 3) -> None:
        self.vault = vault
        self.views = [v for v in views if v.is_image]
        self.position = {id(v): index for index, v in enumerate(self.views)}
        self.ahead = ahead
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.futures: dict[int, Future[tuple[bytes, str] | None]] = {}
        self.next = 0

    def _submit_upto(self, position: int) -> None:
        while self.next < len(self.views) and self.next <= position + self.ahead:
            v = self.views[self.next]
            if self.next < PICTURES_FULL:
                data = b"".join(self.vault.content(v.item.id))
                self.futures[self.next] = self.pool.submit(reduce_picture, data, 1280)
            else:
                done: Future[tuple[bytes, str] | None] = Future()
                done.set_result(preview(self.vault, v.item, 320))
                self.futures[self.next] = done
            self.next += 1

    def get(self, v: ExhibitView) -> tuple[bytes, str] | None:
        position = self.position[id(v)]
        self._submit_upto(position)
        return self.futures.pop(position).result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _details(pdf: FPDF, ctx: ReportContext, vault: Any) -> None:
    _heading(pdf, "Exhibits in detail")
    pictures = _Pictures(vault, ctx.exhibits)
    try:
        _detail_pages(pdf, ctx, pictures)
    finally:
        pictures.close()


def _detail_pages(pdf: FPDF, ctx: ReportContext, pictures: _Pictures) -> None:
    for v in ctx.exhibits:
        _heading(pdf, f"{v.label} · {v.kind_title}" + (f" · {v.withdrawn}" if v.withdrawn else ""),
                 11)  # fmt: skip
        rows: list[tuple[str, Any]] = [
            ("File in this bundle", v.path or "(no file)"),
            ("Original file name", v.original_name or "not recorded"),
            ("Time (UTC)", v.utc),
            ("Local time and zone", v.local),
            ("Web address (URL)", v.place["url"] or "not recorded"),
            ("Platform", v.place["platform"] or "not recorded"),
            ("Account / who", v.who or "not recorded"),
            ("Window", v.place["window_title"] or "not recorded"),
        ]
        for name, value in (("Capture", v.method), ("Device and program", v.device),
                            ("Derived from", v.parent), ("What happened", v.description)):  # fmt: skip
            if value:
                rows.append((name, value))
        if v.import_format:
            rows.append(("Export format", f"{v.import_format} ({v.message_count} messages)"))
        rows.append(("SHA-256", v.sha256 or "(no file)"))
        rows.extend(("Note", note) for note in v.notes)
        _pairs(pdf, rows)
        if v.is_image:
            _picture(pdf, pictures.get(v), v)
        pdf.ln(2)


def _conversations(pdf: FPDF, ctx: ReportContext, vault: Any) -> None:
    _heading(pdf, "Imported conversations")
    imports = [v for v in ctx.exhibits if v.kind == "import"]
    if not imports:
        _para(pdf, "No imported conversations in this bundle.")
    for v in imports:
        _heading(pdf, f"{v.label} · {v.original_name or ''} · {v.message_count} messages", 11)
        for count, m in enumerate(vault.messages(v.item.id)):
            if count >= MESSAGE_LIMIT:
                _para(pdf, f"… {v.message_count - MESSAGE_LIMIT} more messages: the complete "
                      f"conversation is in data/{v.exhibit.folder}/messages.jsonl and in the "
                      "HTML report.", 8, GREY)  # fmt: skip
                break
            when = (m.get("sent_at_utc") or "")[:19].replace("T", " ")
            pdf.set_font(FONT, "B", 8)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(0, 4, _t(f"{when} UTC  {m.get('sender') or ''}"),
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
            pdf.set_text_color(0, 0, 0)
            _para(pdf, m.get("text") or "", 8.5)
            for ref in m.get("attachments") or []:
                _para(pdf, f"attachment: {ref.get('name')}", 7.5, GREY)


def _custody(pdf: FPDF, ctx: ReportContext) -> None:
    _heading(pdf, "Chain of custody")
    _para(pdf, "Every act on the evidence, in order. Each event's hash covers the event and the "
          "hash of the one before it; the full log is data/custody/continuity-log.jsonl. The "
          "last event is this export.", 8, GREY)  # fmt: skip
    rows = [
        [str(e["seq"]), str(e["at"])[:19].replace("T", " "), str(e["actor"]["owner"]),
         str(e["action"]), str(e["subject"] or ""), str(e["hash"])[:16] + "…"]
        for e in ctx.custody
    ]  # fmt: skip
    _grid(pdf, (10, 32, 30, 36, 44, 28), ("#", "When (UTC)", "Who", "Act", "Subject", "Hash"), rows)


def render(ctx: ReportContext, vault: Any) -> bytes:
    pdf = _Document(format="A4")
    pdf.bundle_id = ctx.bundle_id
    pdf.set_title(f"{ctx.title} ({ctx.bundle_id})")
    pdf.set_author(ctx.compiled_by)
    pdf.set_creator("Evidence Kit")
    pdf.set_creation_date(_when(ctx.sealed_at))
    pdf.add_font(FONT, "", str(resource_path("fonts", "DejaVuSans.ttf")))
    pdf.add_font(FONT, "B", str(resource_path("fonts", "DejaVuSans-Bold.ttf")))
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    _cover(pdf, ctx)
    pdf.add_page()
    _policy(pdf, ctx)
    _timeline(pdf, ctx)
    pdf.add_page()
    _exhibit_list(pdf, ctx)
    pdf.add_page()
    _details(pdf, ctx, vault)
    pdf.add_page()
    _conversations(pdf, ctx, vault)
    pdf.add_page()
    _custody(pdf, ctx)
    return bytes(pdf.output())


def _when(text: str) -> Any:
    from evidence_kit.clock import parse_iso_utc

    return parse_iso_utc(text)
