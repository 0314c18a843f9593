"""The checks of `verify` beyond the bag itself: the seal key and both signatures, the custody
chain and its export event, the item records, and the zip's .sha256 file."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.bundle.exhibits import mapping
from evidence_kit.bundle.format import keys, layout, seal, sshsig
from evidence_kit.bundle.format.custody import check_chain
from evidence_kit.bundle.format.zipsafe import Source, TooLarge
from evidence_kit.bundle.verify_files import read_member

if TYPE_CHECKING:
    from evidence_kit.bundle.verify import VerifyReport


def check_signatures(
    report: VerifyReport, source: Source, tagmanifest: bytes | None, info: dict[str, str]
) -> str | None:
    allowed = read_member(source, f"{layout.SEAL}/{layout.ALLOWED_SIGNERS}")
    pem = read_member(source, f"{layout.SEAL}/{layout.PUBLIC_PEM}")
    ssh_key: bytes | None = None
    key_problems: list[str] = []
    if allowed is None:
        key_problems.append("seal/allowed_signers is missing")
    else:
        parts = allowed.decode("ascii", "replace").split()
        if len(parts) < 3 or parts[0] != layout.PRINCIPAL or parts[1] != "ssh-ed25519":
            key_problems.append("seal/allowed_signers is not 'evidence-seal ssh-ed25519 …'")
        else:
            try:
                blob = base64.b64decode(parts[2], validate=True)
                ssh_key = blob[-32:] if blob[:15] == sshsig.public_blob(b"")[:15] else None
            except ValueError:
                ssh_key = None
            if ssh_key is None or len(blob) != 51:
                key_problems.append("the key in seal/allowed_signers is not an Ed25519 key")
                ssh_key = None
    pem_key: bytes | None = None
    if pem is None:
        key_problems.append("seal/signer-ed25519.pub.pem is missing")
    else:
        try:
            loaded = serialization.load_pem_public_key(pem)
            if isinstance(loaded, Ed25519PublicKey):
                pem_key = loaded.public_bytes(
                    serialization.Encoding.Raw, serialization.PublicFormat.Raw
                )
            else:
                key_problems.append("seal/signer-ed25519.pub.pem is not an Ed25519 key")
        except ValueError:
            key_problems.append("seal/signer-ed25519.pub.pem cannot be read")
    if ssh_key and pem_key and ssh_key != pem_key:
        key_problems.append("allowed_signers and signer-ed25519.pub.pem hold different keys")
    # The seal files are outside the manifests, so each must be exactly the form Evidence Kit
    # writes: a changed byte anywhere (even one the parsers would forgive) is a change.
    if ssh_key and allowed is not None and allowed != seal.allowed_signers(ssh_key):
        key_problems.append("seal/allowed_signers is not in its exact form")
    if pem_key and pem is not None and pem != keys.public_pem(pem_key).encode("ascii"):
        key_problems.append("seal/signer-ed25519.pub.pem is not in its exact form")
    armored = read_member(source, f"{layout.SEAL}/{layout.SSHSIG_FILE}")
    if armored is not None and armored != sshsig.rearmored(armored):
        key_problems.append("seal/tagmanifest-sha256.txt.sshsig is not in its exact form")
    fingerprint = keys.fingerprint(ssh_key) if ssh_key else None
    stated = info.get("Evidence-Seal-Key-Fingerprint")
    if fingerprint and stated != fingerprint:
        key_problems.append(
            f"bag-info.txt names the key {stated}, but it was sealed with {fingerprint}"
        )
    report.add_problems("seal key", key_problems, f"{fingerprint} (in allowed_signers, the PEM "
                        "file and bag-info.txt)")  # fmt: skip

    sshsig_raw = read_member(source, f"{layout.SEAL}/{layout.SSHSIG_FILE}")
    if sshsig_raw is None or tagmanifest is None or ssh_key is None:
        report.add("SSH signature", False, "the signature, the tag manifest or the key is missing")
    else:
        problem = sshsig.verify(sshsig_raw, tagmanifest, ssh_key, layout.NAMESPACE)
        report.add("SSH signature", problem is None, problem or
                   f"good {layout.NAMESPACE} signature by {layout.PRINCIPAL} over the tag manifest")  # fmt: skip

    raw_sig = read_member(source, f"{layout.SEAL}/{layout.RAWSIG_FILE}")
    if raw_sig is None or tagmanifest is None or pem_key is None:
        report.add(
            "Ed25519 signature", False, "the signature, the tag manifest or the key is missing"
        )
    else:
        try:
            Ed25519PublicKey.from_public_bytes(pem_key).verify(raw_sig, tagmanifest)
            report.add("Ed25519 signature", True, "good raw signature over the tag manifest")
        except InvalidSignature:
            report.add("Ed25519 signature", False, "the signature does not match the tag manifest")
    if fingerprint:
        report.add("seal key fingerprint", True, f"{fingerprint}: compare it with the fingerprint "
                   "the sender gives you by another channel (or use --expect-key)")  # fmt: skip
    return fingerprint


def check_custody(
    report: VerifyReport, source: Source, info: dict[str, str], signer: str | None
) -> dict[str, Any]:
    """Check the chain; return the exhibits the export event lists, by label."""
    raw = read_member(source, f"bag/{layout.DATA}/{layout.CUSTODY_LOG}")
    if raw is None:
        report.add("custody chain", False, "data/custody/continuity-log.jsonl is missing")
        report.add("custody ends with this export", False, "there is no custody log")
        return {}
    events: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
        try:
            event = json.loads(line)
            if not isinstance(event, dict):
                raise ValueError
            events.append(event)
        except ValueError:
            problems.append(f"line {number} is not a JSON event")
    problems += [f"{p.where} {p.what}" for p in check_chain(events)]
    if not events:
        problems.append("the log is empty")
    report.add_problems(
        "custody chain", problems, f"{len(events)} events, each linked to the one before"
    )
    last = events[-1] if events else {}
    details = mapping(last.get("details"))
    end_problems = []
    if last.get("action") != layout.EXPORT_ACTION:
        end_problems.append(f"the last event is {last.get('action')!r}, not this export")
    if details.get("bundle_id") != info.get("External-Identifier"):
        end_problems.append("the last event is the export of another bundle")
    if signer and details.get("seal_key_fingerprint") != signer:
        end_problems.append("the export event names another seal key")
    if info.get("Evidence-Sealed-At") and last.get("at") != info.get("Evidence-Sealed-At"):
        end_problems.append("the export event's time differs from Evidence-Sealed-At")
    report.add_problems(
        "custody ends with this export",
        end_problems,
        f"event {last.get('seq')}: {layout.EXPORT_ACTION} {info.get('External-Identifier')} "
        f"at {last.get('at')}",
    )
    listed = details.get("items")
    if not isinstance(listed, list):
        return {}
    return {str(e.get("exhibit")): e for e in listed if isinstance(e, dict)}


def check_items(
    report: VerifyReport,
    source: Source,
    manifest: dict[str, str],
    digests: dict[str, dict[str, str]],
    exported: dict[str, Any],
) -> None:
    problems: list[str] = []
    records = sorted(
        name for name in source.names
        if name.startswith("bag/data/items/") and name.endswith("/" + layout.ITEM_JSON)
    )  # fmt: skip
    for name in records:
        folder = name[len("bag/") : -len(layout.ITEM_JSON)]
        try:
            record = json.loads(source.read(name))
            if not isinstance(record, dict):
                raise ValueError
        except (ValueError, OSError, TooLarge, zipfile.BadZipFile):
            problems.append(f"{folder}item.json cannot be read")
            continue
        file, sha = record.get("file"), record.get("sha256")
        if file:
            inner = f"{folder}{file}"
            if manifest.get(inner) != sha:
                problems.append(f"{inner}: item.json says {str(sha)[:12]}…, the manifest differs")
            if digests.get(f"bag/{inner}", {}).get("sha256") != sha:
                problems.append(f"{inner} does not hash to the SHA-256 in item.json")
        event = exported.get(str(record.get("exhibit")))
        if exported and (event is None or event.get("sha256") != sha):
            problems.append(f"{folder}item.json is not the exhibit the export event lists")
    if exported and len(records) != len(exported):
        problems.append(
            f"the export event lists {len(exported)} exhibits, the bag holds {len(records)}"
        )
    report.add_problems(
        "item records",
        problems,
        f"{len(records)} item.json files agree with the manifest and the export event",
    )


def check_sidecar(report: VerifyReport, sidecar: Path, actual: str | None) -> None:
    try:
        stated = sidecar.read_text("ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        stated = ""
    good = actual is not None and stated == actual
    report.add(sidecar.name, good,
               "the zip's SHA-256 matches the file beside it" if good
               else "the zip's SHA-256 differs from the one in the .sha256 file")  # fmt: skip
