"""What the report inside a bundle says (`build`): the exhibits as views, the policy checklist,
the timeline; rendered by `report_html` and `pdf`.

Everything from evidence is text to the report: `visible` shows invisible and bidi control
characters as visible codes wherever a value is printed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from evidence_kit.bundle import report_records
from evidence_kit.bundle.exhibits import Exhibit, Withheld, evidence_time, mapping
from evidence_kit.bundle.format import layout
from evidence_kit.bundle.report_case import CaseSection, build_case
from evidence_kit.bundle.report_threads import Thread, threads
from evidence_kit.casefile.model import CaseFile
from evidence_kit.model import Item, ItemKind

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
KIND_TITLES = {
    "screenshot": "Screenshot",
    "derived": "Crop / redacted copy",
    "import": "Message export",
    "attachment": "Attachment from an export",
    "file": "File",
    "note": "Written statement",
}
UNKNOWN = "not recorded"


def visible(text: str) -> str:
    """Invisible and direction-changing characters shown as codes (`[U+202E]`)."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def _text(value: Any) -> str | None:
    if value is None or value == "" or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, str) and value.strip().lower() in {"not available", "unknown", "none"}:
        return None
    return str(value)


@dataclass
class ExhibitView:
    exhibit: Exhibit
    label: str
    kind: str
    kind_title: str
    utc: str
    local: str
    sha256: str | None
    size: int | None
    path: str | None
    original_name: str | None
    media_type: str | None
    place: dict[str, str | None]
    who: str | None
    description: str | None
    notes: list[str]
    parent: str | None
    method: str | None
    device: str | None
    withdrawn: str | None
    is_image: bool
    message_count: int = 0
    import_format: str | None = None
    which: str = ""  # which time `utc` is: "sent", "captured", "file's own time", "added"

    @property
    def item(self) -> Item:
        return self.exhibit.item


@dataclass
class ReportContext:
    bundle_id: str
    audience: str
    audience_title: str
    audience_rules: str
    compiled_by: str
    organisation: str | None
    title: str
    case: str | None
    sealed_at: str
    fingerprint: str
    read_aloud: str
    date_from: str | None
    date_to: str | None
    timestamps_note: str
    exhibits: list[ExhibitView]
    custody: list[dict[str, Any]]
    withdrawn_left_out: int
    withdrawn_in_scope: int
    policy: list[tuple[str, str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    days: list[tuple[str, int, int]] = field(default_factory=list)  # (day, items, messages)
    withheld: list[Withheld] = field(default_factory=list)  # in scope, not for this audience
    covering_note: str = ""  # a rep's note to the recipient (case/covering-note.txt)
    case_file: CaseSection = field(default_factory=lambda: CaseSection(name=""))
    threads: list[Thread] = field(default_factory=list)  # every import's, in exhibit order

    @property
    def custody_rows(self) -> list[dict[str, str]]:
        return custody_rows(self.custody)


def _local(capture: dict[str, Any], fallback_utc: str) -> str:
    local = _text(capture.get("captured_at_local"))
    zone = _text(capture.get("timezone"))
    if local is None:
        return UNKNOWN
    offset = local[26:] if len(local) > 26 else _text(capture.get("utc_offset")) or ""
    return f"{local[:19].replace('T', ' ')} {offset} {zone or ''}".strip()


def view(exhibit: Exhibit, vault: Any) -> ExhibitView:
    item = exhibit.item
    meta = exhibit.metadata
    capture = mapping(meta.get("capture"))
    place_raw = mapping(meta.get("place"))
    place = {
        key: _text(place_raw.get(key))
        for key in ("url", "platform", "account", "window_title", "application")
    }
    device_raw = mapping(meta.get("device"))
    device = ", ".join(
        str(device_raw[k]) for k in ("program", "os", "hostname", "os_user") if device_raw.get(k)
    )
    utc = evidence_time(item)
    parent = None
    if exhibit.parent is not None:
        sha = exhibit.parent.sha256 or ""
        parent = (
            f"made from {exhibit.parent_label}"
            if exhibit.parent_label
            else f"made from an original not included here (SHA-256 {sha})"
        )
    derived = mapping(meta.get("derived")) or None
    if derived and parent:
        parent += f"; {derived.get('operation', 'derived')}"
        if derived.get("rectangle"):
            parent += f" {derived['rectangle']}"
    imp = mapping(meta.get("import"))
    who = place["account"]
    if item.kind == ItemKind.IMPORT:
        who = _senders(vault, item.id) or who
    return ExhibitView(
        exhibit=exhibit,
        label=exhibit.label,
        kind=item.kind.value,
        kind_title=KIND_TITLES.get(item.kind.value, item.kind.value),
        utc=utc,
        local=_local(capture, utc),
        sha256=item.sha256,
        size=item.size if item.sha256 else None,
        path=exhibit.path,
        original_name=item.original_name,
        media_type=item.media_type,
        place=place,
        who=who,
        description=_text(meta.get("description")),
        notes=[note.text for note in item.notes],
        parent=parent,
        method=_text(capture.get("method")),
        device=device or None,
        withdrawn=(
            f"withdrawn {item.withdrawal.at:%Y-%m-%d}: {item.withdrawal.reason}"
            if item.withdrawal
            else None
        ),
        is_image=(item.media_type or "") in IMAGE_TYPES and item.sha256 is not None,
        message_count=exhibit.message_count,
        import_format=_text(imp.get("label")) or _text(imp.get("format")),
        which=item.evidence_time.which.value,
    )


def _senders(vault: Any, item_id: int, limit: int = 12) -> str | None:
    seen: Counter[str] = Counter()
    for message in vault.messages(item_id, limit=20000):
        if message.get("sender") and not message.get("is_system"):
            seen[str(message["sender"])] += 1
    names = [name for name, _ in seen.most_common(limit)]
    return ", ".join(names) or None


def build(
    vault: Any,
    plan: Sequence[Exhibit],
    options: Any,
    *,
    bundle_id: str,
    sealed_at: str,
    fingerprint: str,
    read_aloud: str,
    custody: list[dict[str, Any]],
    asked: Sequence[Item],
    withdrawn_left_out: int,
    timestamps_note: str,
    withheld: Sequence[Withheld] = (),
    casefile: CaseFile | None = None,
    unwitnessed: Sequence[str] | None = None,  # labels of exhibits with no time-stamp token
) -> ReportContext:
    """Everything the HTML and the PDF print, read from the vault here (on its own thread).
    `casefile` is the case's incidents, people, statement and chronology (empty when the
    bundle is not of a case or nothing is recorded)."""
    case = casefile if casefile is not None else CaseFile(case_name=options.case or "")
    views = [view(exhibit, vault) for exhibit in plan]
    times = sorted(v.utc for v in views)
    ctx = ReportContext(
        bundle_id=bundle_id,
        audience=options.audience,
        audience_title=layout.AUDIENCE_TITLES[options.audience],
        audience_rules=layout.AUDIENCE_RULES[options.audience],
        compiled_by=options.contact_name or vault.owner,
        organisation=options.organisation,
        title=options.title or "Evidence of online bullying and harassment",
        case=options.case,
        sealed_at=sealed_at,
        fingerprint=fingerprint,
        read_aloud=read_aloud,
        date_from=times[0][:10] if times else None,
        date_to=times[-1][:10] if times else None,
        timestamps_note=timestamps_note,
        exhibits=views,
        custody=custody,
        withdrawn_left_out=withdrawn_left_out,
        withdrawn_in_scope=sum(1 for item in asked if item.withdrawn),
        withheld=list(withheld),
        covering_note=(getattr(options, "covering_note", None) or "").strip(),
    )
    ctx.case_file = build_case(vault, case, plan, withheld, views)
    found = report_records.scan(vault, views)
    ctx.days = found.days
    if ctx.days:  # the evidence's own dates: capture times and message times
        ctx.date_from, ctx.date_to = ctx.days[0][0], ctx.days[-1][0]
    if ctx.case_file.date_from and ctx.case_file.date_to:  # and the incidents'
        ctx.date_from = min(filter(None, (ctx.date_from, ctx.case_file.date_from)))
        ctx.date_to = max(filter(None, (ctx.date_to, ctx.case_file.date_to)))
    ctx.policy = report_records.policy(views, asked, vault.owner, withdrawn_left_out, found)
    with_files = sum(1 for exhibit in plan if exhibit.file)
    if unwitnessed is not None and len(unwitnessed) >= with_files:
        unwitnessed = None  # none witnessed: said as no token at all
    ctx.missing = report_records.missing(views, ctx.case_file, found, unwitnessed)
    ctx.threads = [t for v in views if v.kind == "import"
                   for t in threads(vault, v.item.id, v.label, case.people)]  # fmt: skip
    return ctx


def custody_rows(records: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """The custody log for people: each whole event a row; each run of links (acts on evidence
    that is not in this bundle) one row that says so, without saying what they were."""
    rows: list[dict[str, str]] = []
    run: list[dict[str, Any]] = []

    def close_run() -> None:
        if run:
            first, last = run[0]["seq"], run[-1]["seq"]
            rows.append({
                "seq": str(first) if first == last else f"{first}–{last}",
                "at": "", "who": "",
                "action": f"{len(run)} other act(s), on evidence not in this bundle (not shown)",
                "subject": "", "hash": str(run[-1]["hash"])[:16] + "…",
            })  # fmt: skip
            run.clear()

    for record in records:
        if set(record) == {"seq", "hash", "prev_hash"}:
            run.append(record)
            continue
        close_run()
        actor = record.get("actor") or {}
        who = str(actor.get("owner", ""))
        if actor.get("os_user") and actor.get("os_user") != who:
            who += f" ({actor['os_user']})"
        rows.append({
            "seq": str(record["seq"]), "at": str(record["at"]), "who": visible(who),
            "action": visible(str(record["action"])), "subject": visible(str(record["subject"] or "")),
            "hash": str(record["hash"])[:16] + "…",
        })  # fmt: skip
    close_run()
    return rows


DAY_STEPS = (1, 2, 7, 14, 28, 91, 182, 364, 728)


def chart(
    days: Sequence[tuple[str, int, int]], width: int = 720, height: int = 180
) -> dict[str, Any]:
    """Bars for an inline SVG chart on a real time axis: items (dark) and messages (light) per
    day, each day at its place in time (a week's gap is seven times a day's), dates as ticks."""
    if not days:
        return {"bars": [], "ticks": [], "width": width, "height": height, "max": 0}
    dates = [date.fromisoformat(day) for day, _, _ in days]
    first = dates[0]
    span = (dates[-1] - first).days + 1  # days on the axis, the last one included
    slot = width / span
    bar = max(0.6, min(slot / 2 - 0.5, width / 24))
    peak = max(max(i, m) for _, i, m in days) or 1
    bars = []
    for when, (day, items, messages) in zip(dates, days, strict=True):
        x = (when - first).days * slot
        for offset, count, kind in ((0.0, items, "items"), (bar, messages, "messages")):
            h = (height - 30) * count / peak
            bars.append({"x": round(x + offset, 2), "y": round(height - 20 - h, 2),
                         "w": round(bar, 2), "h": round(h, 2), "kind": kind,
                         "title": f"{day}: {count} {kind}"})  # fmt: skip
    step = next((s for s in DAY_STEPS if span / s <= 7), max(1, span // 7))
    ticks = [
        {"x": round(n * slot, 2), "text": (first + timedelta(days=n)).isoformat()}
        for n in range(0, span, step)
    ]
    return {"bars": bars, "ticks": ticks, "width": width, "height": height, "max": peak}
