"""The grammar of a WhatsApp "Export chat" text: header forms, events, placeholders, markers.

A header is the date and time that start a message: Android ``DATE, TIME - `` and iOS
``[DATE, TIME] ``, in every locale's form (day-, month- or year-first; ``.`` ``/`` ``-``
separators; 12- and 24-hour clocks; AM/PM in several languages, after or before the time;
U+202F or U+00A0 before AM/PM; ``.`` as time separator; Finnish ``klo``). `detect_form` reads
the first header lines with a general pattern and returns a `HeaderForm` whose regexes are
compiled for that one form (fixed platform and date separator): `block` finds every header of a
block of lines in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPACE = "[ \u202f\u00a0]"
AMPM = (
    r"[AaPp]\.?[ \u00a0\u202f]?[Mm]\.?|vorm\.|nachm\.|"
    "\uc624\uc804|\uc624\ud6c4|\u4e0a\u5348|\u4e0b\u5348|\u5348\u524d|\u5348\u5f8c"
)  # am/pm, a.m., a. m., vorm./nachm., 오전/오후, 上午/下午, 午前/午後
PM_WORDS = {"p", "nachm.", "\uc624\ud6c4", "\u4e0b\u5348", "\u5348\u5f8c"}


def _date(sep: str, again: str) -> str:
    return rf"(\d{{1,4}}){sep} ?(\d{{1,2}}){again} ?(\d{{1,4}})\.?"


def _time() -> str:
    return (
        rf"(?:({AMPM}){SPACE}?)?(\d{{1,2}})[:.](\d{{2}})(?:[:.](\d{{2}}))?"
        rf"(?:{SPACE}?({AMPM}))?"
    )


def _android(sep: str, again: str) -> str:
    return rf"\u200e?{_date(sep, again)},?(?: | klo ){_time()} [-\u2013] "


def _ios(sep: str, again: str) -> str:
    return rf"\u200e?\[{_date(sep, again)},? {_time()}\] "


# The general patterns capture the separator as group 2 (and group 1 the first date field).
# A form's own regex has no separator group: 1-3 date fields, 4 am/pm before the time,
# 5 hour, 6 minute, 7 second, 8 am/pm after the time.
_GENERAL_ANDROID = re.compile(_android(r"([./-])", r"\2"))
_GENERAL_IOS = re.compile(_ios(r"([./-])", r"\2"))


@dataclass(frozen=True)
class HeaderForm:
    platform: str  # "android" or "ios"
    separator: str  # "/", "." or "-"
    year_first: bool
    regex: re.Pattern[str]  # matches a line that starts with a header
    block: re.Pattern[str]  # finds every header at a line start in a block of lines

    @property
    def description(self) -> str:
        order = "year first" if self.year_first else "day and month"
        return f"{'Android' if self.platform == 'android' else 'iOS'} ({order}, '{self.separator}')"


def header_form(line: str) -> HeaderForm | None:
    """The form of `line` if it starts with a full WhatsApp header."""
    for platform, general in (("ios", _GENERAL_IOS), ("android", _GENERAL_ANDROID)):
        match = general.match(line)
        if match:
            separator = match.group(2)
            build = _ios if platform == "ios" else _android
            pattern = build(re.escape(separator), re.escape(separator))
            return HeaderForm(
                platform,
                separator,
                len(match.group(1)) == 4,
                re.compile(pattern),
                re.compile("(?m)^" + pattern),
            )
    return None


def hour24(hour: int, marker: str | None) -> int:
    """The 24-hour clock hour for `hour` with an AM/PM `marker` (12 AM is 0; "00:04 AM" is 0)."""
    if not marker:
        return hour
    word = marker.lower().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    pm = word[0] == "p" if word[0] in "ap" else word in PM_WORDS
    hour %= 12
    return hour + 12 if pm else hour


# --- what the text of a message can be ------------------------------------------------------

# Direction marks WhatsApp adds: LRM/RLM, the embeddings Android wraps phone numbers in
# (U+202A…U+202E), the isolates (U+2066…U+2069), and a stray BOM. Removed from `text` only.
INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

ANDROID_ATTACHED = re.compile(r"^(.+?) \((?:file attached|Datei angeh\u00e4ngt|archivo adjunto)\)$")
IOS_ATTACHED = re.compile(r"<(?:attached|Anhang|adjunto): ([^>\n]+)>")
IOS_OLD_ATTACHED = re.compile(r"^(\S+) <attached>$")
TURKISH_ATTACHED = re.compile(r"^<([^>\n]+) eklendi>$")

OMITTED = re.compile(
    r"^(?:<(Media|Video message|Video note|image|video|audio|GIF|sticker) omitted>"
    r"|<(Medien) ausgeschlossen>"
    r"|(image|video|audio|sticker|GIF|Contact card|document) omitted"
    r"|(Bild|Video|Audio|Sticker|GIF|Kontaktkarte|Dokument) weggelassen"
    r"|(.+?) \u2022 .*?(?:document omitted|Dokument weggelassen))$"
)

DELETED = re.compile(
    r"^(?:This message was deleted|You deleted this message|Diese Nachricht wurde gel\u00f6scht"
    r"|Du hast diese Nachricht gel\u00f6scht|Se elimin\u00f3 este mensaje|Eliminaste este mensaje)\.?$"
)
EDITED = re.compile(r" ?<(?:This message was edited|Diese Nachricht wurde bearbeitet)>$")

# Events, when a name stands in the sender slot (iOS) or a colon is in the event (Android).
EVENT = re.compile(
    r"(?:Messages and calls are end-to-end encrypted|Nachrichten und Anrufe sind Ende-zu-Ende"
    r"| created group | created this group| added | removed | left$|^You left$|^You were added"
    r"| changed the (?:subject|group name|group description|group's icon|group icon|settings)"
    r"| changed this group's | joined using this group's invite link|'s security code changed"
    r"|^Your security code with |^You blocked this contact|^You unblocked this contact"
    r"| changed their phone number|disappearing messages|turned on admin approval"
    r"|^You're now an admin| is now an admin| hat .* hinzugef\u00fcgt| hat die Gruppe verlassen"
    r"|^Du hast diesen Kontakt blockiert| hat die Gruppe .* erstellt|^This chat is with a business"
    r"|^Waiting for this message)"
)


def conversation_from_filename(name: str) -> str | None:
    """The chat's name from the export's file name, where WhatsApp put it there."""
    match = re.match(
        r"^WhatsApp[ -]Chat (?:with|mit|con|avec|met|com|-) (.+?)(?: \(\d+\))?\.(?:txt|zip)$",
        name,
        re.IGNORECASE,
    )
    return match.group(1).strip() if match else None
