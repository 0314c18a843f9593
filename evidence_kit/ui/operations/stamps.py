"""Trusted time-stamps, for the GUI: the parts that need the vault run on the worker
(`prepare`, `record`, the item's state, the authority list); asking the network does not
(see `ui/stamper.py`), so no capture ever waits for an authority."""

from __future__ import annotations

from dataclasses import dataclass

from evidence_kit.timestamp.flush import Batch, FlushCounts, Outcome
from evidence_kit.ui.tasks import Job


@dataclass(frozen=True)
class Request:
    vault_id: str  # the replies are kept only in the vault that asked
    batch: Batch


def prepare(job: Job) -> Request | None:
    from evidence_kit.timestamp.flush import prepare as core_prepare

    vault = job.need_vault()
    batch = core_prepare(vault)
    return Request(vault.vault_id, batch) if batch is not None else None


def ask(request: Request) -> list[Outcome]:
    """The network part: any thread, no vault."""
    from evidence_kit.timestamp.flush import ask as core_ask

    return core_ask(request.batch)


def record(job: Job, request: Request, outcomes: list[Outcome]) -> FlushCounts | None:
    """Keep the replies; None (nothing kept) if another vault was opened meanwhile."""
    from evidence_kit.timestamp.flush import record as core_record

    vault = job.need_vault()
    if vault.vault_id != request.vault_id:
        return None
    return core_record(vault, request.batch, outcomes)


@dataclass(frozen=True)
class Authorities:
    urls: tuple[str, ...]  # empty: trusted time-stamps are off
    from_environment: bool  # EVIDENCE_KIT_TSA_URLS decides (the setting cannot change it)
    defaults: tuple[str, ...]


def authorities(job: Job) -> Authorities:
    import os

    from evidence_kit.timestamp.authorities import DEFAULT_AUTHORITIES, URLS_ENV, authority_urls

    return Authorities(
        authority_urls(job.need_vault()), URLS_ENV in os.environ, DEFAULT_AUTHORITIES
    )


def set_authorities(job: Job, text: str) -> tuple[str, ...]:
    """`text`: addresses separated by commas or lines, or "none" (off). On the custody chain."""
    from evidence_kit.timestamp.authorities import set_authorities as core_set

    joined = ",".join(part.strip() for part in text.replace("\n", ",").split(",") if part.strip())
    return core_set(job.need_vault(), joined or "none")
