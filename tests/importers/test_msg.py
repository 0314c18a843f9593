"""Outlook .msg through extract-msg, on files built by tests/importers/msgwriter.py."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evidence_kit.errors import Cancelled, ImportFailed
from evidence_kit.importers.run import import_file
from evidence_kit.vault import Vault
from tests.importers.msgwriter import compound_file, outlook_message

HEADERS = (
    "Received: from mail.example.org by mx.example.net; Mon, 4 Mar 2024 09:12:47 +0000\r\n"
    "Received: from laptop.local by mail.example.org;\r\n Mon, 4 Mar 2024 09:12:46 +0000\r\n"
    "From: Jordan Price <jordan.price@example.org>\r\nSubject: RE: Friday\r\n"
    "Message-ID: <msg-1@example.org>\r\n\r\n"
)
PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20  # over 4096 bytes: a regular-sector stream


def state(vault: Vault) -> tuple[int, int]:
    return len(vault.items()), len(vault.custody_events())


def received_msg(tmp_path: Path) -> Path:
    path = tmp_path / "RE Friday.msg"
    path.write_bytes(
        outlook_message(
            subject="RE: Friday",
            sender_name="Jordan Price",
            sender_address="jordan.price@example.org",
            body="Don't come on Friday. Nobody wants you there 🙄\r\n",
            to=[
                ("Alex Morgan", "alex.morgan@example.net"),
                ("Sam Okafor", "sam.okafor@example.org"),
            ],
            sent=datetime(2024, 3, 4, 9, 12, 45, tzinfo=UTC),
            headers=HEADERS,
            attachments=[("photo.png", PICTURE, "image/png"), ("note.txt", b"see?", "text/plain")],
        )
    )
    return path


def test_received_message_with_headers_recipients_and_attachments(
    vault: Vault, tmp_path: Path
) -> None:
    path = received_msg(tmp_path)
    result = import_file(vault, path)
    assert result.format == "msg" and not result.warnings
    assert result.item.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    (message,) = vault.messages(result.item.id)
    assert (message["sender"], message["sender_id"]) == ("Jordan Price", "jordan.price@example.org")
    assert message["sent_at_utc"] == "2024-03-04T09:12:45Z"
    assert message["conversation"] == "Friday"
    assert message["text"] == "Don't come on Friday. Nobody wants you there 🙄\n"
    extra = message["extra"]
    assert extra["received"] == [
        "from mail.example.org by mx.example.net; Mon, 4 Mar 2024 09:12:47 +0000",
        "from laptop.local by mail.example.org; Mon, 4 Mar 2024 09:12:46 +0000",
    ]
    assert extra["headers"]["subject"] == "RE: Friday"
    assert extra["headers"]["message_id"] == "<msg-1@example.org>"
    assert [r["address"] for r in extra["recipients"]] == [
        "alex.morgan@example.net", "sam.okafor@example.org",
    ]  # fmt: skip
    children = vault.children(result.item.id)
    assert [(c.original_name, c.media_type) for c in children] == [
        ("photo.png", "image/png"), ("note.txt", "text/plain"),
    ]  # fmt: skip
    assert b"".join(vault.content(children[0].id)) == PICTURE
    assert [a["sha256"] for a in message["attachments"]] == [c.sha256 for c in children]


def test_unsent_draft_has_no_time_and_no_transport_headers(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "draft.msg"
    path.write_bytes(
        outlook_message(
            subject="Complaint",
            sender_name="",
            sender_address="",
            body="Draft to HR",
            to=[("HR", "hr@example.com")],
            sent=None,
        )
    )
    result = import_file(vault, path)
    (message,) = vault.messages(result.item.id)
    assert message["sent_at"] is None and message["sender"] is None
    assert message["extra"]["received"] == [] and message["text"] == "Draft to HR"
    assert "no send time" in str(result.warnings[0])


def test_other_office_files_are_refused_and_nothing_is_kept(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "old.doc"  # an OLE2 file with no MAPI property streams
    path.write_bytes(compound_file({"WordDocument": b"\0" * 600, "\x05SummaryInformation": b"x"}))
    before = state(vault)
    with pytest.raises(ImportFailed, match="not a chat or e-mail export"):
        import_file(vault, path)
    with pytest.raises(ImportFailed, match="not a readable Outlook message"):
        import_file(vault, path, format_name="msg")
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 2  # after the original and the first attachment were stored

    with pytest.raises(Cancelled):
        import_file(vault, received_msg(tmp_path), cancel=cancel)
    assert state(vault) == before


def test_detected_when_the_directory_is_not_in_the_head(tmp_path: Path) -> None:
    """A large .msg can have its directory past the 64 KiB head: the directory is then read."""
    from evidence_kit.importers.base import Source
    from evidence_kit.importers.outlook import MsgImporter

    message = received_msg(tmp_path)
    other = tmp_path / "old.doc"
    other.write_bytes(compound_file({"WordDocument": b"\0" * 600}))
    for path, expected in ((message, True), (other, False)):
        data = path.read_bytes()
        head = data[:512]  # the OLE header only: no directory names in it
        assert MsgImporter().detect(Source(path=path, head=head, size=len(data))) is expected
