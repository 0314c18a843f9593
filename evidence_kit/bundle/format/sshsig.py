"""OpenSSH SSHSIG signatures (PROTOCOL.sshsig), Ed25519 only: written and checked by hand.

`ssh-keygen -Y verify` checks what `armored_signature` writes. The signed blob is
"SSHSIG" || string(namespace) || string("") || string("sha512") || string(SHA-512(message)).
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MAGIC = b"SSHSIG"
VERSION = 1
HASH = "sha512"
KEY_TYPE = b"ssh-ed25519"
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"


class SshSigError(ValueError):
    """The signature file is not a well-formed Ed25519 SSH signature."""


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def public_blob(public_raw: bytes) -> bytes:
    return _string(KEY_TYPE) + _string(public_raw)


def signed_data(namespace: str, message_sha512: bytes) -> bytes:
    return (
        MAGIC
        + _string(namespace.encode("ascii"))
        + _string(b"")
        + _string(HASH.encode("ascii"))
        + _string(message_sha512)
    )


def armored_signature(
    public_raw: bytes, namespace: str, message_sha512: bytes, sign: Callable[[bytes], bytes]
) -> bytes:
    """The armored signature file over a message whose SHA-512 is given; `sign` is Ed25519."""
    signature = sign(signed_data(namespace, message_sha512))
    blob = (
        MAGIC
        + struct.pack(">I", VERSION)
        + _string(public_blob(public_raw))
        + _string(namespace.encode("ascii"))
        + _string(b"")
        + _string(HASH.encode("ascii"))
        + _string(_string(KEY_TYPE) + _string(signature))
    )
    return _armor(blob)


def _armor(blob: bytes) -> bytes:
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i : i + 70] for i in range(0, len(text), 70)]
    return ("\n".join([BEGIN, *lines, END]) + "\n").encode("ascii")


def rearmored(armored: bytes) -> bytes | None:
    """The exact armored form of the signature in `armored` (None if it cannot be read)."""
    try:
        text = armored.decode("ascii").strip().splitlines()
        body = "".join(line.strip() for line in text[1:-1])
        return _armor(base64.b64decode(body, validate=True))
    except (UnicodeDecodeError, ValueError):
        return None


@dataclass(frozen=True)
class Parsed:
    public_raw: bytes
    namespace: str
    hash_algorithm: str
    signature: bytes


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, count: int) -> bytes:
        if self.pos + count > len(self.data):
            raise SshSigError("the signature is cut short")
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def string(self) -> bytes:
        (length,) = struct.unpack(">I", self.take(4))
        return self.take(length)


def parse(armored: bytes) -> Parsed:
    try:
        text = armored.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise SshSigError("the signature file is not ASCII") from exc
    lines = text.splitlines()
    if len(lines) < 3 or lines[0].strip() != BEGIN or lines[-1].strip() != END:
        raise SshSigError("the signature file lacks its BEGIN/END SSH SIGNATURE lines")
    try:
        blob = base64.b64decode("".join(line.strip() for line in lines[1:-1]), validate=True)
    except ValueError as exc:
        raise SshSigError("the signature is not valid base64") from exc
    reader = _Reader(blob)
    if reader.take(6) != MAGIC or struct.unpack(">I", reader.take(4))[0] != VERSION:
        raise SshSigError("the signature is not an SSHSIG version 1 signature")
    key = _Reader(reader.string())
    if key.string() != KEY_TYPE:
        raise SshSigError("the signature is not made with an Ed25519 key")
    public_raw = key.string()
    namespace = reader.string().decode("ascii", "replace")
    reader.string()  # reserved
    hash_algorithm = reader.string().decode("ascii", "replace")
    sig = _Reader(reader.string())
    if sig.string() != KEY_TYPE:
        raise SshSigError("the signature is not an Ed25519 signature")
    signature = sig.string()
    if reader.pos != len(blob) or len(public_raw) != 32 or len(signature) != 64:
        raise SshSigError("the signature has the wrong length")
    return Parsed(public_raw, namespace, hash_algorithm, signature)


def verify(armored: bytes, message: bytes, public_raw: bytes, namespace: str) -> str | None:
    """None when the signature is good for this key and namespace; else what is wrong."""
    try:
        parsed = parse(armored)
    except SshSigError as exc:
        return str(exc)
    if parsed.public_raw != public_raw:
        return "it was made with a different key from the one in allowed_signers"
    if parsed.namespace != namespace:
        return f"its namespace is {parsed.namespace!r}, not {namespace!r}"
    if parsed.hash_algorithm not in ("sha512", "sha256"):
        return f"it uses an unknown hash {parsed.hash_algorithm!r}"
    digest = hashlib.new(parsed.hash_algorithm, message).digest()
    blob = (
        MAGIC
        + _string(namespace.encode("ascii"))
        + _string(b"")
        + _string(parsed.hash_algorithm.encode("ascii"))
        + _string(digest)
    )
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(parsed.signature, blob)
    except InvalidSignature:
        return "the signature does not match the tag manifest"
    return None
