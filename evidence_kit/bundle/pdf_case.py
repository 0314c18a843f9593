"""The printable report's case sections (the HTML report's, in the same order): the summary, the
statement, the incidents with their quoted messages, the chronology with its time-axis chart,
and what is missing."""

from __future__ import annotations

from fpdf import FPDF

from evidence_kit.bundle.pdf_layout import FONT, GREY, NAVY, grid, heading, pairs, para
from evidence_kit.bundle.report import ReportContext, chart

LIGHT = (143, 179, 217)


def summary(pdf: FPDF, ctx: ReportContext) -> None:
    cf = ctx.case_file
    heading(pdf, "Summary")
    span = f", from {cf.date_from} to {cf.date_to}" if cf.date_from else ""
    pairs(pdf, [
        ("Incidents", f"{len(cf.incidents)}{span}"),
        ("Evidence dates", f"{ctx.date_from} to {ctx.date_to}"),
        ("Exhibits", len(ctx.exhibits)),
        ("People", "\n".join(cf.people) or "none recorded"),
    ])  # fmt: skip
    heading(pdf, "Possible offences", 11)
    if not cf.offences:
        para(pdf, "No offence was tagged.")
    for title, said, needs in cf.offences:
        para(pdf, f"• {title}: {said} Needs: {needs}")
    heading(pdf, "Course of conduct", 11)
    for line in cf.conduct or ["No person is involved in two or more incidents on separate days."]:
        para(pdf, f"• {line}")
    pdf.ln(1)
    para(pdf, cf.not_advice, 8, GREY)


def statement(pdf: FPDF, ctx: ReportContext) -> None:
    heading(pdf, "Statement")
    text = ctx.case_file.statement
    if text is None:
        para(pdf, "No statement was written (see what is missing).")
        return
    para(pdf, "In the person's own words, exactly as written.", 8, GREY)
    para(pdf, text, 9.5)


def incidents(pdf: FPDF, ctx: ReportContext) -> None:
    heading(pdf, "Incidents")
    if not ctx.case_file.incidents:
        para(pdf, "No incidents are recorded for this case.")
    for view in ctx.case_file.incidents:
        i = view.incident
        heading(pdf, f"Incident {view.number} · {i.title}", 11)
        rows: list[tuple[str, object]] = [
            ("When", view.when + (f" until {view.until}" if view.until else ""))
        ]
        for name, value in (("What happened", i.what), ("Where", i.where),
                            ("People involved", "; ".join(view.people)),
                            ("Witnesses", "; ".join(view.witnesses)), ("Impact", i.impact),
                            ("Possible offences", "; ".join(view.offences)),
                            ("Report references", "; ".join(i.references))):  # fmt: skip
            if value:
                rows.append((name, value))
        rows.append(("Evidence", "; ".join(view.exhibits + view.ranges) or "none linked"))
        pairs(pdf, rows)
        for q in view.quoted:
            para(pdf, f"{q.label} #{q.index} · {q.when} · {q.who}"
                 + (" (deleted)" if q.deleted else ""), 7.5, GREY)  # fmt: skip
            para(pdf, q.text, 8.5)


def chronology(pdf: FPDF, ctx: ReportContext) -> None:
    heading(pdf, "Chronology")
    bars = chart(ctx.days, width=170, height=45)
    if bars["bars"]:
        top = pdf.get_y()
        left = pdf.l_margin
        for bar in bars["bars"]:
            pdf.set_fill_color(*(NAVY if bar["kind"] == "items" else LIGHT))
            if bar["h"] > 0:
                pdf.rect(left + bar["x"], top + bar["y"], bar["w"], bar["h"], style="F")
        pdf.set_fill_color(255, 255, 255)
        pdf.set_draw_color(170, 179, 191)
        pdf.line(left, top + 25, left + 170, top + 25)
        pdf.set_font(FONT, size=6.5)
        for tick in bars["ticks"]:
            pdf.line(left + tick["x"], top + 25, left + tick["x"], top + 26.5)
            pdf.text(left + tick["x"], top + 29.5, tick["text"])
        pdf.set_y(top + 32)
        para(pdf, "Each day at its place in time (UTC dates). Dark: exhibits per day; light: "
             f"messages per day. Highest bar: {bars['max']}.", 7.5, GREY)  # fmt: skip
    rows = [[r.local, r.utc, r.which, r.kind, r.label, r.summary] for r in ctx.case_file.chronology]
    grid(pdf, (38, 22, 17, 21, 17, 65),
         ("When (local, with zone)", "UTC", "Which time", "What", "Exhibit", "Summary"), rows)  # fmt: skip


def missing(pdf: FPDF, ctx: ReportContext) -> None:
    heading(pdf, "What is missing")
    for line in ctx.missing or ["Nothing we know of."]:
        para(pdf, f"• {line}")
