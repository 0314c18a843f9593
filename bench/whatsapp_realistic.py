"""A WhatsApp group export shaped like real life, not like the parser: for benchmarks and tests.

`write_export(path, lines, platform="android" | "ios")` writes a group chat of about ten members
and an unsaved number (+44 7700 900…) over several years, in WhatsApp's own forms
(FORMATS.md §1): a third of the messages one or two words or an emoji; multi-line messages
with blank lines inside; "<Media omitted>" / "image omitted" and "IMG-….jpg (file attached)" /
"<attached: …>" lines with a caption on the next line; deleted ("This message was deleted",
"You deleted this message") and edited ("<This message was edited>") markers; polls over
several lines (POLL: / OPTION:); locations (maps links) and links; group events (added, left,
changed the subject, changed the group icon, security code changed, joined by link, removed).
Times are printed as the phone shows them in Europe/London, so the clocks change twice every
year: no message falls in a skipped spring hour, and the repeated autumn hour appears twice in
file order (the generator makes people chat through those nights).

`messages(platform, seed)` yields each message with what a correct parser must read from it
(`Truth`): tests import a small export and compare, the benchmark writes a big one.
`write_easy(path, lines)` is the old easy case (single-line messages from five senders).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import realistic

LONDON = ZoneInfo("Europe/London")
LRM = "\u200e"
START = datetime(2021, 2, 1, 9, 0, tzinfo=UTC)

MEMBERS = [
    "Priya Shah", "Tom Hughes", "Aisha Khan", "Jo Reed", "Marek Nowak", "Chloé Martin",
    "Dev Patel", "Sam O'Brien", "Li Wei", "Grace Okafor",
]  # fmt: skip
UNSAVED = "+44 7700 900418"  # not in the phone's contacts: WhatsApp prints the number
ME = "Jo Reed"  # the person exporting: "You deleted this message", "You added …"
GROUP_NAMES = ["Year 10 Parents", "Year 10 Parents: trip", "Parents (no teachers)", "Y11 Parents"]

SHORT = [
    "ok", "lol", "yes", "no", "why?", "stop", "seriously", "no way", "thanks", "ok thanks",
    "😂", "👍", "🙄", "😡😡", "🤣", "❤️", "??", "wow", "sure", "what", "haha", "fine.", "👀", "🙏",
    "omg", "k", "really?", "same", "nope", "yes!!",
]  # fmt: skip
WORDS = [  # the screenshots' words (bench/realistic.py), and a school parents' group's
    *realistic.WORDS,
    *[
        "the",
        "trip",
        "is",
        "on",
        "friday",
        "can",
        "someone",
        "bring",
        "the",
        "forms",
        "I",
        "told",
        "the",
        "head",
        "teacher",
        "already",
        "this",
        "is",
        "not",
        "ok",
        "please",
        "leave",
        "me",
        "alone",
        "why",
        "are",
        "you",
        "sharing",
        "my",
        "photos",
        "I",
        "have",
        "screenshots",
        "of",
        "all",
        "of",
        "it",
        "see",
        "you",
        "at",
        "pick",
        "up",
        "did",
        "anyone",
        "else",
        "get",
        "the",
        "letter",
        "about",
        "the",
        "fees",
    ],
]
CAPTIONS = [
    "look at this",
    "this is her car",
    "🤣🤣",
    "from last night",
    "proof",
    "who posted this?",
]
HOSTS = ["www.facebook.com/groups/12345", "tiktok.com/@someone/video/7301", "bbc.co.uk/news/uk-123"]


@dataclass(frozen=True)
class Truth:
    """What a correct parser reads from one message (text with WhatsApp's invisible marks
    removed; `utc` naive UTC to the minute or second the platform prints)."""

    sender: str | None
    text: str
    utc: datetime
    is_system: bool = False
    deleted: bool = False
    edited: bool = False
    attachment: str | None = None  # the file a message names
    omitted: bool = False


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(["", "", ".", "!", "?", " 😡", " 😂"])


class _Clock:
    """UTC moments in order: busy evenings, quiet nights, and people up through both clock
    changes of every year."""

    def __init__(self, rng: random.Random, per_day: float, start: datetime) -> None:
        self.rng = rng
        self.now = start
        self.gap = 86400 / per_day
        self.nights: list[datetime] = []  # the UTC instants of clock changes ahead
        for year in range(2021, 2100):
            for month in (3, 10):
                last_sunday = max(
                    datetime(year, month, day, 1, tzinfo=UTC)
                    for day in range(25, 32)
                    if datetime(year, month, day).weekday() == 6
                )
                self.nights.append(last_sunday)
        self.nights = [n for n in self.nights if n > start]

    def tick(self) -> datetime:
        rng = self.rng
        while self.nights[0] + timedelta(hours=2) < self.now:
            self.nights.pop(0)
        night = self.nights[0]
        if self.now < night - timedelta(hours=3) <= self.now + timedelta(hours=12):
            self.now = night - timedelta(hours=2, minutes=rng.randint(0, 40))  # stay up
        if night - timedelta(hours=3) <= self.now <= night + timedelta(hours=2):
            self.now += timedelta(seconds=rng.randint(30, 420))  # chatting through the change
            return self.now
        hour = self.now.astimezone(LONDON).hour
        busy = 2.5 if 17 <= hour <= 22 else 0.15 if hour < 7 else 1.0
        self.now += timedelta(seconds=rng.expovariate(busy / self.gap) + 1)
        return self.now


def _body(rng: random.Random, platform: str, sender: str, moment: datetime, serial: int) -> Truth:
    """One user message: its kind drawn as often as such messages come in a busy group."""
    ios = platform == "ios"
    roll = rng.random()
    local = moment.astimezone(LONDON)
    if roll < 0.33:
        return Truth(sender, rng.choice(SHORT), moment)
    if roll < 0.41:  # several lines, blank ones inside
        parts = [_sentence(rng, 2, 12) for _ in range(rng.randint(2, 5))]
        for _ in range(rng.randint(1, 2)):
            parts.insert(rng.randint(1, len(parts) - 1), "")
        return Truth(sender, "\n".join(parts), moment)
    if roll < 0.45:
        if ios:
            kind = rng.choice(["image", "video", "audio", "sticker", "GIF"])
            return Truth(sender, f"{LRM}{kind} omitted", moment, attachment=kind, omitted=True)
        return Truth(sender, "<Media omitted>", moment, attachment="Media", omitted=True)
    if roll < 0.48:
        caption = "\n" + rng.choice(CAPTIONS) if rng.random() < 0.5 else ""
        if ios:
            name = f"{serial:08d}-PHOTO-{local:%Y-%m-%d-%H-%M-%S}.jpg"
            return Truth(sender, f"{LRM}<attached: {name}>{caption}", moment, attachment=name)
        name = f"IMG-{local:%Y%m%d}-WA{serial % 10000:04d}.jpg"
        return Truth(sender, f"{LRM}{name} (file attached){caption}", moment, attachment=name)
    if roll < 0.49:
        if sender == ME:
            return Truth(sender, f"{LRM}You deleted this message." if ios else "You deleted this message", moment, deleted=True)  # fmt: skip
        text = f"{LRM}This message was deleted." if ios else "This message was deleted"
        return Truth(sender, text, moment, deleted=True)
    if roll < 0.51:
        mark = f"{LRM} <This message was edited>" if ios else " <This message was edited>"
        return Truth(sender, _sentence(rng, 3, 15) + mark, moment, edited=True)
    if roll < 0.513:
        options = rng.sample(["Friday", "Saturday", "Never", "Ask the school", "Yes", "No"], 3)
        lines = ["POLL:", "Who is coming to the meeting about her?"]
        lines += [f"OPTION: {o} ({n} vote{'' if n == 1 else 's'})" for o, n in ((o, rng.randint(0, 9)) for o in options)]  # fmt: skip
        if ios:
            lines = [LRM + line for line in lines]
        return Truth(sender, "\n".join(lines), moment)
    if roll < 0.518:
        where = (
            f"https://maps.google.com/?q={rng.uniform(51.3, 51.7):.6f},{rng.uniform(-0.4, 0.2):.6f}"
        )
        return Truth(sender, f"{LRM}Location: {where}" if ios else f"location: {where}", moment)
    if roll < 0.55:
        link = f"https://{rng.choice(HOSTS)}?s={rng.randint(1, 99999)}"
        return Truth(sender, rng.choice([link, f"{_sentence(rng, 2, 8)} {link}"]), moment)
    if roll < 0.552 and not ios:
        return Truth(sender, "null", moment)  # view-once media Android cannot render
    if roll < 0.57:
        return Truth(sender, _sentence(rng, 40, 120), moment)
    return Truth(sender, _sentence(rng, 3, 25), moment)


def _event(rng: random.Random, platform: str, moment: datetime, group: list[str]) -> Truth:
    who, other = rng.sample(MEMBERS, 2)
    quote = ("“", "”") if platform == "ios" else ('"', '"')
    text = rng.choice(
        [
            f"{who} added {other}",
            f"{who} left",
            f"{who} removed {UNSAVED}",
            f"You added {other}",
            f"{who} changed this group's icon",
            f"{other}'s security code changed. Tap to learn more.",
            f"{other} joined using this group's invite link",
            "subject",
        ]
    )
    if text == "subject":
        old, new = group[0], rng.choice([n for n in GROUP_NAMES if n != group[0]])
        group[0] = new
        text = (
            f"{who} changed the subject to {quote[0]}{new}{quote[1]}"
            if platform == "ios"
            else f'{who} changed the subject from "{old}" to "{new}"'
        )
    return Truth(None, text, moment, is_system=True)


def messages(
    platform: str = "android", seed: int = 13, per_day: float = 450, start: datetime = START
) -> Iterator[Truth]:
    """The group's messages for ever from `start` (UTC), in file order (see the module
    docstring)."""
    rng = random.Random(seed)
    clock = _Clock(rng, per_day, start)
    group = [GROUP_NAMES[0]]
    quote = ("“", "”") if platform == "ios" else ('"', '"')
    yield Truth(None, f"{ME} created group {quote[0]}{group[0]}{quote[1]}", start, is_system=True)
    weights = [30, 22, 14, 10, 7, 6, 5, 3, 2, 1]
    serial = 0
    while True:
        moment = clock.tick().replace(microsecond=0)
        if platform == "android":
            moment = moment.replace(second=0)
        serial += 1
        if rng.random() < 0.004:
            yield _event(rng, platform, moment, group)
            continue
        sender = UNSAVED if rng.random() < 0.04 else rng.choices(MEMBERS, weights)[0]
        yield _body(rng, platform, sender, moment, serial)


def render(truth: Truth, platform: str, group: str) -> str:
    """The message as the export prints it (lines joined with \\n, no final line break)."""
    local = truth.utc.astimezone(LONDON)
    if platform == "ios":
        head = f"[{local:%d/%m/%Y, %H:%M:%S}] "
        if truth.is_system:
            return f"{head}{group}: {LRM}{truth.text}"
        sender = truth.sender
        return f"{head}{sender}: {truth.text}"
    head = f"{local:%d/%m/%Y, %H:%M} - "
    if truth.is_system:
        return head + truth.text
    sender = f"\u202a{truth.sender}\u202c" if truth.sender == UNSAVED else truth.sender
    return f"{head}{sender}: {truth.text}"


def visible(text: str) -> str:
    """What the parser's `text` is: the export's text without WhatsApp's direction marks."""
    for mark in (LRM, "\u202a", "\u202c"):
        text = text.replace(mark, "")
    return text


def write_export(
    path: Path, lines: int, platform: str = "android", seed: int = 13, start: datetime = START
) -> list[int]:
    """Write an export of about `lines` lines (the last message may run over); return
    [messages, system messages]. The first message is an encryption notice (not in
    `messages`), the rest are `messages(platform, seed, start=start)` in order."""
    newline = "\r\n" if platform == "ios" else "\n"
    counts = [0, 0]
    written = 0
    group = GROUP_NAMES[0]
    with open(path, "w", encoding="utf-8", newline="") as out:
        notice = (
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
            "WhatsApp, can read or listen to them."
        )
        local = start.astimezone(LONDON)
        if platform == "android":
            out.write(f"{local:%d/%m/%Y, %H:%M} - {notice} Tap to learn more.{newline}")
        else:
            out.write(f"[{local:%d/%m/%Y, %H:%M:%S}] {group}: {LRM}{notice}{newline}")
        counts = [1, 1]
        written = 1
        for truth in messages(platform, seed, start=start):
            if written >= lines:
                break
            if truth.is_system and " changed the subject" in truth.text:
                group = truth.text.rsplit(" to ", 1)[1].strip('"“”')
            text = render(truth, platform, group)
            out.write(text.replace("\n", newline) + newline)
            written += text.count("\n") + 1
            counts[0] += 1
            counts[1] += truth.is_system
    return counts


EASY_NAMES = ["Alice Smith", "Bob Jones", "Carol Díaz", "+44 7700 900123", "Dev Patel"]
EASY_WORDS = [
    "see",
    "you",
    "at",
    "the",
    "meeting",
    "tomorrow",
    "why",
    "did",
    "you",
    "post",
    "that",
    "again",
    "please",
    "stop",
    "sending",
    "me",
    "these",
    "messages",
    "everyone",
    "saw",
    "it",
    "ok",
    "thanks",
    "👍",
    "no",
    "that",
    "is",
    "not",
    "what",
    "I",
    "said",
    "I",
    "will",
    "tell",
    "the",
    "manager",
]


def write_easy(path: Path, lines: int, seed: int = 7) -> int:
    """The first benchmark's easy case: an Android en-GB 24h export of `lines` single-line
    messages from five senders (5% with a second line); returns the message count."""
    rng = random.Random(seed)
    moment = datetime(2025, 1, 13, 8, 0)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"{moment:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted. Only people "
            "in this chat can read, listen to, or share them. Learn more.\n"
        )
        written = messages = 1
        while written < lines:
            moment += timedelta(seconds=rng.randint(5, 400))
            text = " ".join(rng.choice(EASY_WORDS) for _ in range(rng.randint(3, 14)))
            out.write(f"{moment:%d/%m/%Y, %H:%M} - {rng.choice(EASY_NAMES)}: {text}\n")
            written += 1
            messages += 1
            if rng.random() < 0.05 and written < lines:
                out.write(" ".join(rng.choice(EASY_WORDS) for _ in range(5)) + "\n")
                written += 1
    return messages
