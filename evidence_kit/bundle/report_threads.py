"""The report's conversations: each import's threads (SMS to three people are three threads),
each with who took part in it, named as the case file names them where an identifier matches
("Gareth Holloway (+44 7700 900123)", never a bare number as another person)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evidence_kit.casefile.model import Person
from evidence_kit.vault.message_codec import who_text


@dataclass(frozen=True)
class Thread:
    item_id: int
    label: str  # the import's exhibit label
    name: str | None  # its `conversation`; None when the export names none
    count: int
    sides: tuple[str, ...]
    person: str | None = None  # the case's person the thread is named after (a number, an address)

    @property
    def title(self) -> str:
        return self.person or self.name or "conversation"

    @property
    def counted(self) -> str:
        return f"{self.count} message" + ("" if self.count == 1 else "s")


def match_person(sender: str | None, sender_id: str | None,
                 people: Sequence[Person]) -> Person | None:  # fmt: skip
    """The case's person a sender is: the case file's own matching (by identifier, phone
    numbers in E.164, else a name only one person has)."""
    return _resolver(tuple(people))(sender, sender_id)


@lru_cache(maxsize=8)
def _resolver(people: tuple[Person, ...]) -> Callable[[str | None, str | None], Person | None]:
    """One resolver per case's people: `side` runs for every quoted message of a report."""
    from evidence_kit.casefile.people import resolver_for

    return resolver_for(people)


def side(sender: str | None, sender_id: str | None, people: Sequence[Person]) -> str:
    person = match_person(sender, sender_id, people)
    if person is not None:
        return person.display()
    return who_text({"sender": sender, "sender_id": sender_id})


def threads(vault: Any, item_id: int, label: str, people: Sequence[Person]) -> list[Thread]:
    found = []
    for thread in vault.conversations(item_id):
        sides: list[str] = []
        for s in thread["senders"]:
            shown = side(s["sender"], s["sender_id"], people)
            if shown not in sides:
                sides.append(shown)
        name = thread["conversation"]
        named = match_person(None, name, people) if name else None
        found.append(Thread(item_id, label, name, thread["count"], tuple(sides),
                            named.display() if named else None))  # fmt: skip
    return found
