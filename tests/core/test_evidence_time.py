"""One evidence time: what each kind of item is dated by, labelled, the same in SQL and Python."""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from evidence_kit.bundle.exhibits import evidence_time as report_time
from evidence_kit.evidence_time import Which, posted_metadata
from evidence_kit.importers import import_file
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from evidence_kit.vault.files import add_file

WHATSAPP = Path(__file__).parents[1] / "importers" / "data" / "whatsapp"
CHAT = (
    "12/10/2025, 21:14 - Dana (night shift): you think anyone believes you?\n"
    "12/10/2025, 21:15 - Dana (night shift): IMG-20251012-WA0003.jpg (file attached)\n"
    "look what I posted\n"
    "14/10/2025, 07:02 - Me: Please stop messaging me\n"
)


def chat_zip(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with Dana.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("WhatsApp Chat with Dana.txt", CHAT)
        archive.writestr("IMG-20251012-WA0003.jpg", b"\xff\xd8\xff\xe0" + bytes(64) + b"\xff\xd9")
    return path


def test_an_import_is_dated_by_its_messages_not_by_the_import(vault: Vault, tmp_path: Path) -> None:
    result = import_file(vault, chat_zip(tmp_path), tz="Europe/London")
    chat = vault.item(result.item.id)
    when = chat.evidence_time
    assert when.which is Which.SENT and when.label == "Sent"
    assert when.when_utc == datetime(2025, 10, 12, 20, 14, tzinfo=UTC)  # 21:14 BST
    assert when.last_utc == datetime(2025, 10, 14, 6, 2, tzinfo=UTC)
    assert when.zone == "Europe/London" and when.local.hour == 21
    assert when.local_text() == "Sun 12 Oct 2025 21:14"
    assert "UTC+01:00" in when.describe()
    assert chat.added_at.year == 2026  # the test clock: added long after it was sent
    photo = vault.children(chat.id)[0]
    assert photo.kind is ItemKind.ATTACHMENT
    assert photo.evidence_time.which is Which.SENT
    assert photo.evidence_time.when_utc == datetime(2025, 10, 12, 20, 15, tzinfo=UTC)
    assert report_time(chat) == "2025-10-12T20:14:00.000000Z"


def test_files_screenshots_and_notes(vault: Vault, tmp_path: Path) -> None:
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4 a letter\n")
    old = datetime(2024, 5, 1, 12, 0, tzinfo=UTC).timestamp()
    os.utime(letter, (old, old))
    item = add_file(vault, letter)
    assert item.evidence_time.which is Which.FILE_TIME and item.evidence_time.label == "File dated"
    assert item.evidence_time.when_utc == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    with vault.transaction() as writer:
        note = writer.add_item(ItemKind.NOTE, sha256=None, size=0)
        sha, size = writer.put([b"png"])
        shot = writer.add_item(
            ItemKind.SCREENSHOT,
            sha256=sha,
            size=size,
            metadata={
                "capture": {
                    "captured_at_utc": "2026-01-02T03:04:05.000006Z",
                    "captured_at_local": "2026-01-02T04:04:05.000006+01:00",
                    "timezone": "Europe/Paris",
                }
            },
        )
    assert note.evidence_time.which is Which.ADDED and note.evidence_time.when_utc == note.added_at
    assert shot.evidence_time.which is Which.CAPTURED
    assert shot.evidence_time.local.hour == 4 and shot.evidence_time.zone == "Europe/Paris"
    assert shot.as_dict()["evidence_time"]["which"] == "captured"


def test_sql_order_is_the_python_order(vault: Vault, tmp_path: Path) -> None:
    """Every kind, added in an order unlike when each happened: the vault's SQL sorts them as
    the Python definition does."""
    with vault.transaction() as writer:
        writer.add_item(ItemKind.NOTE, sha256=None, size=0)  # added 2026 (the test clock)
    import_file(vault, chat_zip(tmp_path), tz="Europe/London")  # sent Oct 2025
    mail = Path(__file__).parents[1] / "importers" / "data" / "email" / "html_attachments.eml"
    import_file(vault, mail)
    empty = tmp_path / "WhatsApp Chat with Nobody.txt"
    empty.write_text("12/10/2025, 21:14 - Messages and calls are end-to-end encrypted.\n")
    import_file(vault, empty, tz="UTC")
    letter = tmp_path / "old.pdf"
    letter.write_bytes(b"%PDF-1.4\n")
    os.utime(letter, (1e9, 1e9))  # 2001
    add_file(vault, letter)
    with vault.transaction() as writer:
        sha, size = writer.put([b"shot"])
        writer.add_item(
            ItemKind.SCREENSHOT,
            sha256=sha,
            size=size,
            metadata={"capture": {"captured_at_utc": "2025-11-01T00:00:00Z"}},
        )
        sha, size = writer.put([b"a post shown with its own date"])
        writer.add_item(  # captured after the others, posted before them: the post's time counts
            ItemKind.SCREENSHOT,
            sha256=sha,
            size=size,
            metadata={
                "capture": {"captured_at_utc": "2026-01-01T00:00:00Z"},
                "posted": posted_metadata("2024-03-01T10:00", "Europe/London"),
            },
        )
    items = vault.items()
    kinds = {item.evidence_time.which for item in items}
    assert kinds == {Which.SENT, Which.FILE_TIME, Which.ADDED, Which.CAPTURED, Which.POSTED}
    python = [i.id for i in sorted(items, key=lambda i: (i.evidence_time.when_utc, i.id))]
    assert vault.item_ids() == python
    assert python != sorted(python)  # the added order was not already the answer


def test_the_time_shown_on_a_post_is_its_own_which(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`add --posted-at` keeps the time the post showed; the item is dated by it, marked
    "posted"; a time the clocks skipped is refused and nothing is stored."""
    import json

    page = tmp_path / "facebook-post.png"
    page.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    made = cli("add", str(page), "--posted-at", "2026-11-19T20:05", "--json",
               env={"TZ": "Europe/London"})  # fmt: skip
    assert made.exit_code == 0, made.output
    [item] = json.loads(made.stdout)
    assert item["evidence_time"]["which"] == "posted"
    assert item["metadata"]["posted"]["as_typed"] == "2026-11-19T20:05"
    assert item["evidence_time"]["utc"] == item["metadata"]["posted"]["at_utc"]
    refused = cli("add", str(page), "--posted-at", "2026-03-29T01:30+25:00")
    assert refused.exit_code not in (0, 70) and "is not a date and time" in refused.output
    assert len(json.loads(cli("list", "--json").stdout)) == 1
