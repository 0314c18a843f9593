"""The anchor: the custody chain's head kept outside the database, so a rolled-back database shows.

`vault/anchor` holds the number of custody events and the hash of the last one after the last
commit, and the identity of the database it belongs to, authenticated with HMAC-SHA256 under a
key derived (HKDF) from the vault's database key: nobody without the key can write a valid one.

A crash between a commit and the anchor update leaves the database one transaction ahead. To
tell "one transaction ahead" from "more", each transaction that records events also writes, in
the database, the head the anchor held when it began (`meta.anchor_base`). On open:

- database head == anchor: in step;
- database ahead, and its `anchor_base` == anchor: the crash case, tolerated (the anchor is
  brought up to date);
- anything else (behind, diverged, more than one transaction ahead, anchor missing or not
  authentic): refused.

A rollback of every file together (database, key file and anchor, e.g. an old copy of the whole
folder) cannot be seen from inside the vault: that needs an outside anchor, such as a bundle
already handed over or a time-stamp token, whose custody head must still be in the vault.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from evidence_kit.bundle.format.custody import GENESIS, canonical
from evidence_kit.errors import RolledBack
from evidence_kit.fsutil import write_durably

ANCHOR_NAME = "anchor"
FORMAT = "evidence-kit-anchor-v1"
BASE_KEY = "anchor_base"  # the meta row: the anchor's head when the last transaction began


@dataclass(frozen=True)
class Head:
    """Where the custody chain ends: how many events, and the last one's hash."""

    count: int
    hash: str
    at: str = ""

    def same_place(self, other: Head) -> bool:
        return (self.count, self.hash) == (other.count, other.hash)

    def as_text(self) -> str:
        return f"{self.count} {self.hash}"

    @classmethod
    def from_text(cls, text: str | None) -> Head | None:
        try:
            count, digest = str(text).split()
            return cls(int(count), digest)
        except ValueError:
            return None


EMPTY = Head(0, GENESIS)


def anchor_key(db_key: bytes, vault_id: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"evidence-kit anchor v1|{vault_id}".encode(),
    ).derive(db_key)


def _mac(key: bytes, body: dict[str, Any]) -> str:
    return hmac.new(key, canonical(body), hashlib.sha256).hexdigest()


def _body(vault_id: str, database_salt: str, head: Head) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "vault_id": vault_id,
        "database_salt": database_salt,
        "count": head.count,
        "head": head.hash,
        "at": head.at,
    }


def write(path: Path, key: bytes, vault_id: str, database_salt: str, head: Head) -> None:
    """Durably (write, fsync, rename): a crash leaves the old anchor or the new, never half."""
    body = _body(vault_id, database_salt, head)
    data = {**body, "mac": _mac(key, body)}
    write_durably(path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("ascii"))


def read(path: Path, key: bytes, vault_id: str, database_salt: str) -> Head:
    """The authenticated head in `path`; `RolledBack` if it is missing, damaged or not this vault's."""
    try:
        data = json.loads(path.read_text("ascii"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        body = {name: data[name] for name in _body("", "", EMPTY)}
        mac = str(data["mac"])
    except FileNotFoundError:
        raise RolledBack(
            f"The vault's anchor file {path} is missing. It records the vault's last state, "
            "so without it a rolled-back database cannot be told from the real one."
        ) from None
    except (OSError, ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise RolledBack(f"The vault's anchor file {path} is damaged.") from exc
    if not hmac.compare_digest(mac, _mac(key, body)):
        raise RolledBack(
            f"The vault's anchor file {path} was not written for this vault (its "
            "authentication does not match): it may have been copied from another vault or altered."
        )
    if body["vault_id"] != vault_id or body["database_salt"] != database_salt:
        raise RolledBack(
            f"The vault's anchor file {path} belongs to another copy of this vault, not to "
            "this evidence.db."
        )
    if not isinstance(body["count"], int) or not isinstance(body["head"], str):
        raise RolledBack(f"The vault's anchor file {path} is damaged.")
    return Head(body["count"], body["head"], str(body["at"]))


def compare(database: Head, base: Head | None, anchored: Head, hash_at: str | None) -> str:
    """ "same" or "ahead" (one transaction, tolerated); raise `RolledBack` for anything else.

    `base` is the database's `anchor_base`; `hash_at` the database's hash of event
    `anchored.count` (None when it has fewer events).
    """
    if database.same_place(anchored):
        return "same"
    when = f" (last changed {anchored.at})" if anchored.at else ""
    if database.count < anchored.count:
        raise RolledBack(
            "This vault's database is older than its last recorded state: it holds "
            f"{database.count} custody events, but the vault's anchor recorded "
            f"{anchored.count}{when}. Later evidence would be missing."
        )
    if database.count == anchored.count or hash_at != anchored.hash:
        raise RolledBack(
            "This vault's database is not the one its anchor recorded: its custody chain "
            f"differs from the recorded state at event {anchored.count}{when}."
        )
    if base is not None and base.same_place(anchored):
        return "ahead"
    raise RolledBack(
        "This vault's anchor is older than its database by more than one step: the anchor "
        f"recorded {anchored.count} custody events{when}, the database holds "
        f"{database.count}. An older anchor file may have been put back."
    )
