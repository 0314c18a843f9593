"""Verifying an encrypted bundle (`EVB-<id>.zip.age`) as it is, with the recipient's identity
file or the passphrase.

The checks read a zip by random access (its central directory first, then each entry where it
lies), and age gives a stream: so the zip is decrypted — in bounded memory, chunk by chunk — into
an owner-only file in a private temporary folder, checked there, and removed whatever happens
(in `finally`). Decrypting straight into the checks would need a zip reader that works from a
stream, and for keys pyrage gives only a stream. The `.sha256` beside the `.age` is checked
against the encrypted file; the zip's own SHA-256 is shown (the one the export printed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from evidence_kit.bundle.format import agepass
from evidence_kit.bundle.format.checks import Check, VerifyReport
from evidence_kit.errors import VerificationError
from evidence_kit.fsutil import open_private
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress

ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
PREFIX = "evidence-kit-verify-"
STALE = 24 * 3600  # seconds, where it cannot be told whether the verify that made it still runs


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # told by age instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_stale() -> list[Path]:
    """Remove what a killed verify left in the temporary folder (its process is gone, or, where
    that cannot be told, a day has passed): a decrypted bundle never outlives its check for long."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            pid = int(folder.name[len(PREFIX) :].split("-", 1)[0])
            old = time.time() - folder.stat().st_mtime > STALE
        except (ValueError, OSError):
            continue
        if pid != os.getpid() and (not _running(pid) or old) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return agepass.is_age(head) or head.startswith(ARMOR)


class _Hashing:
    """A reader that hashes what is read from it (the `.age` file's SHA-256)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data

    def readline(self, limit: int = -1) -> bytes:
        data = self.handle.readline(limit)
        self.digest.update(data)
        return data


class _Counting:
    """A writer that hashes what the decryption gives (the zip's SHA-256)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        self.handle.flush()


def _identities(path: Path) -> list[Any]:
    import pyrage

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VerificationError(f"Cannot read the identity file {path}: {exc.strerror}.") from exc
    found: list[Any] = []
    try:
        if b"PRIVATE KEY-----" in raw:
            found.append(pyrage.ssh.Identity.from_buffer(raw))
        else:
            for line in raw.decode("utf-8").splitlines():
                if line.strip().startswith("AGE-SECRET-KEY-"):
                    found.append(pyrage.x25519.Identity.from_str(line.strip()))
    except Exception as exc:  # pyrage raises IdentityError; a bad file may raise more
        raise VerificationError(
            f"{path} is not an age identity (AGE-SECRET-KEY-…) or an SSH private key that can be "
            "read (a passphrase-protected SSH key cannot be used here)."
        ) from exc
    if not found:
        raise VerificationError(f"{path} holds no age identity (a line AGE-SECRET-KEY-…).")
    return found


def _decrypt(path: Path, out: _Counting, identity: Path | None, passphrase: str | None) -> str:
    """Decrypt `path` into `out`; return how, in words, and the `.age`'s SHA-256."""
    import pyrage

    with open(path, "rb") as handle:
        source = _Hashing(handle)
        if identity is not None:
            keys = _identities(identity)
            try:
                pyrage.decrypt_io(source, out, keys)
            except Exception as exc:  # pyrage.DecryptError and I/O errors
                raise VerificationError(
                    f"{path.name} could not be decrypted with {identity.name}: {exc}.",
                    hint="Use the identity (private key) whose public key the sender encrypted "
                    "to, or the passphrase with --age-passphrase-file.",
                ) from exc
            how = f"the identity in {identity.name}"
        else:
            assert passphrase is not None
            try:
                for chunk in agepass.decrypt(source, passphrase):  # type: ignore[arg-type]
                    out.write(chunk)
            except agepass.WrongPassphrase as exc:
                raise VerificationError(f"The passphrase does not open {path.name}.") from exc
            except agepass.AgeFormatError as exc:
                raise VerificationError(f"{path.name} cannot be decrypted: {exc}.") from exc
            how = "the passphrase"
        source.read()  # whatever follows the end (none in a good file) is hashed too
    return how + "\n" + source.digest.hexdigest()


@contextlib.contextmanager
def decrypted(
    path: Path, identity: Path | None, passphrase: str | None
) -> Iterator[tuple[Path, str, str, str]]:
    """The zip inside an `.age` bundle, decrypted into an owner-only file in a private temporary
    folder, removed whatever happens: (zip path, how it was decrypted, the .age file's SHA-256,
    the zip's SHA-256)."""
    if identity is None and passphrase is None:
        raise VerificationError(
            f"{path.name} is encrypted (age).",
            hint="Give the identity file the sender encrypted it to (--identity KEYFILE) or the "
            "passphrase (--age-passphrase-file FILE, or typed when asked).",
        )
    name = path.name[:-4] if path.name.endswith(".age") else path.name + ".zip"
    sweep_stale()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))  # 0700, ours alone
    inner = folder / name
    try:
        with open_private(inner) as handle:
            out = _Counting(handle)
            how, outer_sha = _decrypt(path, out, identity, passphrase).split("\n")
        yield inner, how, outer_sha, out.digest.hexdigest()
    finally:
        with contextlib.suppress(OSError):
            inner.unlink()
        shutil.rmtree(folder, ignore_errors=True)


def verify_encrypted(
    path: Path,
    *,
    identity: Path | None = None,
    passphrase: str | None = None,
    expect_key: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> VerifyReport:
    from evidence_kit.bundle.verify import verify_bundle

    with decrypted(path, identity, passphrase) as (inner, how, outer_sha, inner_sha):
        report = verify_bundle(inner, expect_key=expect_key, progress=progress, cancel=cancel)
    checks = [
        Check("age", "age encryption", True,
              f"decrypted with {how}; the zip inside has SHA-256 {inner_sha}"),
    ]  # fmt: skip
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.is_file():
        try:
            stated = sidecar.read_text("ascii").split()[0]
        except (OSError, UnicodeDecodeError, IndexError):
            stated = ""
        good = stated == outer_sha
        checks.append(Check("age-sha256", sidecar.name, good,
                            "the encrypted file's SHA-256 matches the file beside it" if good
                            else "the encrypted file's SHA-256 differs from the one in the .sha256 file"))  # fmt: skip
    return dataclasses.replace(report, bundle=str(path), checks=(*checks, *report.checks))
