"""The database schema and its migrations. `PRAGMA user_version` is the schema version.

Each migration is a list of statements run in one transaction with the version bump. Evidence
tables are append-only: triggers make the database itself refuse UPDATE and DELETE on them.
"""

from __future__ import annotations

import re
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

# v3 (issue 10, the vault's integrity): custody events now carry the hash of the row they made,
# an `anchor` file outside the database records the chain's head, and a vault upgraded to this
# version records one "row hashes recorded" event (see vault/rows.py). The version bump keeps an
# older Evidence Kit, which would not update the anchor, from writing to the vault. The index
# finds the last backup and the last export without reading the whole chain.
V3_INTEGRITY = [
    "CREATE INDEX custody_action ON custody(action)",
]

# v3: report previews, made once when a picture enters the vault (derived, not evidence: no
# custody event, and made again if lost).
V3_PREVIEWS = [
    """CREATE TABLE previews (
        item_id INTEGER NOT NULL REFERENCES items(id),
        size TEXT NOT NULL CHECK (size IN ('large', 'small')),
        media_type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (item_id, size))""",
]

# v3 (issue 11): cases as acts. A case's name and an item's case are rows appended on the chain,
# never updated: the current name is the case's latest `case_names` row, the current case of an
# item its latest `case_moves` row — or, before any rename or move, the name and case the `cases`
# and `items` rows were made with. Each rename and move row is made by its own custody event.
# An index finds an import's first and last send time (evidence_time.py).
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
    """CREATE VIEW case_now AS
        SELECT c.id AS case_id, c.created_at AS created_at,
            coalesce(
                (SELECT n.name FROM case_names n WHERE n.case_id = c.id ORDER BY n.id DESC LIMIT 1),
                c.name) AS name
        FROM cases c""",
    """CREATE VIEW item_case_now AS
        SELECT i.id AS item_id,
            coalesce(
                (SELECT m.case_id FROM case_moves m WHERE m.item_id = i.id ORDER BY m.id DESC LIMIT 1),
                i.case_id) AS case_id
        FROM items i""",
    "CREATE INDEX messages_sent ON messages(item_id, julianday(sent_at_utc))",
]

# A vault made at v1 or v2 (only ever by the upgrade's own tests) is written to through the same
# views: these temporary ones, on that connection only, stand in for them (no renames or moves).
OLD_CASE_VIEWS = [
    "CREATE TEMP VIEW case_now AS SELECT id AS case_id, created_at, name FROM main.cases",
    "CREATE TEMP VIEW item_case_now AS SELECT id AS item_id, case_id FROM main.items",
]

# One version for all three (they were made side by side and released together).
V3 = [*V3_INTEGRITY, *V3_PREVIEWS, *V3_CASES]

# v4 (issue 15, trusted time): the time-stamp queue, the tokens the authorities sent, and the
# authority certificates the vault trusts — each row made by its own custody event (see
# vault/rows.py), append-only. `timestamp_queue`: what one act committed ("<sha256>  <name>"
# lines), queued in the act's own transaction. `timestamp_tokens`: every reply kept whole, the
# exact data it was asked over (a hash list, or a bundle's tag manifest), and what its check
# found. `timestamp_roots`: the authority certificates tokens are checked against by `check`.
V4_TIMESTAMPS = [
    """CREATE TABLE timestamp_queue (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        lines TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    """CREATE TABLE timestamp_tokens (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('list', 'seal')),
        authority TEXT NOT NULL,
        data TEXT NOT NULL,
        covers TEXT NOT NULL,
        nonce TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        reply BLOB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('stamped', 'failed')),
        gen_time TEXT,
        signer TEXT,
        root_sha256 TEXT,
        verified_with TEXT,
        problem TEXT,
        drift_seconds REAL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    """CREATE TABLE timestamp_roots (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        der BLOB NOT NULL,
        subject TEXT NOT NULL,
        source TEXT NOT NULL,
        added_at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    *_append_only("timestamp_queue", "timestamp_tokens", "timestamp_roots"),
]


# v4 (issue 16): the salts of redactions' commitments. Secret, so they never leave the vault
# but one at a time, by the owner's choice (`evidence-kit disclose`); append-only like evidence.
V4_REDACTION = [
    """CREATE TABLE redaction_salts (
        item_id INTEGER PRIMARY KEY REFERENCES items(id),
        salts TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    *_append_only("redaction_salts"),
]

# v4 (issue 16, hand-over): a bundle a rep's vault took in. Its zip is an item (kind
# "received"); its exhibits are items of their own; the sender's tag, seal and record files
# (bag-info, manifests, signatures, item.json, custody log, report) are kept as stored content,
# listed by path and SHA-256 in `files`, so the rep's bundles can carry the sender's seal.
V4_RECEPTION = [
    """CREATE TABLE receptions (
        item_id INTEGER PRIMARY KEY REFERENCES items(id),
        bundle_id TEXT NOT NULL,
        bundle_sha256 TEXT NOT NULL UNIQUE,
        sender_fingerprint TEXT NOT NULL,
        sealed_at TEXT NOT NULL,
        tagmanifest_sha256 TEXT NOT NULL,
        files TEXT NOT NULL,
        checks TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq))""",
    *_append_only("receptions"),
]

# One version for all three (made side by side, released together).
V4 = [*V4_TIMESTAMPS, *V4_REDACTION, *V4_RECEPTION]

# v5 (issue 14, the case file): incidents, people and statements, each kept as versions. A
# revision is a new row (version N+1) made by its own custody event; nothing is updated. What
# an incident says beyond its times and title (what, where, people, links to items and message
# ranges, …) is one JSON object in `body` (see casefile/incidents.py); a person's identifiers are
# a JSON list in `identifiers` (casefile/people.py): one row per act, so `check` covers each.
V5_CASEFILE = [
    """CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        when_at TEXT NOT NULL,
        until_at TEXT,
        zone TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        made_at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq),
        UNIQUE (incident_id, version))""",
    "CREATE INDEX incidents_case ON incidents(case_id, incident_id)",
    """CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        identifiers TEXT NOT NULL,
        made_at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq),
        UNIQUE (person_id, version))""",
    """CREATE TABLE statements (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        version INTEGER NOT NULL,
        text TEXT NOT NULL,
        written_at TEXT NOT NULL,
        custody_seq INTEGER NOT NULL REFERENCES custody(seq),
        UNIQUE (case_id, version))""",
    *_append_only("incidents", "people", "statements"),
]

V5 = V5_CASEFILE

# v6 (issue 13, performance): evidence bytes in sealed files beside the database
# (vault/content_files.py), each named by one row here, made in the transaction of the act that
# stored them. Blobs stored before stay in `chunks`. The version bump keeps an older Evidence Kit,
# which would look for every blob in `chunks`, from opening the vault.
V6_CONTENT_FILES = [
    """CREATE TABLE blob_files (
        blob_id INTEGER PRIMARY KEY REFERENCES blobs(id) DEFERRABLE INITIALLY DEFERRED,
        name TEXT NOT NULL UNIQUE)""",
    *_append_only("blob_files"),
]

V6 = V6_CONTENT_FILES

MIGRATIONS: Sequence[Sequence[str]] = (V1, V2, V3, V4, V5, V6)
LATEST = len(MIGRATIONS)
INTEGRITY_STEP = MIGRATIONS.index(V3) + 1  # from this version on, rows carry hashes
TIMESTAMPS_STEP = MIGRATIONS.index(V4) + 1  # from this version on, acts are queued
CONTENT_FILES_STEP = MIGRATIONS.index(V6) + 1  # from this version on, new bytes go into files


def statements(version: int = LATEST) -> list[str]:
    """Every statement that makes the schema of `version`, in order."""
    return [statement for step in MIGRATIONS[:version] for statement in step]


_OBJECT = re.compile(r"^\s*CREATE\s+(?:VIRTUAL\s+)?(TABLE|INDEX|TRIGGER)\s+(\w+)", re.I)


def expected_objects(version: int = LATEST) -> dict[str, tuple[str, str]]:
    """name -> (type, SQL) of every table, index and trigger the schema of `version` makes,
    as SQLite keeps them in `sqlite_schema.sql` (whitespace aside)."""
    found = {}
    for statement in statements(version):
        match = _OBJECT.match(statement)
        if match:
            found[match.group(2)] = (match.group(1).lower(), statement)
    return found


def same_sql(a: str | None, b: str | None) -> bool:
    """Equal once runs of whitespace are one space (how SQLite may normalise what it keeps)."""
    return a is not None and b is not None and " ".join(a.split()) == " ".join(b.split())


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
