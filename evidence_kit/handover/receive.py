"""`evidence-kit receive`: take a sealed bundle into a vault, as it was sealed.

The bundle is verified first; one that fails any check is refused, with the failing checks
named. Then, in one transaction: the zip itself becomes an item (kind `received`, its exact
bytes); each exhibit becomes an item with its original bytes, SHA-256, record (as the sender's
item.json gave it, under `metadata.received`) and, for a chat, its parsed messages; the sender's
tag, seal and record files are kept as stored content, listed in the reception; and the rep's
own chain records the reception (bundle SHA-256, sender's fingerprint, the verify result). The
sender's custody chain is kept exactly as received, inside the stored zip and as its own file.
Receiving the same bundle twice stores nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.bundle.format import bag, layout
from evidence_kit.bundle.format.keys import normalise_fingerprint
from evidence_kit.bundle.format.source import Source, open_bundle
from evidence_kit.errors import EvidenceKitError, InputFileError
from evidence_kit.model import CancelFlag, Item, ItemKind, Progress, never_cancel, no_progress
from evidence_kit.vault import Vault
from evidence_kit.vault.files import refuse_if_changed
from evidence_kit.vault.message_codec import row_from_mapping
from evidence_kit.vault.store import CHUNK, read_chunks

RECEIVED_ACTION = "bundle received"
KINDS = {kind.value for kind in ItemKind} - {ItemKind.RECEIVED.value}


class ReceiveRefused(EvidenceKitError):
    """The bundle was not taken in."""

    exit_code = 1


@dataclass(frozen=True)
class Reception:
    item: Item  # the bundle, as received
    bundle_id: str
    sender_fingerprint: str
    sender_read_aloud: str
    items: tuple[Item, ...]
    already: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item.id, "bundle_id": self.bundle_id, "sha256": self.item.sha256,
            "sender_fingerprint": self.sender_fingerprint, "sender_read_aloud": self.sender_read_aloud,
            "items": [{"item_id": i.id, "exhibit": i.metadata["received"]["exhibit"], "sha256": i.sha256}
                      for i in self.items],
            "already_received": self.already,
        }  # fmt: skip


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in read_chunks(handle, CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _existing(vault: Vault, bundle_sha: str) -> Reception | None:
    row = vault.conn.execute(
        "SELECT item_id, bundle_id, sender_fingerprint FROM receptions WHERE bundle_sha256 = ?",
        (bundle_sha,),
    ).fetchone()
    if row is None:
        return None
    item = vault.item(int(row[0]))
    items = tuple(
        i
        for i in vault.items()
        if (i.metadata.get("received") or {}).get("bundle_item_id") == item.id
    )
    aloud = str((item.metadata.get("received") or {}).get("sender_read_aloud", ""))
    return Reception(item, row[1], row[2], aloud, items, already=True)


def receive_bundle(
    vault: Vault,
    path: Path,
    *,
    expect_key: str | None = None,
    identity: Path | None = None,
    passphrase: str | None = None,
    case: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> Reception:
    from evidence_kit.bundle.verify import verify_bundle
    from evidence_kit.bundle.verify.encrypted import decrypted, is_encrypted

    path = Path(path)
    if not path.is_file():
        raise InputFileError(
            f"Cannot receive {path}: give the bundle's .zip (or .zip.age) file as you were sent it.",
            hint="A bundle that was unpacked into a folder can be checked, but only the zip is "
            "kept as it was sealed.",
        )
    if is_encrypted(path):
        with decrypted(path, identity, passphrase) as (inner, _how, _outer, _inner_sha):
            return _receive(
                vault, inner, path.name, expect_key, case, progress, cancel, verify_bundle
            )
    return _receive(vault, path, path.name, expect_key, case, progress, cancel, verify_bundle)


def _receive(vault: Vault, path: Path, name: str, expect_key: str | None, case: str | None,
             progress: Progress, cancel: CancelFlag, verify: Any) -> Reception:  # fmt: skip
    before = os.stat(path)
    bundle_sha = _sha256(path)
    found = _existing(vault, bundle_sha)
    if found is not None:
        wanted = normalise_fingerprint(expect_key) if expect_key else None
        if wanted is not None and wanted not in (found.sender_fingerprint, found.sender_read_aloud):
            raise ReceiveRefused(
                f"{name} was already taken in, sealed by {found.sender_fingerprint} — not by the "
                "key you expected (the seal key is the expected one: failed).",
                hint="Ask the sender for their key's fingerprint again, by another channel.",
            )
        return found
    report = verify(path, expect_key=expect_key, cancel=cancel)
    if not report.ok:
        failed = ", ".join(c.name for c in report.failed())
        raise ReceiveRefused(
            f"{name} was not taken in: it failed {len(report.failed())} of its checks ({failed}).",
            hint="Nothing was stored. Run `evidence-kit verify` on it to see why, and ask the "
            "sender for a new copy and their key's fingerprint by another channel.",
        )
    with open_bundle(path) as source:
        info, _ = bag.parse_bag_info(source.read("bag/bag-info.txt"))
        records = _records(source)
        with vault.transaction() as writer:
            with open(path, "rb") as handle:
                stored_sha, size = writer.put(read_chunks(handle, CHUNK), total=before.st_size,
                                              progress=progress, cancel=cancel, hash_ahead=True)  # fmt: skip
            refuse_if_changed(path, before)
            if stored_sha != bundle_sha:
                raise ReceiveRefused(f"{name} changed while it was being read; nothing was stored.")
            if case is None:
                group = info.get("Bag-Group-Identifier", "")
                case = None if group in ("", "items chosen one by one") else group
            received = {
                "bundle_id": report.bundle_id, "sender_fingerprint": report.fingerprint,
                "sender_read_aloud": report.read_aloud, "sealed_at": info.get("Evidence-Sealed-At"),
                "audience": info.get("Evidence-Audience"), "checks_passed": len(report.checks),
                "sender_name": info.get("Contact-Name"),
            }  # fmt: skip
            bundle_item = writer.add_item(
                ItemKind.RECEIVED, sha256=stored_sha, size=size, media_type="application/zip",
                original_name=name, case=case, metadata={"received": received},
                action=RECEIVED_ACTION,
            )  # fmt: skip
            items = _take_items(writer, source, records, bundle_item, received, case, cancel)
            files = _keep_files(
                writer, source, {r["folder"] + r["file"] for r in records if r.get("file")}
            )
            tagmanifest = source.read(f"bag/{layout.SIGNED_FILE}")
            writer._act("receptions", {
                "item_id": bundle_item.id, "bundle_id": report.bundle_id, "bundle_sha256": bundle_sha,
                "sender_fingerprint": report.fingerprint, "sealed_at": info.get("Evidence-Sealed-At", ""),
                "tagmanifest_sha256": hashlib.sha256(tagmanifest).hexdigest(),
                "files": json.dumps(files, sort_keys=True),
                "checks": json.dumps([c.as_dict() for c in report.checks], sort_keys=True),
            }, "reception recorded", f"item:{bundle_item.id}", {
                "bundle_id": report.bundle_id, "bundle_sha256": bundle_sha,
                "sender_fingerprint": report.fingerprint, "verify": "all checks passed",
                "key_expected": bool(expect_key),
            })  # fmt: skip
    return Reception(bundle_item, str(report.bundle_id), str(report.fingerprint),
                     str(report.read_aloud), tuple(items))  # fmt: skip


def _records(source: Source) -> list[dict[str, Any]]:
    """Every exhibit's item.json as the sender sealed it, with where it lies in the bag."""
    found = []
    for name in sorted(source.names):
        if name.startswith("bag/data/items/") and name.endswith("/" + layout.ITEM_JSON):
            record = json.loads(source.read(name))
            record["folder"] = name[: -len(layout.ITEM_JSON)]
            found.append(record)
    return found


def _take_items(writer: Any, source: Source, records: list[dict[str, Any]], bundle_item: Item,
                received: dict[str, Any], case: str | None, cancel: CancelFlag) -> list[Item]:  # fmt: skip
    """The exhibits as items, parents first (a crop names its screenshot, where both came)."""
    by_uid = {r.get("uid"): r for r in records}
    made: dict[str, Item] = {}
    order: list[dict[str, Any]] = []
    pending = list(records)
    while pending:
        ready = [
            r
            for r in pending
            if _parent_uid(r) not in by_uid or _parent_uid(r) in {x.get("uid") for x in order}
        ]
        if not ready:  # a loop of parents cannot be sealed by Evidence Kit; take them in order
            ready = pending[:1]
        for record in ready:
            order.append(record)
            pending.remove(record)
    for record in order:
        if cancel():
            from evidence_kit.errors import Cancelled

            raise Cancelled()
        kind = str(record.get("kind"))
        if kind not in KINDS:
            raise ReceiveRefused(
                f"Exhibit {record.get('exhibit')} is of a kind this Evidence Kit does not know ({kind})."
            )
        meta = dict((record.get("vault_record") or {}).get("metadata") or {})
        meta["received"] = {
            **received, "bundle_item_id": bundle_item.id, "exhibit": record.get("exhibit"),
            "sender_uid": record.get("uid"), "path": record.get("path"),
            "sender_notes": record.get("notes") or [], "sender_parent_uid": _parent_uid(record),
            "withdrawn_by_sender": record.get("withdrawn"),
        }  # fmt: skip
        sha256, size = None, 0
        if record.get("file"):
            sha256, size = writer.put(source.chunks(record["folder"] + record["file"]))
            if sha256 != record.get("sha256"):
                raise ReceiveRefused(
                    f"Exhibit {record.get('exhibit')} does not hash to its record."
                )
        parent = made.get(str(_parent_uid(record))) or bundle_item
        item = writer.add_item(
            ItemKind(kind), sha256=sha256, size=size, media_type=record.get("media_type"),
            original_name=record.get("original_name"), case=case, parent_id=parent.id,
            metadata=meta, action="item received",
        )  # fmt: skip
        made[str(record.get("uid"))] = item
        withdrawn = record.get("withdrawn")
        if isinstance(withdrawn, dict):  # the sender withdrew it: so it stays, for this vault too
            writer.withdraw(
                item.id, f"withdrawn by the sender: {withdrawn.get('reason') or 'no reason given'}"
            )
        messages = record["folder"] + layout.MESSAGES
        if kind == ItemKind.IMPORT.value and messages in source.names:
            writer.add_message_rows(item.id, _rows(source, messages))
            found = meta.get("import")
            imported: dict[str, Any] = found if isinstance(found, dict) else {}
            writer.record_import(item.id, str(imported.get("format") or "received"),
                                 imported.get("timezone"), {"received_from": received["bundle_id"]})  # fmt: skip
    return list(made.values())


def _parent_uid(record: dict[str, Any]) -> str | None:
    parent = record.get("parent")
    return parent.get("uid") if isinstance(parent, dict) else None


def _rows(source: Source, name: str) -> Iterator[Any]:
    pending = b""
    for block in source.chunks(name):
        pending += block
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line:
                record = json.loads(line)
                yield row_from_mapping({**record, "idx": record.get("index")})
    if pending.strip():
        record = json.loads(pending)
        yield row_from_mapping({**record, "idx": record.get("index")})


def _keep_files(writer: Any, source: Source, exhibit_files: set[str]) -> dict[str, str]:
    """The sender's files other than the exhibits' own bytes (tag files, seal, item.json,
    messages, custody log, report, case files), stored as content: path -> SHA-256."""
    kept: dict[str, str] = {}
    for name in sorted(source.names):
        if name in exhibit_files or name in (layout.VERIFY_TXT, layout.VERIFY_HTML):
            continue
        if name.startswith(("bag/", layout.SEAL + "/", layout.RECEIVED + "/")):
            sha256, _ = writer.put(source.chunks(name))
            kept[name] = sha256
    return kept


__all__ = ["ReceiveRefused", "Reception", "receive_bundle"]
