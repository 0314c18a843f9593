"""`verify-redaction`: does a redacted file derive from an original as its proof says? Needs no
vault: the proof travels in the redacted exhibit's item.json, the salts in disclosure files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evidence_kit.errors import InputFileError
from evidence_kit.redaction import DISCLOSURE, messages, pictures


def read_proof(path: Path) -> dict[str, Any]:
    """The proof in an item.json (a bundle's), or a bare proof."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFileError(f"Cannot read the proof {path}: {exc}.") from exc
    if isinstance(data, dict) and "scheme" not in data:
        derived = data.get("derived") or (data.get("vault_record") or {}).get("metadata", {}).get(
            "derived"
        )
        data = derived.get("proof") if isinstance(derived, dict) else None
    if not isinstance(data, dict) or "scheme" not in data:
        raise InputFileError(f"{path} holds no redaction proof.")
    return data


def read_salts(paths: list[Path], redacted_sha256: str) -> dict[int, bytes]:
    salts: dict[int, bytes] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != DISCLOSURE:
                raise ValueError("not a disclosure file")
            if data.get("redacted_sha256") != redacted_sha256:
                raise InputFileError(f"{path} opens another redacted copy, not this one.")
            for part in data["parts"]:
                salts[int(part["part"])] = bytes.fromhex(part["salt"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputFileError(f"Cannot read the disclosure {path}: {exc}.") from exc
    return salts


def check(
    redacted: Path, original: Path, proof: dict[str, Any], salts: dict[int, bytes]
) -> list[str]:
    try:
        made, source = redacted.read_bytes(), original.read_bytes()
    except OSError as exc:
        raise InputFileError(f"Cannot read {exc.filename}: {exc.strerror}.") from exc
    if proof.get("scheme") == pictures.SCHEME:
        return pictures.check(made, source, proof, salts)
    if proof.get("scheme") == messages.SCHEME:
        return messages.check(made, source, proof, salts)
    return [f"the proof's scheme {proof.get('scheme')!r} is not one Evidence Kit knows"]


def verify_files(
    redacted: Path, original: Path, proof_path: Path | None = None, salt_files: Sequence[Path] = ()
) -> tuple[list[str], list[int]]:
    """`verify-redaction` (and the verify window's "Check a redacted copy"): the problems with
    REDACTED as a redaction of ORIGINAL by its proof (the item.json beside it unless given),
    and which hidden parts the disclosures opened. No vault is needed."""
    import hashlib

    proof_path = proof_path or redacted.with_name("item.json")
    if not proof_path.is_file():
        raise InputFileError(
            f"There is no proof beside {redacted}.", hint="Give it with --proof item.json."
        )
    claimed = read_proof(proof_path)
    try:
        digest = hashlib.sha256(redacted.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputFileError(f"Cannot read {redacted}: {exc.strerror}.") from exc
    salts = read_salts(list(salt_files), digest)
    return check(redacted, original, claimed, salts), sorted(salts)
