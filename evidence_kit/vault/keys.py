"""Key slots: the vault's random database key, wrapped under the passphrase and the recovery code.

`keyslots.json` holds, for each slot, an Argon2id salt and cost, and the database key sealed
with AES-256-GCM under the key Argon2id derives. Nothing secret is in clear. Changing the
passphrase rewraps the key; the database is not touched.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from evidence_kit.errors import (
    KeySlotsTampered,
    VaultCorrupted,
    WrongPassphrase,
    WrongRecoveryCode,
)
from evidence_kit.fsutil import write_durably

FORMAT = "evidence-kit-keyslots-v1"
KEY_BYTES = 32
# Crockford's base32: no I, L, O or U, so a code copied by hand is not misread.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS = 6  # 6 groups of 5 = 30 symbols = 150 bits


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The default takes about half a second on a two-core machine (bench/)."""

    time_cost: int = 3
    memory_kib: int = 256 * 1024
    parallelism: int = 2

    def derive(self, secret: str, salt: bytes) -> bytes:
        return hash_secret_raw(
            secret.encode("utf-8"),
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


# Cheap parameters for tests only: never used by the program itself.
TEST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)

# What a key slot written by Evidence Kit can hold. Anything outside is refused before Argon2
# runs: a key file altered to ask for 64 GiB of memory must not freeze the computer, and one
# altered to ask for almost none is not ours either.
KDF_BOUNDS = {
    "time_cost": (1, 16),
    "memory_kib": (TEST_KDF.memory_kib, 1024 * 1024),
    "parallelism": (1, 16),
}
SLOT_BYTES = {"salt": 16, "nonce": 12, "wrapped_key": KEY_BYTES + 16}
PAGE_SIZES = {1024 << shift for shift in range(7)}  # 1 KiB ... 64 KiB
HMAC_ALGORITHMS = {"HMAC_SHA1", "HMAC_SHA256", "HMAC_SHA512"}
JOURNAL_MODES = {"DELETE", "TRUNCATE", "PERSIST", "WAL"}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_recovery_code() -> str:
    symbols = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * 5))
    return "-".join(symbols[i : i + 5] for i in range(0, len(symbols), 5))


def normalise_recovery_code(text: str) -> str:
    """Accept the code as a person types it: any case, spaces or dashes, O for 0, I/L for 1."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(table)
    return "-".join(cleaned[i : i + 5] for i in range(0, len(cleaned), 5))


def _tampered(path: Path | None, what: str) -> KeySlotsTampered:
    name = str(path) if path else "keyslots.json"
    return KeySlotsTampered(f"The vault's key file {name} has been altered: {what}.")


def validate_slot(name: str, slot: Any, path: Path | None = None) -> KdfParams:
    """The slot's Argon2 cost, once every field is what Evidence Kit writes (else `KeySlotsTampered`)."""
    if not isinstance(slot, dict) or slot.get("kdf") != "argon2id":
        raise _tampered(path, f"its {name} slot is not an Argon2id slot")
    for field, (low, high) in KDF_BOUNDS.items():
        value = slot.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _tampered(
                path,
                f"the {name} slot's Argon2 setting {field} = {value!r} is outside what "
                f"Evidence Kit writes ({low} to {high})",
            )
    for field, size in SLOT_BYTES.items():
        try:
            ok = len(_unb64(slot[field])) == size
        except (KeyError, ValueError, TypeError, AttributeError):
            ok = False
        if not ok:
            raise _tampered(path, f"the {name} slot's {field} is not {size} bytes of base64")
    return KdfParams(slot["time_cost"], slot["memory_kib"], slot["parallelism"])


def validate_db_settings(settings: Any, path: Path | None = None) -> None:
    if not isinstance(settings, dict):
        raise _tampered(path, "its database settings are missing")
    if settings.get("cipher_page_size") not in PAGE_SIZES:
        raise _tampered(path, "it names a database page size Evidence Kit never uses")
    if settings.get("cipher_hmac_algorithm") not in HMAC_ALGORITHMS:
        raise _tampered(path, "it names an unknown cipher setting")
    if str(settings.get("journal_mode", "")).upper() not in JOURNAL_MODES:
        raise _tampered(path, "it names an unknown journal mode")


@dataclass
class KeySlots:
    """The parsed `keyslots.json`. `slots` maps a slot name ("passphrase", "recovery") to its record.

    `database_salt` identifies the one database these slots belong to: the 16 random bytes
    SQLCipher writes at the start of `evidence.db` (readable without the key, so a swapped file
    is named before any key is tried). `anchor` is True once the vault keeps an `anchor` file:
    from then on a missing anchor is refused like a rollback. Key files written before these
    existed have neither; they are added the first time such a vault is opened.
    """

    vault_id: str
    db_settings: dict[str, Any]
    slots: dict[str, dict[str, Any]]
    database_salt: str | None = None
    anchor: bool = False

    @classmethod
    def new(cls, vault_id: str, db_settings: dict[str, Any]) -> KeySlots:
        return cls(vault_id=vault_id, db_settings=db_settings, slots={})

    # -- wrapping --------------------------------------------------------------------------

    def _aad(self, name: str) -> bytes:
        return f"{FORMAT}|{self.vault_id}|{name}".encode()

    def wrap(self, name: str, secret: str, db_key: bytes, kdf: KdfParams) -> None:
        salt = os.urandom(16)
        nonce = os.urandom(12)
        wrapping_key = kdf.derive(secret, salt)
        sealed = AESGCM(wrapping_key).encrypt(nonce, db_key, self._aad(name))
        self.slots[name] = {
            "kdf": "argon2id",
            **asdict(kdf),
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "wrapped_key": _b64(sealed),
        }

    def unwrap(self, name: str, secret: str) -> bytes:
        slot = self.slots.get(name)
        if slot is None:
            raise VaultCorrupted(f"The key file has no {name} slot.")
        kdf = validate_slot(name, slot)
        try:
            wrapping_key = kdf.derive(secret, _unb64(slot["salt"]))
            return AESGCM(wrapping_key).decrypt(
                _unb64(slot["nonce"]), _unb64(slot["wrapped_key"]), self._aad(name)
            )
        except InvalidTag:
            raise (WrongRecoveryCode() if name == "recovery" else WrongPassphrase()) from None
        except (KeyError, ValueError, TypeError) as exc:
            raise VaultCorrupted("The vault's key file (keyslots.json) is damaged.") from exc

    # -- on disk ---------------------------------------------------------------------------

    def kdf(self, name: str) -> KdfParams:
        return validate_slot(name, self.slots.get(name))

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": FORMAT,
            "vault_id": self.vault_id,
            "db_settings": self.db_settings,
            "slots": self.slots,
        }
        if self.database_salt is not None:
            data["database_salt"] = self.database_salt
        if self.anchor:
            data["anchor"] = True
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        """Read and check `keyslots.json`; nothing in it is used before it passes these checks."""
        try:
            data = json.loads(path.read_text("utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a key file")
            slots = cls(
                data["vault_id"],
                data["db_settings"],
                data["slots"],
                data.get("database_salt"),
                data.get("anchor") is True,
            )
            if not isinstance(slots.vault_id, str) or not isinstance(slots.slots, dict):
                raise ValueError("wrong types")
        except OSError as exc:
            raise VaultCorrupted(
                f"The vault's key file {path} cannot be read ({exc.strerror})."
            ) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultCorrupted(f"The vault's key file {path} is damaged.") from exc
        salt = slots.database_salt
        if salt is not None and not (
            isinstance(salt, str) and len(salt) == 32 and all(c in "0123456789abcdef" for c in salt)
        ):
            raise _tampered(path, "the identity of its database is not 16 bytes of hex")
        validate_db_settings(slots.db_settings, path)
        for name, slot in slots.slots.items():
            validate_slot(name, slot, path)
        if "passphrase" not in slots.slots:
            raise _tampered(path, "it has no passphrase slot")
        return slots

    def save(self, path: Path) -> None:
        """Write atomically: a new file beside it, flushed to disk, then renamed over it."""
        write_durably(path, self.to_json().encode("utf-8"))
