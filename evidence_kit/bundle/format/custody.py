"""The chain of custody as it is hashed and as it travels: canonical JSON, event hashes, links.

An event's hash is the SHA-256 of its canonical JSON form (keys sorted, no spaces, UTF-8),
which includes the previous event's hash. The same form is written into every bundle, so a
recipient can recompute the chain with nothing but a JSON parser and SHA-256.

A bundle carries in full only the events of what it holds (and the vault's first event, which
names the seal key); every other event travels as an *opaque link* — `{"seq", "hash",
"prev_hash"}` and nothing else — so the chain still verifies end to end and reveals nothing of
the acts it stands for.

The actor of an event is the vault owner's chosen name. Events recorded before version 0.2 also
name the operating-system account (`os_user`); their hashes cannot change, so they keep it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
BODY_KEYS = ("seq", "at", "actor", "action", "subject", "details", "prev_hash")
LINK_KEYS = frozenset({"seq", "hash", "prev_hash"})


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with a chain, and which event."""

    where: str
    what: str


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def actor(owner: str, os_user: str = "") -> dict[str, str]:
    """Who acted: the owner's name; an old event's operating-system account where it had one."""
    return {"os_user": os_user, "owner": owner} if os_user else {"owner": owner}


def event_body(
    seq: int,
    at: str,
    who: Mapping[str, str],
    action: str,
    subject: str | None,
    details: Mapping[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at,
        "actor": dict(who),
        "action": action,
        "subject": subject,
        "details": dict(details),
        "prev_hash": prev_hash,
    }


def event_hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(body)).hexdigest()


def opaque_link(record: Mapping[str, Any]) -> dict[str, Any]:
    """The event as a link only: its place in the chain, nothing of what it was."""
    return {"seq": record["seq"], "hash": record["hash"], "prev_hash": record["prev_hash"]}


def is_link(record: Mapping[str, Any]) -> bool:
    return set(record) == LINK_KEYS


def check_chain(events: Iterable[Mapping[str, Any]]) -> list[ChainProblem]:
    """Problems in a chain of event records (each an `event_body` plus its "hash", or a link).

    Finds a changed event (its hash no longer matches), a removed or inserted one (a gap in the
    sequence, a broken link) and re-ordered ones (sequence out of order, links broken). A link
    cannot be re-hashed; it is checked for its place in the chain (the next event names its hash).
    """
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    for event in events:
        seq = event.get("seq")
        where = f"custody event {seq}"
        link = is_link(event)
        if seq != expected_seq:
            problems.append(
                ChainProblem(where, f"is out of sequence: expected event {expected_seq}")
            )
        if event.get("prev_hash") != expected_prev:
            problems.append(
                ChainProblem(where, "does not follow the event before it (the link is broken)")
            )
        digest = event.get("hash")
        if not isinstance(digest, str) or len(digest) != 64:
            problems.append(ChainProblem(where, "has no valid hash"))
        elif not link:
            if set(event) != {*BODY_KEYS, "hash"}:
                problems.append(ChainProblem(where, "is neither a whole event nor a link"))
            elif _hash_of(event) != digest:
                problems.append(
                    ChainProblem(
                        where, "has been changed since it was recorded (its hash does not match)"
                    )
                )
        expected_prev = str(digest)
        expected_seq = (
            seq if isinstance(seq, int) and not isinstance(seq, bool) else expected_seq
        ) + 1
    return problems


def _hash_of(event: Mapping[str, Any]) -> str | None:
    """The event's hash, or None when it holds what no event can (text UTF-8 cannot encode, a
    value JSON cannot write): it cannot be an event Evidence Kit recorded."""
    try:
        return event_hash({key: event.get(key) for key in BODY_KEYS})
    except (UnicodeEncodeError, ValueError, TypeError):
        return None
