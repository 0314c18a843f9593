"""`check`, the time-stamp tokens: every token kept as good is checked again with what the vault
alone holds (its trusted authority certificates), and what it witnesses is compared with the
vault as it is now — the custody event its list ends with, and every item it names.

A token is the one thing in the vault nobody can remake later: a history rewritten with fresh
hashes no longer matches the head a token witnessed (`check` names it), and new tokens over the
rewrite would carry the time they were made.
"""

from __future__ import annotations

import json

from evidence_kit.bundle.format import tsp
from evidence_kit.model import Problem
from evidence_kit.vault.db import Connection


def check_tokens(conn: Connection, version: int) -> tuple[list[Problem], str]:
    """The problems, and the detail to show when there are none."""
    from evidence_kit.vault.schema import TIMESTAMPS_STEP

    if version < TIMESTAMPS_STEP:
        return [], "this vault keeps no time-stamps yet"
    roots = [bytes(r[0]) for r in conn.execute("SELECT der FROM timestamp_roots ORDER BY id")]
    items = {f"item:{r[0]}": r[1] for r in conn.execute("SELECT id, blob_sha256 FROM items")}
    heads = {f"custody:{r[0]}": r[1] for r in conn.execute("SELECT seq, hash FROM custody")}
    problems: list[Problem] = []
    good = 0
    authorities: set[str] = set()
    witnessed: set[str] = set()
    for token_id, kind, authority, data, nonce, reply, covers in conn.execute(
        "SELECT id, kind, authority, data, nonce, reply, covers FROM timestamp_tokens "
        "WHERE status = 'stamped' ORDER BY id"
    ):
        where = f"time-stamp token {token_id} ({authority})"
        raw = str(data).encode("utf-8")
        found = tsp.check_reply(bytes(reply), raw, roots, int(nonce))
        if not found.ok:
            problems.append(Problem(where, f"no longer checks out: {found.problem}"))
            continue
        good += 1
        authorities.add(found.signer_name)
        if kind != "list":
            continue
        lines = tsp.parse_hash_list(raw)
        if not lines:
            problems.append(Problem(where, "its hash list cannot be read"))
            continue
        head_hash, head_name = lines[-1]
        if heads.get(head_name) != head_hash:
            problems.append(
                Problem(
                    where,
                    f"witnessed the custody log's head as {head_name} {head_hash[:12]}…, which "
                    "is not the vault's event there: the history was changed after it was stamped",
                )
            )
        for digest, name in lines[:-1]:
            if name.startswith("item:"):
                if name not in items:
                    problems.append(
                        Problem(where, f"witnessed {name}, which is gone from the vault")
                    )
                elif items[name] != digest:
                    problems.append(
                        Problem(where, f"witnessed {name} with other content than it holds now")
                    )
                else:
                    witnessed.add(name)
        if not json.loads(covers):
            problems.append(Problem(where, "covers no queued request"))
    waiting = sum(1 for name in items if name not in witnessed and items[name] is not None)
    detail = (
        f"{good} token(s) from {', '.join(sorted(authorities)) or 'no authority'} check out; "
        f"{len(witnessed)} item(s) witnessed, {waiting} not (yet)"
    )
    return problems, detail
