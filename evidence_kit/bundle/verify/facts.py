"""What `verify` reads from a bundle, once, before any check judges it: the tag files parsed,
every file hashed, the seal key decoded, the custody log parsed. Checks are pure functions of it."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.bundle.format import bag, layout, sshsig
from evidence_kit.bundle.format.source import Source
from evidence_kit.bundle.verify.hashing import WHOLE, hash_all, read_member
from evidence_kit.model import CancelFlag, Progress


@dataclass(frozen=True)
class SignerKey:
    """The seal key as two seal files state it; `raw` None where a file could not be read."""

    from_allowed_signers: bytes | None
    from_pem: bytes | None
    problems: tuple[str, ...]


@dataclass
class Facts:
    path: Path
    source: Source
    expect_key: str | None
    info_raw: bytes | None = None
    info: dict[str, str] = field(default_factory=dict)
    info_problems: list[str] = field(default_factory=list)
    manifests: dict[str, bag.ParsedManifest | None] = field(default_factory=dict)
    tagmanifests: dict[str, bytes | None] = field(default_factory=dict)
    payload: list[str] = field(default_factory=list)  # "data/…", as the manifests name them
    digests: dict[str, dict[str, str]] = field(default_factory=dict)
    sidecar: Path | None = None
    key: SignerKey | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    event_problems: list[str] = field(default_factory=list)
    custody_present: bool = False

    def member(self, name: str) -> bytes | None:
        return read_member(self.source, name)

    def digest(self, name: str, algorithm: str = "sha256") -> str | None:
        return self.digests.get(name, {}).get(algorithm)

    @property
    def whole_sha256(self) -> str | None:
        return self.digest(WHOLE)

    def entries(self, algorithm: str = "sha256") -> dict[str, str]:
        parsed = self.manifests.get(algorithm)
        return parsed.entries if parsed else {}


def gather(
    path: Path,
    source: Source,
    expect_key: str | None,
    progress: Progress,
    cancel: CancelFlag,
    workers: int,
) -> Facts:
    facts = Facts(path, source, expect_key)
    facts.info_raw = facts.member("bag/bag-info.txt")
    facts.info, facts.info_problems = bag.parse_bag_info(facts.info_raw or b"")
    for algorithm in layout.ALGORITHMS:
        raw = facts.member(f"bag/manifest-{algorithm}.txt")
        facts.manifests[algorithm] = bag.parse_manifest(raw, algorithm) if raw is not None else None
        facts.tagmanifests[algorithm] = facts.member(f"bag/tagmanifest-{algorithm}.txt")
    facts.payload = sorted(name[4:] for name in source.names if name.startswith("bag/data/"))
    if source.is_zip:
        sidecar = path.with_name(path.name + ".sha256")
        facts.sidecar = sidecar if sidecar.is_file() else None
    hashed = [f"bag/{p}" for p in facts.payload]
    hashed += [f"bag/{name}" for name in layout.TAG_FILES]
    hashed += [name for name in source.names if "/" not in name]  # VERIFY.txt, the HTML verifier
    hashed += [name for name in source.names if name.startswith(layout.RECEIVED + "/")]
    whole = path if facts.sidecar is not None else None
    facts.digests = hash_all(source, hashed, progress, cancel, workers, whole)
    facts.key = read_key(facts)
    _read_custody(facts)
    return facts


def read_key(facts: Facts, folder: str = layout.SEAL) -> SignerKey:
    """The Ed25519 key of `seal/` (or of a received seal's folder), from both files that state it."""
    problems: list[str] = []
    from_ssh: bytes | None = None
    allowed = facts.member(f"{folder}/{layout.ALLOWED_SIGNERS}")
    if allowed is None:
        problems.append(f"{folder}/{layout.ALLOWED_SIGNERS} is missing")
    else:
        parts = allowed.decode("ascii", "replace").split()
        if len(parts) < 3 or parts[0] != layout.PRINCIPAL or parts[1] != "ssh-ed25519":
            problems.append(
                f"{folder}/{layout.ALLOWED_SIGNERS} is not 'evidence-seal ssh-ed25519 …'"
            )
        else:
            try:
                blob = base64.b64decode(parts[2], validate=True)
            except ValueError:
                blob = b""
            if len(blob) == 51 and blob == sshsig.public_blob(blob[-32:]):
                from_ssh = blob[-32:]
            else:
                problems.append(
                    f"the key in {folder}/{layout.ALLOWED_SIGNERS} is not an Ed25519 key"
                )
    from_pem: bytes | None = None
    pem = facts.member(f"{folder}/{layout.PUBLIC_PEM}")
    if pem is None:
        problems.append(f"{folder}/{layout.PUBLIC_PEM} is missing")
    else:
        try:
            loaded = serialization.load_pem_public_key(pem)
        except ValueError:
            loaded = None
            problems.append(f"{folder}/{layout.PUBLIC_PEM} cannot be read")
        if isinstance(loaded, Ed25519PublicKey):
            from_pem = loaded.public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        elif loaded is not None:
            problems.append(f"{folder}/{layout.PUBLIC_PEM} is not an Ed25519 key")
    return SignerKey(from_ssh, from_pem, tuple(problems))


def _read_custody(facts: Facts) -> None:
    raw = facts.member(f"bag/{layout.DATA}/{layout.CUSTODY_LOG}")
    if raw is None:
        return
    facts.custody_present = True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        facts.event_problems.append("the log is not UTF-8 text")
        return
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the log ends with a line feed
    for number, line in enumerate(lines, start=1):
        try:
            event = json.loads(line)
        except ValueError:
            event = None
        if not isinstance(event, dict):
            facts.event_problems.append(f"line {number} is not a JSON event")
            continue
        facts.events.append(event)
