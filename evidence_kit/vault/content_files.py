"""Evidence bytes in files of their own beside the database, each chunk sealed with AES-256-GCM.

Why not in the database: SQLCipher encrypts every page with AES-256-CBC and an HMAC on one core,
which alone made an `add` cost 2.3x the yardstick (AES-GCM + write + fsync + SHA-256 into a
plain file) before any of our own work (bench/RESULTS.md, issue 13). Here the bytes cost what the
yardstick costs: each 1 MiB chunk is sealed once and written once.

`vault/content/<name>` holds one blob: its chunks in order, each `nonce (12) | ciphertext | tag
(16)`, the plaintext chunks `CHUNK` bytes but the last. `name` is random (it tells nothing of the
content), and the row that makes the blob (`blob_files`, in the database, in the same transaction
as the item) names it. Each chunk's associated data binds it to its file's name, its place and
whether it is the last, so a chunk moved, dropped, swapped with another file's or cut short fails
to open; the blob's SHA-256 (checked on every read) covers the rest.

Order, so that nothing committed is ever missing: the file is written and fsynced, and its
folder entry made durable, before the transaction that names it commits. A file whose
transaction rolled back is removed at once (`discard`); one left by a process killed before its
commit is named by no row: `check` reports it and nothing deletes it (no evidence is lost by
keeping it, and only the person may decide a file is not theirs).

The key is derived (HKDF-SHA256) from the database key, so a backup keyed the same reads the
same files.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import struct
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from evidence_kit.errors import VaultCorrupted
from evidence_kit.fsutil import PRIVATE_FILE, fsync_dir, make_private_dir
from evidence_kit.vault.db import translate

CONTENT_DIR = "content"
NONCE = 12
TAG = 16
OVERHEAD = NONCE + TAG
_LABEL = b"evidence-kit content v1"


def content_key(db_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LABEL).derive(db_key)


def sealed_length(size: int, count: int) -> int:
    """How long the sealed file of a blob of `size` bytes in `count` chunks is."""
    return size + count * OVERHEAD


def _aad(name: str, seq: int, last: bool) -> bytes:
    return _LABEL + b"\0" + name.encode("ascii") + struct.pack(">QB", seq, 1 if last else 0)


class ContentFiles:
    """The vault's content folder: sealed blob files, written once, read chunk by chunk."""

    def __init__(self, folder: Path, db_key: bytes) -> None:
        self.folder = Path(folder) / CONTENT_DIR
        self._aes = AESGCM(content_key(db_key))
        self._made = False  # the folder, made (owner-only) before the first file

    def path(self, name: str) -> Path:
        return self.folder / name

    def names(self) -> set[str]:
        """Every file in the content folder (none if it does not exist yet)."""
        try:
            return {entry.name for entry in os.scandir(self.folder) if entry.is_file()}
        except FileNotFoundError:
            return set()

    def writer(self) -> BlobFile:
        if not self._made:
            try:
                make_private_dir(self.folder)
            except OSError as exc:
                raise translate(exc, self.folder) from exc
            self._made = True
        return BlobFile(self, secrets.token_hex(16))

    def discard(self, name: str) -> None:
        """Remove a file no committed row names (its transaction rolled back, or its bytes were
        already stored): never call it for a committed blob."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(name))

    def read(self, name: str, size: int, chunk_size: int, count: int) -> Iterator[bytes]:
        """The plaintext chunks of blob file `name`; `VaultCorrupted` if it is missing, cut short,
        longer than it should be, or any chunk does not open."""
        expected = sealed_length(size, count)
        try:
            handle = open(self.path(name), "rb", buffering=0)  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            raise VaultCorrupted(f"The content file {CONTENT_DIR}/{name} is missing.") from None
        except OSError as exc:
            raise VaultCorrupted(
                f"The content file {CONTENT_DIR}/{name} cannot be read ({exc.strerror})."
            ) from exc
        with handle:
            actual = os.fstat(handle.fileno()).st_size
            if actual != expected:
                raise VaultCorrupted(
                    f"The content file {CONTENT_DIR}/{name} is {actual} bytes long, "
                    f"not {expected}: it was cut short or added to."
                )
            left = size
            for seq in range(count):
                plain = min(chunk_size, left)
                record = handle.read(plain + OVERHEAD)
                if len(record) != plain + OVERHEAD:
                    raise VaultCorrupted(f"The content file {CONTENT_DIR}/{name} is cut short.")
                view = memoryview(record)
                try:
                    data = self._aes.decrypt(
                        view[:NONCE], view[NONCE:], _aad(name, seq, seq == count - 1)
                    )
                except InvalidTag:
                    raise VaultCorrupted(
                        f"Part {seq} of the content file {CONTENT_DIR}/{name} was changed, moved "
                        "or replaced: it no longer opens with the vault's key."
                    ) from None
                left -= len(data)
                yield data


class BlobFile:
    """One new blob file being written: `add` each chunk, then `finish` (durable) or `abandon`.

    The last chunk is only known to be the last when the stream ends, so each chunk is sealed
    one step late: `add` seals the previous one as not-last, `finish` seals the one held as last.
    A failed write is the vault's error (`DiskFull` for a full disk), never the source file's.
    """

    def __init__(self, files: ContentFiles, name: str) -> None:
        self._files = files
        self.name = name
        self._seq = 0
        self._held: bytes | None = None
        try:
            self._fd: int | None = os.open(
                files.path(name),
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                PRIVATE_FILE,
            )
        except OSError as exc:
            raise translate(exc, files.path(name)) from exc

    def _seal(self, data: bytes, last: bool) -> None:
        assert self._fd is not None
        nonce = secrets.token_bytes(NONCE)
        sealed = self._files._aes.encrypt(nonce, data, _aad(self.name, self._seq, last))
        for piece in (nonce, sealed):
            view = memoryview(piece)
            while view:
                view = view[os.write(self._fd, view) :]
        self._seq += 1

    def add(self, chunk: bytes) -> None:
        if self._held is not None:
            try:
                self._seal(self._held, last=False)
            except OSError as exc:
                raise translate(exc, self._files.path(self.name)) from exc
        self._held = chunk

    def finish(self) -> int:
        """Seal the last chunk (an empty blob is one empty chunk), make the file and its folder
        entry durable; return the number of chunks."""
        assert self._fd is not None
        try:
            self._seal(self._held if self._held is not None else b"", last=True)
            self._held = None
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
            fsync_dir(self._files.folder)
        except OSError as exc:
            raise translate(exc, self._files.path(self.name)) from exc
        return self._seq

    def abandon(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        self._files.discard(self.name)
