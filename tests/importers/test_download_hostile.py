"""Hostile and damaged downloads: deep nesting, huge strings and numbers, zip slip, links out of
the folder, wrong encodings. Each gets a plain message naming the file, the vault is unchanged,
and memory stays bounded."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from evidence_kit.importers import jsonstream
from evidence_kit.importers.batch import import_paths
from evidence_kit.importers.zipsafe import UnsafeArchive
from evidence_kit.vault import Vault
from tests.importers.downloads import meta, others
from tests.importers.test_framework import snapshot
from tests.support.memory import PEAK_RSS_SOURCE

THREAD = "your_facebook_activity/messages/inbox/samcarter_1029384756"


def refused(vault: Vault, *paths: Path, fmt: str | None = None) -> str:
    before = snapshot(vault)
    (outcome,) = import_paths(vault, list(paths), tz="Europe/London", format_name=fmt)
    assert outcome.error is not None, "it should have been refused"
    assert snapshot(vault) == before
    assert "Traceback" not in outcome.error.message
    return outcome.error.message


def thread_with(folder: Path, body: bytes) -> Path:
    path = folder / THREAD / "message_1.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"participants": [{"name": "Sam Carter"}], "messages": [' + body + b"]}")
    return folder


def test_200000_levels_of_nesting_are_refused(vault: Vault, tmp_path: Path) -> None:
    deep = (
        b'{"sender_name": "Sam", "timestamp_ms": 1, "content": '
        + b"[" * 200_000
        + b"]" * 200_000
        + b"}"
    )
    message = refused(vault, thread_with(tmp_path / "fb", deep))
    assert "message_1.json" in message and "nested more than 64 levels deep" in message


def test_brackets_inside_text_are_only_text(vault: Vault, tmp_path: Path) -> None:
    text = "[[[[{{{{" * 5000 + ' \\" ]]]] \\\\'  # a person may type this; it is not nesting
    body = json.dumps({"sender_name": "Sam", "timestamp_ms": 1773500000000, "content": text})
    (outcome,) = import_paths(vault, [thread_with(tmp_path / "fb", body.encode())], tz="UTC")
    assert outcome.result is not None
    (shown,) = vault.messages(outcome.result.conversations[0].item.id)
    assert shown["text"] == json.loads(body)["content"]


def test_a_number_with_a_million_digits_is_refused(vault: Vault, tmp_path: Path) -> None:
    chat = {"name": "Sam", "type": "personal_chat", "id": 1, "messages": []}
    text = json.dumps(chat).replace('"messages": []', '"messages": [{"id": ' + "9" * 10**6 + "}]")
    path = tmp_path / "ChatExport" / "result.json"
    path.parent.mkdir()
    path.write_text(text, "utf-8")
    message = refused(vault, path.parent)
    assert "result.json" in message and "a number longer than 400 digits" in message


def test_a_long_run_of_digits_inside_a_message_is_fine(vault: Vault, tmp_path: Path) -> None:
    chat = {"name": "Sam", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1773500000", "from": "Sam", "from_id": "user1",
         "text": "my number is " + "7" * 5000}]}  # fmt: skip
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat), "utf-8")
    (outcome,) = import_paths(vault, [path], tz="UTC")
    assert outcome.result is not None and outcome.result.message_count == 1


def test_a_string_over_the_token_limit_is_refused_on_disk(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "Guild - chan [1].json"
    with open(path, "wb") as handle:  # 20 MB in one string; written in blocks, removed after
        handle.write(b'{"guild": {"id": "1", "name": "G"}, "channel": {"id": "2", "name": "c"}, ')
        handle.write(b'"messages": [{"id": "3", "type": "Default", "content": "')
        for _ in range(20):
            handle.write(b"spam " * 209_716)
        handle.write(b'"}]}')
    try:
        message = refused(vault, path)
    finally:
        path.unlink()
    assert path.name in message and "one value is longer than 16 MB" in message


STREAM_2GB = (
    PEAK_RSS_SOURCE
    + """
import io, json
from evidence_kit.importers import jsonstream

class Endless(io.RawIOBase):
    '''A JSON file whose one string is 2 GB long, made as it is read: never in memory or on disk.'''
    def __init__(self):
        self.parts = iter([b'{"messages": [{"content": "'] + [b"a" * (1 << 20)] * 2048 + [b'"}]}'])
        self.pending = b""
        self.handed = 0
    def readable(self):
        return True
    def readinto(self, buffer):
        if not self.pending:
            self.pending = next(self.parts, b"")
        block, self.pending = self.pending[: len(buffer)], self.pending[len(buffer) :]
        buffer[: len(block)] = block
        self.handed += len(block)
        return len(block)

source = Endless()
try:
    for item in jsonstream.items(lambda: io.BufferedReader(source), "huge.json", "messages.item"):
        error = None
except jsonstream.JsonRefused as exc:
    error = exc.message
print(json.dumps({"error": error, "read_mb": source.handed >> 20, "peak_mb": peak_rss_kib() / 1024}))
"""
)


def test_a_2_gb_string_streamed_is_refused_in_bounded_memory() -> None:
    done = subprocess.run([sys.executable, "-c", STREAM_2GB], capture_output=True, text=True,
                          timeout=300, check=True)  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "huge.json" in result["error"] and "longer than 16 MB" in result["error"]
    assert result["read_mb"] < 64, "it read far beyond the limit before refusing"
    assert result["peak_mb"] < 120, f"peaked at {result['peak_mb']:.0f} MB"


@pytest.mark.parametrize(
    "name", ["../../../evil/message_1.json", "/etc/cron.d/evil", "C:/evil.json"]
)
def test_zip_slip_inside_a_download_is_refused(vault: Vault, tmp_path: Path, name: str) -> None:
    folder = meta.facebook_folder(tmp_path / "fb")
    path = meta.zip_folder(folder, tmp_path / "facebook-joreed-2026.zip")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, b'{"participants": [], "messages": []}')
    before = snapshot(vault)
    (outcome,) = import_paths(vault, [path], tz="Europe/London")
    assert isinstance(outcome.error, UnsafeArchive)
    assert "refused as unsafe" in outcome.error.message and name in outcome.error.message
    assert snapshot(vault) == before


def test_zip_slip_in_the_second_part_of_a_split_download(vault: Vault, tmp_path: Path) -> None:
    first, second = meta.facebook_parts(meta.facebook_folder(tmp_path / "fb"), tmp_path)
    with zipfile.ZipFile(second, "a") as archive:
        archive.writestr("../photos/evil.jpg", b"\xff\xd8\xff")
    outcomes = import_paths(vault, [first, second], tz="Europe/London")
    (unsafe,) = [o for o in outcomes if o.error is not None]
    assert unsafe.paths == (second,) and isinstance(unsafe.error, UnsafeArchive)
    assert "refused as unsafe" in unsafe.error.message and second.name in unsafe.error.message
    (kept,) = [o.result for o in outcomes if o.result is not None]  # the safe part, said so
    assert kept.item.original_name == first.name and kept.attachments_present == 0


def test_two_different_downloads_are_not_joined_as_parts(vault: Vault, tmp_path: Path) -> None:
    one = meta.zip_folder(
        meta.facebook_folder(tmp_path / "a"), tmp_path / "facebook-joreed-2026-a.zip"
    )
    other_folder = meta.facebook_folder(tmp_path / "b")
    first = other_folder / THREAD / "message_2.json"
    first.write_text(first.read_text("utf-8").replace("Sure", "Fine"), "utf-8")
    two = meta.zip_folder(other_folder, tmp_path / "facebook-joreed-2026-b.zip")
    message = refused(vault, one, two)
    assert "with different contents" in message and "two different downloads" in message


def test_a_link_out_of_the_folder_is_never_followed(vault: Vault, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not evidence: the person's other files", "utf-8")
    folder = meta.facebook_folder(tmp_path / "fb")
    os.symlink(secret, folder / THREAD / "photos" / "402_clip.mp4")
    os.symlink(tmp_path, folder / "outside")
    (outcome,) = import_paths(vault, [folder], tz="Europe/London")
    assert outcome.result is not None
    skipped = {s["path"]: s["reason"] for s in outcome.result.facts["skipped"]}
    assert skipped[f"{THREAD}/photos/402_clip.mp4"].startswith("a link")
    assert skipped["outside"].startswith("a link")
    kept = b"".join(b"".join(vault.content(c.id)) for c in vault.children(outcome.result.item.id)
                    if c.sha256)  # fmt: skip
    assert b"not evidence" not in kept


def test_a_media_path_climbing_out_of_a_lone_file_is_not_read(vault: Vault, tmp_path: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(b"\xff\xd8\xff private")
    chat = {"name": "Sam", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1773500000", "from": "Sam", "from_id": "user1",
         "photo": "../secret.jpg", "text": ""}]}  # fmt: skip
    path = tmp_path / "chat" / "result.json"
    path.parent.mkdir()
    path.write_text(json.dumps(chat), "utf-8")
    (outcome,) = import_paths(vault, [path], tz="UTC")
    assert outcome.result is not None
    (shown,) = vault.messages(outcome.result.conversations[0].item.id)
    assert not shown["attachments"][0]["present"]


def test_bytes_that_are_not_utf8_are_read_with_a_warning(vault: Vault, tmp_path: Path) -> None:
    workspace = others.slack_workspace(tmp_path)
    day = workspace / "general" / "2026-03-14.json"
    day.write_bytes(
        day.read_bytes().replace(b"don't", b"don\x92t").replace(b"That's", b"That\x92s")
    )
    (outcome,) = import_paths(vault, [workspace], tz="UTC")
    assert outcome.result is not None
    general = next(c for c in outcome.result.conversations if c.item.original_name == "#general")
    assert any(
        "not valid UTF-8" in str(w) and "2026-03-14.json" in str(w) for w in general.warnings
    )
    texts_ = [m["text"] for m in vault.messages(general.item.id)]
    assert "That\ufffds not OK.\nPlease stop." in texts_
    kept = {c.metadata["download_file"]["path"]: c for c in vault.children(outcome.result.item.id)
            if c.metadata.get("download_file")}  # fmt: skip
    assert b"".join(vault.content(kept["general/2026-03-14.json"].id)) == day.read_bytes()


def test_a_utf16_file_is_read_with_a_warning(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "Sam Carter_2.json"
    path.write_bytes(json.dumps(meta.SECURE, ensure_ascii=False).encode("utf-16"))
    (outcome,) = import_paths(vault, [path], format_name="messenger-e2ee", tz="UTC")
    assert outcome.result is not None
    (chat,) = outcome.result.conversations
    assert any("UTF-16" in str(w) for w in chat.warnings)
    assert next(iter(vault.messages(chat.item.id)))["text"].endswith("😏")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"messages": [{"a": 1}, {"b": ', "is cut short"),
        (b'{"messages": [{"a": 1}]} trailing', "not valid JSON"),
        (b"\x00\x01\x02 binary", "not valid JSON"),
        (b"", "is cut short"),
    ],
)
def test_damaged_json_gets_a_plain_message(data: bytes, expected: str) -> None:
    with pytest.raises(jsonstream.JsonRefused, match=expected) as caught:
        list(jsonstream.items(lambda: io.BytesIO(data), "x/message_1.json", "messages.item"))
    assert caught.value.message.startswith("x/message_1.json ")
