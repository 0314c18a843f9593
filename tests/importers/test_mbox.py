"""mbox: every message cited byte-exact by offsets into the kept original, parsed as .eml."""

from __future__ import annotations

import hashlib
import io
import mailbox
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_kit.errors import Cancelled, ImportFailed
from evidence_kit.importers import mailparse, mboxsplit
from evidence_kit.importers.run import import_file
from evidence_kit.vault import Vault

DATA = Path(__file__).parent / "data" / "email"


def state(vault: Vault) -> tuple[int, int]:
    return len(vault.items()), len(vault.custody_events())


def slices_match(vault: Vault, item_id: int, messages: list[dict]) -> list[bytes]:
    """Cut each message out of the kept original by its offsets; check its recorded hash."""
    original = b"".join(vault.content(item_id))
    cut = []
    for message in messages:
        place = message["extra"]["mbox"]
        data = original[place["message_offset"] : place["message_offset"] + place["length"]]
        assert hashlib.sha256(data).hexdigest() == place["sha256"]
        assert original[place["offset"] :].startswith(place["separator"].encode())
        cut.append(data)
    return cut


def test_thunderbird_folder_without_extension_deleted_flag_and_from_in_body(vault: Vault) -> None:
    result = import_file(vault, DATA / "Inbox")  # detected by content: no extension
    assert result.format == "mbox" and result.message_count == 3
    messages = list(vault.messages(result.item.id))
    assert [m["conversation"] for m in messages] == ["Friday", "Friday", "Are you OK?"]
    assert [m["deleted"] for m in messages] == [False, True, False]  # X-Mozilla-Status 0009
    assert messages[0]["text"] == "Don't come on Friday.\nFrom the whole team.\n"
    assert messages[2]["sender"] == "Sam Okafor"
    assert messages[1]["extra"]["mbox"]["separator"] == "From - Tue Mar 05 18:40:02 2024"
    slices_match(vault, result.item.id, messages)
    assert (vault.import_summary(result.item.id) or {})["mbox"]["marked_deleted"] == 1
    # the stdlib splits at the unquoted "From the whole team." line: 4 messages, one empty
    assert len(mailbox.mbox(DATA / "Inbox", create=False)) == 4


def test_gmail_takeout_labels_and_same_named_attachments_kept_apart(vault: Vault) -> None:
    path = DATA / "takeout.mbox"
    result = import_file(vault, path)
    messages = list(vault.messages(result.item.id))
    assert [m["extra"]["headers"]["gmail_labels"] for m in messages] == [
        "Inbox,Important,Opened", "Sent",
    ]  # fmt: skip
    assert len(messages[0]["extra"]["received"]) == 2
    children = vault.children(result.item.id)
    assert [c.original_name for c in children] == ["notes.txt", "notes.txt"]
    assert [b"".join(vault.content(c.id)) for c in children] == [
        b"We all laughed at you.\n", b"Please stop.\n",
    ]  # fmt: skip
    assert [m["attachments"][0]["item_id"] for m in messages] == [c.id for c in children]
    # byte-exact: the same bytes Python's mailbox module cuts for each message
    stdlib = mailbox.mbox(path, create=False)
    keys = list(stdlib.keys())  # a mailbox iterates messages, not keys
    assert slices_match(vault, result.item.id, messages) == [stdlib.get_bytes(k) for k in keys]


def test_mboxrd_quoting_is_undone_for_reading_only(vault: Vault) -> None:
    result = import_file(vault, DATA / "escaped_rd.mbox")
    messages = list(vault.messages(result.item.id))
    assert len(messages) == 2
    assert messages[0]["text"] == (
        "Below is what they sent.\nFrom the start I said no.\n>From a quoted reply.\n"
        "From here the body carries on (not after a blank line: not a separator).\n"
    )
    assert messages[0]["extra"]["mbox"]["unescaped_from_lines"] == 2
    kept = slices_match(vault, result.item.id, messages)[0]
    assert b"\n>From the start" in kept and b"\n>>From a quoted" in kept  # original untouched


def test_crlf_mailbox(vault: Vault) -> None:
    result = import_file(vault, DATA / "crlf.mbox")
    messages = list(vault.messages(result.item.id))
    assert [m["text"] for m in messages] == ["I will write a statement.\n", "Done.\n"]
    kept = slices_match(vault, result.item.id, messages)
    assert kept[0].endswith(b"statement.\r\n")  # the blank line before "From " is not the message's


def test_damaged_messages_are_read_with_warnings(vault: Vault) -> None:
    result = import_file(vault, DATA / "damaged.mbox")
    messages = list(vault.messages(result.item.id))
    assert messages[0]["sent_at"] is None  # 25:61 is not a time
    assert messages[0]["text"] == "body with bad charset é\n"  # unknown charset; UTF-8 fits
    assert messages[1]["text"] == "this message was cut off in the middle of its att"
    texts = [str(w) for w in result.warnings]
    assert any("line 1: message 1 (line 1): the Date header" in t for t in texts)
    assert any("x-unheard-of" in t for t in texts)
    assert any("CloseBoundaryNotFoundDefect" in t for t in texts)


def test_a_huge_message_is_cited_but_only_its_headers_parsed(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mailparse, "MAX_PARSE", 600)
    result = import_file(vault, DATA / "takeout.mbox")
    messages = list(vault.messages(result.item.id))
    assert messages[0]["extra"]["body_not_parsed"] and messages[0]["sender"] == "Jordan Price"
    assert "body_not_parsed" not in messages[1]["extra"]
    slices_match(vault, result.item.id, messages)  # the hash still covers the whole message
    assert (vault.import_summary(result.item.id) or {})["mbox"]["headers_only"] == 1


def test_not_an_mbox_and_cancel_leave_the_vault_unchanged(vault: Vault, tmp_path: Path) -> None:
    before = state(vault)
    with pytest.raises(ImportFailed, match="is not a mailbox"):
        import_file(vault, DATA / "plain.eml", format_name="mbox")
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 5  # after the first message and its attachment were stored

    with pytest.raises(Cancelled):
        import_file(vault, DATA / "takeout.mbox", cancel=cancel)
    assert state(vault) == before


def test_lines_longer_than_the_read_limit_and_no_final_newline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(mboxsplit, "LINE_LIMIT", 64)  # separators fit; the body line not
    data = (
        b"From a@example.org Mon Mar  4 09:00:00 2024\nSubject: one\n\n" + b"x" * 100
        + b"\nFrom not a separator 10:00 no blank line before\n\n"
        + b"From b@example.org Mon Mar  4 09:01:00 2024\nSubject: two\n\nend"
    )  # fmt: skip
    pieces = list(mboxsplit.split(io.BytesIO(data), keep_limit=1 << 20))
    assert [p.data for p in pieces] == [
        b"Subject: one\n\n" + b"x" * 100 + b"\nFrom not a separator 10:00 no blank line before\n",
        b"Subject: two\n\nend",
    ]
    assert [p.line for p in pieces] == [1, 7]


body_text = st.lists(
    st.sampled_from([*list("abc XYZ>\n"), "From ", ">From ", "\n\nFrom ", "\nFrom x 10:00 2024"]),
    max_size=60,
).map("".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bodies=st.lists(body_text, min_size=1, max_size=5))
def test_same_messages_as_the_stdlib_on_mailboxes_it_writes(
    bodies: list[str], tmp_path: Path
) -> None:
    path = tmp_path / f"w{abs(hash(tuple(bodies)))}.mbox"
    box = mailbox.mbox(path)
    for number, body in enumerate(bodies):
        box.add(f"From: p{number}@example.org\nSubject: s{number}\n\n{body}".encode())
    box.flush()
    box.close()
    stdlib = mailbox.mbox(path, create=False)
    with open(path, "rb") as handle:
        pieces = list(mboxsplit.split(handle, keep_limit=1 << 20))
    assert [p.data for p in pieces] == [stdlib.get_bytes(k) for k in stdlib.keys()]  # noqa: SIM118
    path.unlink()
