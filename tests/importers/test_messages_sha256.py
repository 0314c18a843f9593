"""`messages_sha256` on the "import parsed" event: the SHA-256 of the import's messages as
`Queries.messages()` yields them and as the bundle's messages.jsonl holds them, computed while
they were stored."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from evidence_kit.bundle.format.custody import canonical
from evidence_kit.importers.run import import_file
from evidence_kit.vault import Vault
from tests.conftest import Cli

DATA = Path(__file__).parent / "data" / "whatsapp"


def test_the_event_hash_is_the_hash_of_messages_jsonl(vault: Vault, tmp_path: Path) -> None:
    chat = DATA / "WhatsApp Chat with Ana Ruiz.txt"
    result = import_file(vault, chat, tz="Europe/London")
    event = next(
        e for e in vault.custody_events(f"item:{result.item.id}") if e.action == "import parsed"
    )
    lines = b"".join(canonical(record) + b"\n" for record in vault.messages(result.item.id))
    assert event.details["messages_sha256"] == hashlib.sha256(lines).hexdigest()
    assert event.details["messages_stored"] == result.message_count > 0
    assert "record_sha256" in event.details


def test_a_recipient_recomputes_it_from_the_bundle(
    cli: Cli, vault_dir: Path, tmp_path: Path
) -> None:
    chat = DATA / "WhatsApp Chat with Sam Carter.txt"
    assert cli("import", str(chat), "--tz", "Europe/London", "--case", "Work").exit_code == 0
    out = tmp_path / "out"
    made = cli("export", "--case", "Work", "--audience", "rep", "--out", str(out), "--json")
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(json.loads(made.stdout)["zip"]) as bundle:
        names = bundle.namelist()
        jsonl = bundle.read(next(n for n in names if n.endswith("messages.jsonl")))
        log = bundle.read(next(n for n in names if n.endswith("continuity-log.jsonl")))
    events = [json.loads(line) for line in log.splitlines()]
    parsed = next(e for e in events if e.get("action") == "import parsed")
    assert parsed["details"]["messages_sha256"] == hashlib.sha256(jsonl).hexdigest()
