"""People: a name, a role and identifiers per platform, kept as versions (append-only; each
version is a `people` row made by its own custody event, see schema.V5_CASEFILE).

Identifiers are normalised so one person is one person however a number was typed: phone
numbers to E.164 (`phonenumbers`, with the region of this computer's locale, else GB), e-mail
addresses in lower case, handles without a leading "@". `resolve` matches the senders of imports
to people by these identifiers (a message's `sender_id`, else its sender).
"""

from __future__ import annotations

import json
import locale
import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import phonenumbers

from evidence_kit.casefile.model import ROLES, Identifier, Person
from evidence_kit.casefile.reading import Source, connection
from evidence_kit.clock import iso_utc
from evidence_kit.errors import NotFound, Refused
from evidence_kit.vault.writer import Writer

FALLBACK_REGION = "GB"
PLATFORMS = (
    "whatsapp", "facebook", "instagram", "x", "twitter", "telegram", "discord", "slack", "signal",
    "tiktok", "sms", "snapchat", "linkedin", "teams", "reddit", "youtube", "url",
)  # fmt: skip
_PHONE_KINDS = ("phone", "sms", "whatsapp", "signal")  # platforms whose ids are numbers
_PHONE_LIKE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,}$")
_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
Resolver = Callable[[str | None, str | None], Person | None]


def default_region() -> str:
    """The two-letter region of this computer's locale (LC_ALL, LC_TELEPHONE, LANG, then the
    process locale), or GB: the region a number typed without +country is read in."""
    names = [os.environ.get(key, "") for key in ("LC_ALL", "LC_TELEPHONE", "LANG")]
    try:
        names.append(locale.getlocale()[0] or "")
    except ValueError:
        pass
    for name in names:
        match = re.match(r"^[a-z]{2,3}_([A-Z]{2})\b", name)
        if match and match.group(1) in phonenumbers.SUPPORTED_REGIONS:
            return match.group(1)
    return FALLBACK_REGION


def phone_e164(text: str, region: str | None = None) -> str:
    """`07700 900123` (in GB) and `+44 7700 900123` both give `+447700900123`."""
    try:
        number = phonenumbers.parse(text.strip(), region or default_region())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise Refused(
            f"{text.strip()!r} is not a phone number Evidence Kit can read.",
            hint="Type it as it is dialled, or with its country code: +44 7700 900123.",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable_phone(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def identifier(kind: str, value: str, region: str | None = None) -> Identifier:
    """One identifier, normalised; refused (naming it) if it cannot be what its kind says."""
    kind, value = kind.strip().lower(), value.strip()
    if not _KIND.match(kind):
        raise Refused(
            f"{kind!r} is not a kind of identifier.",
            hint=f"Use phone, email, or a platform: {', '.join(PLATFORMS)}.",
        )
    if not value:
        raise Refused(f"The {kind} identifier is empty.", hint="Give it as KIND:VALUE.")
    if kind == "phone" or (kind in _PHONE_KINDS and _PHONE_LIKE.match(value)):
        return Identifier("phone", phone_e164(value, region))
    if kind == "email":
        if value.count("@") != 1 or value.startswith("@") or value.endswith("@"):
            raise Refused(f"{value!r} is not an e-mail address.")
        return Identifier("email", value.lower())
    if kind == "url":
        return Identifier("url", value)
    return Identifier(kind, value.lstrip("@"))


def parse_identifier(text: str, region: str | None = None) -> Identifier:
    """`KIND:VALUE` as `--id` takes it (`phone:07700 900123`, `instagram:@gaz_h`)."""
    kind, colon, value = text.partition(":")
    if not colon:
        raise Refused(
            f"The identifier {text!r} has no kind.",
            hint="Give it as KIND:VALUE, for example phone:07700 900123 or email:a@b.org.",
        )
    return identifier(kind, value, region)


def _key(found: Identifier) -> str:
    """What makes two identifiers the same: a number or an address whatever the platform."""
    if found.kind in ("phone", "email"):
        return f"{found.kind}:{found.value}"
    if found.kind == "url":
        return f"url:{found.value.rstrip('/').casefold()}"
    return f"{found.kind}:{found.value.casefold()}"


def _role(role: str) -> str:
    cleaned = " ".join(role.split()).lower()
    if cleaned not in ROLES:
        raise Refused(f"{role!r} is not a role.", hint=f"Use one of: {', '.join(ROLES)}.")
    return cleaned


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Refused("A person needs a name.")
    if len(cleaned) > 200:
        raise Refused("A name can be at most 200 characters long.")
    return cleaned


# -- reading ---------------------------------------------------------------------------------


def _from_row(row: Sequence[Any]) -> Person:
    person_id, version, name, role, identifiers = row
    found = tuple(Identifier(str(i["kind"]), str(i["value"])) for i in json.loads(identifiers))
    return Person(int(person_id), int(version), str(name), str(role), found)


def everyone(source: Source) -> list[Person]:
    """Every person as their latest version says, by id."""
    rows = connection(source).execute(
        "SELECT p.person_id, p.version, p.name, p.role, p.identifiers FROM people p "
        "WHERE p.version = (SELECT max(version) FROM people q WHERE q.person_id = p.person_id) "
        "ORDER BY p.person_id"
    )
    return [_from_row(row) for row in rows]


def versions(source: Source, person_id: int) -> list[Person]:
    rows = (
        connection(source)
        .execute(
            "SELECT person_id, version, name, role, identifiers FROM people WHERE person_id = ? "
            "ORDER BY version",
            (person_id,),
        )
        .fetchall()
    )
    return [_from_row(row) for row in rows]


def person(source: Source, person_id: int) -> Person:
    found = versions(source, person_id)
    if not found:
        raise NotFound(f"There is no person {person_id}.", hint="`evidence-kit people` lists them.")
    return found[-1]


def named(source: Source, name: str) -> Person | None:
    wanted = " ".join(name.split()).casefold()
    return next((p for p in everyone(source) if p.name.casefold() == wanted), None)


# -- writing ---------------------------------------------------------------------------------


def _store(writer: Writer, person_id: int, version: int, found: Person) -> Person:
    taken = {_key(i): p for p in everyone(writer.conn) if p.id != person_id for i in p.identifiers}
    for ident in found.identifiers:
        other = taken.get(_key(ident))
        if other is not None:
            raise Refused(
                f"{ident.shown()} is already {other.name} (person {other.id}).",
                hint=f"Revise person {other.id} instead (`evidence-kit person revise {other.id}`).",
            )
    row_id = int(writer.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM people").fetchone()[0])
    row = {
        "id": row_id, "person_id": person_id, "version": version, "name": found.name,
        "role": found.role,
        "identifiers": json.dumps([i.as_bundle() for i in found.identifiers], ensure_ascii=False),
        "made_at": iso_utc(writer.clock.now()),
    }  # fmt: skip
    action = "person added" if version == 1 else "person revised"
    writer._act("people", row, action, f"person:{person_id}", {"version": version})
    return Person(person_id, version, found.name, found.role, found.identifiers)


def _unique(identifiers: Iterable[Identifier]) -> tuple[Identifier, ...]:
    seen: dict[str, Identifier] = {}
    for ident in identifiers:
        seen.setdefault(_key(ident), ident)
    return tuple(seen.values())


def add(writer: Writer, name: str, role: str, identifiers: Iterable[Identifier] = ()) -> Person:
    """A new person (version 1, event "person added"); refused if a name or identifier is taken."""
    name = _name(name)
    if named(writer.conn, name) is not None:
        raise Refused(
            f"There is already a person called {name!r}.",
            hint="`evidence-kit people` lists them; revise that one, or add a surname.",
        )
    next_id = writer.conn.execute("SELECT coalesce(max(person_id), 0) + 1 FROM people").fetchone()
    person_id = int(next_id[0])
    return _store(
        writer, person_id, 1, Person(person_id, 1, name, _role(role), _unique(identifiers))
    )


def revise(
    writer: Writer,
    person_id: int,
    *,
    name: str | None = None,
    role: str | None = None,
    identifiers: Iterable[Identifier] = (),
) -> Person:
    """A new version of a person: what is given replaces, identifiers are added to those kept."""
    before = person(writer.conn, person_id)
    new_name = _name(name) if name is not None else before.name
    other = named(writer.conn, new_name)
    if other is not None and other.id != person_id:
        raise Refused(f"There is already a person called {new_name!r} (person {other.id}).")
    after = Person(
        person_id, before.version + 1, new_name, _role(role) if role is not None else before.role,
        _unique([*before.identifiers, *identifiers]),
    )  # fmt: skip
    if (after.name, after.role, after.identifiers) == (
        before.name,
        before.role,
        before.identifiers,
    ):
        raise Refused(f"That is what person {person_id} says already: nothing to revise.")
    return _store(writer, person_id, after.version, after)


def find_or_add(writer: Writer, name: str, role: str) -> Person:
    """The person called `name`, made with `role` if there is none (`--person`, `--witness`)."""
    return named(writer.conn, name) or add(writer, name, role)


# -- matching senders ------------------------------------------------------------------------


def resolve(source: Source, region: str | None = None) -> Resolver:
    """A function (sender, sender_id) -> the person of the vault they are, or None."""
    return resolver_for(everyone(source), region)


def resolver_for(people: Sequence[Person], region: str | None = None) -> Resolver:
    """A function (sender, sender_id) -> which of `people` they are, or None.

    Matched by identifier: the sender id (or the sender, where the app shows a number or an
    address) read as a phone number, an e-mail address or a handle; failing that, by a name
    only one person has."""
    by_key = {_key(i): p for p in people for i in p.identifiers}
    by_handle = {i.value.casefold(): p for p in people for i in p.identifiers}
    names: dict[str, list[Person]] = {}
    for one in people:
        names.setdefault(one.name.casefold(), []).append(one)
    cache: dict[tuple[str | None, str | None], Person | None] = {}
    region = region or default_region()

    def candidates(text: str) -> Iterable[str]:
        text = text.strip()
        if text.lower().startswith(("tel:", "mailto:")):
            text = text.partition(":")[2]
        if _PHONE_LIKE.match(text):
            try:
                yield f"phone:{phone_e164(text, region)}"
            except Refused:
                pass
        if "@" in text.strip("@"):
            yield f"email:{text.lower()}"

    def find(sender: str | None, sender_id: str | None) -> Person | None:
        for text in (sender_id, sender):
            if not text:
                continue
            for key in candidates(text):
                if key in by_key:
                    return by_key[key]
            handle = by_handle.get(text.strip().lstrip("@").casefold())
            if handle is not None:
                return handle
        same = names.get(" ".join((sender or "").split()).casefold(), [])
        return same[0] if len(same) == 1 else None

    def matched(sender: str | None, sender_id: str | None) -> Person | None:
        if (sender, sender_id) not in cache:
            cache[(sender, sender_id)] = find(sender, sender_id)
        return cache[(sender, sender_id)]

    return matched


def as_dict(found: Person) -> dict[str, Any]:
    """The JSON form the command line prints (`person add --json`, `people --json`)."""
    return {"person_id": found.id, "version": found.version, **found.as_bundle()}
