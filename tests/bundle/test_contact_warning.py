"""The manager-bundle warning: travelling messages that show phone numbers or e-mail addresses
are counted (text, sender and sender id); dates, years and ticket numbers are not; a redacted
copy that hid them travels without them; identifiers from a people list are found too."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, choose
from evidence_kit.bundle.identifiers import contact_details, kinds_in, phone_numbers
from evidence_kit.importers import import_file
from evidence_kit.redaction.messages import Hide
from evidence_kit.redaction.store import redact_messages
from evidence_kit.vault import Vault

CHAT = (
    "24/10/2026, 19:02 - Gareth Holloway: You think Sam will help you? Call me on 07700 900123\n"
    "24/10/2026, 19:03 - Sam Carter: leave her alone, it is 2026 not 1990\n"
    "24/10/2026, 19:04 - Gareth Holloway: Final warning. Ticket 123456789 is closed\n"
    "24/10/2026, 19:05 - Priya Shah: write to priya.shah@example.org, please stop\n"
    "24/10/2026, 19:06 - Priya Shah: or ring +44 20 7946 0958\n"
)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Call me on 07700 900123", {"phone"}),
        ("ring (020) 7946 0018 tonight", {"phone"}),
        ("+1 415 555 0100 is my cell", {"phone"}),
        ("at 24/10/2026, 19:02 in room 12", set()),
        ("it is 2026 not 1990, ticket 123456789", set()),
        ("mail jo.reed+work@mail.example.co.uk", {"e-mail"}),
        ("an @handle and a@b are not addresses", set()),
    ],
)
def test_what_counts_as_contact_details(text: str, kinds: set[str]) -> None:
    assert kinds_in(text, "GB") == kinds


def test_a_number_without_a_country_is_read_in_the_items_country() -> None:
    assert phone_numbers("call 07700 900123", "GB") == ["07700 900123"]
    assert phone_numbers("call 07700 900123", None) == []  # no country known: only +… counts
    assert phone_numbers("call +44 7700 900123", None) == ["+44 7700 900123"]


@pytest.fixture
def chat(vault: Vault, tmp_path: Path) -> int:
    path = tmp_path / "WhatsApp Chat with Gareth Holloway.txt"
    path.write_text(CHAT, "utf-8")
    return import_file(vault, path, tz="Europe/London", case="Work").item.id


def manager_travel(vault: Vault) -> list:  # type: ignore[type-arg]
    _everything, _asked, chosen = choose(vault, Options(audience="manager", case="Work"))
    return list(chosen.travel)


def test_the_travelling_messages_are_counted_and_a_redaction_removes_them(
    vault: Vault, chat: int
) -> None:
    found = contact_details(vault, manager_travel(vault))
    assert [(s.index, sorted(s.kinds)) for s in found] == [
        (0, ["phone"]), (3, ["e-mail"]), (4, ["phone"]),
    ]  # fmt: skip
    assert {s.item_id for s in found} == {chat}
    redact_messages(vault, chat, [Hide(0, 40, 52), Hide(4)], ["priya.shah@example.org"],
                    "Bystanders' numbers")  # fmt: skip
    travel = manager_travel(vault)
    assert chat not in {i.id for i in travel}  # the redacted copy goes instead
    assert contact_details(vault, travel) == []
    with_people = contact_details(vault, travel, known=["Sam Carter", " "])
    assert [(s.index, sorted(s.kinds)) for s in with_people] == [(1, ["known"])]


def test_a_sender_id_that_is_a_number_counts(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with +44 7700 900456.txt"
    path.write_text("24/10/2026, 19:02 - +44 7700 900456: you know who this is\n", "utf-8")
    import_file(vault, path, tz="Europe/London", case="Work")
    assert [sorted(s.kinds) for s in contact_details(vault, manager_travel(vault))] == [["phone"]]
