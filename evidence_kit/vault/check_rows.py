"""`check`, the parts read from the rows: the schema as Evidence Kit defines it, and every record
against the custody event that made it — both ways.

- schema: every table, index and trigger of the schema (derived from `schema.py`, so a table a
  later version adds joins by itself) is present and exactly as defined; no trigger is added.
- records: every row of every act table has its event, and still hashes to the `record_sha256`
  that event carries (or, for rows older than those hashes, to the hash the upgrade listed);
  every event that made a row still has it; every import's parsed messages hash to the event's
  `messages_sha256`; the seal key is the one the vault was created with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from evidence_kit.model import Problem
from evidence_kit.vault import rows, schema, sealkey
from evidence_kit.vault.db import Connection
from evidence_kit.vault.rows import BASELINE_ACTION, IMPORT_ACTION, SINCE_KEY, record_sha256

# How each act table's rows are named for a person, and the event subject that made them.
LABELS = {
    "items": "item {id}",
    "notes": "note {id} of item {item_id}",
    "withdrawals": "the withdrawal of item {item_id}",
    "cases": "case {id}",
    "case_names": "name {id} of case {case_id}",
    "case_moves": "move {id} of item {item_id}",
    "timestamp_queue": "time-stamp request {id} ({subject})",
    "timestamp_tokens": "time-stamp token {id} ({authority})",
    "timestamp_roots": "trusted authority certificate {id} ({subject})",
    "incidents": "version {version} of incident {incident_id}",
    "people": "version {version} of person {person_id}",
    "statements": "version {version} of the statement of case {case_id}",
}
SUBJECTS = {
    "items": "item:{id}",
    "notes": "item:{item_id}",
    "withdrawals": "item:{item_id}",
    "cases": "case:{id}",
    "case_names": "case:{case_id}",
    "case_moves": "item:{item_id}",
    "timestamp_queue": "{subject}",
    "timestamp_tokens": "timestamp:{id}",
    "timestamp_roots": "tsa-root:{id}",
    "incidents": "incident:{incident_id}",
    "people": "person:{person_id}",
    "statements": "case:{case_id}",
}


def check_schema(conn: Connection, version: int) -> list[Problem]:
    expected = schema.expected_objects(version)
    actual = {
        str(name): (str(kind), sql)
        for kind, name, sql in conn.execute(
            "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'"
        )
    }
    problems = []
    for name, (kind, sql) in expected.items():
        found = actual.get(name)
        if found is None:
            what = (
                "is missing: the database no longer refuses that change to evidence"
                if kind == "trigger"
                else "is missing"
            )
            problems.append(Problem(f"{kind} {name}", what))
        elif found[0] != kind or not schema.same_sql(found[1], sql):
            problems.append(
                Problem(f"{kind} {name}", "is not as Evidence Kit defines it: it was changed")
            )
    for name, (kind, _) in actual.items():
        if kind == "trigger" and name not in expected:
            problems.append(
                Problem(f"trigger {name}", "is not part of Evidence Kit's schema: it was added")
            )
    return problems


def _label(table: str, row: Mapping[str, Any], ref: object) -> str:
    try:
        return LABELS[table].format(**row)
    except KeyError:
        return f"{table} row {ref}"


class _Events:
    """The custody events that describe records, read once."""

    def __init__(self, conn: Connection) -> None:
        self.by_seq: dict[int, tuple[str, str | None, dict[str, Any]]] = {}
        self.baseline_seq: int | None = None
        self.baseline: dict[str, Any] = {}
        self.imports: dict[str, int] = {}  # subject -> seq of its "import parsed" event
        for seq, action, subject, details in conn.execute(
            "SELECT seq, action, subject, details FROM custody ORDER BY seq"
        ):
            try:
                facts = json.loads(details)
            except ValueError:
                facts = {}
            facts = facts if isinstance(facts, dict) else {}
            self.by_seq[int(seq)] = (str(action), subject, facts)
            if action == BASELINE_ACTION:
                self.baseline_seq, self.baseline = int(seq), facts
            elif action == IMPORT_ACTION and subject:
                self.imports[str(subject)] = int(seq)

    def baseline_rows(self, table: str) -> dict[str, Any]:
        found = self.baseline.get("rows", {})
        return found.get(table, {}) if isinstance(found, dict) else {}

    def describe(self, seq: int) -> str:
        action, subject, _ = self.by_seq[seq]
        return f"custody event {seq} ({action}{', ' + subject if subject else ''})"


def check_records(conn: Connection, version: int) -> list[Problem]:
    events = _Events(conn)
    meta = conn.execute("SELECT value FROM meta WHERE key = ?", (SINCE_KEY,)).fetchone()
    hashed = meta is not None  # rows from here on carry hashes; older ones are in the baseline
    problems: list[Problem] = []
    claimed: dict[int, str] = {}  # event seq -> the record it made
    for table in rows.act_tables(version):
        key = rows.key_column(conn, table)
        present: set[str] = set()
        for row in rows.rows(conn, table):
            ref = row.get(key)
            present.add(str(ref))
            label = _label(table, row, ref)
            value = row.get("custody_seq")
            seq = value if isinstance(value, int) else -1
            event = events.by_seq.get(seq)
            if event is None:
                problems.append(
                    Problem(label, f"its custody event {value} is missing from the chain")
                )
                continue
            action, subject, details = event
            subject_form = SUBJECTS.get(table)
            if subject_form is not None and subject != subject_form.format(**row):
                problems.append(
                    Problem(
                        label, f"points to {events.describe(seq)}, which is about something else"
                    )
                )
                continue
            if seq in claimed:
                problems.append(
                    Problem(label, f"points to {events.describe(seq)}, which made {claimed[seq]}")
                )
                continue
            claimed[seq] = label
            digest = record_sha256(row)
            recorded = details.get("record_sha256")
            listed = events.baseline_rows(table).get(str(ref))
            if recorded is not None:
                if recorded != digest:
                    problems.append(
                        Problem(
                            label,
                            f"was changed after it was recorded: it no longer matches the hash on {events.describe(seq)}",
                        )
                    )
            elif listed is not None:
                if listed != digest:
                    problems.append(
                        Problem(
                            label,
                            f"was changed: it no longer matches the hash listed for it by custody event {events.baseline_seq}",
                        )
                    )
            elif hashed:
                problems.append(
                    Problem(
                        label, "is covered by no recorded hash: it was not stored by Evidence Kit"
                    )
                )
            if table == "items" and details.get("sha256") != row.get("blob_sha256"):
                problems.append(
                    Problem(label, "its file's hash differs from the one on the custody chain")
                )
        for ref in events.baseline_rows(table):
            if ref not in present:
                problems.append(
                    Problem(
                        f"{table} row {ref}",
                        f"was listed by custody event {events.baseline_seq} and is gone from the vault",
                    )
                )
    for seq, (action, _, details) in events.by_seq.items():
        if "record_sha256" in details and action != IMPORT_ACTION and seq not in claimed:
            problems.append(
                Problem(events.describe(seq), "made a record that is no longer in the vault")
            )
    if version >= 2:
        problems.extend(_check_imports(conn, events, hashed))
    problems.extend(_check_seal_key(conn, events))
    return problems


def _check_imports(conn: Connection, events: _Events, hashed: bool) -> list[Problem]:
    problems = []
    listed = (
        events.baseline.get("imports", {})
        if isinstance(events.baseline.get("imports"), dict)
        else {}
    )
    stored = {str(r[0]) for r in conn.execute("SELECT item_id FROM imports")}
    with_messages = {str(r[0]) for r in conn.execute("SELECT DISTINCT item_id FROM messages")}
    for item_id in sorted(stored | with_messages, key=int):
        label = f"the parsed messages of item {item_id}"
        seq = events.imports.get(f"item:{item_id}")
        old = listed.get(item_id) if isinstance(listed.get(item_id), dict) else None
        details = events.by_seq[seq][2] if seq is not None else {}
        if seq is None and old is None:
            if hashed or item_id in stored:
                problems.append(Problem(label, "have no import on the custody chain"))
            continue
        expected = details if "messages_sha256" in details else (old or {})
        if not expected:
            continue  # an import recorded before these hashes, in a vault not yet upgraded
        row = rows.import_row(conn, int(item_id))
        if item_id not in stored:
            problems.append(Problem(label, "lost their import record (what the import found)"))
        elif expected.get("record_sha256") not in (None, record_sha256(row or {})):
            problems.append(
                Problem(f"the import record of item {item_id}", "was changed after it was recorded")
            )
        digest = rows.stored_messages_digest(conn, int(item_id))
        if digest.hexdigest() != expected.get("messages_sha256"):
            count = expected.get("messages_stored", expected.get("message_count"))
            problems.append(
                Problem(
                    label,
                    "were changed after they were stored: they no longer hash to the recorded "
                    f"messages_sha256 ({digest.count} stored, {count} recorded)",
                )
            )
    for subject, seq in events.imports.items():
        item_id = subject.partition(":")[2]
        if "record_sha256" in events.by_seq[seq][2] and item_id not in stored:
            problems.append(
                Problem(
                    events.describe(seq), "made an import record that is no longer in the vault"
                )
            )
    return problems


def _check_seal_key(conn: Connection, events: _Events) -> list[Problem]:
    created = events.by_seq.get(1)
    row = conn.execute("SELECT public_key FROM seal_key WHERE id = 1").fetchone()
    if row is None:
        return [Problem("seal key", "is missing from the vault")]
    if created is None or created[0] != "vault created":
        return []
    recorded = created[2].get("seal_key_fingerprint")
    if recorded and recorded != sealkey.fingerprint(bytes(row[0])):
        return [Problem("seal key", "is not the one the vault was created with (custody event 1)")]
    return []
