"""Text helpers for e-mail: charsets that lie, encoded words, dates, format=flowed, HTML to text.

Nothing here changes evidence: the original bytes stay in the vault; these turn a copy into
text a person can read, and say when they had to guess.
"""

from __future__ import annotations

import codecs
import email.errors
import email.header
import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import ClassVar

# Labels mail programs put on text that is really something else (WHATWG decodes the first
# three as windows-1252; Outlook labels windows-1252 text as iso-8859-1).
CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
}
UNKNOWN_CHARSETS = {"unknown-8bit", "x-unknown", "unknown", "8bit", "default", "x-user-defined"}


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode `data` labelled `charset`; return (text, a problem in plain words or None).

    UTF-8 is tried first when the label is missing, unknown or ASCII (8-bit bytes under an ASCII
    label are almost always UTF-8 or windows-1252); an undecodable byte becomes U+FFFD and is
    reported, never dropped silently.
    """
    label = (charset or "").strip().strip('"').lower()
    if label in ("", "us-ascii", "ascii") or label in UNKNOWN_CHARSETS:
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError:
            pass
        name = "cp1252"
    else:
        name = CHARSET_ALIASES.get(label, label)
        try:
            codecs.lookup(name)
        except LookupError:
            try:
                return data.decode("utf-8"), f"unknown character set {charset!r}; read as UTF-8"
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
                return text, f"unknown character set {charset!r}; read as windows-1252"
    try:
        return data.decode(name), None
    except UnicodeDecodeError:
        return (
            data.decode(name, errors="replace"),
            f"bytes that are not valid {charset or name} were replaced by \ufffd",
        )


def header_text(raw: str) -> str:
    """A header value as a person reads it: unfolded, encoded words decoded, charsets repaired."""
    raw = re.sub(r"\r?\n(?=[ \t])", "", raw).strip()
    if "=?" not in raw:
        if any("\udc80" <= ch <= "\udcff" for ch in raw):  # raw 8-bit bytes in a header
            return decode_bytes(raw.encode("ascii", "surrogateescape"), None)[0]
        return raw
    try:
        parts = email.header.decode_header(raw)
    except (ValueError, email.errors.HeaderParseError, AssertionError):
        return raw
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(decode_bytes(chunk, charset)[0] if charset else _plain(chunk))
    return "".join(out)


def _plain(chunk: bytes) -> str:
    try:
        return chunk.decode("ascii", "surrogateescape").encode("ascii", "surrogateescape").decode()
    except UnicodeDecodeError:
        return decode_bytes(chunk, None)[0]


# RFC 822 military zones are ambiguous in practice (RFC 5322 4.3: treat as -0000), so only
# common named zones are added here; the rest leave the zone unknown.
NAMED_ZONES = {
    "UT": 0, "GMT": 0, "UTC": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60,
    "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "IST": 330,
    "JST": 540, "KST": 540, "HKT": 480, "AWST": 480, "AEST": 600, "AEDT": 660, "NZST": 720,
    "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
}  # fmt: skip


@dataclass(frozen=True)
class MailDate:
    sent_at: datetime | None  # aware, in the offset the sender's program wrote
    wall_clock: str | None  # ISO without offset, when the zone is unknown
    problem: str | None


def parse_date(raw: str | None) -> MailDate:
    """Read a `Date:` header. A zone that cannot be known leaves `sent_at` empty, never guessed."""
    if raw is None or not raw.strip():
        return MailDate(None, None, None)
    text = re.sub(r"\([^()]*\)", " ", raw).strip()  # comments such as "(CET)"
    parsed = email.utils.parsedate_tz(text)
    if parsed is None:
        return MailDate(None, None, f"the Date header {raw.strip()!r} is not a date")
    try:
        wall = datetime(*parsed[:6])  # type: ignore[misc]
    except (ValueError, OverflowError, TypeError):
        return MailDate(None, None, f"the Date header {raw.strip()!r} is not a real date")
    token = text.split()[-1] if text.split() else ""
    numeric = re.fullmatch(r"([+-])(\d\d)(\d\d)", token)
    if numeric and token == "-0000":
        return MailDate(wall.replace(tzinfo=UTC), None, None)  # UTC; sender's zone not given
    if numeric:
        sign = -1 if numeric.group(1) == "-" else 1
        offset = sign * (int(numeric.group(2)) * 3600 + int(numeric.group(3)) * 60)
    elif token.upper() in NAMED_ZONES:
        offset = NAMED_ZONES[token.upper()] * 60
    else:
        return MailDate(
            None,
            wall.isoformat(),
            f"the Date header {raw.strip()!r} has no time zone that can be known; "
            "its time is kept as printed, with no instant",
        )
    return MailDate(wall.replace(tzinfo=timezone(timedelta(seconds=offset))), None, None)


def unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: join soft-broken lines (ending in a space), drop space-stuffing."""
    out: list[str] = []
    pending = ""
    pending_depth: int | None = None
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        depth = len(line) - len(line.lstrip(">"))
        body = line[depth:]
        if body.startswith(" "):
            body = body[1:]
        if pending_depth is not None and depth != pending_depth:
            out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
            pending, pending_depth = "", None
        if body.endswith(" ") and body != "-- ":
            pending += body[:-1] if delsp else body
            pending_depth = depth
            continue
        pending += body
        out.append(">" * depth + (" " if depth else "") + pending)
        pending, pending_depth = "", None
    if pending_depth is not None:
        out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
    return "\n".join(out)


class _TextOfHtml(HTMLParser):
    BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "hr",
    }
    HIDDEN: ClassVar[set[str]] = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    """Readable text of an HTML body (for search and display; the HTML itself is kept too)."""
    reader = _TextOfHtml()
    reader.feed(html)
    reader.close()
    text = "".join(reader.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


SUBJECT_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|sv|vs|tr|rv|antw)(\[\d+\])?\s*:\s*)+", re.IGNORECASE
)


def thread_of(subject: str | None) -> str | None:
    """The conversation a subject belongs to: the subject without Re:/Fwd:/AW:/WG: prefixes."""
    if not subject:
        return None
    return SUBJECT_PREFIX.sub("", subject).strip() or subject.strip()
