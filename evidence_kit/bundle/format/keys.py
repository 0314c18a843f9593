"""The seal key's public forms: the OpenSSH line, the PEM, and its two fingerprints.

- `fingerprint`: `SHA256:…`, exactly what `ssh-keygen -lf` prints for the key.
- `read_aloud`: eight groups of five digits, to be read over the phone. Fixed, so every verifier
  agrees: SHA-512 over the 32-byte raw Ed25519 public key; its first 40 bytes as 8 chunks of 5;
  each chunk a big-endian integer mod 100000, zero-padded to 5 digits; joined by spaces.
"""

from __future__ import annotations

import base64
import hashlib
import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

_READ_ALOUD = re.compile(r"^\d{5}( \d{5}){7}$")


def openssh_public_line(public_raw: bytes) -> str:
    """`ssh-ed25519 AAAA…`, the form of an OpenSSH public key file (no comment)."""
    key = Ed25519PublicKey.from_public_bytes(public_raw)
    return key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii")


def fingerprint(public_raw: bytes) -> str:
    """`SHA256:…`: exactly what `ssh-keygen -lf` prints for the public key."""
    blob = base64.b64decode(openssh_public_line(public_raw).split()[1])
    digest = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def read_aloud(public_raw: bytes) -> str:
    """`01234 56789 …`: the same key as eight groups of five digits (about 133 bits)."""
    digest = hashlib.sha512(public_raw).digest()[:40]
    groups = [int.from_bytes(digest[i : i + 5], "big") % 100000 for i in range(0, 40, 5)]
    return " ".join(f"{group:05d}" for group in groups)


def normalise_fingerprint(text: str) -> str | None:
    """A fingerprint as a person may give it, in one of its two forms: `SHA256:…` (exact, case
    kept) or the read-aloud digits (any spacing or dashes). None if it is neither."""
    text = text.strip()
    if text.startswith("SHA256:") and len(text) > 7:
        return text
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 40 and all(ch.isdigit() or ch in " -\t" for ch in text):
        return " ".join(digits[i : i + 5] for i in range(0, 40, 5))
    return None


def matches(public_raw: bytes, given: str) -> bool:
    """Does `given` (either form) name this key?"""
    wanted = normalise_fingerprint(given)
    if wanted is None:
        return False
    if _READ_ALOUD.match(wanted):
        return wanted == read_aloud(public_raw)
    return wanted == fingerprint(public_raw)


def public_pem(public_raw: bytes) -> str:
    key = Ed25519PublicKey.from_public_bytes(public_raw)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
