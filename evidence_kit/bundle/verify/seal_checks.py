"""The checks of the seal: the key both seal files state, both signatures over the tag manifest,
the key the recipient expected, and the seals of bundles a rep took in (`received/`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.bundle.format import bag, keys, layout, seal, sshsig
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
            for tag, digest in parsed.entries.items():
                data = facts.member(f"{folder}/{tag}")
                if data is not None and hashlib.sha256(data).hexdigest() != digest:
                    found.append(f"{folder}/{tag} does not match the sender's tag manifest")
        problems += found
        if not found and raw is not None:
            good.append(f"{sender} sealed by {keys.fingerprint(raw)} ({keys.read_aloud(raw)})")
    yield check("received", "seals of received bundles", problems, "; ".join(good))
