"""The queue and its flush against a local authority: stamped, waiting while it is down, failed
for every bad reply an accident or an attacker could send, and the computer's clock judged at
the moment of the request."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from evidence_kit.bundle.format import tsp
from evidence_kit.clock import FixedClock
from evidence_kit.timestamp import flush
from evidence_kit.vault import Vault
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file
from tests.conftest import PASSPHRASE
from tests.support.tsa import LocalTSA


def add(vault: Vault, folder: Path, name: str, text: str = "they said it again") -> int:
    (folder / name).write_text(text)
    return add_file(vault, folder / name, case="Work").id


def tokens(vault: Vault) -> list[dict]:
    cursor = vault.conn.execute("SELECT * FROM timestamp_tokens ORDER BY id")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def test_a_capture_is_stamped_and_openssl_agrees(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    item_id = add(vault, tmp_path, "post.txt")
    assert vault.timestamp_state(item_id).status == "pending"
    counts = flush(vault)
    assert counts.as_dict() == {"stamped": 1, "pending": 0, "failed": 0}
    state = vault.timestamp_state(item_id)
    assert state.status == "stamped" and state.witnesses[0].signer == "Local Test TSA"
    assert state.words.startswith("witnessed by Local Test TSA at 20")
    [token] = tokens(vault)
    lines = tsp.parse_hash_list(token["data"].encode())
    assert lines is not None
    item = vault.item(item_id)
    assert (item.sha256, f"item:{item_id}") in lines
    head = vault.conn.execute(
        "SELECT hash FROM custody WHERE seq = ?", (int(lines[-1][1].split(":")[1]),)
    ).fetchone()[0]
    assert lines[-1][0] == head  # the last line is the chain's head when it was asked
    (tmp_path / "LIST").write_text(token["data"])
    (tmp_path / "token.tsr").write_bytes(token["reply"])
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-data", str(tmp_path / "LIST"), "-in",
         str(tmp_path / "token.tsr"), "-CAfile", str(tsa.root_pem)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0 and "Verification: OK" in done.stdout, done.stderr
    # The root it chained to is kept in the vault, so check needs no outside file.
    assert vault.conn.execute("SELECT count(*) FROM timestamp_roots").fetchone()[0] == 1
    assert check_vault(vault).ok
    assert flush(vault).as_dict() == {"stamped": 0, "pending": 0, "failed": 0}


def test_queued_while_down_and_stamped_when_it_is_back(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    tsa.stop()
    first = add(vault, tmp_path, "a.txt", "one")
    counts = flush(vault)
    assert counts.as_dict() == {"stamped": 0, "pending": 1, "failed": 0}
    assert "could not be reached" in counts.problems[0]
    second = add(vault, tmp_path, "b.txt", "two")
    assert flush(vault).as_dict() == {"stamped": 0, "pending": 2, "failed": 0}
    assert tokens(vault) == []  # nothing came back: nothing kept, nothing on the log
    tsa.start()
    assert flush(vault).as_dict() == {"stamped": 2, "pending": 0, "failed": 0}
    [token] = tokens(vault)  # one token covers both
    assert {vault.timestamp_state(i).witnesses[0].token_id for i in (first, second)} == {
        token["id"]
    }


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong-hash", "the token is for other data"),
        ("expired", "was not valid at the time the token gives"),
        ("untrusted", "does not chain to an authority certificate Evidence Kit trusts"),
        ("garbage", "not a time-stamp reply that can be read"),
    ],
)
def test_a_bad_reply_is_failed_kept_and_asked_again(
    vault: Vault, tsa: LocalTSA, tmp_path: Path, mode: str, reason: str
) -> None:
    item_id = add(vault, tmp_path, "a.txt")
    tsa.mode = mode
    counts = flush(vault)
    assert counts.as_dict() == {"stamped": 0, "pending": 0, "failed": 1}
    assert reason in counts.problems[0]
    [token] = tokens(vault)
    assert token["status"] == "failed" and reason in token["problem"]
    assert token["reply"] == tsa.last_reply or mode == "garbage"
    if mode == "garbage":
        assert bytes(token["reply"]) == b"<html>Service temporarily moved</html>"  # kept whole
    state = vault.timestamp_state(item_id)
    assert state.status == "failed" and reason in (state.problem or "")
    assert check_vault(vault).ok  # a refused reply is kept, not trusted
    tsa.mode = "good"
    assert flush(vault).as_dict() == {"stamped": 1, "pending": 0, "failed": 0}
    assert vault.timestamp_state(item_id).status == "stamped"


def test_a_replayed_reply_is_refused(vault: Vault, tsa: LocalTSA, tmp_path: Path) -> None:
    add(vault, tmp_path, "a.txt")
    tsa.stop()
    flush(vault)
    tsa.start()
    request = tsp.make_request(b"x")
    tsa.answer(request.der)  # an old reply the attacker kept
    tsa.mode = "replay"
    counts = flush(vault)
    assert counts.failed == 1 and "other data" in counts.problems[0]


def test_the_whole_chain_in_any_order_is_read(vault: Vault, tsa: LocalTSA, tmp_path: Path) -> None:
    add(vault, tmp_path, "a.txt")
    tsa.mode = "chain"  # openssl's certificate set is not in DER order
    assert flush(vault).stamped == 1
    [token] = tokens(vault)
    assert token["verified_with"] in (tsp.LIBRARY, tsp.SORTED)
    assert check_vault(vault).ok


def test_both_authorities_are_asked_and_one_good_token_is_enough(
    vault: Vault, tsa: LocalTSA, second_tsa: LocalTSA, tmp_path: Path
) -> None:
    add(vault, tmp_path, "a.txt")
    second_tsa.mode = "garbage"
    counts = flush(vault)
    assert counts.as_dict() == {"stamped": 1, "pending": 0, "failed": 0}
    assert [t["status"] for t in tokens(vault)] == ["stamped", "failed"]
    assert tsa.requests == 1 and second_tsa.requests == 1
    add(vault, tmp_path, "b.txt")
    second_tsa.mode = "good"
    assert flush(vault).stamped == 1
    assert [t["status"] for t in tokens(vault)][-2:] == ["stamped", "stamped"]  # both kept


def test_a_clock_two_hours_off_is_said_plainly(
    vault_dir: Path, tsa: LocalTSA, tmp_path: Path
) -> None:
    ahead = FixedClock(at=datetime.now(UTC) + timedelta(hours=2), step=timedelta(0))
    with Vault.open(vault_dir, PASSPHRASE, clock=ahead) as vault:
        item_id = add(vault, tmp_path, "a.txt")
        counts = flush(vault)
        assert counts.stamped == 1
        assert counts.notes == (
            "your computer's clock was 120 minutes off (ahead of the time-stamping "
            "authority's): times this computer recorded may be wrong by about as much",
        )
        witness = vault.timestamp_state(item_id).witnesses[0]
        assert witness.clock_note == "your computer's clock was 120 minutes off"
    # Queued tokens come late by design: a request made hours after the capture, with the
    # clock right, says nothing about drift.
    late = FixedClock(at=datetime.now(UTC) - timedelta(hours=5), step=timedelta(0))
    with Vault.open(vault_dir, PASSPHRASE, clock=late) as vault:
        add(vault, tmp_path, "b.txt")
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        counts = flush(vault)
        assert counts.stamped == 1 and counts.notes == ()


def test_a_clock_days_off_is_refused(vault_dir: Path, tsa: LocalTSA, tmp_path: Path) -> None:
    wrong = FixedClock(at=datetime.now(UTC) - timedelta(days=3), step=timedelta(0))
    with Vault.open(vault_dir, PASSPHRASE, clock=wrong) as vault:
        item_id = add(vault, tmp_path, "a.txt")
        counts = flush(vault)
        assert counts.as_dict() == {"stamped": 0, "pending": 0, "failed": 1}
        assert "is 72 hours from your computer's clock when it asked" in counts.problems[0]
        assert vault.timestamp_state(item_id).status == "failed"


def test_off_means_nothing_is_asked(vault: Vault, tsa: LocalTSA, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("EVIDENCE_KIT_TSA_URLS", "none")
    add(vault, tmp_path, "a.txt")
    assert flush(vault).as_dict() == {"stamped": 0, "pending": 1, "failed": 0}
    assert tsa.requests == 0


def test_check_catches_a_rewritten_history_and_a_tampered_token(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    add(vault, tmp_path, "a.txt")
    flush(vault)
    assert check_vault(vault).ok
    for (name,) in vault.conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'trigger'"
    ).fetchall():
        vault.conn.execute(f"DROP TRIGGER {name}")
    [token] = tokens(vault)
    head = int(tsp.parse_hash_list(token["data"].encode())[-1][1].split(":")[1])  # type: ignore[index]
    vault.conn.execute("UPDATE custody SET hash = ? WHERE seq = ?", ("0" * 64, head))
    found = [p.what for p in check_vault(vault).problems if p.where.startswith("time-stamp token")]
    assert any("the history was changed after it was stamped" in what for what in found)
    reply = bytearray(token["reply"])
    reply[-10] ^= 0xFF
    vault.conn.execute("UPDATE timestamp_tokens SET reply = ?", (bytes(reply),))
    found = [p.what for p in check_vault(vault).problems if p.where.startswith("time-stamp token")]
    assert any(what.startswith("no longer checks out") for what in found)


def test_the_queue_and_tokens_join_check(vault: Vault, tsa: LocalTSA, tmp_path: Path) -> None:
    """The new tables are act tables: a row changed or slipped in behind the program is named."""
    add(vault, tmp_path, "a.txt")
    flush(vault)
    for (name,) in vault.conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'timestamp_%'"
    ).fetchall():
        vault.conn.execute(f"DROP TRIGGER {name}")
    vault.conn.execute(
        "UPDATE timestamp_queue SET lines = ? WHERE id = 1", ("0" * 64 + "  item:1\n",)
    )
    vault.conn.execute("UPDATE timestamp_tokens SET signer = 'CN=Someone Else'")
    vault.conn.execute("DELETE FROM timestamp_roots")
    found = {(p.where.split(" (")[0], p.what.split(":")[0]) for p in check_vault(vault).problems}
    assert {
        ("time-stamp request 1", "was changed after it was recorded"),
        ("time-stamp token 1", "was changed after it was recorded"),
        ("time-stamp token 1", "no longer checks out"),  # its root is gone from the vault
        ("custody event 5", "made a record that is no longer in the vault"),
        ("trigger timestamp_queue_no_update", "is missing"),
    } <= found, sorted(found)


def test_a_flush_can_be_cancelled_while_it_waits(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    """The GUI's task is stopped while an authority is slow to answer: nothing is kept."""
    import threading

    from evidence_kit.errors import Cancelled

    add(vault, tmp_path, "a.txt")
    slow = threading.Event()
    real = tsa.answer

    def held(query: bytes) -> tuple[int, bytes]:
        slow.wait(5)
        return real(query)

    tsa.answer = held  # type: ignore[method-assign]
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(Cancelled):
        flush(vault, cancel=cancel)
    slow.set()
    assert tokens(vault) == [] and vault.timestamp_state(1).status == "pending"


def test_no_test_can_reach_a_real_authority(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The defaults are what a person gets; in the tests the env var turns them off, and the
    guard in tests/conftest.py fails any request to an address that is not this machine's."""
    from evidence_kit.timestamp import DEFAULT_AUTHORITIES, authority_urls

    assert authority_urls(vault) == ()  # EVIDENCE_KIT_TSA_URLS=none, from tests/conftest.py
    monkeypatch.delenv("EVIDENCE_KIT_TSA_URLS")
    assert authority_urls(vault) == DEFAULT_AUTHORITIES
    add(vault, tmp_path, "a.txt")
    with pytest.raises(AssertionError, match="a test tried to reach http://timestamp"):
        flush(vault)


def test_an_authority_that_trickles_is_given_up_on_in_time(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    """The attempt after a command is bounded in all, not per read: a reply that never ends
    leaves the hashes pending."""
    import threading
    import time

    from evidence_kit.timestamp.flush import SHORT_TIMEOUT, after_command, last_queued

    before = last_queued(vault)
    add(vault, tmp_path, "a.txt")
    stop = threading.Event()
    real = tsa.answer

    def forever(query: bytes) -> tuple[int, bytes]:
        stop.wait(30)
        return real(query)

    tsa.answer = forever  # type: ignore[method-assign]
    started = time.monotonic()
    counts = after_command(vault, before)
    waited = time.monotonic() - started
    stop.set()
    assert counts is not None and counts.as_dict() == {"stamped": 0, "pending": 1, "failed": 0}
    assert "did not answer in time" in counts.problems[0] or "timed out" in counts.problems[0]
    assert waited < SHORT_TIMEOUT + 5  # bounded: the command ends
