"""Content-addressed storage: bytes go in as 1 MiB chunks, hashed while they stream.

Since schema 6 the chunks are sealed into a file of their own (vault/content_files.py) named by
a `blob_files` row; vaults made before keep their older blobs as chunk rows in the database,
read the same way. Identical content is stored once: the chunks are written first, and if a blob
with the same SHA-256 is already there, the new file is removed (or the new rows rolled back to
a savepoint). Memory stays bounded at about one chunk whatever the size.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlcipher3

from evidence_kit.errors import Cancelled, VaultCorrupted
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress
from evidence_kit.vault import schema
from evidence_kit.vault.content_files import ContentFiles, sealed_length
from evidence_kit.vault.db import Connection

CHUNK = 1 << 20


def read_chunks(handle, size: int = CHUNK) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    while True:
        block = handle.read(size)
        if not block:
            return
        yield block


def rechunk(blocks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Blocks of exactly `size` bytes (the last may be shorter); aligned input is not copied."""
    pending = bytearray()
    for block in blocks:
        if not pending and len(block) == size:
            yield bytes(block)
            continue
        pending += block
        while len(pending) >= size:
            yield bytes(pending[:size])
            del pending[:size]
    if pending:
        yield bytes(pending)


class _HashAhead:
    """Reads and hashes the next chunks on a second thread while SQLCipher encrypts this one.

    hashlib and file reads release the GIL, so on two cores the hash costs no wall time. The
    queue holds at most `depth` chunks: memory stays bounded.
    """

    def __init__(self, blocks: Iterable[bytes], depth: int = 3) -> None:
        self.digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(blocks,), daemon=True)
        self._thread.start()

    def _run(self, blocks: Iterable[bytes]) -> None:
        try:
            for chunk in rechunk(blocks, CHUNK):
                if self._stop.is_set():
                    return
                self.digest.update(chunk)
                self._queue.put(chunk)
            self._queue.put(None)
        except BaseException as exc:  # handed to the consuming thread, which raises it
            self._queue.put(exc)

    def __iter__(self) -> Iterator[bytes]:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()


def put(
    conn: Connection,
    blocks: Iterable[bytes],
    *,
    files: ContentFiles | None = None,
    created: list[str] | None = None,
    total: int | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    hash_ahead: bool = False,
) -> tuple[str, int]:
    """Store a stream of bytes; return (sha256, size). The caller holds a transaction.

    With `files` (every vault at schema 6 or later) the bytes go into a sealed file of their own
    (vault/content_files.py), named in `blob_files`; the new file's name is appended to `created`
    so that the caller removes it if the transaction rolls back. Without, into chunk rows.
    With `hash_ahead` the blocks are read and hashed on a second thread: only for sources that
    touch nothing but their own file (never the vault's connection).
    """
    blob_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM blobs").fetchone()[0])
    out = files.writer() if files is not None else None  # before any thread starts reading
    if out is None:
        conn.execute("SAVEPOINT put_blob")
    ahead = _HashAhead(blocks) if hash_ahead else None
    inline = hashlib.sha256()
    try:
        size = 0
        seq = 0
        chunks = iter(ahead) if ahead else rechunk(blocks, CHUNK)
        for chunk in chunks:
            if cancel():
                raise Cancelled()
            if ahead is None:
                inline.update(chunk)
            if out is not None:
                out.add(chunk)
            else:
                conn.execute(
                    "INSERT INTO chunks (blob_id, seq, data) VALUES (?, ?, ?)",
                    (blob_id, seq, chunk),
                )
            size += len(chunk)
            seq += 1  # noqa: SIM113 - the count of chunks, also when the stream is empty
            progress(size, total)
        sha256 = (ahead.digest if ahead else inline).hexdigest()
        if out is not None:
            if conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone():
                out.abandon()  # already stored: keep the one copy
                return sha256, size
            seq = out.finish()
            if created is not None:
                created.append(out.name)
            conn.execute(
                "INSERT INTO blobs (id, sha256, size, chunk_size, chunk_count) VALUES (?, ?, ?, ?, ?)",
                (blob_id, sha256, size, CHUNK, seq),
            )
            conn.execute(
                "INSERT INTO blob_files (blob_id, name) VALUES (?, ?)", (blob_id, out.name)
            )
            return sha256, size
        if seq == 0:  # an empty file is one empty chunk
            conn.execute("INSERT INTO chunks (blob_id, seq, data) VALUES (?, 0, x'')", (blob_id,))
            seq = 1
        if conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone():
            conn.execute("ROLLBACK TO put_blob")  # already stored: keep the one copy
        else:
            conn.execute(
                "INSERT INTO blobs (id, sha256, size, chunk_size, chunk_count) VALUES (?, ?, ?, ?, ?)",
                (blob_id, sha256, size, CHUNK, seq),
            )
        conn.execute("RELEASE put_blob")
        return sha256, size
    except BaseException:
        if out is not None:
            out.abandon()  # not named by any row (or named only in this rolled-back act)
        else:
            # After a full disk SQLite may already have rolled the whole transaction back,
            # savepoint and all; the original error is the one to report.
            with contextlib.suppress(sqlcipher3.Error):
                conn.execute("ROLLBACK TO put_blob")
                conn.execute("RELEASE put_blob")
        raise
    finally:
        if ahead is not None:
            ahead.close()


def get(
    conn: Connection, sha256: str, *, verify: bool = True, files: ContentFiles | None = None
) -> Iterator[bytes]:
    """The stored bytes, chunk by chunk. With `verify`, raise at the end if they do not hash right.

    A blob named in `blob_files` is read from its sealed file (which needs `files`), any other
    from its chunk rows.
    """
    name_of = "(SELECT name FROM blob_files WHERE blob_id = b.id)" if has_files(conn) else "NULL"
    row = conn.execute(
        f"SELECT b.id, b.size, b.chunk_size, b.chunk_count, {name_of} FROM blobs b "
        "WHERE b.sha256 = ?",
        (sha256,),
    ).fetchone()
    if row is None:
        raise VaultCorrupted(f"The content {sha256[:12]}… is missing from the vault.")
    blob_id, size, chunk_size, count, name = row
    digest = hashlib.sha256() if verify else None
    seen = 0
    for data in _stored(conn, blob_id, size, chunk_size, count, sha256, name, files):
        if digest is not None:
            digest.update(data)
        seen += len(data)
        yield data
    if digest is not None and (seen != size or digest.hexdigest() != sha256):
        raise VaultCorrupted(f"The content {sha256[:12]}… no longer hashes to what was stored.")


def has_files(conn: Connection) -> bool:
    """Is the vault at a schema with content files (`blob_files`)?"""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) >= schema.CONTENT_FILES_STEP


@dataclass(frozen=True)
class SealedFile:
    name: str  # in the content folder
    sha256: str  # of the blob it holds
    length: int  # what the file must measure


def sealed_files(conn: Connection) -> list[SealedFile]:
    """Every sealed content file the vault's records name, in the order they were stored."""
    if not has_files(conn):
        return []
    rows = conn.execute(
        "SELECT f.name, b.sha256, b.size, b.chunk_count FROM blob_files f "
        "JOIN blobs b ON b.id = f.blob_id ORDER BY b.id"
    ).fetchall()
    return [
        SealedFile(str(name), str(sha), sealed_length(int(size), int(count)))
        for name, sha, size, count in rows
    ]


def _stored(
    conn: Connection,
    blob_id: int,
    size: int,
    chunk_size: int,
    count: int,
    sha256: str,
    name: str | None,
    files: ContentFiles | None,
) -> Iterator[bytes]:
    if name is not None:
        if files is None:
            raise VaultCorrupted(
                f"The content {sha256[:12]}… is in a file this reader cannot open."
            )
        yield from files.read(name, size, chunk_size, count)
        return
    for seq in range(count):
        found = conn.execute(
            "SELECT data FROM chunks WHERE blob_id = ? AND seq = ?", (blob_id, seq)
        ).fetchone()
        if found is None:
            raise VaultCorrupted(f"Part {seq} of content {sha256[:12]}… is missing from the vault.")
        yield found[0]


def rehash(conn: Connection, sha256: str, files: ContentFiles | None = None) -> str | None:
    """What is wrong with one stored blob, or None."""
    try:
        for _ in get(conn, sha256, files=files):
            pass
    except VaultCorrupted as exc:
        return exc.message
    return None
