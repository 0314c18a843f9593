"""`evidence-kit check`: the database pages, every stored blob, and the custody chain."""

from __future__ import annotations

import json

import sqlcipher3

from evidence_kit.bundle.format import custody
from evidence_kit.errors import VaultError
from evidence_kit.model import CancelFlag, CheckReport, Problem, Progress, never_cancel, no_progress
from evidence_kit.vault import store
from evidence_kit.vault.vault import Vault


def check_vault(
    vault: Vault, *, progress: Progress = no_progress, cancel: CancelFlag = never_cancel
) -> CheckReport:
    checks: list[tuple[str, bool, str]] = []
    problems: list[Problem] = []
    conn = vault.conn

    def run(name: str, found: list[Problem], fine: str) -> None:
        problems.extend(found)
        checks.append((name, not found, fine if not found else f"{len(found)} problem(s)"))

    # 1. Every page decrypts and its HMAC matches; the b-trees are sound.
    page_problems: list[Problem] = []
    try:
        for (line,) in conn.execute("PRAGMA cipher_integrity_check").fetchall():
            page_problems.append(Problem("evidence.db", str(line)))
        result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            page_problems.extend(Problem("evidence.db", str(line)) for line in result)
    except (sqlcipher3.Error, VaultError) as exc:
        page_problems.append(Problem("evidence.db", f"cannot be read: {exc}"))
    run("database pages", page_problems, "every page decrypts and its HMAC matches")

    # 2. Every blob re-hashed.
    blob_problems: list[Problem] = []
    try:
        blobs = conn.execute("SELECT sha256, size FROM blobs ORDER BY id").fetchall()
        total = sum(size for _, size in blobs) or None
        done = 0
        for sha256, size in blobs:
            if cancel():
                break
            wrong = store.rehash(conn, sha256)
            if wrong:
                users = [
                    str(r[0])
                    for r in conn.execute("SELECT id FROM items WHERE blob_sha256 = ?", (sha256,))
                ]
                blob_problems.append(
                    Problem(f"content of item(s) {', '.join(users) or '-'}", wrong)
                )
            done += size
            progress(done, total)
        missing = conn.execute(
            "SELECT i.id FROM items i WHERE i.blob_sha256 IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = i.blob_sha256)"
        ).fetchall()
        blob_problems.extend(Problem(f"item {row[0]}", "its content is missing") for row in missing)
    except (sqlcipher3.Error, VaultError) as exc:
        blob_problems.append(Problem("evidence.db", f"content cannot be read: {exc}"))
    run(
        "stored content",
        blob_problems,
        "every file hashes to the SHA-256 recorded when it was added",
    )

    # 3. The custody chain, and every record that points into it.
    chain_problems: list[Problem] = []
    events: list[dict] = []
    try:
        events = list(vault.custody_records())
        chain_problems.extend(Problem(p.where, p.what) for p in custody.check_chain(events))
        by_seq = {event["seq"]: event for event in events}
        for table, key, subject in (
            ("items", "id", "item:{}"),
            ("notes", "item_id", "item:{}"),
            ("withdrawals", "item_id", "item:{}"),
            ("cases", "id", "case:{}"),
        ):
            for ref, seq in conn.execute(f"SELECT {key}, custody_seq FROM {table}"):
                event = by_seq.get(seq)
                if event is None or event["subject"] != subject.format(ref):
                    chain_problems.append(
                        Problem(
                            f"{table[:-1]} {ref}",
                            f"its custody event {seq} is missing from the chain",
                        )
                    )
        for item_id, sha256, seq in conn.execute("SELECT id, blob_sha256, custody_seq FROM items"):
            event = by_seq.get(seq)
            if event is not None and event["details"].get("sha256") != sha256:
                chain_problems.append(
                    Problem(f"item {item_id}", "its hash differs from the one on the custody chain")
                )
    except (sqlcipher3.Error, VaultError, json.JSONDecodeError) as exc:
        chain_problems.append(Problem("custody chain", f"cannot be read: {exc}"))
    count = len(events) if not chain_problems else 0
    run("custody chain", chain_problems, f"{count} events, each linked to the one before")

    return CheckReport(tuple(checks), tuple(problems))
