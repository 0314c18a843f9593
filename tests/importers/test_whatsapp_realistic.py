"""A realistic group export (bench/whatsapp_realistic.py: ten members and an unsaved number,
short messages and emoji, blank lines inside messages, media lines with captions, deleted and
edited markers, polls, locations, links, group events, both clock changes) is read exactly as
it was written, in its Android and its iOS form, through the whole import."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from bench.whatsapp_realistic import LRM, UNSAVED, Truth, messages, visible, write_export
from evidence_kit.bundle.format.custody import canonical
from evidence_kit.importers import import_file
from evidence_kit.vault import Vault

SPRING = datetime(2022, 3, 26, 9, 0, tzinfo=UTC)  # the clocks go forward on the 27th
AUTUMN = datetime(2022, 10, 29, 9, 0, tzinfo=UTC)  # and back on the 30th


def expected(truth: Truth) -> dict[str, Any]:
    attachments = []
    if truth.attachment:
        attachments = [
            {"name": truth.attachment, "omitted": truth.omitted, "present": False,
             "item_id": None, "sha256": None}
        ]  # fmt: skip
    return {
        "sender": truth.sender,
        "sender_id": "+447700900418" if truth.sender == UNSAVED else None,
        "text": visible(truth.text),
        "sent_at_utc": f"{truth.utc:%Y-%m-%dT%H:%M:%S}Z",
        "is_system": truth.is_system,
        "deleted": truth.deleted,
        "edited": truth.edited,
        "attachments": attachments,
    }


@pytest.mark.parametrize("platform", ["android", "ios"])
@pytest.mark.parametrize("start", [SPRING, AUTUMN], ids=["spring", "autumn"])
def test_a_realistic_group_export_is_read_as_written(
    vault: Vault, tmp_path: Path, platform: str, start: datetime
) -> None:
    path = tmp_path / "WhatsApp Chat with Year 10 Parents.txt"
    count, system = write_export(path, 2500, platform, start=start)
    result = import_file(vault, path, tz="Europe/London")
    got = list(vault.messages(result.item.id))
    assert result.message_count == len(got) == count
    assert result.system_message_count == system
    truths = list(islice(messages(platform, start=start), count - 1))
    assert got[0]["is_system"] and got[0]["text"].startswith("Messages and calls are end-to-end")
    kinds = {key: 0 for key in ("multi", "blank", "media", "caption", "poll", "event", "unsaved")}
    for record, truth in zip(got[1:], truths, strict=True):
        assert {key: record[key] for key in expected(truth)} == expected(truth), record
        in_file = LRM + truth.text if platform == "ios" and truth.is_system else truth.text
        assert record["text_raw"] == in_file  # CRLF gone, nothing else touched
        assert record["conversation"] == "Year 10 Parents"
        kinds["multi"] += "\n" in truth.text
        kinds["blank"] += "\n\n" in truth.text
        kinds["media"] += bool(truth.attachment)
        kinds["caption"] += bool(truth.attachment) and "\n" in truth.text
        kinds["poll"] += "POLL:" in truth.text
        kinds["event"] += truth.is_system
        kinds["unsaved"] += truth.sender == UNSAVED
    assert all(kinds.values()), kinds  # the sample really has every feature
    night = [
        m for m in got if m["sent_at_local"] and m["sent_at_local"][11:13] in ("00", "01", "02")
    ]
    night = [m for m in night if m["sent_at_local"][:10] in ("2022-03-27", "2022-10-30")]
    assert night, "people chat through the clock change"
    if start is AUTUMN:
        assert result.facts["repeated_hour_messages"] > 0
        assert any("clocks went back" in str(w) for w in result.warnings)
    else:
        assert not any(m["sent_at_local"].startswith("2022-03-27T01") for m in night)
    assert result.facts["nonexistent_time_messages"] == 0
    assert not any("before the one above" in str(w) for w in result.warnings)
    utc = [m["sent_at_utc"] for m in got]
    assert utc == sorted(utc)
    event = next(
        e for e in vault.custody_events(f"item:{result.item.id}") if e.action == "import parsed"
    )
    lines = b"".join(canonical(record) + b"\n" for record in got)
    assert event.details["messages_sha256"] == hashlib.sha256(lines).hexdigest()
    hits = vault.search("screenshots")
    assert hits and {h["item_id"] for h in hits} == {result.item.id}


def test_an_ios_group_whose_name_has_a_colon_is_not_a_sender(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - Trip: Paris.txt"
    path.write_text(
        "[02/04/2022, 10:00:00] Trip: Paris: \u200ePriya Shah created group “Trip: Paris”\r\n"
        "[02/04/2022, 10:01:00] Trip: Paris: \u200ePriya Shah added Tom Hughes\r\n"
        "[02/04/2022, 10:02:00] Tom Hughes: Paris: I am not coming\r\n",
        "utf-8",
    )
    result = import_file(vault, path, tz="Europe/London", format_name="whatsapp")
    created, added, said = vault.messages(result.item.id)
    assert created["is_system"] and created["sender"] is None
    assert created["text"] == "Priya Shah created group “Trip: Paris”"
    assert created["extra"] == {"name_in_sender_slot": "Trip: Paris"}
    assert added["is_system"] and added["text"] == "Priya Shah added Tom Hughes"
    assert said["sender"] == "Tom Hughes" and said["text"] == "Paris: I am not coming"
