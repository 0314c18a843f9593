"""The seal: detached signatures over bag/tagmanifest-sha256.txt, made with the vault's key."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from evidence_kit.bundle.format import keys, layout, sshsig


def allowed_signers(public_raw: bytes) -> bytes:
    return f"{layout.PRINCIPAL} {keys.openssh_public_line(public_raw)}\n".encode("ascii")


def seal_files(
    tagmanifest: bytes, public_raw: bytes, sign: Callable[[bytes], bytes]
) -> dict[str, bytes]:
    """The files of `seal/`, by name. RFC 3161 tokens are added only where a TSA was reachable."""
    return {
        layout.SSHSIG_FILE: sshsig.armored_signature(
            public_raw, layout.NAMESPACE, hashlib.sha512(tagmanifest).digest(), sign
        ),
        layout.RAWSIG_FILE: sign(tagmanifest),
        layout.ALLOWED_SIGNERS: allowed_signers(public_raw),
        layout.PUBLIC_PEM: keys.public_pem(public_raw).encode("ascii"),
    }
