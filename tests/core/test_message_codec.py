"""The one message codec: model -> row -> record -> JSON line, the search body, the words shown."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from evidence_kit.importers.textlines import LineReader, Warnings
from evidence_kit.model import AttachmentRef, ItemKind, Message
from evidence_kit.vault import Vault
from evidence_kit.vault.message_codec import (
    MESSAGE_FIELDS,
    MessageRow,
    describe,
    json_line,
    record_from_row,
    row_from_mapping,
    row_from_message,
    search_body,
)

LONDON = ZoneInfo("Europe/London")

# A stored message's canonical line, byte for byte, as the first importers stored it: an old
# import's recorded hash must keep matching, so this line may never change.
GOLDEN = (  # made by the code before the codec (commit 3fa7ff0)
    b'{"attachments":[{"item_id":null,"name":"IMG-20261024-WA0003.jpg","omitted":false,"pres'
    b'ent":false,"sha256":null}],"conversation":"Sam Carter","deleted":false,"edited":true,"'
    b'extra":{"time_flag":"repeated"},"index":4,"is_system":false,"sender":"Sam Carter","sen'
    b'der_id":null,"sent_at":"2026-10-25T01:07:00+00:00","sent_at_local":"2026-10-25T01:07:0'
    b'0","sent_at_utc":"2026-10-25T01:07:00Z","text":"why did you tell everyone? \xf0\x9f'
    b'\x98\xa1\\n\xd8\xa7\xd9\x86\xd8\xa7 \xd8\xa2\xd8\xb3\xd9\x81","text_raw":"\xe2\x80\x8e'
    b"why did you tell everyone? \xf0\x9f\x98\xa1\\n\xd8\xa7\xd9\x86\xd8\xa7 \xd8\xa2\xd8"
    b'\xb3\xd9\x81"}\n'
)


def sample() -> Message:
    return Message(
        index=4,
        sender="Sam Carter",
        text="why did you tell everyone? 😡\nانا آسف",
        text_raw="\u200ewhy did you tell everyone? 😡\nانا آسف",
        sent_at=datetime(2026, 10, 25, 1, 7, fold=1, tzinfo=LONDON),
        conversation="Sam Carter",
        sent_at_local="2026-10-25T01:07:00",
        edited=True,
        attachments=[AttachmentRef("IMG-20261024-WA0003.jpg")],
        extra={"time_flag": "repeated"},
    )


def test_the_stored_line_of_a_message_is_byte_for_byte_what_it_always_was(vault: Vault) -> None:
    with vault.transaction() as w:
        item = w.add_item(ItemKind.NOTE, sha256=None, size=0)
        w.add_message_rows(item.id, [row_from_message(sample())])
    (record,) = list(vault.messages(item.id))
    assert json_line(record) == GOLDEN
    assert list(record) == [*MESSAGE_FIELDS[1:], "index"]
    assert sample().as_dict() == record


def test_rows_are_read_by_name_and_dicts_give_the_same_row() -> None:
    row = row_from_message(sample())
    assert isinstance(row, MessageRow) and row._fields == MESSAGE_FIELDS
    assert (row.sender, row.is_system, row.edited, row.attachments[:2]) == (
        "Sam Carter",
        0,
        1,
        "[{",
    )
    as_dict = dict(zip(MESSAGE_FIELDS, row, strict=True))
    again = row_from_mapping(
        as_dict | {"attachments": [AttachmentRef("IMG-20261024-WA0003.jpg").as_dict()],
                   "extra": {"time_flag": "repeated"}}
    )  # fmt: skip
    assert again == row
    bare = row_from_mapping({"idx": 0, "text": "hi"})
    assert (bare.text_raw, bare.attachments, bare.extra, bare.is_system) == ("hi", "[]", "{}", 0)
    assert record_from_row(bare)["extra"] == {}


def test_search_body_names_the_conversation_where_it_changes_and_the_sender_id() -> None:
    row = row_from_message(sample())._replace(sender_id="+447700900123")
    assert search_body(row, None).startswith("Sam Carter Sam Carter +447700900123 why")
    assert search_body(row, "Sam Carter").startswith("Sam Carter +447700900123 why")


def test_describe_says_who_with_their_id_and_everything_known() -> None:
    record = sample().as_dict() | {
        "sender_id": "100012345",
        "extra": {
            "reply_to": "m_17",
            "forwarded_from": "Alex Moreno",
            "reactions": [{"reaction": "😂", "by": "Jo Reed"}],
        },
        "deleted": True,
    }
    shown = describe(record)
    first = shown.splitlines()[0]
    assert first == "[2026-10-25 01:07] Sam Carter (100012345): why did you tell everyone? 😡"
    assert "    انا آسف" in shown
    assert "📎 IMG-20261024-WA0003.jpg (referenced, not captured)" in shown
    assert "in reply to message m_17" in shown and "forwarded from Alex Moreno" in shown
    assert "reactions: 😂 Jo Reed" in shown and "(edited)" in shown
    assert "(deleted by the sender)" in shown
    system = describe({"is_system": True, "text": "Jo left the group.", "sent_at": None})
    assert system == "[(no time)] System: Jo left the group."


def test_a_character_cut_at_the_end_of_a_file_is_one_replacement_character() -> None:
    warned: list[tuple[int | None, str]] = []
    cut = "24/11/2026, 10:15 - Alice: that costs 5 €".encode()[:-1]  # € is 3 bytes; keep 2
    lines = list(LineReader(io.BytesIO(cut), Warnings(lambda n, t: warned.append((n, t)))))
    assert lines == [(1, "24/11/2026, 10:15 - Alice: that costs 5 \ufffd")]
    assert len(warned) == 1 and warned[0][0] == 1
    emoji = "hi 😂".encode()[:-2]  # a four-byte emoji cut after two bytes
    assert list(LineReader(io.BytesIO(emoji), Warnings(lambda n, t: None))) == [(1, "hi \ufffd")]
    mixed = b"bad \xff\xfe bytes\n"  # two bytes that can never start a character: two marks
    assert list(LineReader(io.BytesIO(mixed), Warnings(lambda n, t: None))) == [
        (1, "bad \ufffd\ufffd bytes")
    ]
