"""A time zone is found from a city or a country, as a person would type it."""

from __future__ import annotations

import pytest

from evidence_kit.timezones import matches, resolve


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("London", "Europe/London"),
        ("  london ", "Europe/London"),
        ("UK", "Europe/London"),
        ("United Kingdom", "Europe/London"),
        ("England", "Europe/London"),
        ("Europe/Paris", "Europe/Paris"),
        ("new york", "America/New_York"),
        ("India", "Asia/Kolkata"),
        ("utc", "UTC"),
    ],
)
def test_one_place_names_one_zone(typed: str, zone: str) -> None:
    assert resolve(typed) == zone
    assert matches(typed)[0].zone == zone


def test_a_country_with_several_zones_offers_them_all() -> None:
    assert resolve("Australia") is None
    found = {m.zone for m in matches("Australia")}
    assert {"Australia/Sydney", "Australia/Perth", "Australia/Brisbane"} <= found
    assert "Sydney — Australia/Sydney (Australia)" in [m.label for m in matches("Australia")]


def test_nothing_found_and_no_old_aliases() -> None:
    assert matches("Xyzzy") == [] and resolve("Xyzzy") is None
    assert matches("") == []
    assert not any(m.zone.startswith(("US/", "Etc/")) for m in matches("Pacific"))


def test_an_import_reads_a_city_as_its_zone(vault, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.importers import import_file

    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text("12/10/2025, 21:14 - Kim: hello\n", encoding="utf-8")
    assert import_file(vault, chat, tz="London").timezone == "Europe/London"
