"""Storing an import's message rows and their search bodies, on a thread of its own.

A million-message import spends about half its time inside SQLCipher: inserting the rows
(encrypting their pages) and indexing them for search (FTS5). SQLite releases Python's lock
while it works, so `MessageInserter` does that on a second thread while the importer's thread
parses the next rows (measured in bench/import_bench.py; see bench/RESULTS.md).

- Rows go in with one statement per `ROWS_PER_INSERT` rows (``VALUES (…), (…), …``), so the
  inserter gives Python's lock back for a whole statement at a time rather than once a row.
- Their search bodies are made in SQL from the rows just stored (`message_codec.SEARCH_ROWS`),
  one statement per batch: no Python call per message, and the pages read are still in cache.
- The queue holds at most `QUEUE_BATCHES` batches: memory stays bounded if the disk is slower
  than the parser. An error on the thread is raised in the importer's thread at its next `put`,
  `wait` or `close`; the transaction then rolls back as for any other error.

Only one thread uses the connection at a time: the writer waits (`wait`) for the inserter to
catch up before anything else touches it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from itertools import chain
from typing import Any

from evidence_kit.vault.db import Connection
from evidence_kit.vault.message_codec import MESSAGE_FIELDS, SEARCH_ROWS, WHITESPACE

ROWS_PER_INSERT = 1000  # 14 values a row: SQLite allows 32,766 in one statement
QUEUE_BATCHES = 3

Rows = Sequence[Sequence[Any]]


def insert_sql(count: int) -> str:
    """One statement storing `count` rows: ?1 the first id, ?2 the item, then 14 values a row."""
    width = len(MESSAGE_FIELDS)
    values = ", ".join(
        f"(?1 + {n}, ?2, {', '.join(f'?{3 + n * width + k}' for k in range(width))})"
        for n in range(count)
    )
    return f"INSERT INTO messages (id, item_id, {', '.join(MESSAGE_FIELDS)}) VALUES {values}"


class MessageInserter:
    """Stores batches of rows for `item_id`, ids from `first` on, on its own thread."""

    def __init__(self, conn: Connection, item_id: int, first: int, *, searchable: bool) -> None:
        self.conn = conn
        self.item_id = item_id
        self.first = first
        self.searchable = searchable
        self._next = first  # the id of the next row
        self._sql: dict[int, str] = {}
        self._queue: queue.Queue[Rows | None] = queue.Queue(QUEUE_BATCHES)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="message-inserter", daemon=True)
        self._thread.start()

    def put(self, rows: Rows) -> None:
        self._raise()
        if rows:
            self._queue.put(rows)

    def wait(self) -> None:
        """Return once every row put so far is stored (and indexed)."""
        self._queue.join()
        self._raise()

    def close(self, *, quiet: bool = False) -> None:
        """Wait for the thread to finish; raise its error if it had one (unless `quiet`: the
        caller is already failing)."""
        self._queue.put(None)
        self._thread.join()
        if not quiet:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        failed = False
        while True:
            rows = self._queue.get()
            try:
                if rows is None:
                    return
                if not failed:
                    self._store(rows)
            except BaseException as exc:  # handed to the importer's thread
                self._error, failed = exc, True
            finally:
                self._queue.task_done()

    def _store(self, rows: Rows) -> None:
        first = self._next
        for start in range(0, len(rows), ROWS_PER_INSERT):
            part = rows[start : start + ROWS_PER_INSERT]
            sql = self._sql.get(len(part))
            if sql is None:
                sql = self._sql[len(part)] = insert_sql(len(part))
            self.conn.execute(sql, [first + start, self.item_id, *chain.from_iterable(part)])
        self._next = first + len(rows)
        if self.searchable:
            self.conn.execute(SEARCH_ROWS, (self.first, first, self._next - 1, WHITESPACE))
