"""Opening the SQLCipher database, and turning its errors into ours.

Settings of a new vault (measured in bench/vault_bench.py, see bench/RESULTS.md):
- Since schema 6 evidence bytes are in sealed files beside the database
  (vault/content_files.py): the database holds what an act records (items, custody, the search
  index, messages), a few small pages per act. So the settings are for small commits:
- 4 KiB pages: an act rewrites whole pages of each table it touches; a 2 MB add took 1.86x
  the yardstick with 4 KiB pages and WAL, 2.0x with 16 KiB and WAL, 2.4x with 16 KiB and a
  rollback journal (a message import is ~10% slower with 4 KiB pages than 16 KiB).
- WAL: a commit is one append and one fsync of the log, where a rollback journal costs about
  four fsyncs (journal, its header, database, truncation). `synchronous=FULL`: every commit is
  durable. `locking_mode=EXCLUSIVE` (one connection per vault, and the vault's lock keeps every
  other process out anyway): no `-shm` shared-memory file; the log is folded into the database
  and removed when the vault closes.
- HMAC-SHA256 rather than SHA-512: the CPU has SHA extensions; page integrity is kept.
Vaults made before (16 KiB pages, rollback journal TRUNCATE: right while evidence bytes were in
the database) keep theirs: the settings are kept in keyslots.json, so a vault made with other
settings still opens.
"""

from __future__ import annotations

import errno
import functools
import inspect
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3

from evidence_kit.errors import DiskFull, VaultCorrupted, VaultError, VaultInUse

DEFAULT_SETTINGS: dict[str, Any] = {
    "cipher_page_size": 4096,
    "cipher_hmac_algorithm": "HMAC_SHA256",
    "journal_mode": "WAL",
}

Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError


def connect(
    path: Path, key: bytes, settings: dict[str, Any], *, create: bool = False
) -> sqlcipher3.Connection:
    """Open the database with the raw key; raise `VaultCorrupted` if it cannot be read.

    Only with `create` may SQLite make the file (`Vault.create`); otherwise a missing file is an
    error, never a new database. A new file should already exist, owner-only: SQLite gives its
    journal the database file's permissions.
    """
    mode = "rwc" if create else "rw"
    try:
        conn = sqlcipher3.connect(
            f"{Path(path).absolute().as_uri()}?mode={mode}",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlcipher3.Error as exc:
        raise translate(exc, path) from exc
    try:
        # SQLCipher prints its own log lines on stderr unless told not to.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {int(settings['cipher_page_size'])}")
        algorithm = str(settings["cipher_hmac_algorithm"])
        if algorithm not in {"HMAC_SHA1", "HMAC_SHA256", "HMAC_SHA512"}:
            raise VaultCorrupted("The vault's key file names an unknown cipher setting.")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {algorithm}")
        conn.execute("PRAGMA cipher_memory_security = OFF")
        journal = str(settings["journal_mode"]).upper()
        if journal not in {"DELETE", "TRUNCATE", "PERSIST", "WAL"}:
            raise VaultCorrupted("The vault's key file names an unknown journal mode.")
        if journal == "WAL":  # before the first read: the log's index then lives in memory
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        # The first real read checks the key: a wrong key fails here.
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        conn.execute(f"PRAGMA journal_mode = {journal}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 2000")
        conn.execute("PRAGMA temp_store = MEMORY")  # no temporary files, even encrypted ones
    except sqlcipher3.Error as exc:
        conn.close()
        raise translate(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def translate(exc: BaseException, path: Path | None = None) -> VaultError:
    """Our error for an SQLCipher (or OS) error."""
    text = str(exc).lower()
    where = f" ({path.name})" if path else ""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return DiskFull()
    if "full" in text or ("disk i/o" in text and path is not None and no_room(path)):
        return DiskFull()
    if "locked" in text or "busy" in text:
        return VaultInUse(None)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return VaultCorrupted(
            f"The vault's database{where} is damaged or was not written by Evidence Kit."
        )
    if "readonly" in text or "read-only" in text:
        return VaultError(f"The vault{where} cannot be written: the folder or disk is read-only.")
    if "unable to open" in text:
        return VaultError(
            f"The vault's database{where} cannot be opened: check the folder's permissions."
        )
    return VaultError(f"The vault's database{where} reported an error: {exc}.")


def no_room(path: Path, margin: int = 64 * 1024 * 1024) -> bool:
    """Is the disk (or this process's file-size limit) the reason a write failed?

    SQLite reports a full disk as SQLITE_FULL, but a write refused for a quota or a file-size
    limit as a plain I/O error; this tells them apart from a failing disk.
    """
    try:
        if shutil.disk_usage(path.parent).free < margin:
            return True
        if os.name == "posix":
            import resource

            soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
            if (
                soft != resource.RLIM_INFINITY
                and path.exists()
                and path.stat().st_size + margin > soft
            ):
                return True
    except OSError:
        return False
    return False


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """Turn SQLCipher errors raised by a vault read (or by iterating its result) into ours."""

    def where(args: tuple[Any, ...]) -> Path | None:
        folder = getattr(args[0], "folder", None) if args else None
        return Path(folder) / "evidence.db" if folder else None

    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(*args, **kwargs)
            except sqlcipher3.Error as exc:
                raise translate(exc, where(args)) from exc

        return generator  # type: ignore[return-value]

    @functools.wraps(method)
    def plain(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sqlcipher3.Error as exc:
            raise translate(exc, where(args)) from exc

    return plain  # type: ignore[return-value]
