"""The WhatsApp chat parser: header lines start messages, every other line continues one.

Two passes over the text, both streamed: `survey` finds the header form and, only while the
day/month order is still open, collects the distinct dates; `ChatParser.rows` then yields the
messages as vault rows, in file order, a block of lines at a time (its headers found in one
regex pass), never holding more than a block and one message in memory.
Nothing is dropped: text before the first header, lines with impossible dates and undecodable
bytes are all kept verbatim and reported with their line numbers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from zoneinfo import ZoneInfo

from evidence_kit.errors import ImportFailed
from evidence_kit.importers import timeparse
from evidence_kit.importers import whatsapp_grammar as g
from evidence_kit.importers.textlines import (
    BAD_BYTES,
    MAX_MESSAGE,
    LineReader,
    TooLong,
    Warnings,
)
from evidence_kit.importers.whatsapp_clock import HeaderClock
from evidence_kit.model import AttachmentRef, Message
from evidence_kit.vault.message_codec import message_from_row

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
Row = tuple[Any, ...]  # a message row, in `MessageRow` field order


class ChatParser:
    """The messages of a chat, as rows (`rows`, the import's fast path) or as `Message` values.

    Each block of whole lines is searched once for headers (`HeaderForm.block`): a message is
    the text from its header to the next one, its continuation lines joined with "\n" as in
    the file. No `Message` or `datetime` is made per message on the common path.
    """

    def __init__(
        self, found: Survey, options: ChatOptions, warnings: Warnings, attach: Attach
    ) -> None:
        self.form = found.form
        self.options = options
        self.warnings = warnings
        self.attach = attach
        self.times = HeaderClock(options.zone, found.order.order, warnings)
        self.counts = self.times.counts
        self.index = 0
        self.ios = found.form.platform == "ios"
        self.senders: dict[str, tuple[str, str | None, bool]] = {}
        self._damaged: list[int] = []  # lines with bytes that are not UTF-8, not yet reported

    def messages(self, reader: LineReader) -> Iterator[Message]:
        for batch in self.rows(reader):
            yield from map(message_from_row, batch)

    def rows(self, reader: LineReader) -> Iterator[list[Row]]:
        """The rows of the chat, one list per block read, in file order."""
        opened = ""  # the last message so far: its header up to the end of what was read
        opened_at = 0  # the number of its first line
        headed = False  # whether it starts with a header (else it is text before the first)
        for number, block, damaged in reader.blocks():
            self._damaged.extend(damaged)
            text = opened + block if opened else block
            batch: list[Row] = []
            start, line, headed = self._scan(
                text, len(opened), headed, opened_at if opened else number, batch
            )
            opened, opened_at = text[start:], line
            if len(opened) > MAX_MESSAGE:
                self._check_open(opened, headed, line)
            yield batch
        if opened:
            batch = []
            if headed:
                header = self.form.block.match(opened)
                assert header is not None
                self._message(batch, header, opened[header.end() : -1], opened_at)
            else:
                self._preamble(batch, opened[:-1], opened_at)
            yield batch
        for line in self._damaged:
            self.warnings.add("bytes", line, BAD_BYTES)

    def _scan(
        self, text: str, pos: int, headed: bool, line: int, batch: list[Row]
    ) -> tuple[int, int, bool]:
        """Add to `batch` every message of `text` that ends before its last header (the
        headers are searched from `pos`: the text before it is one message still open).
        Return where the last message starts, its line number, and whether it has a header.

        The loop is the import's hot path: a message on a day without a clock change, from a
        sender seen before, with no marker, event or invisible mark is made right here; any
        other goes the general way (`_message`), which gives the same row for these.
        """
        times = self.times
        hours, hour_of = times.hours, times.hour_of
        senders = self.senders
        conversation = self.options.conversation
        ios = self.ios
        invisible = g.INVISIBLE.search
        append = batch.append
        index, last_utc = self.index, times.last_utc
        counted = 0  # `line` is the number of the line that starts at text[counted]
        previous = self.form.block.match(text) if headed else None
        start = 0
        for header in self.form.block.finditer(text, pos):
            at = header.start()
            if previous is None:
                if at:
                    self._preamble(batch, text[: at - 1], line)
                    index = self.index
            else:
                body = text[previous.end() : at - 1]
                hour = hours.get(previous.group(1, 2, 3, 4, 5, 8))
                if hour is None:
                    hour = hour_of(previous)
                minute, second = previous.group(6, 7)
                second = second or "00"
                first = body.find("\n")
                cut = body.find(": ", 0, first if first >= 0 else len(body))
                raw = body[cut + 2 :]
                known = senders.get(body[:cut]) if cut > 0 else None
                if (
                    hour
                    and minute < "60"
                    and second < "60"
                    and known is not None
                    and not known[2]  # not an event
                    and not self._damaged
                    and len(body) <= MAX_MESSAGE
                    and (last_utc is None or f"{hour[1]}{minute}:{second}" >= last_utc)
                    and not (ios and (raw[:1] in "\u200eMN" or raw.startswith(body[:cut])))
                    and not invisible(raw)
                    and "<" not in raw
                    and ")" not in raw
                    and "omitted" not in raw
                    and "weggelassen" not in raw
                    and "ausgeschlossen" not in raw
                    and not (len(raw) < 60 and raw[:1] in "TYDSE")
                ):
                    local = f"{hour[0]}{minute}:{second}"
                    last_utc = f"{hour[1]}{minute}:{second}"
                    append(
                        (
                            index, conversation, known[0], known[1], 0, local + hour[2],
                            last_utc + "Z", local, raw, raw, 0, 0, "[]", "{}",
                        )
                    )  # fmt: skip
                    index += 1
                else:
                    line += text.count("\n", counted, start)
                    counted = start
                    self.index, times.last_utc = index, last_utc
                    self._message(batch, previous, body, line)
                    index, last_utc = self.index, times.last_utc
            previous, start = header, at
        self.index, times.last_utc = index, last_utc
        return start, line + text.count("\n", counted, start), previous is not None

    def _message(self, batch: list[Row], header: re.Match[str], body: str, line: int) -> None:
        """Add the message with this header and text (its first line number `line`)."""
        if self._damaged and self._damaged[0] <= line:
            self._report_damage(line)
        if len(body) > MAX_MESSAGE:
            self._check_size(body, True, line)
        sent_at, utc, local, extra = self.times.when(header, line)
        first = body.find("\n")
        end = first if first >= 0 else len(body)
        cut = body.find(": ", 0, end)
        if self.ios and cut >= 0 and not body.startswith("\u200e", cut + 2):
            # A group called "Trip: Paris" in the sender slot of an event: iOS marks where the
            # event starts with an LRM after the colon.
            later = body.find(": \u200e", cut + 2, end)
            if later > 0 and self._is_event(body[:later], body[later + 2 : end]):
                cut = later
        sender = None
        if cut < 0:
            raw = body
        else:
            sender, raw = body[:cut], body[cut + 2 :]
            nl = raw.find("\n")
            if self._is_event(sender, raw if nl < 0 else raw[:nl]):
                if self.ios:
                    extra = (extra or {}) | {"name_in_sender_slot": sender}
                else:
                    raw = body
                sender = None
        text = _visible(raw)
        sender_id = None
        if sender is not None:
            sender, sender_id, _ = self._sender(sender)
        edited = deleted = 0
        attachments = "[]"
        if sender is not None and (
            "<" in text
            or ")" in text
            or "omitted" in text
            or "weggelassen" in text
            or "ausgeschlossen" in text
            or (len(text) < 60 and text[:1] in "TYDSE")  # "This message was deleted" and kin
        ):
            edited, deleted, attachments = self._markers(text, line)
        batch.append(
            (
                self.index, self.options.conversation, sender, sender_id, int(sender is None),
                sent_at, utc, local, text, raw, edited, deleted, attachments,
                json.dumps(extra, ensure_ascii=False) if extra else "{}",
            )
        )  # fmt: skip
        self.index += 1

    def _sender(self, sender: str) -> tuple[str, str | None, bool]:
        """(the name without invisible marks, its phone number as an id, whether an Android
        line with this in the sender slot is an event), remembered per sender."""
        known = self.senders.get(sender)
        if known is None:
            visible = _visible(sender)
            number = PHONE.match(visible.lstrip("~ \u00a0"))
            known = self.senders[sender] = (
                visible,
                re.sub(r"[^\d+]", "", visible) if number else None,
                not self.ios and bool(g.EVENT.search(sender)),
            )
        return known

    def _preamble(self, batch: list[Row], text: str, line: int) -> None:
        """Text before the first header: kept from its first line that is not blank."""
        lines = text.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
            line += 1
        if not lines:
            return
        self._check_size("\n".join(lines[1:]), False, line + 1)
        self.warnings.add("preamble", line, "text before the first message is kept")
        raw = "\n".join(lines)
        batch.append(
            (
                self.index, self.options.conversation, None, None, 1, None, None, None,
                _visible(raw), raw, 0, 0, "[]", json.dumps({"before_first": True}),
            )
        )  # fmt: skip
        self.index += 1

    def _report_damage(self, line: int) -> None:
        """Warn of the damaged lines up to `line`, so warnings come in the order of the file."""
        while self._damaged and self._damaged[0] <= line:
            self.warnings.add("bytes", self._damaged.pop(0), BAD_BYTES)

    def _check_size(self, body: str, headed: bool, line: int) -> None:
        """Refuse a message longer than any WhatsApp message, naming the line that makes it
        so. `body` is a message's text after its header (or, for text before the first header,
        its lines after the first, which is not counted), `line` the number of its first line."""
        size = -1 if headed else 0
        for number, part in enumerate(body.split("\n"), line):
            size += len(part) + 1
            if size > MAX_MESSAGE:
                raise TooLong(number, "makes one message longer than any WhatsApp message")

    def _check_open(self, opened: str, headed: bool, line: int) -> None:
        """`_check_size` for the message still open at the end of a block."""
        if headed:
            header = self.form.block.match(opened)
            assert header is not None
            self._check_size(opened[header.end() : -1], True, line)
            return
        lines = opened[:-1].split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
            line += 1
        self._check_size("\n".join(lines[1:]), False, line + 1)

    def _is_event(self, sender: str, body: str) -> bool:
        if not self.ios:
            return self._sender(sender)[2]
        if body.startswith("\u200e"):
            first = g.INVISIBLE.sub("", body)
            return not _is_content(first)
        if body.startswith(("Messages and calls are end-to-end", "Nachrichten und Anrufe sind")):
            return True
        return body.startswith(sender + " ") and bool(g.EVENT.search(body))

    def _markers(self, text: str, line: int) -> tuple[int, int, str]:
        """(edited, deleted, attachments JSON) of a user message's text."""
        edited = 1 if text.endswith(">") and g.EDITED.search(text) else 0
        if len(text) < 80 and g.DELETED.match(text):
            return edited, 1, "[]"
        refs = [
            AttachmentRef(name, omitted=True) if omitted else self.attach(name, line)
            for name, omitted in _attachments(text.split("\n", 1)[0])
        ]
        listed = json.dumps([ref.as_dict() for ref in refs], ensure_ascii=False) if refs else "[]"
        return edited, 0, listed


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
