"""Where one item stands with trusted time, in the words the GUI and the CLI show.

- "stamped": a good token's hash list names the item's file — "witnessed by X at T" for each;
- "failed": it is queued, and the last replies over it did not check out (the problem kept);
- "pending": it is queued and waits for an authority;
- "none": nothing of it waits (a note, or content without a file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from evidence_kit.bundle.format import tsp
from evidence_kit.vault import Vault


@dataclass(frozen=True)
class Witness:
    token_id: int
    authority: str  # the address that was asked
    signer: str  # the authority's name from its certificate
    at: str  # the authority's time, UTC
    clock_note: str | None = None  # the computer's clock was off, said plainly


@dataclass(frozen=True)
class ItemTimestamp:
    item_id: int
    status: str  # "stamped", "pending", "failed" or "none"
    witnesses: tuple[Witness, ...] = ()
    problem: str | None = None

    @property
    def words(self) -> str:
        if self.status == "stamped":
            return "; ".join(f"witnessed by {w.signer} at {w.at}" for w in self.witnesses)
        if self.status == "failed":
            return f"time-stamp failed: {self.problem}" if self.problem else "time-stamp failed"
        if self.status == "pending":
            return "waiting for a time-stamp"
        return "not time-stamped"

    def as_dict(self) -> dict[str, object]:
        return {
            "item_id": self.item_id,
            "status": self.status,
            "words": self.words,
            "witnesses": [w.__dict__ for w in self.witnesses],
            "problem": self.problem,
        }


def _line(vault: Vault, item_id: int) -> str | None:
    item = vault.item(item_id)
    return f"{item.sha256}  item:{item_id}\n" if item.sha256 else None


def state(vault: Vault, item_id: int) -> ItemTimestamp:
    line = _line(vault, item_id)
    if line is None:
        return ItemTimestamp(item_id, "none")
    witnesses = []
    for token_id, authority, signer, gen_time, drift in vault.conn.execute(
        "SELECT id, authority, signer, gen_time, drift_seconds FROM timestamp_tokens "
        "WHERE kind = 'list' AND status = 'stamped' AND instr(data, ?) > 0 ORDER BY gen_time",
        (line,),
    ):
        note = None
        if drift is not None and abs(drift) > tsp.DRIFT_LIMIT:
            note = f"your computer's clock was {round(abs(drift) / 60)} minutes off"
        name = tsp.common_name(signer) if signer else authority
        witnesses.append(Witness(int(token_id), authority, name, str(gen_time), note))
    if witnesses:
        return ItemTimestamp(item_id, "stamped", tuple(witnesses))
    queued = [
        int(row[0])
        for row in vault.conn.execute(
            "SELECT id FROM timestamp_queue WHERE instr(lines, ?) > 0", (line,)
        )
    ]
    if not queued:
        return ItemTimestamp(item_id, "none")
    last = None
    for covers, status, problem in vault.conn.execute(
        "SELECT covers, status, problem FROM timestamp_tokens WHERE kind = 'list' ORDER BY id"
    ):
        if set(json.loads(covers)) & set(queued):
            last = (status, problem)
    if last is not None and last[0] == "failed":
        return ItemTimestamp(item_id, "failed", problem=last[1])
    return ItemTimestamp(item_id, "pending")
