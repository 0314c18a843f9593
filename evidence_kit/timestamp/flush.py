"""Asking for every pending token now: the queue's rows not yet covered by a good token go into
one hash list (the custody head last), every configured authority is asked for a token over it,
every reply is checked and kept — good or not — and the counts say what happened.

- `stamped`: queued rows covered by a good token from this run (one good token is enough; every
  good one is kept);
- `failed`: rows whose every reply this run did not check out (kept, reported, asked again next
  run);
- `pending`: rows still waiting — no authority could be reached, or none is configured.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from evidence_kit.bundle.format import tsp
from evidence_kit.clock import Clock, iso_utc
from evidence_kit.errors import Cancelled
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress
from evidence_kit.timestamp import client
from evidence_kit.timestamp.authorities import Root, authority_urls, trusted_roots
from evidence_kit.vault import Vault, Writer


@dataclass(frozen=True)
class FlushCounts:
    stamped: int
    pending: int
    failed: int
    problems: tuple[str, ...] = ()  # per authority, in plain words
    notes: tuple[str, ...] = ()  # e.g. the computer's clock was off

    def as_dict(self) -> dict[str, int]:
        return {"stamped": self.stamped, "pending": self.pending, "failed": self.failed}


@dataclass(frozen=True)
class Outcome:
    """One authority's reply to one request, checked."""

    url: str
    request: tsp.Request
    asked_at: datetime
    answer: client.Answer
    check: tsp.TokenCheck | None  # None when nothing came back

    @property
    def good(self) -> bool:
        return self.check is not None and self.check.ok

    def problem(self) -> str | None:
        if self.answer.reply is None:
            return f"{self.url}: {self.answer.unreachable}"
        if self.check is not None and not self.check.ok:
            return f"{self.url}: {self.check.problem}"
        return None

    def drift(self) -> str | None:
        if self.check is None or self.check.gen_time is None:
            return None
        return tsp.drift_note(self.check.gen_time, self.asked_at)


def waiting(vault: Vault) -> list[tuple[int, str]]:
    """(id, lines) of every queued row no good list token covers yet, in order."""
    covered: set[int] = set()
    for (covers,) in vault.conn.execute(
        "SELECT covers FROM timestamp_tokens WHERE kind = 'list' AND status = 'stamped'"
    ):
        covered.update(int(i) for i in json.loads(covers))
    return [
        (int(row[0]), str(row[1]))
        for row in vault.conn.execute("SELECT id, lines FROM timestamp_queue ORDER BY id")
        if int(row[0]) not in covered
    ]


def ask_for(
    vault: Vault, data: bytes, urls: tuple[str, ...], timeout: float, cancel: CancelFlag
) -> list[Outcome]:
    """Ask every authority at once for a token over `data`; check each reply on receipt."""
    return _ask(data, urls, trusted_roots(vault), vault.clock, timeout, cancel)


def _ask(
    data: bytes,
    urls: tuple[str, ...],
    roots: list[Root],
    clock: Clock,
    timeout: float,
    cancel: CancelFlag,
) -> list[Outcome]:
    if cancel():
        raise Cancelled()
    requests = [tsp.make_request(data) for _ in urls]
    asked_at = clock.now()  # the local clock at the moment of the request
    answers = client.ask_all(
        list(zip(urls, (r.der for r in requests), strict=True)), timeout, cancel
    )
    outcomes = []
    for url, request, answer in zip(urls, requests, answers, strict=True):
        checked = None
        if answer.reply is not None:
            checked = tsp.check_reply(answer.reply, data, [r.der for r in roots], request.nonce)
            insane = tsp.drift_problem(checked.gen_time, asked_at) if checked.gen_time else None
            if checked.ok and insane is not None:
                checked = dataclasses.replace(checked, ok=False, problem=insane)
        outcomes.append(Outcome(url, request, asked_at, answer, checked))
    return outcomes


def keep(writer: Writer, outcome: Outcome, kind: str, data: bytes, covers: list[int],
         roots: list[Root]) -> int | None:  # fmt: skip
    """Store one reply (and, for a good one, the root it chained to); None if nothing came."""
    checked = outcome.check
    if outcome.answer.reply is None or checked is None:
        return None
    root_sha = None
    if checked.ok and checked.root is not None:
        source = next((r.source for r in roots if r.der == checked.root), "vault")
        writer.add_root(checked.root, tsp.subject(checked.root), source)
        root_sha = hashlib.sha256(checked.root).hexdigest()
    drift = None
    if checked.gen_time is not None:
        drift = (checked.gen_time - outcome.asked_at).total_seconds()
    return writer.add_token({
        "kind": kind,
        "authority": outcome.url,
        "data": data.decode("utf-8"),
        "covers": json.dumps(covers),
        "nonce": str(outcome.request.nonce),
        "requested_at": iso_utc(outcome.asked_at),
        "reply": outcome.answer.reply,
        "status": "stamped" if checked.ok else "failed",
        "gen_time": iso_utc(checked.gen_time) if checked.gen_time else None,
        "signer": checked.signer,
        "root_sha256": root_sha,
        "verified_with": checked.verified_with,
        "problem": checked.problem,
        "drift_seconds": drift,
    })  # fmt: skip


@dataclass(frozen=True)
class Batch:
    """What one request covers, read from the vault: the network part (`ask`) needs no vault,
    so the GUI asks on a thread of its own and the vault's worker never waits for the network."""

    covers: tuple[int, ...]  # the queue rows
    urls: tuple[str, ...]
    data: bytes  # the hash list asked for (the custody head last)
    roots: tuple[Root, ...]
    clock: Clock


def prepare(vault: Vault) -> Batch | None:
    """The next request, or None when nothing waits or no authority is configured."""
    rows = waiting(vault)
    urls = authority_urls(vault)
    if not rows or not urls:
        return None
    entries: list[tuple[str, str]] = []
    for _, lines in rows:
        for line in lines.splitlines():
            digest, _, name = line.partition("  ")
            if (digest, name) not in entries:
                entries.append((digest, name))
    head = vault.head()
    entries.append((head.hash, f"custody:{head.count}"))
    covers = tuple(row_id for row_id, _ in rows)
    return Batch(covers, urls, tsp.hash_list(entries), tuple(trusted_roots(vault)), vault.clock)


def ask(batch: Batch, timeout: float = client.TIMEOUT, cancel: CancelFlag = never_cancel
        ) -> list[Outcome]:  # fmt: skip
    """Ask every authority of `batch` (network only: safe off the vault's thread)."""
    return _ask(batch.data, batch.urls, list(batch.roots), batch.clock, timeout, cancel)


def record(vault: Vault, batch: Batch, outcomes: list[Outcome]) -> FlushCounts:
    """Keep every reply in one transaction and say what happened to the batch's rows."""
    with vault.transaction() as writer:
        for outcome in outcomes:
            keep(writer, outcome, "list", batch.data, list(batch.covers), list(batch.roots))
    count = len(batch.covers)
    problems = tuple(p for o in outcomes if (p := o.problem()) is not None)
    notes = tuple(sorted({n for o in outcomes if o.good and (n := o.drift()) is not None}))
    if any(o.good for o in outcomes):
        return FlushCounts(count, 0, 0, problems, notes)
    if any(o.check is not None for o in outcomes):
        return FlushCounts(0, 0, count, problems, notes)
    return FlushCounts(0, count, 0, problems, notes)


def flush(
    vault: Vault,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    *,
    timeout: float = client.TIMEOUT,
) -> FlushCounts:
    """Ask for every pending token now (see the module's docstring for the counts)."""
    batch = prepare(vault)
    if batch is None:
        return FlushCounts(0, len(waiting(vault)), 0)
    progress(0, len(batch.urls))
    outcomes = ask(batch, timeout, cancel)
    progress(len(batch.urls), len(batch.urls))
    return record(vault, batch, outcomes)


SHORT_TIMEOUT = 3.0  # seconds: the command line's attempt right after a command's own work


def last_queued(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT coalesce(max(id), 0) FROM timestamp_queue").fetchone()[0])


def after_command(vault: Vault, queued_before: int) -> FlushCounts | None:
    """One short attempt once a command's work is committed, if it queued anything and
    authorities are configured (None otherwise): nothing the person did waits for it."""
    if last_queued(vault) <= queued_before or not authority_urls(vault):
        return None
    return flush(vault, timeout=SHORT_TIMEOUT)
