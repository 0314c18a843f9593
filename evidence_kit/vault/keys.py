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

from evidence_kit.errors import VaultCorrupted, WeakPassphrase, WrongPassphrase, WrongRecoveryCode
from evidence_kit.fsutil import write_durably

FORMAT = "evidence-kit-keyslots-v1"
KEY_BYTES = 32
MIN_PASSPHRASE = 8
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


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakPassphrase(
            f"The passphrase must be at least {MIN_PASSPHRASE} characters long.",
            hint="A few unrelated words make a passphrase that is long and easy to remember.",
        )


@dataclass
class KeySlots:
    """The parsed `keyslots.json`. `slots` maps a slot name ("passphrase", "recovery") to its record."""

    vault_id: str
    db_settings: dict[str, Any]
    slots: dict[str, dict[str, Any]]

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
        try:
            kdf = KdfParams(slot["time_cost"], slot["memory_kib"], slot["parallelism"])
            wrapping_key = kdf.derive(secret, _unb64(slot["salt"]))
            return AESGCM(wrapping_key).decrypt(
                _unb64(slot["nonce"]), _unb64(slot["wrapped_key"]), self._aad(name)
            )
        except InvalidTag:
            raise (WrongRecoveryCode() if name == "recovery" else WrongPassphrase()) from None
        except (KeyError, ValueError, TypeError) as exc:
            raise VaultCorrupted("The vault's key file (keyslots.json) is damaged.") from exc

    # -- on disk ---------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "vault_id": self.vault_id,
                "db_settings": self.db_settings,
                "slots": self.slots,
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(data.get("format"))
            return cls(data["vault_id"], data["db_settings"], data["slots"])
        except OSError as exc:
            raise VaultCorrupted(
                f"The vault's key file {path} cannot be read ({exc.strerror})."
            ) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultCorrupted(f"The vault's key file {path} is damaged.") from exc

    def save(self, path: Path) -> None:
        """Write atomically: a new file beside it, flushed to disk, then renamed over it."""
        write_durably(path, self.to_json().encode("utf-8"))
