"""Storing an import's message rows and their search bodies, on a thread of its own.

A million-message import spends about half its time inside SQLCipher: inserting the rows
(encrypting their pages) and indexing them for search (FTS5). SQLite lets go of Python's lock
while it works, so `MessageInserter` does that on a second thread while the importer's thread
parses the next rows (measured in bench/import_bench.py; see bench/RESULTS.md).

- Rows go in `ROWS_PER_INSERT` at a time, with one statement (``VALUES (…), (…), …``) of a fixed
  size (prepared once; rows left over wait for the next batch, the last few go one by one).
- Their search bodies are made in SQL from the rows just stored (`message_codec.SEARCH_ROWS`),
  one statement per insert: no Python call per message, and the pages read are still in cache.
- The thread needs Python's lock only between statements. A thread waiting for that lock gets
  it after the interpreter's switch interval (5 ms) unless the holder lets go first, which
  would leave the inserter idle most of the time; while an inserter runs the interval is
  shorter (`evidence_kit.switching`, restored when the last user ends).
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

from evidence_kit import switching
from evidence_kit.vault.db import Connection
from evidence_kit.vault.message_codec import MESSAGE_FIELDS, SEARCH_ROWS, WHITESPACE

ROWS_PER_INSERT = 2000  # 14 values a row: SQLite allows 32,766 in one statement
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
    """Stores batches of rows for `item_id`, ids from `first` on, on its own thread (or on the
    caller's, with `threaded = False`: the same statements, for benchmarks to compare)."""

    threaded = True

    def __init__(self, conn: Connection, item_id: int, first: int, *, searchable: bool) -> None:
        self.conn = conn
        self.item_id = item_id
        self.first = first
        self.searchable = searchable
        self._next = first  # the id of the next row
        self._sql = insert_sql(ROWS_PER_INSERT)
        self._one = insert_sql(1)
        self._left: list[Sequence[Any]] = []  # rows waiting for a full insert
        self._queue: queue.Queue[Rows | None] = queue.Queue(QUEUE_BATCHES)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="message-inserter", daemon=True)
        if not self.threaded:
            return
        switching.begin()
        self._thread.start()

    def put(self, rows: Rows) -> None:
        self._raise()
        if not self.threaded:
            self._store(rows)
        elif rows:
            self._queue.put(rows)

    def wait(self) -> None:
        """Return once the thread is idle, so the connection is free (rows held back for a full
        insert are stored later, before `close` returns)."""
        if self.threaded:
            self._queue.join()
        self._raise()

    def close(self, *, quiet: bool = False) -> None:
        """Wait for the thread to finish; raise its error if it had one (unless `quiet`: the
        caller is already failing)."""
        if not self.threaded:
            if not quiet:
                self._store(None)
            return
        self._queue.put(None)
        self._thread.join()
        switching.end()
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
                if not failed:
                    self._store(rows)
            except BaseException as exc:  # handed to the importer's thread
                self._error, failed = exc, True
            finally:
                self._queue.task_done()
            if rows is None:
                return

    def _store(self, rows: Rows | None) -> None:
        """Insert the full `ROWS_PER_INSERT` among the rows left and `rows`; all if None (the
        end), the rows left one by one."""
        left = self._left
        left.extend(rows or ())
        first = self._next
        done = 0
        while len(left) - done >= ROWS_PER_INSERT:
            part = left[done : done + ROWS_PER_INSERT]
            self.conn.execute(self._sql, [first + done, self.item_id, *chain.from_iterable(part)])
            done += ROWS_PER_INSERT
        if rows is None and len(left) > done:
            self.conn.executemany(
                self._one,
                [(first + n, self.item_id, *row) for n, row in enumerate(left[done:], done)],
            )
            done = len(left)
        del left[:done]
        self._next = first + done
        if self.searchable and done:
            self.conn.execute(SEARCH_ROWS, (self.first, first, self._next - 1, WHITESPACE))
