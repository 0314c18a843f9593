"""What a custody event says about the row it made: `record_sha256`, and the tables it covers.

Every table that holds an act (items, notes, withdrawals, cases, and any table a later version
adds) has a `custody_seq` column naming the event that made the row. That event's details carry
`record_sha256`: the SHA-256 of the canonical JSON of the row as stored, every column but
`custody_seq` itself (which is the event's own number). `check` recomputes it, so a row edited
behind the program's back (triggers dropped, raw SQL) is named.

Imports are kept per item (`imports`, and their `messages`): the "import parsed" event carries
`record_sha256` of the `imports` row and `messages_sha256` (see `vault.messages`).

Events recorded before these hashes existed are covered by one "row hashes recorded" event,
written when such a vault is upgraded, listing the hash of every row that existed then.

For later migrations: a new act table (with `custody_seq`) joins `check` by itself. Never add a
column to an existing act table (ALTER TABLE … ADD COLUMN): every row would then hash
differently. A changed act (a case renamed, an item moved) is a new row in a table of its own,
made by its own event.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from evidence_kit.bundle.format.custody import canonical
from evidence_kit.vault import schema
from evidence_kit.vault.db import Connection
from evidence_kit.vault.message_codec import MESSAGE_FIELDS, MessageDigest, record_from_row

BASELINE_ACTION = "row hashes recorded"
SINCE_KEY = "record_hashes_since"  # meta: the first event seq whose rows carry their own hash
IMPORT_ACTION = "import parsed"


def row_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row as it is hashed: every column but `custody_seq`; bytes as hex, flags as 0/1."""
    record: dict[str, Any] = {}
    for name, value in row.items():
        if name == "custody_seq":
            continue
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, bytes | bytearray | memoryview):
            value = bytes(value).hex()
        record[name] = value
    return record


def record_sha256(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row_record(row))).hexdigest()


_CREATE_TABLE = re.compile(r"^\s*CREATE TABLE (\w+)\s*\((.*)\)\s*$", re.S)


def act_tables(version: int = schema.LATEST) -> list[str]:
    """Tables whose rows are made by a custody event (they have a `custody_seq` column), as the
    schema at `version` defines them: a table added by a later migration joins by itself."""
    tables = []
    for statement in schema.statements(version):
        match = _CREATE_TABLE.match(statement)
        if match and re.search(r"\bcustody_seq\b", match.group(2)):
            tables.append(match.group(1))
    return tables


def key_column(conn: Connection, table: str) -> str:
    """The table's primary-key column (what identifies a row in messages and the baseline)."""
    columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
    keys = [row[1] for row in columns if row[5]]
    return str(keys[0]) if len(keys) == 1 else "rowid"


def rows(conn: Connection, table: str) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(f"SELECT * FROM {table}")
    names = [column[0] for column in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def import_row(conn: Connection, item_id: int) -> dict[str, Any] | None:
    cursor = conn.execute("SELECT * FROM imports WHERE item_id = ?", (item_id,))
    names = [column[0] for column in cursor.description]
    found = cursor.fetchone()
    return dict(zip(names, found, strict=True)) if found else None


def stored_messages_digest(conn: Connection, item_id: int) -> MessageDigest:
    """`messages_sha256` recomputed from what is stored (by `check`, and for old vaults)."""
    digest = MessageDigest()
    cursor = conn.execute(
        f"SELECT {', '.join(MESSAGE_FIELDS)} FROM messages WHERE item_id = ? ORDER BY idx",
        (item_id,),
    )
    while batch := cursor.fetchmany(2000):
        digest.add_records(record_from_row(row) for row in batch)
    return digest


def baseline(conn: Connection, version: int) -> dict[str, Any]:
    """The details of the one event that covers the rows of a vault older than these hashes."""
    tables: dict[str, dict[str, str]] = {}
    for table in act_tables(version):
        key = key_column(conn, table)
        tables[table] = {str(row[key]): record_sha256(row) for row in rows(conn, table)}
    imports: dict[str, dict[str, Any]] = {}
    if version >= 2:
        for row in rows(conn, "imports"):
            digest = stored_messages_digest(conn, int(row["item_id"]))
            imports[str(row["item_id"])] = {
                "record_sha256": record_sha256(row),
                "messages_sha256": digest.hexdigest(),
                "message_count": digest.count,
            }
        for (item_id,) in conn.execute(
            "SELECT DISTINCT item_id FROM messages WHERE item_id NOT IN (SELECT item_id FROM imports)"
        ):
            digest = stored_messages_digest(conn, int(item_id))
            imports[str(item_id)] = {
                "record_sha256": None,
                "messages_sha256": digest.hexdigest(),
                "message_count": digest.count,
            }
    return {"rows": tables, "imports": imports}
