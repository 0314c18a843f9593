"""What the case file's readers take: an open vault, a writer, or their connection."""

from __future__ import annotations

from typing import Protocol, TypeAlias

from evidence_kit.vault.db import Connection


class HasConnection(Protocol):
    @property
    def conn(self) -> Connection: ...


Source: TypeAlias = Connection | HasConnection


def connection(source: Source) -> Connection:
    found = getattr(source, "conn", None)
    return found if found is not None else source  # type: ignore[return-value]
