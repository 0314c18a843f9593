"""Property: messages rendered in any platform and locale form parse back to the same messages."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evidence_kit.importers import whatsapp_grammar as grammar
from evidence_kit.importers.textlines import LineReader, Warnings
from evidence_kit.importers.whatsapp_parse import ChatOptions, ChatParser, survey
from evidence_kit.model import AttachmentRef

NNBSP, NBSP = "\u202f", "\u00a0"


def h12(t: datetime) -> int:
    return t.hour % 12 or 12


def ampm(t: datetime, am: str = "AM", pm: str = "PM") -> str:
    return pm if t.hour >= 12 else am


# name: (render header, date order, seconds shown, platform line ending)
Form = tuple[Callable[[datetime], str], str, bool, str]
FORMS: dict[str, Form] = {
    "android en-GB 24h": (lambda t: f"{t:%d/%m/%Y}, {t:%H:%M} - ", "dmy", False, "\n"),
    "android en-GB 12h am/pm": (
        lambda t: f"{t:%d/%m/%Y}, {h12(t)}:{t:%M}{NNBSP}{ampm(t, 'am', 'pm')} - ", "dmy", False, "\n"
    ),
    "android en-US 12h U+202F": (
        lambda t: f"{t.month}/{t.day}/{t:%y}, {h12(t)}:{t:%M}{NNBSP}{ampm(t)} - ", "mdy", False, "\n"
    ),
    "android en-US 12h ASCII": (
        lambda t: f"{t.month}/{t.day}/{t:%y}, {h12(t)}:{t:%M} {ampm(t)} - ", "mdy", False, "\n"
    ),
    "android de-DE": (lambda t: f"{t:%d.%m.%y}, {t:%H:%M} - ", "dmy", False, "\n"),
    "android es a. m.": (
        lambda t: f"{t:%d/%m/%Y}, {h12(t):02}:{t:%M} {ampm(t, 'a.' + NBSP + 'm.', 'p.' + NBSP + 'm.')} - ",
        "dmy", False, "\n",
    ),
    "android fi klo": (lambda t: f"{t.day}.{t.month}.{t.year} klo {t.hour}.{t:%M} - ", "dmy", False, "\n"),
    "android year first": (lambda t: f"{t:%Y/%m/%d}, {t:%H:%M} - ", "ymd", False, "\n"),
    "android no comma, dot time": (lambda t: f"{t:%d/%m/%y} {t:%H.%M} - ", "dmy", False, "\n"),
    "android ko": (
        lambda t: f"{t.year}. {t.month}. {t.day}. {ampm(t, '오전', '오후')} {h12(t)}:{t:%M} - ",
        "ymd", False, "\n",
    ),
    "android de-DE 12h vorm./nachm.": (
        lambda t: f"{t:%d.%m.%y}, {h12(t)}:{t:%M} {ampm(t, 'vorm.', 'nachm.')} - ", "dmy", False, "\n"
    ),
    "android ja": (
        lambda t: f"{t:%Y/%m/%d} {ampm(t, '午前', '午後')}{h12(t)}:{t:%M} - ", "ymd", False, "\n"
    ),
    "ios en-GB": (lambda t: f"[{t:%d/%m/%Y}, {t:%H:%M:%S}] ", "dmy", True, "\r\n"),
    "ios en-US 12h": (
        lambda t: f"[{t.month}/{t.day}/{t:%y}, {h12(t)}:{t:%M:%S}{NNBSP}{ampm(t)}] ", "mdy", True, "\r\n"
    ),
    "ios de-DE": (lambda t: f"\u200e[{t:%d.%m.%y}, {t:%H:%M:%S}] ", "dmy", True, "\r\n"),
    "ios tr no comma": (lambda t: f"[{t:%d.%m.%Y} {t:%H:%M:%S}] ", "dmy", True, "\n"),
    "ios hr": (lambda t: f"[{t.day}. {t.month}. {t.year}. {t:%H:%M:%S}] ", "dmy", True, "\n"),
    "ios zh year first": (lambda t: f"[{t.year}/{t.month}/{t.day} {t:%H:%M:%S}] ", "ymd", True, "\r"),
}  # fmt: skip

names = st.one_of(
    st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-zé]{1,9})?", fullmatch=True),
    st.from_regex(r"\+44 7[0-9]{3} [0-9]{6}", fullmatch=True),
    st.sampled_from(["~\u00a0Tom", "Zoë 🌸", "Ana-Maria O'Neil"]),
)
line_text = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Cc", "Zl", "Zp"),
        exclude_characters="\u200e\u200f\ufeff\x85",
    ),
    max_size=40,
)
messages = st.lists(
    st.tuples(
        names,
        st.lists(line_text, min_size=1, max_size=3),
        st.integers(min_value=0, max_value=3 * 24 * 3600),
    ),
    min_size=1,
    max_size=12,
)


def parse(data: bytes, order: str) -> list[tuple[str | None, str, str | None]]:
    options = ChatOptions(ZoneInfo("UTC"), order)
    found = survey(io.BytesIO(data), options, "chat.txt")
    quiet = Warnings(lambda line, text: None)
    parser = ChatParser(found, options, quiet, lambda name, line: AttachmentRef(name))
    return [
        (m.sender, m.text_raw or "", m.sent_at_local)
        for m in parser.messages(LineReader(io.BytesIO(data), quiet))
    ]


@pytest.mark.parametrize("form_name", sorted(FORMS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.datetimes(min_value=datetime(2012, 1, 1), max_value=datetime(2030, 12, 1)),
    chat=messages,
    bom=st.booleans(),
)
def test_render_then_parse_gives_the_same_messages(
    form_name: str, start: datetime, chat: list[tuple[str, list[str], int]], bom: bool
) -> None:
    render, order, seconds, newline = FORMS[form_name]
    probe = grammar.header_form(render(start) + "x: y")
    assert probe is not None, form_name
    expected, lines, moment = [], [], start.replace(microsecond=0)
    if not seconds:
        moment = moment.replace(second=0)
    for sender, texts, step in chat:
        moment += timedelta(seconds=step)
        if not seconds:
            moment = moment.replace(second=0)
        for text in texts[1:]:
            assume(probe.regex.match(text) is None)  # a continuation that looks like a header
        if probe.platform == "ios":
            assume(not grammar.EVENT.search(texts[0]) and not texts[0].startswith("Messages and"))
        lines.append(render(moment) + f"{sender}: " + texts[0])
        lines.extend(texts[1:])
        expected.append((sender, "\n".join(texts), moment.isoformat()))
    data = newline.join(lines).encode("utf-8") + newline.encode()
    if bom:
        data = b"\xef\xbb\xbf" + data
    assert parse(data, order) == expected
