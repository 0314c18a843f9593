"""Transport encryption of a bundle with age: the zip is streamed into the encryption as it is
written, so no plain zip ever touches the disk, and memory stays at a few blocks.

- To people's keys (`age1…` or an SSH public key, any number): pyrage's `encrypt_io`, fed by a
  bounded pipe from the zip writer, on a thread of its own.
- With a passphrase: `bundle.format.agepass` (pyrage's passphrase mode needs the whole file in
  memory; measured in bench/RESULTS.md).

age forbids a passphrase together with keys; so do we. The zip inside is written without
seeking back (its entries carry data descriptors; the central directory is complete), so it can
go straight into the stream. `EncryptedSink.inner_sha256` is the zip's SHA-256,
`outer_sha256` the `.age` file's, for its `.sha256`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from evidence_kit.bundle.format import agepass
from evidence_kit.errors import TransportError
from evidence_kit.fsutil import open_private

PIPE_BLOCKS = 16
SSH_KINDS = ("ssh-ed25519", "ssh-rsa")


@dataclass(frozen=True)
class Encryption:
    recipients: tuple[str, ...] = ()
    passphrase: str | None = None

    def __post_init__(self) -> None:
        if self.recipients and self.passphrase is not None:
            raise TransportError(
                "A bundle can be encrypted to people's keys or with a passphrase, not both "
                "(age allows one or the other)."
            )
        if not self.recipients and not self.passphrase:
            raise TransportError("Say who may open the encrypted bundle: a key or a passphrase.")

    def described(self) -> list[str]:
        """What the custody event records: the public keys, or that a passphrase was used."""
        return list(self.recipients) if self.recipients else ["a passphrase"]


def recipients(texts: tuple[str, ...]) -> list[Any]:
    """pyrage recipients for `age1…` keys and SSH public keys; `TransportError` names a bad one."""
    import pyrage

    found = []
    for text in texts:
        given = text.strip()
        try:
            if given.startswith("age1"):
                found.append(pyrage.x25519.Recipient.from_str(given))
            elif given.split(" ", 1)[0] in SSH_KINDS:
                found.append(pyrage.ssh.Recipient.from_str(given))
            else:
                raise ValueError(given)
        except Exception as exc:  # pyrage raises RecipientError (and ValueError) for bad keys
            shown = given if len(given) < 80 else given[:77] + "…"
            raise TransportError(
                f"{shown!r} is not an age recipient.",
                hint="Give an age public key (age1…) or an SSH public key line "
                "(ssh-ed25519 AAAA… or ssh-rsa AAAA…), as the recipient sent it.",
            ) from exc
    return found


class _HashingFile:
    """What the encryption writes: to the file, hashed on the way (the `.age`'s SHA-256)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.failure: BaseException | None = None

    def write(self, data: bytes) -> int:
        try:
            self.handle.write(data)
        except BaseException as exc:  # pyrage would only see an I/O error and could drop it
            self.failure = self.failure or exc
            raise
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        self.handle.flush()


class _Pipe:
    """A bounded pipe from the zip writer to pyrage's reader (which calls `read(n)`)."""

    def __init__(self) -> None:
        self._blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=PIPE_BLOCKS)
        self._current = memoryview(b"")
        self._ended = False
        self.broken = threading.Event()

    def put(self, data: bytes | None) -> None:
        while not self.broken.is_set():
            try:
                self._blocks.put(data, timeout=0.2)
                return
            except queue.Full:
                continue

    def read(self, size: int = -1) -> bytes:
        while not self._current and not self._ended:
            if self.broken.is_set():
                raise OSError("the export was stopped")
            try:
                block = self._blocks.get(timeout=0.2)
            except queue.Empty:
                continue
            if block is None:
                self._ended = True
            else:
                self._current = memoryview(block)
        if size is None or size < 0:
            size = len(self._current)
        taken, self._current = self._current[:size], self._current[size:]
        return bytes(taken)


class EncryptedSink:
    """A write-only, non-seekable file for `zipfile`: what is written is the plain zip, which
    goes (hashed) into age and from there (hashed) to `path`."""

    def __init__(self, path: Path, encryption: Encryption) -> None:
        self.path = path
        self.inner = hashlib.sha256()
        self.inner_size = 0
        keys = recipients(encryption.recipients) if encryption.recipients else None
        self._handle = open_private(path)
        self._out = _HashingFile(self._handle)
        self._thread: threading.Thread | None = None
        self._failure: list[BaseException] = []
        self._pipe: _Pipe | None = None
        self._age: agepass.Writer | None = None
        if keys is not None:
            self._pipe = _Pipe()
            self._thread = threading.Thread(target=self._encrypt, args=(keys,), daemon=True,
                                            name="bundle-age")  # fmt: skip
            self._thread.start()
        else:
            assert encryption.passphrase is not None
            self._age = agepass.Writer(self._out, encryption.passphrase)  # type: ignore[arg-type]
        self.inner_sha256 = ""
        self.outer_sha256 = ""

    def _encrypt(self, keys: list[Any]) -> None:
        import pyrage

        try:
            pyrage.encrypt_io(self._pipe, self._out, keys)
        except BaseException as exc:  # raised on the writer's side
            self._failure.append(exc)
            assert self._pipe is not None
            self._pipe.broken.set()

    def _raise(self) -> None:
        failure = self._out.failure or (self._failure[0] if self._failure else None)
        if failure is not None:
            if isinstance(failure, OSError):
                raise failure
            raise TransportError(f"The bundle could not be encrypted: {failure}.") from failure

    def write(self, data: bytes) -> int:
        data = bytes(data)
        self.inner.update(data)
        self.inner_size += len(data)
        if self._age is not None:
            self._age.write(data)
        else:
            assert self._pipe is not None
            self._raise()
            self._pipe.put(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> str:
        """Finish the encryption, make the file durable; return the zip's SHA-256."""
        if self._age is not None:
            self._age.close()
        else:
            assert self._pipe is not None and self._thread is not None
            self._pipe.put(None)
            self._thread.join()
        self._raise()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self.inner_sha256 = self.inner.hexdigest()
        self.outer_sha256 = self._out.digest.hexdigest()
        return self.inner_sha256

    def abort(self) -> None:
        if self._pipe is not None and self._thread is not None:
            self._pipe.broken.set()
            self._thread.join()
        with contextlib.suppress(OSError):
            self._handle.close()
