"""The printable report (fpdf2, DejaVu Sans so non-Latin text prints): the HTML report's content.

fpdf2 builds the document in memory, so pictures are printed as reduced copies and a very long
conversation is printed up to `MESSAGE_LIMIT` messages, with a pointer to the complete file.
"""

from __future__ import annotations

import io
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from evidence_kit.bundle import pdf_case
from evidence_kit.bundle.pdf_layout import (
    FONT,
    GREY,
    HEAD,
    NAVY,
    Document,
    as_text,
    grid,
    heading,
    pairs,
    para,
)
from evidence_kit.bundle.pictures import PICTURES_FULL, report_picture, small_picture
from evidence_kit.bundle.report import KIND_TITLES, ExhibitView, ReportContext
from evidence_kit.bundle.report_case import header_lines
from evidence_kit.bundle.report_threads import side
from evidence_kit.paths import resource_path
from evidence_kit.previews import Preview

MESSAGE_LIMIT = 1500


def _cover(pdf: FPDF, ctx: ReportContext) -> None:
    pdf.set_fill_color(*NAVY)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 8, f"  SEALED EVIDENCE BUNDLE · {ctx.bundle_id}", fill=True,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(4)
    heading(pdf, ctx.title, 18)
    pairs(pdf, [
        ("Bundle", ctx.bundle_id),
        ("Prepared for", ctx.audience_title),
        ("Compiled by", ctx.compiled_by + (f" ({ctx.organisation})" if ctx.organisation else "")),
        ("Case", ctx.case or "items chosen one by one"),
        ("Evidence dates", f"{ctx.date_from} to {ctx.date_to} (UTC)"),
        ("Sealed at", f"{ctx.sealed_at} (UTC)"),
        ("Exhibits", len(ctx.exhibits)),
        ("Seal key fingerprint", ctx.fingerprint),
        ("The same, to read aloud", ctx.read_aloud),
    ])  # fmt: skip
    pdf.ln(3)
    para(pdf, "Sealed means every file in this bundle is listed with its SHA-256 and SHA-512 "
         "fingerprint, and that list is signed with the key above: if any byte changes, the "
         "check fails. To check it, follow VERIFY.txt beside the bag folder (or run "
         "evidence-kit verify), and confirm the key fingerprint with the sender by another "
         "channel.", 10)  # fmt: skip
    pdf.ln(2)
    para(pdf, f"What this audience gets: {ctx.audience_rules}", 8.5, GREY)
    para(pdf, f"Time-stamp tokens: {ctx.timestamps_note}", 8.5, GREY)
    para(pdf, "A signature shows who sealed the bundle and that nothing changed since; it does "
         "not by itself prove that a screenshot is authentic. The capture times, places, "
         "original exports and the custody log give the content its weight.", 8.5, GREY)  # fmt: skip


def _policy(pdf: FPDF, ctx: ReportContext) -> None:
    heading(pdf, "Records kept under policy 2.8.3")
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
            row.cell(as_text(detail))


def _exhibit_list(pdf: FPDF, ctx: ReportContext) -> None:
    heading(pdf, "Exhibit list")
    rows = []
    extra = []
    for v in ctx.exhibits:
        rows.append([v.label + (" (withdrawn)" if v.withdrawn else ""), v.kind_title,
                     v.utc[:19].replace("T", " "), v.local, v.place["platform"] or "not recorded",
                     v.who or "not recorded"])  # fmt: skip
        extra.append([("Place / URL", v.place["url"] or v.place["window_title"] or "not recorded"),
                      ("SHA-256", v.sha256 or "(no file)")])  # fmt: skip
    grid(pdf, (14, 28, 30, 48, 24, 36),
         ("Label", "Kind", "Time (UTC)", "Local time and zone", "Platform", "Who"), rows,
         extra=extra)  # fmt: skip
    pdf.set_font(FONT, size=9)


def _covering_note(pdf: FPDF, ctx: ReportContext) -> None:
    if not ctx.covering_note:
        return
    heading(pdf, f"Covering note from {ctx.compiled_by}")
    para(pdf, "Written by the person who made this bundle, for you (also in "
         "case/covering-note.txt). It is their note, not part of the evidence.", 8, GREY)  # fmt: skip
    para(pdf, ctx.covering_note, 9)


def _withheld(pdf: FPDF, ctx: ReportContext) -> None:
    if not ctx.withheld:
        return
    heading(pdf, "What was withheld from this bundle")
    para(pdf, "These exhibits are part of the case but were not given to this audience. They stay "
         "in the sender's vault, unchanged; each is named by its label and SHA-256 (never its "
         "content), so a holder of the full record can match them.", 8, GREY)  # fmt: skip
    rows = [[w.label, KIND_TITLES.get(w.item.kind.value, w.item.kind.value), w.why]
            for w in ctx.withheld]  # fmt: skip
    extra = [[("SHA-256", w.item.sha256 or "(no file)")] for w in ctx.withheld]
    grid(pdf, (14, 36, 130), ("Label", "Kind", "Why"), rows, extra=extra)
    pdf.set_font(FONT, size=9)


def _picture(pdf: FPDF, shown: Preview | None, v: ExhibitView) -> None:
    if shown is None:
        para(pdf, "(This picture could not be shown; the exact file is in the bundle.)")
        return
    width = min(pdf.epw, shown.width * 25.4 / 110)  # never enlarged past about 110 dpi
    height = width * shown.height / max(1, shown.width)
    if height > pdf.eph * 0.8:
        height = pdf.eph * 0.8
        width = height * shown.width / max(1, shown.height)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y() + 2
    pdf.image(io.BytesIO(shown.data), x=pdf.l_margin, y=top, w=width, h=height)
    pdf.set_draw_color(170, 179, 191)
    pdf.set_line_width(0.2)
    pdf.rect(pdf.l_margin, top, width, height)
    pdf.set_y(top + height + 1)
    para(pdf, f"Printed smaller; the exact file is {v.path}.", 7.5, GREY)


def _details(pdf: FPDF, ctx: ReportContext, vault: Any) -> None:
    heading(pdf, "Exhibits in detail")
    pictures = 0
    for v in ctx.exhibits:
        heading(pdf, f"{v.label} · {v.kind_title}" + (f" · {v.withdrawn}" if v.withdrawn else ""),
                11)  # fmt: skip
        rows: list[tuple[str, Any]] = [
            ("File in this bundle", v.path or "(no file)"),
            ("Original file name", v.original_name or "not recorded"),
            ("Time (UTC)", f"{v.utc} ({v.which})"),
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
        pairs(pdf, rows)
        if v.is_image:
            large = pictures < PICTURES_FULL
            pictures += 1
            found = report_picture(vault, v.item) if large else small_picture(vault, v.item)
            _picture(pdf, found, v)
        pdf.ln(2)


def _conversations(pdf: FPDF, ctx: ReportContext, vault: Any) -> None:
    heading(pdf, "Conversations")
    if not ctx.threads:
        para(pdf, "No imported conversations in this bundle.")
    printed: dict[int, int] = {}  # per import: messages printed so far (up to MESSAGE_LIMIT)
    for thread in ctx.threads:
        done = printed.get(thread.item_id, 0)
        heading(pdf, f"{thread.label} · {thread.title} · {thread.counted}", 11)
        para(pdf, f"Between: {'; '.join(thread.sides) or 'no sender recorded'}. In the order "
             "they were sent.", 8, GREY)  # fmt: skip
        for m in vault.conversation_messages(thread.item_id, thread.name):
            if done >= MESSAGE_LIMIT:
                para(pdf, f"… more messages: the complete conversation {thread.label} is in its "
                     "messages.jsonl and in the HTML report.", 8, GREY)  # fmt: skip
                break
            done += 1
            _message(pdf, m, ctx)
        printed[thread.item_id] = done


def _message(pdf: FPDF, m: dict[str, Any], ctx: ReportContext) -> None:
    local = (m.get("sent_at_local") or "").replace("T", " ")
    utc = (m.get("sent_at_utc") or "")[:19].replace("T", " ")
    when = " · ".join(x for x in (local, f"{utc} UTC" if utc else "no time") if x)
    who = "System" if m.get("is_system") and not m.get("sender") else side(
        m.get("sender"), m.get("sender_id"), ctx.case_file.persons)  # fmt: skip
    flags = "".join(f" ({word})" for key, word in (("edited", "edited"),
                                                  ("deleted", "deleted in the chat")) if m.get(key))  # fmt: skip
    pdf.set_font(FONT, "B", 8)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 4, as_text(f"#{m.get('index')} · {when}  {who}{flags}"),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_text_color(0, 0, 0)
    for name, value in header_lines(m.get("extra")):
        para(pdf, f"{name}: {value}", 8, GREY)
    para(pdf, m.get("text") or "", 8.5)
    for ref in m.get("attachments") or []:
        state = "" if ref.get("present") else " (not in the export)"
        para(pdf, f"attachment: {ref.get('name')}{state}", 7.5, GREY)


def _custody(pdf: FPDF, ctx: ReportContext) -> None:
    heading(pdf, "Chain of custody")
    para(pdf, "Every act on the evidence in this bundle, in order. Each event's hash covers the "
         "event and the hash of the one before it; the full log is "
         "data/custody/continuity-log.jsonl. Acts on other evidence in the sender's vault appear "
         "only as links in that chain. The last event is this export.", 8, GREY)  # fmt: skip
    rows = [
        [e["seq"], e["at"][:19].replace("T", " "), e["who"], e["action"], e["subject"], e["hash"]]
        for e in ctx.custody_rows
    ]
    grid(pdf, (10, 30, 28, 36, 43, 33), ("#", "When (UTC)", "Who", "Act", "Subject", "Hash"), rows)


def render(ctx: ReportContext, vault: Any) -> bytes:
    pdf = Document(format="A4")
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
    _covering_note(pdf, ctx)
    pdf.add_page()
    pdf_case.summary(pdf, ctx)
    pdf_case.statement(pdf, ctx)
    pdf.add_page()
    pdf_case.incidents(pdf, ctx)
    pdf.add_page()
    pdf_case.chronology(pdf, ctx)
    pdf.add_page()
    _exhibit_list(pdf, ctx)
    _withheld(pdf, ctx)
    pdf.add_page()
    _details(pdf, ctx, vault)
    pdf.add_page()
    _conversations(pdf, ctx, vault)
    pdf.add_page()
    _policy(pdf, ctx)
    pdf_case.missing(pdf, ctx)
    pdf.add_page()
    _custody(pdf, ctx)
    return bytes(pdf.output())


def _when(text: str) -> Any:
    from evidence_kit.clock import parse_iso_utc

    return parse_iso_utc(text)
