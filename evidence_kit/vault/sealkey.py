"""The vault's Ed25519 seal key: made with the vault, used to sign, never leaving it.

Its public forms and fingerprints belong to the bundle format (`bundle.format.keys`).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.bundle.format.keys import fingerprint, openssh_public_line, public_pem, read_aloud

__all__ = [
    "fingerprint",
    "new_private_key",
    "openssh_public_line",
    "public_pem",
    "read_aloud",
    "sign",
]


def new_private_key() -> tuple[bytes, bytes]:
    """(raw 32-byte private key, raw 32-byte public key)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private, public


def sign(private_raw: bytes, data: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_raw).sign(data)
