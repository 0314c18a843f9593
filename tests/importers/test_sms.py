"""SMS Backup & Restore XML: SMS and MMS, emoji as surrogate pairs, hostile and broken files."""

from __future__ import annotations

import base64
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kit.errors import Cancelled, ImportFailed
from evidence_kit.importers import smsxml
from evidence_kit.importers.run import import_file
from evidence_kit.vault import Vault

DATA = Path(__file__).parent / "data" / "sms"
FULL = DATA / "sms-20240325211407.xml"


def state(vault: Vault) -> tuple[int, int]:
    return len(vault.items()), len(vault.custody_events())


def test_sms_and_mms_with_directions_contacts_emoji_and_parts(vault: Vault) -> None:
    result = import_file(vault, FULL, tz="Europe/London")
    assert result.format == "sms-backup" and result.timezone is None
    assert result.item.sha256 == hashlib.sha256(FULL.read_bytes()).hexdigest()
    assert not result.warnings
    m = list(vault.messages(result.item.id))
    assert len(m) == 7 == result.message_count
    assert [x["extra"]["direction"] for x in m] == [
        "received", "sent", "received", "received", "draft", "received", "sent",
    ]  # fmt: skip
    assert (m[0]["sender"], m[0]["sender_id"]) == ("Jordan Price", "+447700900123")
    assert m[0]["conversation"] == "Jordan Price (+447700900123)"
    assert (
        m[0]["text"] == "You think anyone believes you? 😂\nNobody does."
    )  # &#55357;&#56834; + &#10;
    assert m[0]["sent_at_utc"] == "2024-03-04T22:12:05Z"
    assert m[0]["extra"]["network_sent_at"] == "2024-03-04T22:12:03+00:00"
    assert m[0]["extra"]["attributes"]["readable_date"] == "4 Mar 2024 22:12:05"
    assert (m[1]["sender"], m[1]["sender_id"]) == ("Me", None)
    assert "network_sent_at" not in m[1]["extra"]  # date_sent="0"
    assert m[2]["text"] == "I know where you park 👱😁 ⚠️"
    assert (m[2]["sender"], m[2]["conversation"]) == ("07700900999", "07700900999")  # (Unknown)
    assert m[3]["sender"] == "AMAZON"
    mms = m[5]
    assert mms["text"] == "Recognise your car? 😈" and mms["sender"] == "Jordan Price"
    assert [(a["name"], a["present"]) for a in mms["attachments"]] == [
        ("IMG_0412.png", True), ("VID_0413.mp4", False),
    ]  # fmt: skip
    assert [a["role"] for a in mms["extra"]["addresses"]] == ["from", "to"]
    group = m[6]
    assert group["conversation"] == "Jordan Price, Sam Okafor (+447700900123, +447700900456)"
    assert group["sender"] == "Me" and group["text"] == "Sam saw it too."
    children = vault.children(result.item.id)
    assert [c.original_name for c in children] == ["IMG_0412.png", "Sam.vcf"]
    assert [c.media_type for c in children] == ["image/png", "text/x-vcard"]
    png = b"".join(vault.content(children[0].id))
    assert png.startswith(b"\x89PNG") and children[0].sha256 == hashlib.sha256(png).hexdigest()
    assert b"FN:Sam Okafor" in b"".join(vault.content(children[1].id))
    summary = vault.import_summary(result.item.id) or {}
    assert summary["sms_backup"]["surrogate_pairs_decoded"] == 4
    assert summary["attachment_count"] == 3 and summary["attachments_present"] == 2
    assert [h["ref_id"] for h in vault.search("park")] != []


def test_times_are_instants_shown_in_the_chosen_zone(vault: Vault) -> None:
    result = import_file(vault, FULL, tz="Asia/Tokyo")
    first = next(vault.messages(result.item.id))
    assert first["sent_at"] == "2024-03-05T07:12:05+09:00"
    assert first["sent_at_utc"] == "2024-03-04T22:12:05Z" and first["sent_at_local"] is None


def test_a_truncated_backup_keeps_what_was_complete_with_a_warning(vault: Vault) -> None:
    result = import_file(vault, DATA / "truncated.xml")
    assert result.message_count == 4
    texts = [str(w) for w in result.warnings]
    assert texts[0].startswith("line 9: the file ends early")
    assert "the file says it holds 7 messages; 4 were read" in texts[1]


def test_lone_surrogates_and_control_characters_become_replacement_characters(
    vault: Vault,
) -> None:
    result = import_file(vault, DATA / "lone_surrogate.xml")
    (message,) = vault.messages(result.item.id)
    assert message["text"] == "half an emoji \ufffd and a bell \ufffd"
    assert "2 character references" in str(result.warnings[0])


def test_invalid_base64_part_is_referenced_not_captured(vault: Vault) -> None:
    result = import_file(vault, DATA / "bad_base64.xml")
    (message,) = vault.messages(result.item.id)
    assert message["text"] == "look"
    assert message["attachments"][0] == {
        "name": "photo.jpg", "omitted": False, "present": False, "item_id": None, "sha256": None,
    }  # fmt: skip
    assert vault.children(result.item.id) == []
    assert "not valid base64" in str(result.warnings[0])


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_entities_are_refused_with_a_clear_error_and_nothing_kept(vault: Vault, name: str) -> None:
    before = state(vault)
    with pytest.raises(smsxml.UnsafeXml, match="refused for safety") as caught:
        import_file(vault, DATA / name)
    assert isinstance(caught.value, ImportFailed)
    assert state(vault) == before


def test_damage_in_the_middle_fails_with_its_line_and_leaves_nothing(vault: Vault) -> None:
    before = state(vault)
    with pytest.raises(ImportFailed, match="damaged at line 4"):
        import_file(vault, DATA / "damaged_middle.xml")
    with pytest.raises(ImportFailed, match="not a chat or e-mail export"):
        import_file(vault, DATA / "calls-20240325.xml")  # call logs are another format
    with pytest.raises(ImportFailed, match="is not an SMS Backup"):
        import_file(vault, DATA / "calls-20240325.xml", format_name="sms-backup")
    assert state(vault) == before


def test_cancel_after_an_mms_picture_was_stored_leaves_nothing(vault: Vault) -> None:
    before = state(vault)
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 10  # past the MMS parts, before the end

    with pytest.raises(Cancelled):
        import_file(vault, FULL, cancel=cancel)
    assert state(vault) == before


def test_large_backup_streams_in_blocks(vault: Vault, tmp_path: Path) -> None:
    """3 MB of XML with a 1 MB picture: read in blocks, the picture decoded in blocks."""
    picture = bytes(range(256)) * 4096
    rows = "".join(
        f'<sms address="+447700900{i % 1000:03d}" date="{1709590325000 + i}" type="{1 + i % 2}" '
        f'body="message {i} &#55357;&#56832;" />\n'
        for i in range(20000)
    )
    mms = (
        '<mms date="1709900000000" msg_box="1" address="+447700900123"><parts>'
        f'<part seq="0" ct="image/png" cl="big.png" data="{base64.b64encode(picture).decode()}" />'
        '</parts><addrs><addr address="+447700900123" type="137" /></addrs></mms>'
    )
    path = tmp_path / "sms-big.xml"
    path.write_text(f'<?xml version="1.0"?>\n<smses count="20001">\n{rows}{mms}\n</smses>\n')
    result = import_file(vault, path)
    assert result.message_count == 20001 and not result.warnings
    last = list(vault.messages(result.item.id, offset=19999))
    assert last[0]["text"] == "message 19999 😀"
    assert last[1]["attachments"][0]["sha256"] == hashlib.sha256(picture).hexdigest()


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["a", "&amp;", "&#10;", "😀", "é", "&#9888;", " "]), max_size=40
    ),
    cuts=st.lists(st.integers(min_value=1, max_value=30), max_size=20),
)
def test_surrogate_repair_does_not_depend_on_where_blocks_end(
    parts: list[str], cuts: list[int]
) -> None:
    def refs(piece: str) -> str:
        if piece == "😀":
            return "&#55357;&#56832;"
        if piece == "é":
            return "&#xE9;"
        return piece

    data = "".join(refs(p) for p in parts).encode()
    whole = smsxml.Repair().feed(data, final=True)
    repair = smsxml.Repair()
    out = io.BytesIO()
    position = 0
    for cut in cuts:
        out.write(repair.feed(data[position : position + cut]))
        position += cut
    out.write(repair.feed(data[position:], final=True))
    assert out.getvalue() == whole
    assert whole.count(b"&#128512;") == parts.count("😀")


def test_a_giant_element_is_refused_with_memory_bounded(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evidence_kit.importers import sms

    monkeypatch.setattr(sms, "MAX_ELEMENT", 2 * 1024 * 1024)  # 64 MB in use; 2 MB keeps it quick
    path = tmp_path / "sms-no-newline.xml"
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0"?><smses count="1"><sms address="1" body="')
        for _ in range(5):
            out.write(b"A" * 1024 * 1024)  # one line, never closed
    before = state(vault)
    with pytest.raises(ImportFailed, match="has an element larger than 2 MB"):
        import_file(vault, path)
    assert state(vault) == before


def test_base64_with_line_breaks_decodes_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence_kit.importers import sms

    monkeypatch.setattr(sms, "B64_STEP", 50)  # blocks end mid-line and mid-group
    data = bytes(range(256)) * 10
    assert b"".join(sms.b64_blocks(base64.encodebytes(data).decode())) == data
    with pytest.raises(ValueError):  # binascii.Error is a ValueError
        b"".join(sms.b64_blocks("QUFB" * 20 + "QU"))
