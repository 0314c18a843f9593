"""`evidence-kit check`: everything that makes the vault trustworthy.

The database pages (SQLCipher's HMAC on every page, SQLite's b-trees), every stored file's hash,
the custody chain, the anchor (a database older than its last recorded state), the schema and its
append-only triggers exactly as Evidence Kit defines them, and every record against the custody
event that made it, both ways (`check_rows`). `pre_export_check` runs all but the two that read
every byte (pages and content): an export re-hashes what it exports as it goes.

What no check from inside can see: a rollback of every file of the vault together (an old copy of
the whole folder put back). That takes an outside anchor — a bundle already handed over, or a
time-stamp token — whose last custody event must still be in the vault (`OUTSIDE_ANCHOR`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlcipher3

from evidence_kit.bundle.format import custody
from evidence_kit.errors import VaultError
from evidence_kit.model import CancelFlag, CheckReport, Problem, Progress, never_cancel, no_progress
from evidence_kit.vault import schema, store
from evidence_kit.vault.check_rows import check_records, check_schema
from evidence_kit.vault.check_tokens import check_tokens
from evidence_kit.vault.content_files import CONTENT_DIR
from evidence_kit.vault.vault import Vault

Run = Callable[
    [str, list[Problem], str], None
]  # a check's name, its problems, its detail when fine
OUTSIDE_ANCHOR = (
    "A rollback of every file of the vault together (an old copy of the whole folder put back) "
    "cannot be seen from inside it. A bundle you already handed over, or a time-stamp token, is "
    "the outside anchor: its last custody event must still be in this vault's log."
)
ANCHOR_STATES = {
    "same": "the database is at the state its anchor recorded ({count} events)",
    "ahead": "the database is one act ahead of its anchor (a stop right after saving); the "
    "anchor is brought up to date at the next open",
    "new": "this vault has no anchor yet; it is written the next time the vault is opened",
}


def check_vault(
    vault: Vault,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    full: bool = True,
) -> CheckReport:
    """Every check; with `full=False` (before an export) all but pages and content."""
    checks: list[tuple[str, bool, str]] = []
    problems: list[Problem] = []

    def run(name: str, found: list[Problem], fine: str) -> None:
        problems.extend(found)
        checks.append((name, not found, fine if not found else f"{len(found)} problem(s)"))

    if full:
        _pages_and_content(vault, run, progress, cancel)
    _content_files(vault, run)
    _chain(vault, run)
    _anchor(vault, run)
    _records(vault, run)
    _tokens(vault, run)
    return CheckReport(tuple(checks), tuple(problems))


def pre_export_check(vault: Vault) -> CheckReport:
    return check_vault(vault, full=False)


def _pages_and_content(vault: Vault, run: Run, progress: Progress, cancel: CancelFlag) -> None:
    conn = vault.conn
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
            wrong = store.rehash(conn, sha256, vault.content_files)
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


def _content_files(vault: Vault, run: Run) -> None:
    """Every sealed content file a record names is there, at its exact length (the full check
    opens and re-hashes each too). Files no record names are left by a save that was stopped
    before it committed: they hold nothing the vault knows of, and they are kept, not deleted."""
    conn = vault.conn
    problems: list[Problem] = []
    try:
        if not store.has_files(conn):
            return
        named = store.sealed_files(conn)
    except (sqlcipher3.Error, VaultError) as exc:
        run("content files", [Problem("evidence.db", f"cannot be read: {exc}")], "")
        return
    for sealed in named:
        where = f"{CONTENT_DIR}/{sealed.name}"
        try:
            actual = vault.content_files.path(sealed.name).stat().st_size
        except FileNotFoundError:
            wrong = "is missing"
        except OSError as exc:
            wrong = f"cannot be read ({exc.strerror})"
        else:
            if actual == sealed.length:
                continue
            wrong = f"is {actual} bytes, not {sealed.length}"
        users = [
            str(r[0])
            for r in conn.execute("SELECT id FROM items WHERE blob_sha256 = ?", (sealed.sha256,))
        ]
        problems.append(Problem(f"content of item(s) {', '.join(users) or '-'}",
                                f"its file {where} {wrong}"))  # fmt: skip
    stray = vault.content_files.names() - {sealed.name for sealed in named}
    fine = f"{len(named)} file(s), each where its record says and as long as it should be"
    if stray:
        fine += (
            f"; {len(stray)} other file(s) no record names, left by a save that was stopped "
            "before it finished: kept, never read"
        )
    run("content files", problems, fine)


def _chain(vault: Vault, run: Run) -> None:
    problems: list[Problem] = []
    events: list[dict] = []
    try:
        events = list(vault.custody_records())
        problems.extend(Problem(p.where, p.what) for p in custody.check_chain(events))
    except (sqlcipher3.Error, VaultError, json.JSONDecodeError) as exc:
        problems.append(Problem("custody chain", f"cannot be read: {exc}"))
    run("custody chain", problems, f"{len(events)} events, each linked to the one before")


def _anchor(vault: Vault, run: Run) -> None:
    problems = [Problem("anchor", what) for what in vault.open_problems]
    detail = ""
    if not problems:
        try:
            count = vault.head().count
        except (sqlcipher3.Error, VaultError) as exc:
            count = 0
            problems.append(Problem("anchor", f"the chain's head cannot be read: {exc}"))
        detail = ANCHOR_STATES.get(vault.anchor_state, vault.anchor_state).format(count=count)
    run("anchor (rollback)", problems, detail)


def _records(vault: Vault, run: Run) -> None:
    conn = vault.conn
    try:
        version = schema.version(conn)
    except sqlcipher3.Error as exc:
        run("schema and triggers", [Problem("evidence.db", f"cannot be read: {exc}")], "")
        return
    for name, fine, check in (
        (
            "schema and triggers",
            "every table, index and append-only trigger exactly as Evidence Kit defines it",
            check_schema,
        ),
        (
            "records and custody",
            "every record has its custody event, still hashes as recorded, and every event's record is there",
            check_records,
        ),
    ):
        try:
            found = check(conn, version)
        except (sqlcipher3.Error, VaultError, json.JSONDecodeError, KeyError, TypeError) as exc:
            found = [Problem("evidence.db", f"cannot be read: {exc}")]
        run(name, found, fine)


def _tokens(vault: Vault, run: Run) -> None:
    try:
        found, detail = check_tokens(vault.conn, schema.version(vault.conn))
    except (sqlcipher3.Error, VaultError, json.JSONDecodeError, ValueError, TypeError) as exc:
        found, detail = [Problem("evidence.db", f"time-stamps cannot be read: {exc}")], ""
    run("time-stamps", found, detail)
