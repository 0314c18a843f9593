"""The database schema and its migrations. `PRAGMA user_version` is the schema version.

Each migration is a list of statements run in one transaction with the version bump. Evidence
tables are append-only: triggers make the database itself refuse UPDATE and DELETE on them.
"""

from __future__ import annotations

from collections.abc import Sequence

from evidence_kit.errors import UnsupportedVault
from evidence_kit.vault.db import Connection


def _append_only(*tables: str) -> list[str]:
    statements = []
    for table in tables:
        for verb in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'evidence is append-only: {verb} on {table} refused'); END"
            )
    return statements


V1 = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE custody (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        os_user TEXT NOT NULL,
        owner TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE)""",
    """CREATE TABLE seal_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        private_key BLOB NOT NULL,
        public_key BLOB NOT NULL,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    """CREATE TABLE blobs (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        chunk_size INTEGER NOT NULL,
        chunk_count INTEGER NOT NULL)""",
    """CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        blob_id INTEGER NOT NULL REFERENCES blobs(id) DEFERRABLE INITIALLY DEFERRED,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        UNIQUE (blob_id, seq))""",
    """CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        case_id INTEGER REFERENCES cases(id),
        parent_id INTEGER REFERENCES items(id),
        blob_sha256 TEXT REFERENCES blobs(sha256),
        size INTEGER NOT NULL,
        media_type TEXT,
        original_name TEXT,
        added_at TEXT NOT NULL,
        metadata TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    "CREATE INDEX items_case ON items(case_id)",
    "CREATE INDEX items_parent ON items(parent_id)",
    """CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        text TEXT NOT NULL,
        added_at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    "CREATE INDEX notes_item ON notes(item_id)",
    """CREATE TABLE withdrawals (
        item_id INTEGER PRIMARY KEY REFERENCES items(id),
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    *_append_only(
        "custody", "seal_key", "cases", "blobs", "chunks", "items", "notes", "withdrawals"
    ),
]

# v2: parsed messages of imports, thumbnails (derived, not evidence) and full-text search.
V2 = [
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        idx INTEGER NOT NULL,
        conversation TEXT,
        sender TEXT,
        sender_id TEXT,
        is_system INTEGER NOT NULL,
        sent_at TEXT,
        sent_at_utc TEXT,
        sent_at_local TEXT,
        text TEXT NOT NULL,
        text_raw TEXT NOT NULL,
        edited INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        attachments TEXT NOT NULL DEFAULT '[]',
        extra TEXT NOT NULL DEFAULT '{}',
        UNIQUE (item_id, idx))""",
    *_append_only("messages"),
    """CREATE TABLE imports (
        item_id INTEGER PRIMARY KEY REFERENCES items(id),
        format TEXT NOT NULL,
        timezone TEXT,
        summary TEXT NOT NULL)""",
    *_append_only("imports"),
    "CREATE TABLE thumbnails (item_id INTEGER PRIMARY KEY REFERENCES items(id), png BLOB NOT NULL)",
    """CREATE VIRTUAL TABLE search_index USING fts5(
        body, kind UNINDEXED, item_id UNINDEXED, ref_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2')""",
]

# v3 (issue 11): cases as acts. A case's name and an item's case are rows appended on the chain,
# never updated: the current name is the case's latest `case_names` row, the current case of an
# item its latest `case_moves` row. Existing names and cases are copied in with the custody
# event that made them. An index finds an import's first and last send time (evidence_time.py).
V3_CASES = [
    """CREATE TABLE case_names (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        name TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    "CREATE INDEX case_names_case ON case_names(case_id, id)",
    """CREATE TABLE case_moves (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        case_id INTEGER NOT NULL REFERENCES cases(id),
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    "CREATE INDEX case_moves_item ON case_moves(item_id, id)",
    *_append_only("case_names", "case_moves"),
    "INSERT INTO case_names (case_id, name, custody_seq) SELECT id, name, custody_seq FROM cases",
    "INSERT INTO case_moves (item_id, case_id, custody_seq) "
    "SELECT id, case_id, custody_seq FROM items WHERE case_id IS NOT NULL ORDER BY id",
    """CREATE VIEW case_now AS
        SELECT c.id AS case_id, c.created_at AS created_at,
            (SELECT n.name FROM case_names n WHERE n.case_id = c.id ORDER BY n.id DESC LIMIT 1)
            AS name
        FROM cases c""",
    """CREATE VIEW item_case_now AS
        SELECT i.id AS item_id,
            (SELECT m.case_id FROM case_moves m WHERE m.item_id = i.id ORDER BY m.id DESC LIMIT 1)
            AS case_id
        FROM items i""",
    "CREATE INDEX messages_sent ON messages(item_id, julianday(sent_at_utc))",
]

MIGRATIONS: Sequence[Sequence[str]] = (V1, V2, V3_CASES)
LATEST = len(MIGRATIONS)


def version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def pending(conn: Connection, target: int = LATEST) -> list[int]:
    current = version(conn)
    if current > LATEST:
        raise UnsupportedVault()
    return list(range(current + 1, target + 1))


def apply(conn: Connection, step: int) -> None:
    """Run migration `step` (1-based); the caller holds the transaction."""
    for statement in MIGRATIONS[step - 1]:
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {step}")
