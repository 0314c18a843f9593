"""Offence tags: the policy's Appendix A with the law of England and Wales beside it, read from
`resources/casefile/offences.json` (one home for the words; the CLI, the GUI and the report use
these values). Child-protection entries (`guidance_only`) lead to the policy's 2.7.4 guidance:
they are never a tag on evidence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from evidence_kit.casefile.model import Offence
from evidence_kit.errors import Refused
from evidence_kit.paths import resource_path

RESOURCE = ("casefile", "offences.json")


@dataclass(frozen=True)
class OffenceList:
    jurisdiction: str
    as_of: str
    not_legal_advice: str  # the line shown wherever tags are shown
    child_protection_guidance: str  # the policy's 2.7.4, for the guidance-only entries
    offences: tuple[Offence, ...]

    def by_code(self) -> dict[str, Offence]:
        return {offence.code: offence for offence in self.offences}


@cache
def catalogue() -> OffenceList:
    data: dict[str, Any] = json.loads(resource_path(*RESOURCE).read_text(encoding="utf-8"))
    offences = tuple(
        Offence(
            code=entry["code"],
            act=entry["act"],
            section=entry["section"],
            summary=entry["summary"],
            needs=entry["needs"],
            fear_of_violence=bool(entry.get("fear_of_violence", False)),
            guidance_only=bool(entry.get("guidance_only", False)),
            in_force=bool(entry.get("in_force", True)),
        )
        for entry in data["offences"]
    )
    return OffenceList(
        data["jurisdiction"],
        data["as_of"],
        data["not_legal_advice"],
        data["child_protection_guidance"],
        offences,
    )


def taggable(codes: Iterable[str]) -> tuple[str, ...]:
    """The codes, checked: each one known and not guidance-only (capitals do not count).
    Refused, naming the code, otherwise."""
    known = {code.casefold(): offence for code, offence in catalogue().by_code().items()}
    found: list[str] = []
    for code in codes:
        offence = known.get(code.strip().casefold())
        if offence is None:
            raise Refused(
                f"There is no offence code {code.strip()!r}.",
                hint="`evidence-kit offences` lists the codes.",
            )
        if offence.guidance_only:
            raise Refused(
                f"{offence.code} ({offence.act}) is not a tag: "
                + catalogue().child_protection_guidance
            )
        if offence.code not in found:
            found.append(offence.code)
    return tuple(found)


def of(codes: Iterable[str]) -> tuple[Offence, ...]:
    """The offences with these codes, in the catalogue's order (unknown codes left out)."""
    wanted = set(codes)
    return tuple(offence for offence in catalogue().offences if offence.code in wanted)
