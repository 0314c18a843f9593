"""Phone numbers and e-mail addresses in what a bundle carries: the warning a manager bundle
gets before it is sealed (issue 16: a manager should not receive bystanders' contact details
the person did not mean to send).

Looks at text and metadata only (no OCR): each travelling chat's message text, sender and
sender id, and a redacted copy's messages as they will travel (hidden parts already gone).
`known` takes more identifiers to look for as they are written (the people list's bystanders,
when it exists: names, handles, numbers), found case-blind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from evidence_kit.model import Item, ItemKind
from evidence_kit.timezones import country_code
from evidence_kit.vault import Vault

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
FIELDS = ("text", "sender", "sender_id")
MIN_DIGITS = (
    10  # a number not known valid counts when it is written like one: 0… or +…, ≥ 10 digits
)


@dataclass(frozen=True)
class Shown:
    """One travelling message that shows contact details."""

    item_id: int
    index: int
    kinds: frozenset[str]  # "phone", "e-mail", "known"


def phone_numbers(text: str, region: str | None) -> list[str]:
    import phonenumbers

    found = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, region or "ZZ", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        digits = sum(ch.isdigit() for ch in match.raw_string)
        written_as_one = (
            match.raw_string.lstrip("(").startswith(("0", "+")) and digits >= MIN_DIGITS
        )
        if written_as_one or phonenumbers.is_valid_number(match.number):
            found.append(match.raw_string)
    return found


def kinds_in(text: str, region: str | None, known: Iterable[str] = ()) -> set[str]:
    kinds = set()
    if EMAIL.search(text):
        kinds.add("e-mail")
    if any(ch.isdigit() for ch in text) and phone_numbers(text, region):
        kinds.add("phone")
    folded = text.casefold()
    if any(k and k.casefold() in folded for k in known):
        kinds.add("known")
    return kinds


def _records(vault: Vault, item: Item) -> Iterator[Mapping[str, Any]]:
    if item.kind is ItemKind.IMPORT:
        yield from vault.messages(item.id)
    elif item.media_type == "application/x-ndjson" and item.sha256 is not None:
        pending = b""
        for block in [*vault.content(item.id), b"\n"]:
            pending += block
            *lines, pending = pending.split(b"\n")
            for line in lines:
                record = json.loads(line) if line.strip() else {}
                if isinstance(record, dict) and not record.get("hidden"):
                    yield record


def _region(item: Item) -> str | None:
    imported = item.metadata.get("import")
    zone = imported.get("timezone") if isinstance(imported, dict) else None
    capture = item.metadata.get("capture")
    zone = zone or (capture.get("timezone") if isinstance(capture, dict) else None)
    return country_code(zone if isinstance(zone, str) else None)


def contact_details(
    vault: Vault,
    travel: Iterable[Item],
    known: Iterable[str] = (),
    default_region: str | None = None,
) -> list[Shown]:
    """Every travelling message that shows a phone number or an e-mail address (or a `known`
    identifier). Numbers written without a country are read as the item's own country."""
    known = [k.strip() for k in known if k.strip()]
    found = []
    for item in travel:
        region = _region(item) or default_region
        for record in _records(vault, item):
            kinds: set[str] = set()
            for name in FIELDS:
                value = record.get(name)
                if isinstance(value, str) and value:
                    kinds |= kinds_in(value, region, known)
            if kinds:
                found.append(Shown(item.id, int(record.get("index", -1)), frozenset(kinds)))
    return found
