"""The vault's files attacked or damaged, through the real command line (`python -m evidence_kit`):
each failure has its own plain error, never exit 70, and not a byte or mtime changes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.vault.db import DEFAULT_SETTINGS
from tests.cli.test_vault_errors import assert_plain_error, contents, run_cli
from tests.conftest import PASSPHRASE, Cli

PAGE = int(DEFAULT_SETTINGS["cipher_page_size"])  # a new vault's pages


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file of the folder (the lock file aside): its bytes, size and modification time."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def filled(cli: Cli, vault_dir: Path, tmp_path: Path) -> Path:
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4 they wrote: we know where you park\n" * 2000)
    assert cli("add", str(letter), "--case", "Work", "--note", "left on my car").exit_code == 0
    return vault_dir


def other_vault(tmp_path: Path, name: str = "other") -> Path:
    created = Vault.create(tmp_path / name, PASSPHRASE, owner="Someone Else", kdf=TEST_KDF)
    created.vault.close()
    return tmp_path / name


def refused(
    folder: Path, *words: str, commands: tuple[tuple[str, ...], ...] = (("list",),)
) -> None:
    before = snapshot(folder)
    for command in commands:
        result = run_cli(folder, *command)
        assert_plain_error(result, *words)
        assert result.returncode == 3, (command, result.stderr)
    assert snapshot(folder) == before


ALL_READS = (("list",), ("status",), ("key",), ("log",), ("check",), ("show", "1"))


def test_empty_database_is_never_a_new_vault(filled: Path) -> None:
    (filled / "evidence.db").write_bytes(b"")
    refused(filled, "evidence.db", "is empty", commands=ALL_READS)
    result = run_cli(filled, "add", __file__)
    assert_plain_error(result, "is empty")
    assert (filled / "evidence.db").stat().st_size == 0


def test_missing_database_is_never_made_anew(filled: Path) -> None:
    (filled / "evidence.db").unlink()
    refused(filled, "evidence.db", "is missing", commands=ALL_READS)
    assert not (filled / "evidence.db").exists()
    again = run_cli(filled, "init")
    assert_plain_error(again, "already")
    assert not (filled / "evidence.db").exists()


def test_missing_key_file_is_named(filled: Path) -> None:
    (filled / "keyslots.json").unlink()
    refused(filled, "keyslots.json", "is missing", commands=ALL_READS)


def test_a_database_from_another_vault_is_named(filled: Path, tmp_path: Path) -> None:
    other = other_vault(tmp_path)
    shutil.copy2(other / "evidence.db", filled / "evidence.db")
    refused(filled, "belongs to another vault", "evidence.db", commands=ALL_READS)


def test_a_key_file_from_another_vault_is_named(filled: Path, tmp_path: Path) -> None:
    other = other_vault(tmp_path)
    shutil.copy2(other / "keyslots.json", filled / "keyslots.json")
    refused(filled, "The key file", "belongs to another vault", commands=(("list",), ("check",)))


def test_an_older_database_is_a_rollback(filled: Path, cli: Cli, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy2(filled / "evidence.db", old)
    (tmp_path / "threat.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(5000))
    assert cli("add", str(tmp_path / "threat.png")).exit_code == 0
    shutil.copy2(old, filled / "evidence.db")  # what a sync tool or an abuser could do
    refused(filled, "older than its last recorded state", "5 custody events", "recorded 7")
    checked = run_cli(filled, "check")
    assert checked.returncode == 3
    assert "FAIL  anchor (rollback)" in checked.stdout
    assert "older than its last recorded state" in checked.stdout
    assert "outside anchor" in checked.stdout  # what no check from inside can see, said plainly


def test_a_missing_anchor_is_refused_like_a_rollback(filled: Path) -> None:
    (filled / "anchor").unlink()
    refused(filled, "anchor file", "is missing")
    assert not (filled / "anchor").exists()


@pytest.mark.parametrize("field", ["count", "head", "mac"])
def test_an_altered_anchor_is_refused(filled: Path, field: str) -> None:
    data = json.loads((filled / "anchor").read_text())
    data[field] = 99 if field == "count" else "0" * 64
    (filled / "anchor").write_text(json.dumps(data))
    refused(filled, "anchor file", "not written for this vault")


def test_the_anchor_of_another_copy_is_refused(filled: Path, tmp_path: Path) -> None:
    backed = run_cli(filled, "backup", str(tmp_path / "usb"))
    assert backed.returncode == 0, backed.stderr
    copy = next((tmp_path / "usb").iterdir())
    shutil.copy2(copy / "anchor", filled / "anchor")
    refused(filled, "anchor file", "another copy")


def test_zeroed_meta_page_has_its_own_error_and_check_runs(filled: Path) -> None:
    with open(filled / "evidence.db", "r+b") as handle:  # page 2: the meta table
        handle.seek(PAGE)
        handle.write(bytes(PAGE))
    refused(filled, "damaged", commands=(("list",), ("status",), ("key",)))
    before = snapshot(filled)
    checked = run_cli(filled, "check")
    assert checked.returncode == 3, checked.stderr
    assert "FAIL  database pages" in checked.stdout
    assert "HMAC verification failed for page 2" in checked.stdout
    assert "Traceback" not in checked.stderr
    assert snapshot(filled) == before


def test_wiped_start_of_the_database_is_named(filled: Path) -> None:
    with open(filled / "evidence.db", "r+b") as handle:
        handle.write(bytes(PAGE))
    refused(filled, "has been wiped", commands=(("list",), ("check",)))


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("memory_kib", 64 * 1024 * 1024, "memory_kib = 67108864"),
        ("memory_kib", 16, "memory_kib = 16"),
        ("time_cost", 10**9, "time_cost"),
        ("parallelism", 0, "parallelism"),
        ("memory_kib", "lots", "memory_kib = 'lots'"),
        ("salt", "AAAA", "salt"),
    ],
)
def test_tampered_key_slots_are_refused_before_argon2(
    filled: Path, field: str, value: object, words: str
) -> None:
    slots = json.loads((filled / "keyslots.json").read_text())
    slots["slots"]["passphrase"][field] = value
    (filled / "keyslots.json").write_text(json.dumps(slots))
    started = time.monotonic()
    refused(filled, "has been altered", words)
    assert time.monotonic() - started < 20  # 64 GiB of Argon2 would not finish, or exhaust memory


def test_a_file_that_grows_while_it_is_added_is_refused(filled: Path, tmp_path: Path) -> None:
    recording = tmp_path / "call-recording.wav"
    recording.write_bytes(os.urandom(40 * 1024 * 1024))
    before = contents(filled)
    stop = threading.Event()

    def keep_recording() -> None:
        with open(recording, "ab") as handle:
            while not stop.is_set():
                handle.write(os.urandom(4096))
                handle.flush()
                time.sleep(0.001)

    writer = threading.Thread(target=keep_recording)
    writer.start()
    try:
        result = run_cli(filled, "add", str(recording))
    finally:
        stop.set()
        writer.join()
    assert_plain_error(result, "call-recording.wav", "changed while it was being read")
    assert contents(filled) == before  # nothing stored: no item, no blob, no event


def test_recover_with_no_code_and_no_terminal_names_the_options(filled: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVIDENCE_KIT_")}
    result = subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--vault", str(filled), "recover"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert_plain_error(
        result, "No recovery code given", "--recovery-code-file", "EVIDENCE_KIT_RECOVERY_CODE"
    )
    changed = run_cli(filled, "passphrase", stdin=subprocess.DEVNULL)
    assert_plain_error(changed, "--new-passphrase-file", "EVIDENCE_KIT_NEW_PASSPHRASE")


HOLDER = """
import sys
from pathlib import Path
from evidence_kit.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2], holder="evidence-kit add")
print("HOLDING", flush=True)
sys.stdin.readline()  # holds the vault until told to let go
vault.close()
"""


def test_the_second_writer_is_told_who_holds_the_vault_every_time(filled: Path) -> None:
    """A second command meets a vault another one holds (here an `add` that takes its time):
    each time, it says who holds it and since when — never a bare 'locked'."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(filled), PASSPHRASE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "HOLDING"
    try:
        for command in (("list",), ("add", str(filled / "keyslots.json")), ("status",)):
            second = run_cli(filled, *command)
            assert_plain_error(
                second,
                "open in another Evidence Kit: evidence-kit add",
                f"(pid {holder.pid}, since ",
            )
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    assert run_cli(filled, "list").returncode == 0  # and free again once the holder is done


def test_weak_passphrase_is_refused_at_init_with_a_suggestion(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = run_cli(folder, "init", passphrase="password")
    assert_plain_error(result, "too easy to guess", "top-10 common password", "for example")
    assert result.returncode == 2
    example = result.stderr.split("for example: '")[1].split("'")[0]
    assert len(example.split()) == 4
    assert not folder.exists()  # nothing made
    made = run_cli(folder, "init", passphrase=example)  # the suggestion itself is accepted
    assert made.returncode == 0, made.stderr


def test_weak_new_passphrase_is_refused_and_nothing_changes(filled: Path) -> None:
    before = snapshot(filled)
    result = run_cli(filled, "passphrase", env_extra={"EVIDENCE_KIT_NEW_PASSPHRASE": "qwerty123"})
    assert_plain_error(result, "too easy to guess")
    assert snapshot(filled)["keyslots.json"] == before["keyslots.json"]
    again = run_cli(filled, "list")
    assert again.returncode == 0


def test_status_shows_the_head_a_bundle_carries_away(
    cli: Cli, vault_dir: Path, tmp_path: Path
) -> None:
    from tests.bundle.conftest import CASE, populate

    with Vault.open(vault_dir, PASSPHRASE) as vault:
        populate(vault)
    made = cli(
        "export", "--case", CASE, "--audience", "rep", "--out", str(tmp_path / "out"), "--json"
    )
    assert made.exit_code == 0, made.output
    bundle_id = json.loads(made.stdout)["bundle_id"]
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        exported = [e for e in vault.custody_events() if e.action == "bundle exported"][-1]
    status = run_cli(vault_dir, "status")
    assert f"Last bundle made: {bundle_id}" in status.stdout
    assert f"up to #{exported.seq} {exported.hash}" in status.stdout


def test_init_on_a_terminal_asks_again_after_a_weak_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from evidence_kit.cli import cli as group

    monkeypatch.setattr("evidence_kit.cli.root.interactive", lambda: True)
    strong = "tattle overlook raft custard"
    result = CliRunner().invoke(
        group,
        ["--vault", str(tmp_path / "v"), "init"],
        input=f"password1\npassword1\n{strong}\n{strong}\n",
    )
    assert result.exit_code == 0, result.output
    assert "too easy to guess" in result.output and "for example" in result.output
    with Vault.open(tmp_path / "v", strong) as vault:
        assert vault.items() == []


def test_a_key_file_edited_to_forget_the_anchor_lets_no_older_database_in(
    filled: Path, cli: Cli, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    shutil.copy2(filled / "evidence.db", old)
    (tmp_path / "b.txt").write_text("the second message")
    assert cli("add", str(tmp_path / "b.txt")).exit_code == 0
    shutil.copy2(old, filled / "evidence.db")
    slots = json.loads((filled / "keyslots.json").read_text())
    del slots["anchor"], slots["database_salt"]  # made to look like a key file from before anchors
    (filled / "keyslots.json").write_text(json.dumps(slots))
    refused(filled, "older than its last recorded state")
    (filled / "anchor").unlink()
    refused(filled, "anchor file", "is missing")


def test_a_damaged_custody_page_is_refused_and_named_by_check(filled: Path) -> None:
    with Vault.open(filled, PASSPHRASE) as vault:
        (root,) = vault.conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'custody'"
        ).fetchone()
    with open(filled / "evidence.db", "r+b") as handle:
        handle.seek((root - 1) * PAGE + 500)
        handle.write(bytes(64))
    refused(filled, "damaged", commands=(("list",), ("status",), ("log",)))
    before = snapshot(filled)
    checked = run_cli(filled, "check")
    assert checked.returncode == 3 and f"HMAC verification failed for page {root}" in checked.stdout
    assert "FAIL  custody chain" in checked.stdout and "Traceback" not in checked.stderr
    assert snapshot(filled) == before
