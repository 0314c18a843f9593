""".eml: raw bytes kept, the headers a recipient checks, bodies and charsets, attachments."""

from __future__ import annotations

import email
import email.policy
import hashlib
from pathlib import Path

import pytest

from evidence_kit.errors import Cancelled, ImportFailed
from evidence_kit.importers import mailparse
from evidence_kit.importers.run import import_file
from evidence_kit.vault import Vault

DATA = Path(__file__).parent / "data" / "email"


def state(vault: Vault) -> tuple[int, int]:
    return len(vault.items()), len(vault.custody_events())


def only(vault: Vault, item_id: int) -> dict:
    messages = list(vault.messages(item_id))
    assert len(messages) == 1
    return messages[0]


def test_plain_message_keeps_bytes_headers_and_every_received(vault: Vault) -> None:
    path = DATA / "plain.eml"
    result = import_file(vault, path)
    assert result.format == "eml" and result.timezone is None
    item = result.item
    assert item.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert b"".join(vault.content(item.id)) == path.read_bytes()
    message = only(vault, item.id)
    assert message["sender"] == "Jördan Prïce"
    assert message["sender_id"] == "jordan.price@example.org"
    assert message["sent_at"] == "2024-03-04T10:12:45+01:00"  # the "(CET)" comment is ignored
    assert message["sent_at_utc"] == "2024-03-04T09:12:45Z"
    assert message["sent_at_local"] is None
    assert message["conversation"] == "Your presentation – again"  # iso-8859-1 0x96 read as –
    headers = message["extra"]["headers"]
    assert headers["subject"] == "Re: Your presentation – again"
    assert headers["to"] == "Alex Morgan <alex.morgan@example.net>"
    assert headers["cc"] == '"Team Leads" <leads@example.org>, sam.okafor@example.org'
    assert headers["message_id"] == "<20240304101245.GA1234@example.org>"
    assert headers["date"] == "Mon, 4 Mar 2024 10:12:45 +0100 (CET)"
    received = message["extra"]["received"]
    assert [r.split(" id ")[0] for r in received] == [
        "from mail.example.org (mail.example.org [192.0.2.10]) by mx.example.net (Postfix) with ESMTPS",
        "from [10.0.0.5] (unknown [198.51.100.7]) by mail.example.org (Postfix) with ESMTPSA",
        "by laptop.local (sendmail)",
    ]
    assert "Don't bother coming. 🙄" in message["text"]
    assert (vault.import_summary(item.id) or {})["message_count"] == 1
    assert [hit["item_id"] for hit in vault.search("bother coming")] == [item.id]


def test_html_alternative_inline_picture_and_attachments_are_child_items(vault: Vault) -> None:
    path = DATA / "html_attachments.eml"
    result = import_file(vault, path)
    message = only(vault, result.item.id)
    assert message["sent_at"] == "2024-03-12T17:05:00-04:00"  # "EDT"
    assert message["conversation"] == "Weekly rota – updated"  # two adjacent encoded words
    # quoted-printable soft break joined; CRLF read as lines
    assert message["text"].startswith(
        "You have been moved to the night shift again. If you complain to HR you will regret it –"
    )
    assert "\r" not in message["text"]
    assert "<b>night shift</b>" in message["extra"]["html"]
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    wanted = ("image/png", "application/pdf")
    expected = [
        bytes(p.get_payload(decode=True)) for p in parsed.walk() if p.get_content_type() in wanted
    ]
    children = vault.children(result.item.id)
    assert [c.original_name for c in children] == [
        "part-1.2.png",
        "Dienstplan März.pdf",
        "part-3.eml",
    ]
    assert [c.media_type for c in children] == ["image/png", "application/pdf", "message/rfc822"]
    for child, data in zip(children[:2], expected, strict=True):
        assert child.sha256 == hashlib.sha256(data).hexdigest()
        assert b"".join(vault.content(child.id)) == data
    assert children[0].metadata["email"]["content_id"] == "logo@example.com"
    assert children[0].metadata["email"]["disposition"] == "inline"
    assert b"I have moved Alex to nights." in b"".join(vault.content(children[2].id))
    refs = message["attachments"]
    assert [(r["name"], r["present"], r["item_id"]) for r in refs] == [
        (c.original_name, True, c.id) for c in children
    ]
    assert result.attachment_count == 3 and result.attachments_present == 3


def test_windows_1252_labelled_latin1_and_format_flowed(vault: Vault) -> None:
    result = import_file(vault, DATA / "windows1252.eml")
    message = only(vault, result.item.id)
    assert message["conversation"] == "Café meeting"
    assert message["text"].startswith("You said “it’s fine” but it isn’t. The €200 fine stands.")
    assert "This line is soft-broken by the sender's program." in message["text"]
    assert "> quoted line that is also flowed" in message["text"]
    assert "This line \nis soft-broken" in message["text_raw"]  # as the sender's program wrote it
    assert not result.warnings


def test_html_only_body_and_a_missing_inline_picture(vault: Vault) -> None:
    result = import_file(vault, DATA / "html_only_missing_image.eml")
    message = only(vault, result.item.id)
    assert message["text"] == '"Look at this loser" — commented by anon_4471'
    assert message["attachments"] == [
        {"name": "cid:photo-1", "omitted": False, "present": False, "item_id": None, "sha256": None}
    ]
    assert result.attachment_count == 1 and result.attachments_present == 0
    assert any("cid:photo-1" in str(w) for w in result.warnings)


def test_draft_without_date_and_an_unknowable_zone(vault: Vault) -> None:
    draft = only(vault, import_file(vault, DATA / "draft_no_date.eml").item.id)
    assert draft["sent_at"] is None and draft["sent_at_local"] is None
    assert draft["sender"] == "Alex Morgan"
    result = import_file(vault, DATA / "unknown_zone.eml")
    odd = only(vault, result.item.id)
    assert odd["sent_at"] is None  # never guessed
    assert odd["sent_at_local"] == "2024-03-22T11:00:00"
    assert "no time zone" in str(result.warnings[0])


def test_damaged_base64_is_kept_as_far_as_it_goes_with_a_warning(vault: Vault) -> None:
    result = import_file(vault, DATA / "bad_base64.eml")
    message = only(vault, result.item.id)
    assert message["text"] == "see attached"
    assert message["attachments"][0]["name"] == "you.jpg" and message["attachments"][0]["present"]
    assert "InvalidBase64CharactersDefect" in message["extra"]["defects"]
    assert any("damaged base64" in str(w) for w in result.warnings)


def test_a_file_that_is_not_an_email_is_refused_and_nothing_is_kept(vault: Vault) -> None:
    before = state(vault)
    with pytest.raises(ImportFailed, match="not a chat or e-mail export"):
        import_file(vault, DATA / "not_email.eml")
    with pytest.raises(ImportFailed, match="is not an e-mail message"):
        import_file(vault, DATA / "not_email.eml", format_name="eml")
    assert state(vault) == before


def test_cancel_after_attachments_were_stored_leaves_nothing_behind(vault: Vault) -> None:
    before = state(vault)
    calls = {"n": 0}

    def cancel() -> bool:  # trips once the original and some attachment blocks were written
        calls["n"] += 1
        return calls["n"] > 4

    with pytest.raises(Cancelled):
        import_file(vault, DATA / "html_attachments.eml", cancel=cancel)
    assert state(vault) == before
    assert vault.search("night shift") == []


def test_a_message_too_large_to_parse_keeps_headers_and_the_whole_original(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mailparse, "MAX_PARSE", 500)
    path = DATA / "html_attachments.eml"
    result = import_file(vault, path)
    message = only(vault, result.item.id)
    assert message["sender"] == "Casey Lund" and message["text"] == ""
    assert message["extra"]["body_not_parsed"] is True
    assert len(message["extra"]["received"]) == 1
    assert "only its headers were read" in str(result.warnings[0])
    assert b"".join(vault.content(result.item.id)) == path.read_bytes()
