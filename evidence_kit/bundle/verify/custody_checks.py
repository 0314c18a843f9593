"""The checks of what the bundle says happened: the custody chain (whole events and opaque links),
its first event naming the key that sealed, its last event being this export, the item records
agreeing with the manifest and that export, and the zip's own `.sha256` file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from evidence_kit.bundle.format import custody, keys, layout
from evidence_kit.bundle.format.checks import Check, check
from evidence_kit.bundle.verify.facts import Facts
from evidence_kit.bundle.verify.seal_checks import signer

GENESIS_ACTION = "vault created"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _signer_fingerprint(facts: Facts) -> str | None:
    raw = signer(facts)
    return keys.fingerprint(raw) if raw else None


def chain(facts: Facts) -> Iterator[Check]:
    if not facts.custody_present:
        yield Check("custody-chain", "custody chain", False,
                    f"data/{layout.CUSTODY_LOG} is missing")  # fmt: skip
        return
    problems = list(facts.event_problems)
    problems += [f"{p.where} {p.what}" for p in custody.check_chain(facts.events)]
    if not facts.events:
        problems.append("the log is empty")
    whole = sum(1 for event in facts.events if not custody.is_link(event))
    links = len(facts.events) - whole
    yield check("custody-chain", "custody chain", problems,
                f"{len(facts.events)} events, each linked to the one before ({whole} shown in full, "
                f"{links} of other evidence as links only)")  # fmt: skip


def genesis(facts: Facts) -> Iterator[Check]:
    first = facts.events[0] if facts.events else {}
    details = _mapping(first.get("details"))
    sealed_by = _signer_fingerprint(facts)
    problems = []
    if not first or custody.is_link(first) or first.get("action") != GENESIS_ACTION:
        problems.append("the chain does not begin with the vault's 'vault created' event")
    elif sealed_by and details.get("seal_key_fingerprint") != sealed_by:
        problems.append(
            f"the vault was created with the key {details.get('seal_key_fingerprint')}, "
            f"but the bundle was sealed with {sealed_by}"
        )
    yield check("custody-genesis", "custody begins with the sealing vault", problems,
                f"event 1: the vault was created with the key that sealed this bundle, at "
                f"{first.get('at')}")  # fmt: skip


def export_event(facts: Facts) -> Iterator[Check]:
    last = facts.events[-1] if facts.events else {}
    details = _mapping(last.get("details"))
    info = facts.info
    problems = []
    if custody.is_link(last) or last.get("action") != layout.EXPORT_ACTION:
        problems.append(f"the last event is {last.get('action')!r}, not this export")
    if details.get("bundle_id") != info.get("External-Identifier"):
        problems.append("the last event is the export of another bundle")
    if details.get("seal_key_fingerprint") != _signer_fingerprint(facts):
        problems.append("the export event names another seal key than the one that sealed it")
    if info.get("Evidence-Sealed-At") and last.get("at") != info.get("Evidence-Sealed-At"):
        problems.append("the export event's time differs from Evidence-Sealed-At")
    yield check("custody-export", "custody ends with this export", problems,
                f"event {last.get('seq')}: {layout.EXPORT_ACTION} {info.get('External-Identifier')} "
                f"at {last.get('at')}")  # fmt: skip


def _exported(facts: Facts) -> dict[str, dict[str, Any]]:
    last = facts.events[-1] if facts.events else {}
    listed = _mapping(last.get("details")).get("items")
    if not isinstance(listed, list):
        return {}
    return {str(e.get("exhibit")): e for e in listed if isinstance(e, dict)}


def _messages_sha256(facts: Facts, uid: Any) -> str | None:
    """The SHA-256 of an import's parsed messages, as its custody events recorded it."""
    subjects = {
        subject
        for event in facts.events
        if isinstance(subject := event.get("subject"), str)
        and uid
        and _mapping(event.get("details")).get("uid") == uid
    }
    for event in facts.events:
        subject = event.get("subject")
        if (
            isinstance(subject, str)
            and subject in subjects
            and event.get("action") == "import parsed"
        ):
            found = _mapping(event.get("details")).get("messages_sha256")
            if isinstance(found, str):
                return found
    return None


def item_records(facts: Facts) -> Iterator[Check]:
    problems: list[str] = []
    manifest = facts.entries("sha256")
    exported = _exported(facts)
    records = sorted(
        name for name in facts.source.names
        if name.startswith("bag/data/items/") and name.endswith("/" + layout.ITEM_JSON)
    )  # fmt: skip
    for name in records:
        folder = name[len("bag/") : -len(layout.ITEM_JSON)]
        raw = facts.member(name)
        try:
            record = json.loads(raw) if raw is not None else None
        except ValueError:
            record = None
        if not isinstance(record, dict):
            problems.append(f"{folder}item.json cannot be read")
            continue
        file, sha = record.get("file"), record.get("sha256")
        if file:
            inner = f"{folder}{file}"
            if manifest.get(inner) != sha:
                problems.append(f"{inner}: item.json says {str(sha)[:12]}…, the manifest differs")
            if facts.digest(f"bag/{inner}") != sha:
                problems.append(f"{inner} does not hash to the SHA-256 in item.json")
        event = exported.get(str(record.get("exhibit")))
        if event is None or event.get("sha256") != sha or event.get("uid") != record.get("uid"):
            problems.append(f"{folder}item.json is not the exhibit the export event lists")
        recorded = _messages_sha256(facts, record.get("uid"))
        messages = f"bag/{folder}{layout.MESSAGES}"
        if recorded is not None and facts.digest(messages) != recorded:
            problems.append(
                f"{folder}{layout.MESSAGES} differs from the messages the import recorded"
            )
    if len(records) != len(exported):
        problems.append(
            f"the export event lists {len(exported)} exhibits, the bag holds {len(records)}"
        )
    yield check("items", "item records", problems,
                f"{len(records)} item.json files agree with the manifest and the export event")  # fmt: skip


def zip_sidecar(facts: Facts) -> Iterator[Check]:
    if facts.sidecar is None:
        return
    try:
        stated = facts.sidecar.read_text("ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        stated = ""
    good = facts.whole_sha256 is not None and stated == facts.whole_sha256
    yield Check("zip-sha256", facts.sidecar.name, good,
                "the zip's SHA-256 matches the file beside it" if good
                else "the zip's SHA-256 differs from the one in the .sha256 file")  # fmt: skip
