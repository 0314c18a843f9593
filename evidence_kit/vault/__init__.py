"""The encrypted, append-only vault."""

from evidence_kit.vault.folder import DB_NAME, KEYSLOTS_NAME, is_vault
from evidence_kit.vault.keys import TEST_KDF, KdfParams
from evidence_kit.vault.vault import Created, Vault
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
