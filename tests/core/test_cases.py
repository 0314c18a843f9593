"""Cases are acts on the chain: made, renamed and filled by appending rows, never by updating."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.errors import NotFound, Refused, VaultError
from evidence_kit.importers import import_file
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file
from tests.conftest import Cli

WHATSAPP = Path(__file__).parents[1] / "importers" / "data" / "whatsapp"


def a_file(vault: Vault, tmp_path: Path, name: str, case: str | None = None) -> int:
    path = tmp_path / name
    path.write_text(f"what {name} says")
    return add_file(vault, path, case=case).id


def chat_with_photo(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with Kim Vogel.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(
            WHATSAPP / "WhatsApp-Chat mit Kim Vogel.txt", "Kim/WhatsApp-Chat mit Kim Vogel.txt"
        )
        archive.writestr(
            "Kim/IMG-20261103-WA0007.jpg", b"\xff\xd8\xff\xe0" + bytes(99) + b"\xff\xd9"
        )
    return path


def test_make_rename_and_move_are_each_one_event_and_append_rows(
    vault: Vault, tmp_path: Path
) -> None:
    first = a_file(vault, tmp_path, "a.txt", case="Work")
    second = a_file(vault, tmp_path, "b.txt")
    before = len(vault.custody_events())
    with vault.transaction() as writer:
        writer.add_case("Night shift")
    with vault.transaction() as writer:
        writer.rename_case("night SHIFT", "Night shift group")
    with vault.transaction() as writer:
        assert writer.move_item(second, "Night shift group")
        assert writer.move_item(first, "Night shift group")
        assert not writer.move_item(first, "night shift group")  # already there: no event
    events = vault.custody_events()[before:]
    assert [e.action for e in events] == [
        "case created",
        "case renamed",
        "item moved",
        "item moved",
    ]
    assert events[1].details["from"] == "Night shift"
    assert events[1].details["to"] == "Night shift group"
    # A move names cases by id: the event travels in the new case's bundles, and the old case's
    # name ("Work") is not theirs to read.
    assert events[3].subject == f"item:{first}"
    assert (events[3].details["from_case"], events[3].details["to_case"]) == (1, 2)
    assert "Work" not in json.dumps(events[3].details)
    # each row names the event that made it, and carries its hash
    assert all("record_sha256" in e.details for e in events)
    assert [(c.name, c.item_count) for c in vault.cases()] == [
        ("Work", 0),
        ("Night shift group", 2),
    ]
    assert vault.item(first).case == "Night shift group"
    assert [i.id for i in vault.items("Work")] == []
    assert sorted(vault.item_ids("Night shift group")) == [first, second]
    # a rename and a move are rows appended: the case keeps its first name in `cases`, the item
    # its first case in `items`; the later name and case are rows of their own.
    assert vault.conn.execute("SELECT name FROM cases WHERE id = 2").fetchone()[0] == "Night shift"
    names = vault.conn.execute("SELECT name FROM case_names WHERE case_id = 2 ORDER BY id")
    assert [row[0] for row in names] == ["Night shift group"]
    assert vault.conn.execute("SELECT case_id FROM items WHERE id = ?", (first,)).fetchone()[0] == 1
    moves = vault.conn.execute("SELECT case_id FROM case_moves WHERE item_id = ?", (first,))
    assert [row[0] for row in moves] == [2]
    assert check_vault(vault).ok


def test_the_database_refuses_to_rewrite_a_name_or_a_move(vault: Vault, tmp_path: Path) -> None:
    item = a_file(vault, tmp_path, "a.txt", case="Work")
    with vault.transaction() as writer:
        writer.add_case("Home")
        writer.rename_case("Home", "Home life")
        writer.move_item(item, "Home life")
    for statement in (
        "UPDATE case_names SET name = 'Other'",
        "DELETE FROM case_names",
        "UPDATE case_moves SET case_id = 7",
        "DELETE FROM case_moves",
    ):
        with pytest.raises(VaultError, match="append-only"), vault.transaction():
            vault.conn.execute(statement)


def test_names_are_checked_plainly(vault: Vault, tmp_path: Path) -> None:
    with vault.transaction() as writer:
        writer.add_case("Work")
        writer.add_case("Home")
    for act, message in (
        (lambda w: w.add_case("  work "), "already a case called 'work'"),
        (lambda w: w.add_case("   "), "A case needs a name"),
        (lambda w: w.rename_case("Home", "WORK"), "already a case called 'WORK'"),
        (lambda w: w.rename_case("Nowhere", "X"), "no case called 'Nowhere'"),
        (lambda w: w.move_item(1, "Nowhere"), "no item 1|no case called"),
    ):
        with pytest.raises((Refused, NotFound), match=message), vault.transaction() as writer:
            act(writer)
    assert [c.name for c in vault.cases()] == ["Work", "Home"]


def test_a_name_given_up_by_a_rename_can_be_used_again(vault: Vault, tmp_path: Path) -> None:
    item = a_file(vault, tmp_path, "a.txt", case="Work")
    with vault.transaction() as writer:
        writer.rename_case("Work", "Old job")
        writer.add_case("Work")
    assert [c.name for c in vault.cases()] == ["Old job", "Work"]
    assert vault.item(item).case == "Old job"
    assert vault.items("Work") == []


def test_an_import_moves_with_its_attachments_which_never_move_alone(
    vault: Vault, tmp_path: Path
) -> None:
    result = import_file(vault, chat_with_photo(tmp_path), tz="Europe/Berlin", case="Work")
    photo = vault.children(result.item.id)[0]
    assert photo.kind is ItemKind.ATTACHMENT and photo.case == "Work"
    with vault.transaction() as writer:
        writer.add_case("Neighbour")
    with pytest.raises(Refused, match="attachment of item"), vault.transaction() as writer:
        writer.move_item(photo.id, "Neighbour")
    with vault.transaction() as writer:
        writer.move_item(result.item.id, "Neighbour")
    assert vault.item(photo.id).case == "Neighbour"
    moved = [e for e in vault.custody_events() if e.action == "item moved"]
    assert [e.subject for e in moved] == [f"item:{result.item.id}", f"item:{photo.id}"]


def test_whole_case_is_its_items_their_attachments_and_crops_parents(
    vault: Vault, tmp_path: Path
) -> None:
    result = import_file(vault, chat_with_photo(tmp_path), tz="Europe/Berlin", case="Work")
    photo = vault.children(result.item.id)[0]
    with vault.transaction() as writer:
        sha, size = writer.put([b"full frame"])
        full = writer.add_item(ItemKind.SCREENSHOT, sha256=sha, size=size, case="Home")
        sha, size = writer.put([b"crop"])
        crop = writer.add_item(
            ItemKind.DERIVED, sha256=sha, size=size, case="Home", parent_id=full.id
        )
        writer.move_item(crop.id, "Work")
    loose = a_file(vault, tmp_path, "elsewhere.txt")
    whole = {item.id for item in vault.whole_case("work")}
    assert whole == {result.item.id, photo.id, crop.id, full.id}
    assert loose not in whole
    with pytest.raises(NotFound, match="no case called 'Nope'"):
        vault.whole_case("Nope")


def test_export_follows_the_latest_move(vault: Vault, tmp_path: Path) -> None:
    stays = a_file(vault, tmp_path, "stays.txt", case="Work")
    moved = a_file(vault, tmp_path, "moved.txt", case="Work")
    with vault.transaction() as writer:
        writer.add_case("Home")
        writer.move_item(moved, "Home")
    result = export_bundle(vault, Options(audience="rep", case="Home"), tmp_path / "out")
    with zipfile.ZipFile(result.zip_path) as archive:
        records = [
            json.loads(archive.read(name))
            for name in archive.namelist()
            if name.endswith("/item.json")
        ]
    assert [r["original_name"] for r in records] == ["moved.txt"]
    assert stays not in [r["vault_record"]["id"] for r in records]


def test_a_moved_item_does_not_carry_its_first_case_name(vault: Vault, tmp_path: Path) -> None:
    """The case an item was first filed in is another case's business: a bundle of its new case
    (custody log, records, report) never names it."""
    moved = a_file(vault, tmp_path, "letter.txt", case="GP sick note anxiety")
    with vault.transaction() as writer:
        writer.add_case("Work")
        writer.move_item(moved, "Work")
    result = export_bundle(vault, Options(audience="rep", case="Work"), tmp_path / "out")
    with zipfile.ZipFile(result.zip_path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert b"GP sick note" not in data, name
            assert "GP sick note".encode("utf-16-le") not in data, name
            if name.endswith(".pdf"):  # its text is compressed: read it as a person would
                pdf = tmp_path / "report.pdf"
                pdf.write_bytes(data)
                text = subprocess.run(
                    ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
                ).stdout
                assert "GP sick note" not in text and "Work" in text


def test_items_in_no_case(vault: Vault, tmp_path: Path) -> None:
    cased = a_file(vault, tmp_path, "a.txt", case="Work")
    loose = a_file(vault, tmp_path, "b.txt")
    assert vault.item_ids(uncased=True) == [loose]
    assert [i.id for i in vault.items(uncased=True)] == [loose]
    assert vault.uncased_count() == 1
    assert vault.item(loose).case is None and vault.item(cased).case == "Work"


def test_cli_cases(cli: Cli, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    assert cli("add", str(photo)).exit_code == 0
    assert cli("add", str(photo), "--case", "Work").exit_code == 0
    made = cli("case", "add", "Night shift")
    assert made.exit_code == 0 and "Made case 'Night shift'" in made.stdout
    renamed = cli("case", "rename", "Night shift", "Night shift group")
    assert renamed.exit_code == 0, renamed.output
    moved = cli("case", "move", "1", "2", "--to", "night shift group")
    assert moved.exit_code == 0, moved.output
    assert "Item 1 is now in case 'Night shift group'" in moved.stdout
    again = cli("case", "move", "1", "--to", "Night shift group")
    assert "already in case" in again.stdout
    listed = json.loads(cli("cases", "--json").stdout)
    assert [(c["name"], c["items"]) for c in listed] == [("Work", 0), ("Night shift group", 2)]
    text = cli("cases").stdout
    assert "Night shift group" in text and "Not in a case yet" in text
    bad = cli("case", "move", "1", "--to", "Nowhere")
    assert bad.exit_code == 1 and "Error: There is no case called 'Nowhere'" in bad.stderr
    assert "Traceback" not in bad.output
    taken = cli("case", "add", "work")
    assert taken.exit_code == 1 and "already a case" in taken.stderr
    actions = [e["action"] for e in json.loads(cli("log", "--json").stdout)]
    assert actions.count("item moved") == 2 and "case renamed" in actions
    assert "(Not in a case yet)" not in cli("list").stdout
    loose = tmp_path / "loose.txt"
    loose.write_text("loose")
    cli("add", str(loose))
    assert "(Not in a case yet)" in cli("list").stdout


def test_a_whole_case_bundle_holds_the_crops_original(vault: Vault, tmp_path: Path) -> None:
    with vault.transaction() as writer:
        sha, size = writer.put([b"full frame"])
        full = writer.add_item(ItemKind.SCREENSHOT, sha256=sha, size=size, original_name="f.png")
        sha, size = writer.put([b"crop"])
        writer.add_item(
            ItemKind.DERIVED, sha256=sha, size=size, case="Work", parent_id=full.id,
            original_name="c.png",
        )  # fmt: skip
    result = export_bundle(vault, Options(audience="manager", case="Work"), tmp_path / "out")
    with zipfile.ZipFile(result.zip_path) as archive:
        names = sorted(
            json.loads(archive.read(n))["original_name"]
            for n in archive.namelist()
            if n.endswith("/item.json")
        )
    assert names == ["c.png", "f.png"]
