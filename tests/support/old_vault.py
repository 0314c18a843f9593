"""Vaults as earlier versions of Evidence Kit made them, for upgrade and compatibility tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from evidence_kit.vault import db

# What a vault was made with before evidence bytes moved into content files (schema 6).
SETTINGS_BEFORE_CONTENT_FILES = {
    "cipher_page_size": 16384,
    "cipher_hmac_algorithm": "HMAC_SHA256",
    "journal_mode": "TRUNCATE",
}


@contextlib.contextmanager
def made_with(settings: dict[str, object]) -> Iterator[None]:
    """New vaults made inside get `settings` (as an older version's defaults)."""
    before = dict(db.DEFAULT_SETTINGS)
    db.DEFAULT_SETTINGS.update(settings)
    try:
        yield
    finally:
        db.DEFAULT_SETTINGS.clear()
        db.DEFAULT_SETTINGS.update(before)
