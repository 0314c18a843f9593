"""The command line over the vault: output, JSON shapes and exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from evidence_kit.cli import cli as cli_group
from tests.conftest import PASSPHRASE, Cli


def test_init_shows_recovery_code_and_fingerprint(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "new-vault"
    result = runner.invoke(
        cli_group,
        ["--vault", str(folder), "init", "--owner", "Sam Doe"],
        env={"EVIDENCE_KIT_PASSPHRASE": PASSPHRASE},
    )
    assert result.exit_code == 0, result.output
    assert "recovery code" in result.stdout.lower()
    code = next(
        line.strip()
        for line in result.stdout.splitlines()
        if line.count("-") == 5 and len(line.strip()) == 35
    )
    assert "SHA256:" in result.stdout
    assert (folder / "evidence.db").is_file() and (folder / "keyslots.json").is_file()
    again = runner.invoke(
        cli_group,
        ["--vault", str(folder), "recover"],
        env={
            "EVIDENCE_KIT_RECOVERY_CODE": code,
            "EVIDENCE_KIT_NEW_PASSPHRASE": "new passphrase here",
        },
    )
    assert again.exit_code == 0, again.output


def test_init_asks_twice_on_a_terminal(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("evidence_kit.cli.root.interactive", lambda: True)
    result = CliRunner().invoke(
        cli_group, ["--vault", str(tmp_path / "v"), "init"], input=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("passphrase") >= 2


def test_add_list_show_extract_roundtrip(cli: Cli, tmp_path: Path) -> None:
    photo = tmp_path / "IMG_2031.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40)
    result = cli("add", str(photo), "--case", "Work", "--note", "photo of the note on my desk")
    assert result.exit_code == 0, result.output

    listed = json.loads(cli("list", "--json").stdout)
    assert len(listed) == 1
    entry = listed[0]
    assert {
        "id",
        "kind",
        "case",
        "sha256",
        "size",
        "media_type",
        "original_name",
        "added_at",
    } <= set(entry)
    assert entry["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert (
        entry["media_type"] == "image/jpeg" and entry["case"] == "Work" and entry["kind"] == "file"
    )
    assert entry["original_name"] == "IMG_2031.JPG" and entry["size"] == photo.stat().st_size

    shown = json.loads(cli("show", str(entry["id"]), "--json").stdout)
    assert shown["notes"][0]["text"] == "photo of the note on my desk"
    assert [e["action"] for e in shown["custody"]] == [
        "file added",
        "note added",
        "time-stamp queued",
    ]
    assert "file_times" in shown["metadata"]["source"]

    out = tmp_path / "copy.jpg"
    assert cli("extract", str(entry["id"]), "--out", str(out)).exit_code == 0
    assert out.read_bytes() == photo.read_bytes()
    assert json.loads(cli("list", "--case", "Work", "--json").stdout)[0]["id"] == entry["id"]


def test_note_withdraw_log_check_key(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("abuse")
    cli("add", str(tmp_path / "a.txt"))
    assert cli("note", "1", "second thoughts").exit_code == 0
    assert cli("withdraw", "1", "--reason", "added by mistake").exit_code == 0
    events = json.loads(cli("log", "--json").stdout)
    assert [e["action"] for e in events][-4:] == [
        "file added",
        "time-stamp queued",
        "note added",
        "item withdrawn",
    ]
    assert all(
        {"seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash"} <= set(e)
        for e in events
    )
    checked = cli("check")
    assert checked.exit_code == 0 and "intact" in checked.stdout
    key = json.loads(cli("key", "--json").stdout)
    assert key["fingerprint"].startswith("SHA256:") and key["public_key"].startswith("ssh-ed25519 ")
    assert json.loads(cli("show", "1", "--json").stdout)["withdrawn"] is True


def test_passphrase_change_from_file(cli: Cli, tmp_path: Path) -> None:
    new = tmp_path / "new.txt"
    new.write_text("a longer new passphrase\n")
    assert cli("passphrase", "--new-passphrase-file", str(new)).exit_code == 0
    assert cli("list").exit_code == 1
    old_file = tmp_path / "pp"
    old_file.write_text("a longer new passphrase")
    assert cli("--passphrase-file", str(old_file), "list").exit_code == 0


def test_status_without_and_with_a_vault(tmp_path: Path, cli: Cli) -> None:
    empty = CliRunner().invoke(cli_group, ["--vault", str(tmp_path / "none"), "status"])
    assert empty.exit_code == 0 and "evidence-kit init" in empty.stdout
    result = cli("status")
    assert result.exit_code == 0 and "Items: 0" in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(cli_group, ["--version"])
    assert result.exit_code == 0 and "evidence-kit" in result.stdout
