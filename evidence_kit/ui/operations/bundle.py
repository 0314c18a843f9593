"""Sealed bundles on the worker: check one (needing no vault), make one, say what goes in.

Verifying runs on a runner of its own that never holds the vault (see `VerifyWindow`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.bundle.verify import Check
from evidence_kit.errors import ExportError, VerificationError
from evidence_kit.model import Item
from evidence_kit.ui.tasks import Job

REPORT = "bag/data/report/evidence-report.html"
MANIFEST = "bag/manifest-sha256.txt"
TAG_MANIFEST = "bag/tagmanifest-sha256.txt"


@dataclass(frozen=True)
class VerifyView:
    path: Path
    ok: bool
    checks: tuple[Check, ...]
    fingerprint: str | None
    summary: str
    report_html: str | None = None  # only when every check passed: this bundle's own report
    read_aloud: str | None = None  # the seal's fingerprint as eight groups of five digits


def fingerprint_matches(fingerprint: str | None, read_aloud: str | None, given: str) -> bool | None:
    """Does `given` (what the sender said: `SHA256:…`, or the read-aloud digits in any spacing)
    name this seal? None when `given` is neither form (still being typed, or mistyped)."""
    from evidence_kit.bundle.format.keys import normalise_fingerprint

    text = given.strip()
    if not text:
        return None
    wanted = normalise_fingerprint(text)
    if wanted is None:
        if all(ch.isdigit() or ch in " -\t" for ch in text):
            return None  # read-aloud digits, not all eight groups yet
        wanted = normalise_fingerprint("SHA256:" + "".join(text.split()))  # without its prefix
    return wanted in (fingerprint, read_aloud)


def verify_bundle(job: Job, path: Path) -> VerifyView:
    """Check the bundle; when every check passed, read its report from the same file."""
    from evidence_kit.bundle.verify import verify_bundle as core_verify

    path = Path(path)
    before = _identity(path)
    report = core_verify(path, progress=job.progress, cancel=job.cancel)
    checks = tuple(report.checks)  # frozen values: safe to hand to the GUI thread
    if not report.ok:
        summary = (
            f"{len(report.failed())} check(s) failed: this bundle is not exactly as it was "
            "sealed, or it is damaged. Do not rely on it; ask the sender for a fresh copy."
        )
        return VerifyView(
            path, False, checks, report.fingerprint, summary, read_aloud=report.read_aloud
        )
    html = read_report(path)
    if _identity(path) != before:
        raise VerificationError(
            f"{path.name} changed while it was being checked.",
            hint="Check it again once nothing else is writing to it.",
        )
    summary = "Every check passed: nothing in this bundle was changed since it was sealed."
    return VerifyView(path, True, checks, report.fingerprint, summary, html, report.read_aloud)


def _identity(path: Path) -> tuple[int, int, int, int]:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise VerificationError(f"Cannot read {path}: {exc.strerror}.") from exc
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def read_report(path: Path) -> str:
    """The report of this bundle, read through the zip-safety layer, and only if its bytes are
    the ones its sealed manifests list (the tag manifest, signed, lists the manifest)."""
    from evidence_kit.bundle.format.source import open_bundle

    try:
        source = open_bundle(path)
        try:
            if source.problems:
                raise VerificationError(f"{path.name} is not a safe bundle to read.")
            html = source.read(REPORT)
            manifest = source.read(MANIFEST)
            tags = source.read(TAG_MANIFEST)
        finally:
            source.close()
    except (OSError, ValueError, KeyError) as exc:
        raise VerificationError(f"Cannot read the report in {path.name}: {exc}.") from exc
    listed = _listed(manifest, "data/report/evidence-report.html")
    sealed = _listed(tags, "manifest-sha256.txt")
    if listed != hashlib.sha256(html).hexdigest() or sealed != hashlib.sha256(manifest).hexdigest():
        raise VerificationError(f"The report in {path.name} is not the one that was sealed.")
    return html.decode("utf-8", "replace")


def _listed(manifest: bytes, name: str) -> str | None:
    for line in manifest.decode("utf-8", "replace").splitlines():
        digest, _, listed = line.partition("  ")
        if listed == name:
            return digest.lower()
    return None


@dataclass(frozen=True)
class Exported:
    path: Path
    sha256: str
    fingerprint: str
    item_count: int = 0
    read_aloud: str = ""
    encrypted_for: tuple[str, ...] = ()  # age: the keys, or "a passphrase"; empty: a plain zip


@dataclass(frozen=True)
class Listed:
    """One line of the wizard's list of what goes in (or is held back)."""

    item_id: int
    kind: str
    when: str
    name: str
    withdrawn: bool
    reason: str  # why it is in ("in the case", "came with …") or why it is held back
    held_back: bool = False  # listed in the bundle by label and hash only, never its content


@dataclass(frozen=True)
class Contents:
    """What a bundle for this audience holds: exactly what the export will write."""

    listed: list[Listed]
    withdrawn_left_out: int
    showing_contacts: int = 0  # travelling messages with phone numbers or e-mail addresses
    received: bool = False  # the vault holds bundles it received (its owner helps others)


def what_goes_in(
    job: Job, case: str | None, item_ids: tuple[int, ...], audience: str = "manager"
) -> Contents:
    """Every item a bundle of `case` (or of `item_ids`, or of everything) for `audience` holds,
    from the same selection the export makes, and what it holds back."""
    from evidence_kit.bundle.export import Options, choose
    from evidence_kit.ui.models.describe import kind_text, title_text

    vault = job.need_vault()
    received = vault.conn.execute("SELECT 1 FROM receptions LIMIT 1").fetchone() is not None
    if case is None and not item_ids:  # "everything in my vault"
        item_ids = tuple(vault.item_ids(top_level=True))
        if not item_ids:
            return Contents([], 0, received=received)
    everything, _asked, chosen = choose(
        vault, Options(audience=audience, case=case, item_ids=item_ids)
    )
    inside = {item.id for item in vault.items(case)} if case is not None else set(item_ids)
    by_id = {item.id: item for item in everything}

    def line(item: Item, reason: str, held_back: bool = False) -> Listed:
        when = f"{item.evidence_time.label} {item.evidence_time.local_text()}"
        return Listed(
            item.id, kind_text(item), when, title_text(item), item.withdrawn, reason, held_back
        )

    listed = []
    for item in chosen.travel:
        if item.id in inside:
            reason = "in the case" if case is not None else "chosen"
        elif item.kind.value == "attachment" and item.parent_id in by_id:
            reason = f"came with {title_text(by_id[item.parent_id])}"
        elif item.parent_id is not None and item.parent_id in inside:
            reason = f"made from {title_text(by_id[item.parent_id])}"
        else:
            reason = "the original a cut-out or redaction was made from"
        listed.append(line(item, reason))
    for item, why in chosen.withheld:
        listed.append(line(item, f"held back: {why}", held_back=True))
    showing = 0
    if audience == "manager":
        from evidence_kit.bundle.identifiers import contact_details
        from evidence_kit.casefile import people

        # the people list's bystanders: their names and handles count too
        bystanders = [
            value
            for person in people.everyone(vault)
            if person.role == "bystander"
            for value in (person.name, *(i.value for i in person.identifiers))
        ]
        showing = len(contact_details(vault, chosen.travel, known=bystanders))
    return Contents(listed, chosen.withdrawn_left_out, showing, received)


def export_bundle(job: Job, request: Any) -> Exported:
    from evidence_kit.bundle.export import Options
    from evidence_kit.bundle.export import export_bundle as core_export
    from evidence_kit.bundle.transport import Encryption

    vault = job.need_vault()
    password = getattr(request, "password", None)
    keys = tuple(getattr(request, "recipients", ()) or ())
    encryption = Encryption(recipients=keys, passphrase=password) if password or keys else None
    item_ids = tuple(request.item_ids or ())
    if request.case is None and not item_ids:  # "everything in my vault"
        item_ids = tuple(vault.item_ids(top_level=True))
    if request.case is None and not item_ids:
        raise ExportError("There is nothing in your vault to hand over yet.")
    result = core_export(
        vault,
        Options(
            audience=request.audience,
            case=request.case,
            item_ids=item_ids,
            contact_name=request.name or None,
            organisation=request.organisation or None,
            encryption=encryption,
            covering_note=getattr(request, "covering_note", "") or None,
        ),
        request.folder,
        progress=job.progress,
        cancel=job.cancel,
    )
    return Exported(
        result.zip_path,
        result.zip_sha256,
        result.fingerprint,
        result.item_count,
        result.read_aloud,
        tuple(result.encrypted_for),
    )
