"""Trusted time: RFC 3161 time-stamps for what the vault holds.

Every act that commits evidence queues its hashes in its own transaction (`Writer.queue_stamps`,
no network). Later — `evidence-kit timestamp`, a short attempt after a command, or the GUI's
background task — `flush(vault, progress, cancel)` asks every configured authority for one token
over a hash list of everything still waiting (its last line is the custody chain's head), checks
each reply on receipt and keeps it whole, good or not. `state(vault, item_id)` says where an item
stands; `seal_token` asks for the token over a bundle's tag manifest while it is exported.
"""

from evidence_kit.timestamp.authorities import DEFAULT_AUTHORITIES, authority_urls, set_authorities
from evidence_kit.timestamp.flush import FlushCounts, flush
from evidence_kit.timestamp.state import ItemTimestamp, Witness, state

__all__ = [
    "DEFAULT_AUTHORITIES",
    "FlushCounts",
    "ItemTimestamp",
    "Witness",
    "authority_urls",
    "flush",
    "set_authorities",
    "state",
]
