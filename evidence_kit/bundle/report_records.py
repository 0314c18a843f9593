"""What the report says about the records themselves: the policy 2.8.3 checklist, told honestly
(a chat in which a message was deleted is not "nothing deleted"; a screen print's time is when
it was taken, not when it was posted), and **what is missing**, in plain words.

One pass over each conversation's messages (`scan`) gives the days for the chart, the messages
marked deleted and the files the export left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evidence_kit.bundle.report_case import CaseSection
from evidence_kit.evidence_time import Which
from evidence_kit.model import Item
from evidence_kit.vault.message_codec import who_text

LISTED = 20  # deleted messages or left-out files named one by one; the rest counted


@dataclass
class ConversationFacts:
    label: str
    title: str
    deleted: list[str] = field(default_factory=list)
    deleted_count: int = 0
    left_out: list[str] = field(default_factory=list)
    left_out_count: int = 0
    repeated_hour: int = 0
    nonexistent_time: int = 0
    clock_warnings: list[str] = field(default_factory=list)


@dataclass
class Scan:
    days: list[tuple[str, int, int]]  # (day, items, messages)
    conversations: list[ConversationFacts]


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def scan(vault: Any, views: Sequence[Any]) -> Scan:
    # An import counts on the days of its messages, not on the day it was imported.
    items: Counter[str] = Counter(v.utc[:10] for v in views if v.kind != "import")
    messages: Counter[str] = Counter()
    facts: list[ConversationFacts] = []
    for v in views:
        if v.kind != "import":
            continue
        found = ConversationFacts(v.label, v.import_format or v.original_name or "conversation")
        for message in vault.messages(v.item.id):
            stamp = message.get("sent_at_utc")
            if isinstance(stamp, str) and not message.get("is_system"):
                messages[stamp[:10]] += 1
            if message.get("deleted"):
                found.deleted_count += 1
                if len(found.deleted) < LISTED:
                    when = f"{stamp[:16].replace('T', ' ')} UTC" if isinstance(stamp, str) else (
                        "time not recorded")  # fmt: skip
                    found.deleted.append(
                        f"message {message['index']} by {who_text(message)}, {when}"
                    )
            for ref in message.get("attachments") or []:
                if isinstance(ref, dict) and not ref.get("present"):
                    found.left_out_count += 1
                    if len(found.left_out) < LISTED:
                        found.left_out.append(str(ref.get("name") or "a file"))
        summary = vault.import_summary(v.item.id) or {}
        found.repeated_hour = _count(summary.get("repeated_hour_messages"))
        found.nonexistent_time = _count(summary.get("nonexistent_time_messages"))
        for warning in summary.get("warnings") or []:
            text = warning.get("text") if isinstance(warning, dict) else warning
            if isinstance(text, str) and "clock" in text.lower():
                found.clock_warnings.append(text)
        facts.append(found)
    days = sorted(set(items) | set(messages))
    return Scan([(day, items[day], messages[day]) for day in days], facts)


def _named(names: list[str], count: int) -> str:
    more = f" and {count - len(names)} more" if count > len(names) else ""
    return "; ".join(names) + more


def policy(views: Sequence[Any], asked: Sequence[Item], owner: str, left_out: int,
           found: Scan) -> list[tuple[str, str, str]]:  # fmt: skip
    kinds = Counter(v.kind_title.lower() for v in views)
    shots = [v for v in views if v.kind in ("screenshot", "derived")]
    no_url = [v.label for v in shots if not v.place["url"]]
    captured = [v.label for v in shots if v.item.evidence_time.which == Which.CAPTURED]
    records = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    deleted = [c for c in found.conversations if c.deleted_count]
    withdrawn = [item for item in asked if item.withdrawn]
    labels = {v.item.id: v.label for v in views}
    kept = "Nothing can be deleted from the vault: every exhibit is kept as it was added."
    gone = []
    for c in deleted:
        gone.append(f"In {c.label} ({c.title}) {c.deleted_count} message(s) had been deleted "
                    f"in the chat before it was exported, and show as deleted: "
                    f"{_named(c.deleted, c.deleted_count)}.")  # fmt: skip
    if withdrawn:
        reasons = "; ".join(
            f"{labels.get(item.id, 'one left out')}: {item.withdrawal.reason}"
            for item in withdrawn
            if item.withdrawal is not None
        )
        gone.append(f"{len(withdrawn)} item(s) in scope were withdrawn in the vault by its "
                    f"owner, {owner} ({left_out} of them left out of this bundle) — {reasons}. "
                    "The custody log records every withdrawal with its reason.")  # fmt: skip
    time_detail = "Messages carry the time they were sent, as the export gave it."
    if captured:
        time_detail += (f" For {', '.join(captured)} the time is the capture time (when the "
                        "screen print was taken), not the time shown on the post.")  # fmt: skip
    return [
        ("Keep records of the abuse", "yes", f"{len(views)} exhibits: {records}."),
        ("Do not delete them", "partly" if gone else "yes", " ".join([kept, *gone])),
        (
            "Take screen prints of messages or web pages",
            "yes" if shots else "none",
            f"{len(shots)} screen print(s), kept as captured (PNG, never re-encoded).",
        ),
        ("Record the time and date", "partly" if captured else "yes", time_detail),
        (
            "Record the place (the site)",
            "yes" if shots and not no_url else ("partly" if shots else "n/a"),
            f"{len(shots) - len(no_url)} of {len(shots)} screen print(s) have a web address.",
        ),
    ]


def missing(
    views: Sequence[Any], case: CaseSection, found: Scan, unwitnessed: Sequence[str] | None = None
) -> list[str]:
    """What the bundle lacks, in plain words. `unwitnessed`: the labels of exhibits with no
    time-stamp token (None: none of them has one, or it is not known)."""
    lines = []
    if case.statement is None:
        lines.append("No statement was written: the person's own account of what happened is "
                     "not in this bundle.")  # fmt: skip
    for v in case.without_evidence:
        who = f" (witnesses: {', '.join(v.witnesses)})" if v.witnesses else ""
        lines.append(f"Incident {v.number}, \u201c{v.incident.title}\u201d on {v.when}, has no "
                     f"evidence linked to it: it rests on the person's account{who}.")  # fmt: skip
    for c in found.conversations:
        if c.left_out_count:
            lines.append(f"{c.label} ({c.title}): {c.left_out_count} file(s) named in the chat "
                         "are not in the export (left out when it was exported): "
                         f"{_named(c.left_out, c.left_out_count)}.")  # fmt: skip
        if c.repeated_hour or c.nonexistent_time or c.clock_warnings:
            parts = []
            if c.repeated_hour:
                parts.append(f"{c.repeated_hour} message time(s) fall in the hour the clocks "
                             "went back, so each was placed by its order in the file")  # fmt: skip
            if c.nonexistent_time:
                parts.append(f"{c.nonexistent_time} message time(s) fall in the hour the clocks "
                             "went forward, a time that did not exist")  # fmt: skip
            said = "; ".join(parts) or " ".join(c.clock_warnings)
            lines.append(f"{c.label} ({c.title}): times guessed around a clock change — {said}.")
    shots = [v for v in views if v.kind in ("screenshot", "derived")]
    no_url = [v.label for v in shots if not v.place["url"]]
    no_platform = [v.label for v in shots if not v.place["platform"]]
    no_time = [v.label for v in shots if v.local.startswith("not recorded")]
    if no_url:
        lines.append(f"No web address (URL) recorded for: {', '.join(no_url)}.")
    if no_platform:
        lines.append(f"No platform recorded for: {', '.join(no_platform)}.")
    if no_time:
        lines.append(f"No local capture time for: {', '.join(no_time)}.")
    if unwitnessed is None:
        lines.append(
            "No RFC 3161 time-stamp tokens: no exhibit's time was witnessed by an outside "
            "time-stamping authority; times are those of the sender's computer."
        )
    elif unwitnessed:
        lines.append(
            f"Not time-stamped by an outside authority: {', '.join(unwitnessed)} (their times "
            "are those of the sender's computer)."
        )
    return lines
