"""age (age-encryption.org/v1) with a passphrase, streamed: written and read in 64 KiB chunks.

pyrage, which we use for age recipients (keys), encrypts and decrypts passphrase files only as
whole byte strings: a 1 GB bundle would need about three times that in memory (measured, see
bench/RESULTS.md). The passphrase form of the format is small and fixed, so it is written here
with `cryptography`'s primitives, exactly as the specification gives it, and checked against
Debian's `age` and against pyrage in the tests:

- the header: "age-encryption.org/v1", one "scrypt" stanza (16-byte salt, work factor) whose
  body is the 16-byte file key sealed with ChaCha20-Poly1305 under scrypt(passphrase), and the
  header's HMAC-SHA256 under HKDF(file key, "header");
- the payload: a 16-byte nonce, then 64 KiB chunks, each sealed with ChaCha20-Poly1305 under
  HKDF(file key, nonce, "payload"), the nonce being the chunk's number (11 bytes) and a flag
  byte that marks the last chunk — so a file cut short, reordered or changed fails to decrypt.
"""

from __future__ import annotations

import base64
import hmac
import os
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

VERSION_LINE = b"age-encryption.org/v1"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
CHUNK = 64 * 1024
TAG = 16
WORK_FACTOR = 18  # age's own default (about a second, 256 MiB)
MAX_WORK_FACTOR = 22  # refused above (a hostile file could ask for hours and gigabytes)
MAX_HEADER = 64 * 1024


class AgeFormatError(ValueError):
    """Not an age file we can open with a passphrase (the message says why)."""


class WrongPassphrase(ValueError):
    """The passphrase does not open this file."""


def _b64(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    if b"=" in text or b"\r" in text:
        raise AgeFormatError("its header is not in age's form")
    try:
        return base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except ValueError as exc:
        raise AgeFormatError("its header is not in age's form") from exc


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt, info).derive(key)


def _wrap_key(passphrase: str, salt: bytes, work: int) -> bytes:
    return Scrypt(SCRYPT_LABEL + salt, 32, 2**work, 8, 1).derive(passphrase.encode("utf-8"))


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class Writer:
    """A file-like sink: what is written to it goes, encrypted, to `out` (which it does not
    close). Memory: one chunk. `close()` writes the last chunk; nothing is final before it."""

    def __init__(self, out: BinaryIO, passphrase: str, *, work_factor: int = WORK_FACTOR) -> None:
        if not passphrase:
            raise ValueError("an empty passphrase")
        self._out = out
        file_key = os.urandom(16)
        salt = os.urandom(16)
        body = ChaCha20Poly1305(_wrap_key(passphrase, salt, work_factor)).encrypt(
            bytes(12), file_key, None
        )
        header = (
            VERSION_LINE + b"\n-> scrypt " + _b64(salt) + b" " + str(work_factor).encode()
            + b"\n" + _b64(body) + b"\n---"
        )  # fmt: skip
        mac = hmac.new(_hkdf(file_key, b"", b"header"), header, "sha256").digest()
        nonce = os.urandom(16)
        out.write(header + b" " + _b64(mac) + b"\n" + nonce)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._counter = 0
        self._pending = b""  # at most one chunk, not yet known to be the last
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        joined = self._pending + bytes(data) if self._pending else bytes(data)
        view = memoryview(joined)
        start = 0
        while len(view) - start > CHUNK:  # a full chunk with more after it is not the last
            self._emit(view[start : start + CHUNK], last=False)
            start += CHUNK
        self._pending = bytes(view[start:])
        return len(data)

    def _emit(self, chunk: bytes | memoryview, *, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._counter, last), chunk, None))
        self._counter += 1

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(self._pending, last=True)
            self._pending = b""
            self.closed = True
            self._out.flush()


def _read_header(source: BinaryIO) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """(salt, work factor as text, sealed file key, the header its MAC covers, the MAC)."""
    lines: list[bytes] = []
    size = 0
    while True:
        line = source.readline(MAX_HEADER)
        size += len(line)
        if not line.endswith(b"\n") or size > MAX_HEADER:
            raise AgeFormatError("it is not an age file (its header is cut short or too long)")
        lines.append(line[:-1])
        if line.startswith(b"---"):
            break
    if lines[0] != VERSION_LINE:
        raise AgeFormatError("it is not an age file (age-encryption.org/v1)")
    stanzas = [i for i, line in enumerate(lines) if line.startswith(b"-> ")]
    kinds = [lines[i].split(b" ")[1] if len(lines[i].split(b" ")) > 1 else b"" for i in stanzas]
    if b"scrypt" not in kinds:
        raise AgeFormatError("it is encrypted to a key, not with a passphrase: give the key "
                             "(identity) file instead")  # fmt: skip
    if len(stanzas) != 1 or len(lines) != 4:
        raise AgeFormatError("its passphrase stanza is not alone, as age requires")
    parts = lines[1].split(b" ")
    if len(parts) != 4 or not parts[3].isdigit():
        raise AgeFormatError("its passphrase stanza is not in age's form")
    if not lines[3].startswith(b"--- "):
        raise AgeFormatError("its header is not in age's form")
    covered = b"\n".join(lines[:3]) + b"\n---"
    return _unb64(parts[2]), parts[3], _unb64(lines[2]), covered, _unb64(lines[3][4:])


def decrypt(source: BinaryIO, passphrase: str) -> Iterator[bytes]:
    """The plaintext, chunk by chunk, each checked before it is given; `WrongPassphrase`,
    `AgeFormatError` (not age, or cut short or changed) otherwise."""
    salt, work_text, sealed, covered, mac = _read_header(source)
    work = int(work_text)
    if len(salt) != 16 or len(sealed) != 32 or not 1 <= work <= MAX_WORK_FACTOR:
        raise AgeFormatError(f"its passphrase stanza asks for what age does not (work {work})")
    try:
        file_key = ChaCha20Poly1305(_wrap_key(passphrase, salt, work)).decrypt(
            bytes(12), sealed, None
        )
    except InvalidTag as exc:
        raise WrongPassphrase() from exc
    expected = hmac.new(_hkdf(file_key, b"", b"header"), covered, "sha256").digest()
    if not hmac.compare_digest(expected, mac):
        raise AgeFormatError("its header was changed")
    nonce = source.read(16)
    if len(nonce) != 16:
        raise AgeFormatError("it is cut short")
    aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    counter = 0
    block = source.read(CHUNK + TAG)
    while True:
        following = source.read(CHUNK + TAG) if len(block) == CHUNK + TAG else b""
        last = not following
        if len(block) < TAG or (last and counter > 0 and len(block) == TAG):
            raise AgeFormatError("it is cut short or was changed")
        try:
            yield aead.decrypt(_nonce(counter, last), block, None)
        except InvalidTag as exc:
            raise AgeFormatError("it is cut short or was changed") from exc
        if last:
            return
        counter += 1
        block = following


def is_age(head: bytes) -> bool:
    return head.startswith(VERSION_LINE + b"\n")
