"""Verify a bundle with no vault and no Qt: every check is run and reported, pass or fail.

`verify_bundle` never stops at the first failure: the recipient sees the whole picture. It only
raises `VerificationError` when the path cannot be read at all (and `Cancelled`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.bundle import bag, layout, seal, sshsig
from evidence_kit.bundle.exhibits import mapping
from evidence_kit.bundle.zipsafe import Source, TooLarge, open_bundle
from evidence_kit.errors import Cancelled, VerificationError
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress
from evidence_kit.vault import sealkey
from evidence_kit.vault.custody import check_chain

SPLIT = 32 << 20  # files larger than this are hashed with SHA-256 and SHA-512 on two threads
WHOLE = "\0whole zip"  # the key of the zip's own hash (no file in a bundle has this name)
KNOWN_SEAL = {
    layout.SSHSIG_FILE, layout.RAWSIG_FILE, layout.ALLOWED_SIGNERS, layout.PUBLIC_PEM,
    "tagmanifest-sha256.txt.tsr", "tsa-chain.pem",
}  # fmt: skip


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass
class VerifyReport:
    bundle: str
    bundle_id: str | None = None
    fingerprint: str | None = None
    expected_key: str | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def add(self, name: str, passed: bool, detail: str) -> None:
        self.checks.append(Check(name, passed, detail))

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "bundle_id": self.bundle_id,
            "ok": self.ok,
            "seal_key_fingerprint": self.fingerprint,
            "expected_key": self.expected_key,
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks
            ],
        }


def _problems(report: VerifyReport, name: str, problems: list[str], good: str) -> bool:
    shown = "; ".join(problems[:8]) + (
        f"; and {len(problems) - 8} more" if len(problems) > 8 else ""
    )
    report.add(name, not problems, shown if problems else good)
    return not problems


def verify_bundle(
    path: Path,
    *,
    expect_key: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
    workers: int = 2,
) -> VerifyReport:
    path = Path(path)
    report = VerifyReport(str(path), expected_key=expect_key)
    if not path.exists():
        raise VerificationError(f"There is no file or folder {path}.")
    try:
        source = open_bundle(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        report.add("zip safety", False, f"{path.name} cannot be read as a zip file ({exc})")
        return report
    try:
        _run(report, source, expect_key, progress, cancel, workers, path)
    finally:
        source.close()
    return report


def _read(source: Source, name: str) -> bytes | None:
    if name not in source.names:
        return None
    try:
        return source.read(name)
    except (OSError, zipfile.BadZipFile, TooLarge, EOFError, ValueError):
        return None


def _run(
    report: VerifyReport,
    source: Source,
    expect_key: str | None,
    progress: Progress,
    cancel: CancelFlag,
    workers: int,
    path: Path,
) -> None:
    kind = "zip safety" if source.is_zip else "folder safety"
    _problems(report, kind, source.problems, "no absolute paths, '..', links, duplicate names; "
              "sizes within limits")  # fmt: skip
    names = source.names
    report.bundle_id = source.top
    layout_problems = []
    if not layout.BUNDLE_ID.match(source.top):
        layout_problems.append(f"the top folder {source.top!r} is not named EVB-<id>")
    for needed in (layout.VERIFY_TXT, "bag/bagit.txt", "bag/bag-info.txt"):
        if needed not in names:
            layout_problems.append(f"{needed} is missing")
    for name in names:
        top = name.split("/")[0]
        if name != layout.VERIFY_TXT and top not in (layout.BAG, layout.SEAL):
            layout_problems.append(f"{name} does not belong in a bundle")
        if top == layout.SEAL and name.split("/", 1)[1] not in KNOWN_SEAL:
            layout_problems.append(f"{name} does not belong in seal/")
        if top == layout.BAG and "/" not in name[4:] and name[4:] not in (
            *layout.TAG_FILES, "tagmanifest-sha256.txt", "tagmanifest-sha512.txt",
        ):  # fmt: skip
            layout_problems.append(f"{name} is not a tag file of this bag")
    _problems(report, "bundle layout", layout_problems, "one EVB-<id> folder with VERIFY.txt, "
              "bag/ and seal/, and nothing else")  # fmt: skip

    bagit_txt = _read(source, "bag/bagit.txt")
    report.add("bagit.txt", bagit_txt == bag.BAGIT_TXT,
               "BagIt-Version 1.0, UTF-8" if bagit_txt == bag.BAGIT_TXT
               else "bagit.txt is missing or is not the BagIt 1.0 declaration")  # fmt: skip

    info_raw = _read(source, "bag/bag-info.txt") or b""
    info, info_problems = bag.parse_bag_info(info_raw)
    for name in bag.BAG_INFO_FIELDS:
        if not info.get(name):
            info_problems.append(f"bag-info.txt lacks {name}")
    if info.get("Evidence-Bundle-Format") not in (None, layout.FORMAT):
        info_problems.append(f"the format is {info['Evidence-Bundle-Format']!r}")
    if info.get("External-Identifier") not in (None, source.top):
        info_problems.append("External-Identifier does not match the folder name")
    _problems(report, "bag-info.txt", info_problems, f"all {len(bag.BAG_INFO_FIELDS)} fields")

    manifests: dict[str, dict[str, str]] = {}
    for algorithm in layout.ALGORITHMS:
        raw = _read(source, f"bag/manifest-{algorithm}.txt")
        if raw is None:
            report.add(f"manifest-{algorithm}.txt", False, "missing")
            manifests[algorithm] = {}
            continue
        parsed = bag.parse_manifest(raw, algorithm)
        manifests[algorithm] = parsed.entries
        _problems(report, f"manifest-{algorithm}.txt", parsed.problems,
                  f"{len(parsed.entries)} files, in the exact form")  # fmt: skip

    payload = sorted(name[4:] for name in names if name.startswith("bag/data/"))
    complete: list[str] = []
    for algorithm, entries in manifests.items():
        for listed in sorted(set(entries) - set(payload)):
            complete.append(f"{listed} is in manifest-{algorithm}.txt but missing")
        for present in sorted(set(payload) - set(entries)):
            complete.append(f"{present} is not in manifest-{algorithm}.txt")
    _problems(report, "nothing missing, nothing extra", complete,
              f"{len(payload)} payload files, each listed in both manifests")  # fmt: skip

    octets = sum(names[f"bag/{p}"] for p in payload)
    expected_oxum = bag.payload_oxum(octets, len(payload))
    report.add("Payload-Oxum", info.get("Payload-Oxum") == expected_oxum,
               f"{expected_oxum} (bytes.files)" if info.get("Payload-Oxum") == expected_oxum
               else f"bag-info.txt says {info.get('Payload-Oxum')}, the bag holds {expected_oxum}")  # fmt: skip

    tag_names = [f"bag/{name}" for name in layout.TAG_FILES]
    sidecar = path.with_name(path.name + ".sha256") if source.is_zip else None
    whole = path if sidecar is not None and sidecar.is_file() else None
    digests = _hash_all(source, [f"bag/{p}" for p in payload] + tag_names + [layout.VERIFY_TXT],
                        progress, cancel, workers, whole)  # fmt: skip
    for algorithm, entries in manifests.items():
        bad = [
            f"{p} does not match" if f"bag/{p}" in digests else f"{p} could not be read"
            for p in payload
            if p in entries and digests.get(f"bag/{p}", {}).get(algorithm) != entries[p]
        ]
        _problems(report, f"payload files match manifest-{algorithm}.txt", bad,
                  f"{sum(1 for p in payload if p in entries)} files read and hashed")  # fmt: skip

    tagmanifests: dict[str, bytes | None] = {}
    for algorithm in layout.ALGORITHMS:
        raw = _read(source, f"bag/tagmanifest-{algorithm}.txt")
        tagmanifests[algorithm] = raw
        if raw is None:
            report.add(f"tagmanifest-{algorithm}.txt", False, "missing")
            continue
        parsed = bag.parse_manifest(raw, algorithm)
        problems = list(parsed.problems)
        if sorted(parsed.entries) != sorted(layout.TAG_FILES):
            problems.append("it does not cover exactly bagit.txt, bag-info.txt and both manifests")
        for name, digest in parsed.entries.items():
            if digests.get(f"bag/{name}", {}).get(algorithm) != digest:
                problems.append(f"{name} does not match")
        _problems(report, f"tagmanifest-{algorithm}.txt", problems,
                  "bagit.txt, bag-info.txt and both manifests match")  # fmt: skip

    verify_sha = digests.get(layout.VERIFY_TXT, {}).get("sha256")
    report.add("VERIFY.txt", bool(verify_sha) and verify_sha == info.get("Evidence-Verify-Txt-Sha256"),
               "unchanged (its hash is sealed in bag-info.txt)"
               if verify_sha and verify_sha == info.get("Evidence-Verify-Txt-Sha256")
               else "VERIFY.txt is missing or has been changed")  # fmt: skip

    signer = _signatures(report, source, tagmanifests.get("sha256"), info)
    report.fingerprint = signer
    if expect_key:
        given = expect_key.strip()
        report.add("seal key is the expected one", signer is not None and signer == given,
                   f"{signer} is the key you expected" if signer == given
                   else f"the bundle was sealed with {signer}, not {given}")  # fmt: skip
    exported = _custody(report, source, info, signer)
    _items(report, source, manifests.get("sha256", {}), digests, exported)
    if whole is not None and sidecar is not None:
        _sidecar(report, sidecar, digests.get(WHOLE, {}).get("sha256"))


def _whole_file(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            yield block


def _hash_all(
    source: Source,
    names: list[str],
    progress: Progress,
    cancel: CancelFlag,
    workers: int,
    whole: Path | None = None,
) -> dict[str, dict[str, str]]:
    """SHA-256 and SHA-512 of the files, on `workers` threads (hashlib releases the GIL); with
    `whole`, also the SHA-256 of that file (the zip itself), under the key WHOLE."""
    units: list[tuple[str, tuple[str, ...]]] = []
    sizes = dict(source.names)
    if whole is not None:
        sizes[WHOLE] = whole.stat().st_size
        units.append((WHOLE, ("sha256",)))
    for name in names:
        if name not in source.names:
            continue
        if source.names[name] > SPLIT and workers > 1:
            units += [(name, ("sha512",)), (name, ("sha256",))]
        else:
            units.append((name, layout.ALGORITHMS))
    units.sort(key=lambda unit: -sizes[unit[0]] * (3 if "sha512" in unit[1] else 1))
    total = sum(sizes[n] * len(a) for n, a in units) or 1
    results: dict[str, dict[str, str]] = {}
    lock = threading.Lock()
    done = [0]

    def work(unit: tuple[str, tuple[str, ...]]) -> None:
        name, algorithms = unit
        hashers = [hashlib.new(a) for a in algorithms]
        try:
            blocks = _whole_file(whole) if name == WHOLE and whole else source.chunks(name)
            for block in blocks:
                if cancel():
                    raise Cancelled()
                for hasher in hashers:
                    hasher.update(block)
                with lock:
                    done[0] += len(block) * len(hashers)
                    progress(done[0], total)
        except (OSError, zipfile.BadZipFile, EOFError, ValueError):
            return  # left out of the results: reported as a file that could not be read
        with lock:
            for algorithm, hasher in zip(algorithms, hashers, strict=True):
                results.setdefault(name, {})[algorithm] = hasher.hexdigest()

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in [pool.submit(work, unit) for unit in units]:
            future.result()
    return results


def _signatures(
    report: VerifyReport, source: Source, tagmanifest: bytes | None, info: dict[str, str]
) -> str | None:
    allowed = _read(source, f"{layout.SEAL}/{layout.ALLOWED_SIGNERS}")
    pem = _read(source, f"{layout.SEAL}/{layout.PUBLIC_PEM}")
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
    if pem_key and pem is not None and pem != sealkey.public_pem(pem_key).encode("ascii"):
        key_problems.append("seal/signer-ed25519.pub.pem is not in its exact form")
    armored = _read(source, f"{layout.SEAL}/{layout.SSHSIG_FILE}")
    if armored is not None and armored != sshsig.rearmored(armored):
        key_problems.append("seal/tagmanifest-sha256.txt.sshsig is not in its exact form")
    fingerprint = sealkey.fingerprint(ssh_key) if ssh_key else None
    stated = info.get("Evidence-Seal-Key-Fingerprint")
    if fingerprint and stated != fingerprint:
        key_problems.append(
            f"bag-info.txt names the key {stated}, but it was sealed with {fingerprint}"
        )
    _problems(report, "seal key", key_problems, f"{fingerprint} (in allowed_signers, the PEM "
              "file and bag-info.txt)")  # fmt: skip

    sshsig_raw = _read(source, f"{layout.SEAL}/{layout.SSHSIG_FILE}")
    if sshsig_raw is None or tagmanifest is None or ssh_key is None:
        report.add("SSH signature", False, "the signature, the tag manifest or the key is missing")
    else:
        problem = sshsig.verify(sshsig_raw, tagmanifest, ssh_key, layout.NAMESPACE)
        report.add("SSH signature", problem is None, problem or
                   f"good {layout.NAMESPACE} signature by {layout.PRINCIPAL} over the tag manifest")  # fmt: skip

    raw_sig = _read(source, f"{layout.SEAL}/{layout.RAWSIG_FILE}")
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


def _custody(
    report: VerifyReport, source: Source, info: dict[str, str], signer: str | None
) -> dict[str, Any]:
    """Check the chain; return the exhibits the export event lists, by label."""
    raw = _read(source, f"bag/{layout.DATA}/{layout.CUSTODY_LOG}")
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
    _problems(
        report, "custody chain", problems, f"{len(events)} events, each linked to the one before"
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
    _problems(report, "custody ends with this export", end_problems,
              f"event {last.get('seq')}: {layout.EXPORT_ACTION} {info.get('External-Identifier')} "
              f"at {last.get('at')}")  # fmt: skip
    listed = details.get("items")
    if not isinstance(listed, list):
        return {}
    return {str(e.get("exhibit")): e for e in listed if isinstance(e, dict)}


def _items(
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
    _problems(report, "item records", problems,
              f"{len(records)} item.json files agree with the manifest and the export event")  # fmt: skip


def _sidecar(report: VerifyReport, sidecar: Path, actual: str | None) -> None:
    try:
        stated = sidecar.read_text("ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        stated = ""
    good = actual is not None and stated == actual
    report.add(sidecar.name, good,
               "the zip's SHA-256 matches the file beside it" if good
               else "the zip's SHA-256 differs from the one in the .sha256 file")  # fmt: skip
