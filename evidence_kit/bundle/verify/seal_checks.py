"""The checks of the seal: the key both seal files state, both signatures over the tag manifest,
the key the recipient expected, and the seals of bundles a rep took in (`received/`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.bundle.format import bag, custody, keys, layout, seal, sshsig
from evidence_kit.bundle.format.checks import Check, check
from evidence_kit.bundle.verify.facts import Facts, SignerKey, read_key


def signer(facts: Facts) -> bytes | None:
    """The raw key that sealed the bundle, when both seal files state the same one."""
    key = facts.key
    if key is None or key.from_allowed_signers is None:
        return None
    if key.from_pem is not None and key.from_pem != key.from_allowed_signers:
        return None
    return key.from_allowed_signers


def _key_problems(facts: Facts, key: SignerKey, folder: str) -> list[str]:
    problems = list(key.problems)
    ssh_key, pem_key = key.from_allowed_signers, key.from_pem
    if ssh_key and pem_key and ssh_key != pem_key:
        problems.append(f"{folder}/allowed_signers and {layout.PUBLIC_PEM} hold different keys")
    # The seal files are outside the manifests, so each must be exactly the form Evidence Kit
    # writes: a changed byte anywhere (even one the parsers would forgive) is a change.
    allowed = facts.member(f"{folder}/{layout.ALLOWED_SIGNERS}")
    if ssh_key and allowed is not None and allowed != seal.allowed_signers(ssh_key):
        problems.append(f"{folder}/{layout.ALLOWED_SIGNERS} is not in its exact form")
    pem = facts.member(f"{folder}/{layout.PUBLIC_PEM}")
    if pem_key and pem is not None and pem != keys.public_pem(pem_key).encode("ascii"):
        problems.append(f"{folder}/{layout.PUBLIC_PEM} is not in its exact form")
    armored = facts.member(f"{folder}/{layout.SSHSIG_FILE}")
    if armored is not None and armored != sshsig.rearmored(armored):
        problems.append(f"{folder}/{layout.SSHSIG_FILE} is not in its exact form")
    return problems


def seal_key(facts: Facts) -> Iterator[Check]:
    key = facts.key or SignerKey(None, None, ("the seal files cannot be read",))
    problems = _key_problems(facts, key, layout.SEAL)
    raw = signer(facts)
    stated = facts.info.get("Evidence-Seal-Key-Fingerprint")
    if raw is not None and stated != keys.fingerprint(raw):
        problems.append(
            f"bag-info.txt names the key {stated}, but it was sealed with {keys.fingerprint(raw)}"
        )
    good = f"{keys.fingerprint(raw)} (read aloud: {keys.read_aloud(raw)})" if raw else ""
    yield check("seal-key", "seal key", problems, good + ", the same in allowed_signers, the PEM "
                "file and bag-info.txt")  # fmt: skip


def _signatures(
    facts: Facts, folder: str, raw: bytes | None, tagmanifest: bytes | None, prefix: str
) -> Iterator[Check]:
    armored = facts.member(f"{folder}/{layout.SSHSIG_FILE}")
    if armored is None or tagmanifest is None or raw is None:
        yield Check(f"{prefix}ssh-signature", "SSH signature", False,
                    "the signature, the tag manifest or the key is missing")  # fmt: skip
    else:
        problem = sshsig.verify(armored, tagmanifest, raw, layout.NAMESPACE)
        yield Check(f"{prefix}ssh-signature", "SSH signature", problem is None, problem or
                    f"good {layout.NAMESPACE} signature by {layout.PRINCIPAL} over the tag manifest")  # fmt: skip
    raw_sig = facts.member(f"{folder}/{layout.RAWSIG_FILE}")
    pem_key = facts.key.from_pem if facts.key and folder == layout.SEAL else raw
    if raw_sig is None or tagmanifest is None or pem_key is None:
        yield Check(f"{prefix}ed25519-signature", "Ed25519 signature", False,
                    "the signature, the tag manifest or the key is missing")  # fmt: skip
        return
    try:
        Ed25519PublicKey.from_public_bytes(pem_key).verify(raw_sig, tagmanifest)
        yield Check(f"{prefix}ed25519-signature", "Ed25519 signature", True,
                    "good raw signature over the tag manifest")  # fmt: skip
    except InvalidSignature:
        yield Check(f"{prefix}ed25519-signature", "Ed25519 signature", False,
                    "the signature does not match the tag manifest")  # fmt: skip


def signatures(facts: Facts) -> Iterator[Check]:
    raw = facts.key.from_allowed_signers if facts.key else None
    yield from _signatures(facts, layout.SEAL, raw, facts.tagmanifests.get("sha256"), "")


def expected_key(facts: Facts) -> Iterator[Check]:
    if not facts.expect_key:
        return
    raw = signer(facts)
    given = facts.expect_key.strip()
    if keys.normalise_fingerprint(given) is None:
        yield Check("expected-key", "seal key is the expected one", False,
                    f"{given!r} is not a fingerprint (SHA256:… or eight groups of five digits)")  # fmt: skip
        return
    good = raw is not None and keys.matches(raw, given)
    shown = f"{keys.fingerprint(raw)} ({keys.read_aloud(raw)})" if raw else "an unknown key"
    yield Check("expected-key", "seal key is the expected one", good,
                f"{shown} is the key you expected" if good
                else f"the bundle was sealed with {shown}, not {given}")  # fmt: skip


def received_seals(facts: Facts) -> Iterator[Check]:
    """Each sender's seal a rep's bundle carries: the sender's key, both signatures over the
    sender's tag manifest, and that tag manifest over the sender's tag files."""
    senders = sorted(
        {n.split("/")[1] for n in facts.source.names if n.startswith(layout.RECEIVED + "/")}
    )
    if not senders:
        return
    problems: list[str] = []
    good: list[str] = []
    for sender in senders:
        folder = f"{layout.RECEIVED}/{sender}"
        key = read_key(facts, folder)
        found = _key_problems(facts, key, folder)
        raw = key.from_allowed_signers
        tagmanifest = facts.member(f"{folder}/{layout.SIGNED_FILE}")
        found += [f"{folder}: {c.detail}" for c in _signatures(facts, folder, raw, tagmanifest, "")
                  if not c.passed]  # fmt: skip
        if tagmanifest is not None:
            parsed = bag.parse_manifest(tagmanifest, "sha256")
            found += [f"{folder}/{layout.SIGNED_FILE} {p}" for p in parsed.problems]
            for tag in layout.TAG_FILES:
                data = facts.member(f"{folder}/{tag}")
                if data is None:
                    found.append(f"{folder}/{tag} is missing")
                elif hashlib.sha256(data).hexdigest() != parsed.entries.get(tag):
                    found.append(f"{folder}/{tag} does not match the sender's tag manifest")
        count = 0
        if not found and raw is not None:
            counted = _carried(facts, sender, folder, keys.fingerprint(raw))
            found += counted[1]
            count = counted[0]
        problems += found
        if not found and raw is not None:
            good.append(f"{sender}: {count} files, each exactly as sealed by {keys.fingerprint(raw)} "
                        f"({keys.read_aloud(raw)})")  # fmt: skip
    yield check("received", "seals of received bundles", problems, "; ".join(good))


def received_signers(facts: Facts) -> tuple[tuple[str, str, str], ...]:
    """(sender bundle id, fingerprint, read-aloud) of every seal carried in received/."""
    found = []
    for sender in sorted(
        {n.split("/")[1] for n in facts.source.names if n.startswith(layout.RECEIVED + "/")}
    ):
        raw = read_key(facts, f"{layout.RECEIVED}/{sender}").from_allowed_signers
        if raw is not None:
            found.append((sender, keys.fingerprint(raw), keys.read_aloud(raw)))
    return tuple(found)


def _carried(facts: Facts, sender: str, folder: str, fingerprint: str) -> tuple[int, list[str]]:
    """Every file the sender sealed is in this bag — an exhibit's bytes anywhere, the sender's
    own records under data/received/<id>/ — each with the hash the sender's manifest gives; the
    sender's custody chain holds and ends with their export of that bundle by that key; and each
    exhibit this bag says it received from that bundle is one the sender sealed."""
    problems: list[str] = []
    manifest = facts.member(f"{folder}/manifest-sha256.txt")
    entries = bag.parse_manifest(manifest, "sha256").entries if manifest is not None else {}
    here = {facts.digest(f"bag/{p}") for p in facts.payload}
    for path, digest in sorted(entries.items()):
        carried = f"bag/data/{layout.RECEIVED}/{sender}/{path}"
        if facts.digest(carried) != digest and digest not in here:
            problems.append(f"{sender} sealed {path}, which is not in this bundle as it was sealed")
    log = facts.member(f"bag/data/{layout.RECEIVED}/{sender}/data/{layout.CUSTODY_LOG}")
    if log is None:
        problems.append(f"the custody log of {sender} is not in this bundle")
    else:
        try:
            events = [json.loads(line) for line in log.decode("utf-8").splitlines()]
        except (UnicodeDecodeError, ValueError):
            events = []
        chain = [e for e in events if isinstance(e, dict)]
        problems += [f"{sender}'s {p.where} {p.what}" for p in custody.check_chain(chain)]
        last = chain[-1] if chain else {}
        found_details = last.get("details")
        details: dict[str, Any] = found_details if isinstance(found_details, dict) else {}
        if last.get("action") != layout.EXPORT_ACTION or details.get("bundle_id") != sender:
            problems.append(f"the custody log of {sender} does not end with its export")
        elif details.get("seal_key_fingerprint") != fingerprint:
            problems.append(
                f"the custody log of {sender} names another key than the one that sealed it"
            )
    sealed = set(entries.values())
    for name in sorted(
        n
        for n in facts.source.names
        if n.startswith("bag/data/items/") and n.endswith("/item.json")
    ):
        try:
            record = json.loads(facts.member(name) or b"{}")
        except ValueError:
            continue
        block = record.get("received") if isinstance(record, dict) else None
        if (
            isinstance(block, dict)
            and block.get("bundle_id") == sender
            and block.get("sha256") is not None  # a written statement has no file to seal
            and block.get("sha256") not in sealed
        ):
            problems.append(f"{name[4:]} says it came from {sender}, which did not seal it")
    return len(entries), problems
