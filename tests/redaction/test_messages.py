"""Message redaction: a derived copy of an import's messages with spans and whole messages hidden,
the original export untouched, and a proof that a holder of the original can check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence_kit.importers import import_file
from evidence_kit.redaction import messages
from evidence_kit.redaction.messages import MARKER, Hide
from evidence_kit.redaction.pictures import RedactionError
from evidence_kit.redaction.store import disclose, redact_messages
from evidence_kit.vault import Vault
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.message_codec import json_line
from tests.conftest import Cli

CHAT = (
    "24/10/2026, 19:02 - Gareth Holloway: You think Sam Carter will help you? Call me on 07700 900123\n"
    "24/10/2026, 19:03 - Sam Carter: leave her alone\n"
    "24/10/2026, 19:04 - Gareth Holloway: Final warning\n"
    "24/10/2026, 19:05 - Priya Shah: my address is 12 Elm Road, please stop\n"
)


@pytest.fixture
def chat(vault: Vault, tmp_path: Path) -> int:
    path = tmp_path / "WhatsApp Chat with Gareth Holloway.txt"
    path.write_text(CHAT, "utf-8")
    return import_file(vault, path, tz="Europe/London").item.id


def lines_of(vault: Vault, item_id: int) -> bytes:
    return b"".join(json_line(r) for r in vault.messages(item_id))


def test_spans_words_and_whole_messages_are_hidden_and_the_rest_kept(
    vault: Vault, chat: int
) -> None:
    before = lines_of(vault, chat)
    original_sha = vault.item(chat).sha256
    item = redact_messages(vault, chat, [Hide(0, 47, 59), Hide(3)], ["Sam Carter"], "bystanders")
    copy = b"".join(vault.content(item.id))
    records = [json.loads(line) for line in copy.decode().splitlines()]
    assert records[0]["text"] == f"You think {MARKER} will help you? Call me on {MARKER}"
    assert records[1]["sender"] == MARKER and records[1]["text"] == "leave her alone"
    assert records[2]["text"] == "Final warning" and records[2]["sender"] == "Gareth Holloway"
    assert records[3] == {"hidden": True, "index": 3}
    for word in (b"Sam Carter", b"07700 900123", b"Elm Road"):
        assert word not in copy
    proof = item.metadata["derived"]["proof"]
    assert proof["parent_messages_sha256"] == __import__("hashlib").sha256(before).hexdigest()
    assert messages.check(copy, before, proof) == []
    assert lines_of(vault, chat) == before and vault.item(chat).sha256 == original_sha
    assert check_vault(vault).ok


def test_tampering_and_wrong_salts_are_named(vault: Vault, chat: int) -> None:
    original = lines_of(vault, chat)
    item = redact_messages(vault, chat, [Hide(3)], ["Sam Carter"], "bystanders")
    copy = b"".join(vault.content(item.id))
    proof = item.metadata["derived"]["proof"]
    edited = copy.replace(b"Final warning", b"Friendly warning")
    assert messages.check(edited, original, proof) == [
        "message 2 differs from the original outside its hidden parts"
    ]
    opened = disclose(vault, item.id, message=3)
    salts = {p["part"]: bytes.fromhex(p["salt"]) for p in opened["parts"]}
    assert messages.check(copy, original, proof, salts) == []
    (part,) = salts
    assert messages.check(copy, original, proof, {part: bytes(32)}) == [
        f"hidden part {part}'s commitment does not open with this salt"
    ]
    other = original.replace(b"leave her alone", b"leave him alone")
    assert "the original messages are not the ones the proof names" in messages.check(
        copy, other, proof
    )


@pytest.mark.parametrize(
    ("hides", "needles", "reason", "message"),
    [
        ([Hide(9)], [], "x", "There is no message 9"),
        ([Hide(2, 5, 400)], [], "x", "goes past them"),
        ([], [], "x", "Say what to hide"),
        ([Hide(1)], [], " ", "a reason is kept"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_made(
    vault: Vault, chat: int, hides: list[Hide], needles: list[str], reason: str, message: str
) -> None:
    before = vault.last_item_id()
    with pytest.raises(RedactionError, match=message):
        redact_messages(vault, chat, hides, needles, reason)
    assert vault.last_item_id() == before


def test_the_command_line_redacts_a_chat(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Gareth Holloway.txt"
    path.write_text(CHAT, "utf-8")
    assert cli("import", str(path), "--tz", "Europe/London").exit_code == 0
    made = cli("redact", "1", "--hide-text", "07700 900123", "--message", "3",
               "--reason", "a number and an address", "--json")  # fmt: skip
    assert made.exit_code == 0, made.output
    result = json.loads(made.stdout)
    hidden = result["proof"]["hidden"]  # the number in the text and in its raw form, and a message
    assert [(h["index"], h.get("field")) for h in hidden] == [
        (0, "text"),
        (0, "text_raw"),
        (3, None),
    ]
    assert cli("redact", "1", "--message", "x", "--reason", "y").exit_code != 0
    assert cli("redact", "1", "--box", "1,1,1,1", "--reason", "y").exit_code != 0  # not a picture
