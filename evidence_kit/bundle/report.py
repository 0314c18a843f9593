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
from typing import Any

from evidence_kit.bundle.exhibits import Exhibit, Withheld, evidence_time, mapping
from evidence_kit.bundle.format import layout
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
    )


def _senders(vault: Any, item_id: int, limit: int = 12) -> str | None:
    seen: Counter[str] = Counter()
    for message in vault.messages(item_id, limit=20000):
        if message.get("sender") and not message.get("is_system"):
            seen[str(message["sender"])] += 1
    names = [name for name, _ in seen.most_common(limit)]
    return ", ".join(names) or None


def _policy(views: Sequence[ExhibitView], ctx: ReportContext) -> None:
    kinds = Counter(v.kind for v in views)
    shots = [v for v in views if v.kind in ("screenshot", "derived")]
    no_url = [v.label for v in shots if not v.place["url"]]
    no_platform = [v.label for v in shots if not v.place["platform"]]
    no_time = [v.label for v in views if v.local.startswith(UNKNOWN) and v.kind == "screenshot"]
    records = ", ".join(f"{count} {KIND_TITLES.get(k, k).lower()}" for k, count in kinds.items())
    ctx.policy = [
        ("Keep records of the abuse", "yes", f"{len(views)} exhibits: {records}."),
        (
            "Do not delete them",
            "yes",
            "Nothing can be deleted from the vault. "
            f"{ctx.withdrawn_in_scope} item(s) in scope were withdrawn by the sender "
            f"({ctx.withdrawn_left_out} of them left out of this bundle); the custody log "
            "records every withdrawal with its reason.",
        ),
        (
            "Take screen prints of messages or web pages",
            "yes" if shots else "none",
            f"{len(shots)} screen print(s), kept as captured (PNG, never re-encoded).",
        ),
        (
            "Record the time and date",
            "yes" if not no_time else "partly",
            "Each screen print has the instant of capture in UTC and local time with the zone."
            if not no_time
            else f"No local capture time for {', '.join(no_time)}.",
        ),
        (
            "Record the place (the site)",
            "yes" if shots and not no_url else ("partly" if shots else "n/a"),
            f"{len(shots) - len(no_url)} of {len(shots)} screen print(s) have a web address.",
        ),
    ]
    if no_url:
        ctx.missing.append(f"No web address (URL) recorded for: {', '.join(no_url)}.")
    if no_platform:
        ctx.missing.append(f"No platform recorded for: {', '.join(no_platform)}.")
    if no_time:
        ctx.missing.append(f"No local capture time for: {', '.join(no_time)}.")
    ctx.missing.append(
        "No RFC 3161 time-stamp tokens: no time-stamping authority was reachable; "
        "times are those of the sender's computer."
    )


def _days(vault: Any, views: Sequence[ExhibitView]) -> list[tuple[str, int, int]]:
    # An import counts on the days of its messages, not on the day it was imported.
    items: Counter[str] = Counter(v.utc[:10] for v in views if v.kind != "import")
    messages: Counter[str] = Counter()
    for v in views:
        if v.kind == "import":
            for message in vault.messages(v.item.id, limit=200000):
                stamp = message.get("sent_at_utc")
                if isinstance(stamp, str) and not message.get("is_system"):
                    messages[stamp[:10]] += 1
    days = sorted(set(items) | set(messages))
    return [(day, items[day], messages[day]) for day in days]


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
) -> ReportContext:
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
    _policy(views, ctx)
    ctx.days = _days(vault, views)
    if ctx.days:  # the evidence's own dates: capture times and message times
        ctx.date_from, ctx.date_to = ctx.days[0][0], ctx.days[-1][0]
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


def chart(
    days: Sequence[tuple[str, int, int]], width: int = 720, height: int = 180
) -> dict[str, Any]:
    """Bars for an inline SVG chart: items (dark) and messages (light) per day."""
    if not days:
        return {"bars": [], "width": width, "height": height, "max": 0}
    peak = max(max(i, m) for _, i, m in days) or 1
    slot = width / len(days)
    bar = min(max(1.0, slot / 2 - 1), width / 24)
    bars = []
    for index, (day, items, messages) in enumerate(days):
        x = index * slot
        for offset, count, kind in ((0.0, items, "items"), (bar, messages, "messages")):
            h = (height - 30) * count / peak
            bars.append({"x": round(x + offset, 1), "y": round(height - 20 - h, 1),
                         "w": round(bar, 1), "h": round(h, 1), "kind": kind,
                         "title": f"{day}: {count} {kind}"})  # fmt: skip
    labels = [
        {"x": round(i * slot, 1), "text": day}
        for i, (day, _, _) in enumerate(days)
        if i % max(1, len(days) // 8) == 0
    ]
    return {"bars": bars, "labels": labels, "width": width, "height": height, "max": peak}
