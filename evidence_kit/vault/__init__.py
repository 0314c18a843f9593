"""The encrypted, append-only vault."""

from evidence_kit.vault.keys import TEST_KDF, KdfParams
from evidence_kit.vault.vault import DB_NAME, KEYSLOTS_NAME, Created, Vault, is_vault
from evidence_kit.vault.writer import Writer

__all__ = [
    "DB_NAME",
    "KEYSLOTS_NAME",
    "TEST_KDF",
    "Created",
    "KdfParams",
    "Vault",
    "Writer",
    "is_vault",
]
