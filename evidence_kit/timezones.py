"""Finding a time zone from what a person types: a city, a country, or the zone's own name.

"London", "UK", "united kingdom", "Europe/London" and "GB" all find Europe/London; "Australia"
finds each of its zones. Zone names come from zoneinfo; countries and their zones from pytz's
copy of the IANA tables (zone.tab, iso3166.tab), plus the everyday names below.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import cache

# Everyday names the IANA country table does not use (it says "Britain (UK)").
ALIASES = {
    "uk": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "holland": "NL",
    "czech republic": "CZ",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "türkiye": "TR",
    "turkiye": "TR",
}


REGIONS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
           "Europe", "Indian", "Pacific"}  # fmt: skip


@dataclass(frozen=True)
class ZoneMatch:
    zone: str  # "Europe/London"
    label: str  # "London — Europe/London (Britain (UK))"


@cache
def _zones() -> tuple[str, ...]:
    """The zones in use today (no old aliases such as US/Pacific), that zoneinfo has."""
    import pytz

    common = set(pytz.common_timezones)
    return tuple(
        sorted(
            z
            for z in zoneinfo.available_timezones()
            if z in common and z.split("/")[0] in REGIONS and "/" in z
        )
    )


@cache
def _countries() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Country names by code, and each country's zones (only the ones zoneinfo has)."""
    import pytz

    known = set(_zones())
    names = {code.upper(): str(name) for code, name in pytz.country_names.items()}
    zones = {
        code.upper(): tuple(z for z in pytz.country_timezones.get(code, ()) if z in known)
        for code in pytz.country_names
    }
    return names, zones


@cache
def _country_of() -> dict[str, str]:
    names, zones = _countries()
    found: dict[str, str] = {}
    for code, listed in zones.items():
        for zone in listed:
            found.setdefault(zone, names[code])
    return found


@cache
def _code_of() -> dict[str, str]:
    _names, zones = _countries()
    return {zone: code for code, listed in zones.items() for zone in listed}


def country_code(zone: str | None) -> str | None:
    """The two-letter code of the country a zone is in (`Europe/London` → `GB`), if one."""
    return _code_of().get(zone or "")


def city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def label(zone: str) -> str:
    country = _country_of().get(zone)
    return f"{city(zone)} — {zone}" + (f" ({country})" if country else "")


def _tiers(text: str) -> list[list[str]]:
    """Zones for `text`, in tiers: the zone itself, cities of that name, the country's zones,
    cities starting with it, countries containing it, zones containing it."""
    wanted = " ".join(text.replace("_", " ").split()).casefold()
    if not wanted:
        return []
    zones = _zones()
    exact = [z for z in zones if z.casefold() == text.strip().casefold()]
    if wanted in ("utc", "gmt"):
        exact = ["UTC"]
    names, by_country = _countries()
    codes = [c for c, n in names.items() if wanted in (n.casefold(), c.casefold())]
    if wanted in ALIASES:
        codes.append(ALIASES[wanted])
    partial = [c for c, n in names.items() if len(wanted) >= 3 and wanted in n.casefold()]
    return [
        exact,
        [z for z in zones if city(z).casefold() == wanted],
        [z for code in codes for z in by_country.get(code, ())],
        [z for z in zones if city(z).casefold().startswith(wanted)],
        [z for code in partial for z in by_country.get(code, ())],
        [z for z in zones if wanted in z.replace("_", " ").casefold()],
    ]


def matches(text: str, limit: int = 60) -> list[ZoneMatch]:
    """Zones for what was typed, best first (see `_tiers`)."""
    ordered: list[str] = []
    for tier in _tiers(text):
        ordered.extend(zone for zone in tier if zone not in ordered)
    return [ZoneMatch(zone, label(zone)) for zone in ordered[:limit]]


def resolve(text: str) -> str | None:
    """The one zone `text` names — the zone's name, the only city of that name, the only zone
    of that country, or the only match at all — else None (the person chooses from `matches`)."""
    tiers = _tiers(text)
    for tier in tiers[:3]:
        unique = sorted(set(tier))
        if len(unique) == 1:
            return unique[0]
        if unique:
            return None
    found = matches(text)
    return found[0].zone if len(found) == 1 else None
