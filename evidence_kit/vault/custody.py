"""The chain of custody: every act is an event that carries the hash of the one before.

An event's hash is the SHA-256 of its canonical JSON form (keys sorted, no spaces, UTF-8),
which includes the previous event's hash. The same form is written into every bundle, so a
recipient can recompute the chain with nothing but a JSON parser and SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from evidence_kit.model import Problem

GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def event_body(
    seq: int,
    at: str,
    os_user: str,
    owner: str,
    action: str,
    subject: str | None,
    details: Mapping[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at,
        "actor": {"os_user": os_user, "owner": owner},
        "action": action,
        "subject": subject,
        "details": dict(details),
        "prev_hash": prev_hash,
    }


def event_hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(body)).hexdigest()


def check_chain(events: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """Problems in a chain of event records (each an `event_body` plus its "hash").

    Finds a changed event (its hash no longer matches), a removed or inserted one (a gap in the
    sequence, a broken link) and re-ordered ones (sequence out of order, links broken).
    """
    problems: list[Problem] = []
    expected_prev = GENESIS
    expected_seq = 1
    for event in events:
        seq = event.get("seq")
        where = f"custody event {seq}"
        body = {
            key: event.get(key)
            for key in ("seq", "at", "actor", "action", "subject", "details", "prev_hash")
        }
        if seq != expected_seq:
            problems.append(Problem(where, f"is out of sequence: expected event {expected_seq}"))
        if event.get("prev_hash") != expected_prev:
            problems.append(
                Problem(where, "does not follow the event before it (the link is broken)")
            )
        if event_hash(body) != event.get("hash"):
            problems.append(
                Problem(where, "has been changed since it was recorded (its hash does not match)")
            )
        expected_prev = str(event.get("hash"))
        expected_seq = (seq if isinstance(seq, int) else expected_seq) + 1
    return problems
