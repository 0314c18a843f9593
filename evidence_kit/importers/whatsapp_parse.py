"""The WhatsApp chat parser: header lines start messages, every other line continues one.

Two passes over the text, both streamed: `survey` finds the header form and, only while the
day/month order is still open, collects the distinct dates; `parse_chat` then yields one
`Message` per header, in file order, never holding more than one message in memory.
Nothing is dropped: text before the first header, lines with impossible dates and undecodable
bytes are all kept verbatim and reported with their line numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from evidence_kit.errors import ImportFailed
from evidence_kit.importers import timeparse
from evidence_kit.importers import whatsapp_grammar as g
from evidence_kit.importers.textlines import MAX_MESSAGE, LineReader, TooLong, Warnings
from evidence_kit.model import AttachmentRef, Message

SURVEY_LINES = 1000  # a chat's first header is within these lines
MAX_DATES = 100_000
PHONE = re.compile(r"^\+?[\d ()\-\u00a0\u202f]{7,}$")

WARNING_LABELS = {
    "bytes": "had bytes that are not valid UTF-8",
    "date": "had a date or time that does not exist",
    "gap": "had a time inside a clock change",
    "order": "went back in time",
    "missing": "named a file that is not in the export",
    "preamble": "came before the first message",
}


@dataclass
class ChatOptions:
    zone: ZoneInfo
    date_order: str | None = None
    conversation: str | None = None


@dataclass
class Survey:
    form: g.HeaderForm
    order: timeparse.OrderDecision


def survey(handle: IO[bytes], options: ChatOptions, name: str) -> Survey:
    """Find the header form, and decide the day/month order (reading only as far as needed)."""
    quiet = Warnings(lambda line, text: None)
    form: g.HeaderForm | None = None
    dates: list[tuple[int, int, int]] = []
    for number, line in LineReader(handle, quiet):
        if form is None:
            form = g.header_form(line)
            if form is None:
                if number >= SURVEY_LINES:
                    break
                continue
            if options.date_order or form.year_first:
                break
        match = form.regex.match(line)
        if match:
            triple = (int(match[1]), int(match[2]), int(match[3]))
            if not dates or dates[-1] != triple:
                dates.append(triple)
                if triple[0] > 12 or triple[1] > 12 or len(dates) >= MAX_DATES:
                    break
    if form is None:
        raise ImportFailed(
            f"{name} is not a WhatsApp chat export: none of its first lines starts with a "
            "date and time the way WhatsApp writes them.",
            hint="You can still keep it as it is with `evidence-kit add`.",
        )
    fallback = timeparse.fallback_order(options.zone)
    order = timeparse.decide_order(
        dates, given=options.date_order, year_first=form.year_first, fallback=fallback
    )
    return Survey(form, order)


Attach = Callable[[str, int], AttachmentRef]


@dataclass(slots=True)
class _Pending:
    line: int
    sender: str | None
    is_system: bool
    sent_at: datetime | None
    local: str | None
    lines: list[str]
    extra: dict[str, Any] = field(default_factory=dict)
    size: int = 0


class ChatParser:
    def __init__(
        self, found: Survey, options: ChatOptions, warnings: Warnings, attach: Attach
    ) -> None:
        self.form = found.form
        self.order = found.order.order
        self.options = options
        self.warnings = warnings
        self.attach = attach
        self.clock = timeparse.WallClock(options.zone)
        self.days: dict[tuple[str, ...], tuple[int, int, int, timedelta | None] | None] = {}
        self.zone = options.zone
        self.index = 0
        self.counts = {"repeated": 0, "nonexistent": 0, "undated": 0, "out_of_order": 0}
        self.ios = found.form.platform == "ios"
        self.senders: dict[str, tuple[str, str | None]] = {}
        self.event_senders: dict[str, bool] = {}

    def _day(self, key: tuple[str, ...]) -> tuple[int, int, int, timedelta | None] | None:
        """(year, month, day, the day's UTC offset if it has no clock change) or None if invalid."""
        if key not in self.days:
            a, b, c = int(key[0]), int(key[1]), int(key[2])
            year, month, day = {"dmy": (c, b, a), "mdy": (c, a, b), "ymd": (a, b, c)}[self.order]
            try:
                found = date(timeparse.full_year(year), month, day)
            except ValueError:
                self.days[key] = None
            else:
                plain = self.clock.plain_offset(found)
                self.days[key] = (found.year, found.month, found.day, plain)
        return self.days[key]

    def _time(self, match: re.Match[str], number: int) -> tuple[Any, ...]:
        """(sent_at, wall-clock ISO, extra) for a header."""
        groups = match.groups()
        day = self._day(groups[:3])
        try:
            if day is None:
                raise ValueError
            marker = groups[3] or groups[7]
            hour = g.hour24(int(groups[4]), marker) if marker else int(groups[4])
            naive = datetime(day[0], day[1], day[2], hour, int(groups[5]), int(groups[6] or 0))
        except ValueError:
            printed = match.group().strip(" -\u2013[]\u200e")
            self.counts["undated"] += 1
            self.warnings.add(
                "date",
                number,
                f"the date and time {printed!r} do not exist; the message is kept with no time",
            )
            return None, None, {"time_as_printed": printed}
        previous = self.clock.last_utc
        extra: dict[str, Any] = {}
        offset = day[3]
        utc: datetime | None
        if offset is not None:  # no clock change that day: the fast, common case
            sent_at = naive.replace(tzinfo=self.zone)
            utc = self.clock.last_utc = naive - offset
        else:
            sent_at, flag = self.clock.aware(naive)
            utc = self.clock.last_utc
            if flag:
                self.counts[flag] += 1
                extra["time_flag"] = flag
                if flag == timeparse.NONEXISTENT:
                    self.warnings.add(
                        "gap",
                        number,
                        f"{naive:%Y-%m-%d %H:%M} never happened in {self.zone.key} (the clocks "
                        "went forward): the file was edited, or the time zone is wrong",
                    )
        if previous is not None and utc is not None and utc < previous:
            self.counts["out_of_order"] += 1
            self.warnings.add("order", number, "this message is dated before the one above it")
        return sent_at, naive.isoformat(), extra

    def _start(self, match: re.Match[str], line: str, number: int) -> _Pending:
        sent_at, local, extra = self._time(match, number)
        rest = line[match.end() :]
        cut = rest.find(": ")
        if cut < 0:
            return _Pending(number, None, True, sent_at, local, [rest], extra, len(rest))
        sender, body = rest[:cut], rest[cut + 2 :]
        if self._is_event(sender, body):
            if self.ios:
                extra["name_in_sender_slot"] = sender
                return _Pending(number, None, True, sent_at, local, [body], extra, len(body))
            return _Pending(number, None, True, sent_at, local, [rest], extra, len(rest))
        return _Pending(number, sender, False, sent_at, local, [body], extra, len(body))

    def _is_event(self, sender: str, body: str) -> bool:
        if not self.ios:
            known = self.event_senders.get(sender)
            if known is None:
                known = self.event_senders[sender] = bool(g.EVENT.search(sender))
            return known
        if body.startswith("\u200e"):
            first = g.INVISIBLE.sub("", body)
            return not _is_content(first)
        if body.startswith(("Messages and calls are end-to-end", "Nachrichten und Anrufe sind")):
            return True
        return body.startswith(sender + " ") and bool(g.EVENT.search(body))

    def _finish(self, pending: _Pending) -> Message:
        raw = pending.lines[0] if len(pending.lines) == 1 else "\n".join(pending.lines)
        text = _visible(raw)
        sender = pending.sender
        sender_id = None
        if sender is not None:
            if sender not in self.senders:
                visible = _visible(sender)
                number = PHONE.match(visible.lstrip("~ \u00a0"))
                self.senders[sender] = (visible, re.sub(r"[^\d+]", "", visible) if number else None)
            sender, sender_id = self.senders[sender]
        message = Message(
            self.index,
            sender,
            text,
            pending.sent_at,
            raw,
            self.options.conversation,
            sender_id,
            pending.is_system,
            pending.local,
            extra=pending.extra,
        )
        self.index += 1
        if not pending.is_system and (
            "<" in text
            or ")" in text
            or "omitted" in text
            or "weggelassen" in text
            or "ausgeschlossen" in text
            or (len(text) < 60 and text[:1] in "TYDSE")  # "This message was deleted" and kin
        ):
            self._markers(message, text, pending.line)
        return message

    def _markers(self, message: Message, text: str, number: int) -> None:
        first = text.split("\n", 1)[0]
        if text.endswith(">") and g.EDITED.search(text):
            message.edited = True
        if len(text) < 80 and g.DELETED.match(text):
            message.deleted = True
            return
        for name, omitted in _attachments(first):
            if omitted:
                message.attachments.append(AttachmentRef(name, omitted=True))
            else:
                message.attachments.append(self.attach(name, number))

    def messages(self, reader: LineReader) -> Iterator[Message]:
        match_header = self.form.regex.match
        pending: _Pending | None = None
        for number, line in reader:
            match = match_header(line)
            if match is not None:
                if pending is not None:
                    yield self._finish(pending)
                pending = self._start(match, line, number)
            elif pending is not None:
                pending.lines.append(line)
                pending.size += len(line) + 1
                if pending.size > MAX_MESSAGE:
                    raise TooLong(number, "makes one message longer than any WhatsApp message")
            elif line.strip():
                self.warnings.add("preamble", number, "text before the first message is kept")
                pending = _Pending(number, None, True, None, None, [line], {"before_first": True})
        if pending is not None:
            yield self._finish(pending)


def _visible(text: str) -> str:
    """`text` without the invisible direction marks WhatsApp sprinkles in (see INVISIBLE)."""
    return g.INVISIBLE.sub("", text) if g.INVISIBLE.search(text) else text


def _is_content(first: str) -> bool:
    """Is an iOS body that starts with an LRM a file, placeholder or deletion (not an event)?"""
    return bool(
        _attachments(first)
        or g.DELETED.match(first)
        or first.startswith(("Missed voice call", "Missed video call", "Voice call", "Video call"))
        or first.startswith(("Location: ", "live location", "POLL:", "null", "Waiting for this"))
        or (first.endswith(">") and g.EDITED.search(first))
    )


def _attachments(first: str) -> list[tuple[str, bool]]:
    """(name, omitted) for each file the first line of a message names."""
    found: list[tuple[str, bool]] = []
    if "<" in first:
        found.extend((m.group(1).strip(), False) for m in g.IOS_ATTACHED.finditer(first))
        if not found:
            old = g.IOS_OLD_ATTACHED.match(first) or g.TURKISH_ATTACHED.match(first)
            if old:
                found.append((old.group(1), False))
    if not found and first.endswith(")"):
        android = g.ANDROID_ATTACHED.match(first)
        if android:
            found.append((android.group(1).strip(), False))
    if not found and ("omitted" in first or "weggelassen" in first or "ausgeschlossen" in first):
        omitted = g.OMITTED.match(first)
        if omitted:
            kind = next(group for group in omitted.groups() if group)
            found.append((kind, True))
    return found
