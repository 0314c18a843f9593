"""Content-addressed storage: bytes go in as 1 MiB chunk rows, hashed while they stream.

Identical content is stored once: the chunks are written first (inside the caller's
transaction), and if a blob with the same SHA-256 is already there, the new chunks are rolled
back to a savepoint. Memory stays bounded at about one chunk whatever the size.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator

import sqlcipher3

from evidence_kit.errors import Cancelled, VaultCorrupted
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress
from evidence_kit.vault.db import Connection

CHUNK = 1 << 20


def read_chunks(handle, size: int = CHUNK) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    while True:
        block = handle.read(size)
        if not block:
            return
        yield block


def put(
    conn: Connection,
    blocks: Iterable[bytes],
    *,
    total: int | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> tuple[str, int]:
    """Store a stream of bytes; return (sha256, size). The caller holds a transaction."""
    blob_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM blobs").fetchone()[0])
    conn.execute("SAVEPOINT put_blob")
    try:
        digest = hashlib.sha256()
        size = 0
        seq = 0
        pending = bytearray()
        for block in blocks:
            if cancel():
                raise Cancelled()
            digest.update(block)
            size += len(block)
            pending += block
            while len(pending) >= CHUNK:
                conn.execute(
                    "INSERT INTO chunks (blob_id, seq, data) VALUES (?, ?, ?)",
                    (blob_id, seq, bytes(pending[:CHUNK])),
                )
                del pending[:CHUNK]
                seq += 1
            progress(size, total)
        if pending or seq == 0:
            conn.execute(
                "INSERT INTO chunks (blob_id, seq, data) VALUES (?, ?, ?)", (blob_id, seq, bytes(pending))
            )
            seq += 1
        sha256 = digest.hexdigest()
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
        # After a full disk SQLite may already have rolled the whole transaction back, savepoint
        # and all; the original error is the one to report.
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK TO put_blob")
            conn.execute("RELEASE put_blob")
        raise


def get(conn: Connection, sha256: str, *, verify: bool = True) -> Iterator[bytes]:
    """The stored bytes, chunk by chunk. With `verify`, raise at the end if they do not hash right."""
    row = conn.execute("SELECT id, size, chunk_count FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        raise VaultCorrupted(f"The content {sha256[:12]}… is missing from the vault.")
    blob_id, size, count = row
    digest = hashlib.sha256()
    seen = 0
    for seq in range(count):
        found = conn.execute("SELECT data FROM chunks WHERE blob_id = ? AND seq = ?", (blob_id, seq)).fetchone()
        if found is None:
            raise VaultCorrupted(f"Part {seq} of content {sha256[:12]}… is missing from the vault.")
        data = found[0]
        digest.update(data)
        seen += len(data)
        yield data
    if verify and (seen != size or digest.hexdigest() != sha256):
        raise VaultCorrupted(f"The content {sha256[:12]}… no longer hashes to what was stored.")


def rehash(conn: Connection, sha256: str) -> str | None:
    """What is wrong with one stored blob, or None."""
    try:
        for _ in get(conn, sha256):
            pass
    except VaultCorrupted as exc:
        return exc.message
    return None
