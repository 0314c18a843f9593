"""The custody chain: every act recorded; any change, removal, insertion or re-ordering is found."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from evidence_kit.bundle.format.custody import GENESIS, check_chain, event_hash
from evidence_kit.vault import Vault
from evidence_kit.vault.check import check_vault
from evidence_kit.vault.files import add_file


@pytest.fixture
def acted(vault: Vault, tmp_path: Path) -> Vault:
    for n in range(3):
        (tmp_path / f"f{n}").write_text(f"file {n}")
        add_file(vault, tmp_path / f"f{n}", case="Work")
    with vault.transaction() as writer:
        writer.add_note(1, "a note")
        writer.withdraw(2, "wrong file")
    return vault


def drop_triggers(vault: Vault) -> None:
    """What someone with the key and raw SQL could do: no triggers, no foreign keys."""
    vault.conn.execute("PRAGMA foreign_keys = OFF")
    for (name,) in vault.conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'custody'"
    ).fetchall():
        vault.conn.execute(f"DROP TRIGGER {name}")


def chain_problems(vault: Vault) -> list[str]:
    return [p.what for p in check_chain(vault.custody_records())]


def test_every_act_is_on_the_chain(acted: Vault) -> None:
    actions = [e.action for e in acted.custody_events()]
    assert actions == [
        "vault created",
        "case created",
        "file added",
        "time-stamp queued",
        "file added",
        "time-stamp queued",
        "file added",
        "time-stamp queued",
        "note added",
        "item withdrawn",
    ]
    events = acted.custody_events()
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    # New events name the owner only, never the computer's account.
    assert all(e.owner == "Test Owner" and e.os_user == "" for e in events)
    assert all(set(r["actor"]) == {"owner"} for r in acted.custody_records())
    assert check_vault(acted).ok


def test_event_hash_covers_canonical_json(acted: Vault) -> None:
    record = next(acted.custody_records())
    body = {k: v for k, v in record.items() if k != "hash"}
    assert event_hash(body) == record["hash"]
    body["details"] = {**body["details"], "extra": 1}
    assert event_hash(body) != record["hash"]


def test_changed_event_is_found(acted: Vault) -> None:
    drop_triggers(acted)
    acted.conn.execute(
        "UPDATE custody SET details = ? WHERE seq = 3", (json.dumps({"sha256": "0" * 64}),)
    )
    assert any("changed" in p for p in chain_problems(acted))
    assert not check_vault(acted).ok


def test_removed_event_is_found(acted: Vault) -> None:
    drop_triggers(acted)
    acted.conn.execute("DELETE FROM custody WHERE seq = 4")
    problems = chain_problems(acted)
    assert any("out of sequence" in p for p in problems) and any(
        "link is broken" in p for p in problems
    )


def test_removed_last_event_is_found_through_the_record_that_points_to_it(acted: Vault) -> None:
    drop_triggers(acted)
    acted.conn.execute("DELETE FROM custody WHERE seq = (SELECT max(seq) FROM custody)")
    assert chain_problems(acted) == []  # the chain alone cannot see a missing tail …
    report = check_vault(acted)
    assert not report.ok  # … but the withdrawal points to its event, which is gone
    assert any("withdrawal" in p.where for p in report.problems)


def test_inserted_event_is_found(acted: Vault) -> None:
    drop_triggers(acted)
    acted.conn.execute("UPDATE custody SET seq = seq + 100 WHERE seq >= 4")
    acted.conn.execute(
        "INSERT INTO custody (seq, at, os_user, owner, action, subject, details, prev_hash, hash) "
        "SELECT 4, at, os_user, owner, 'file added', 'item:9', '{}', hash, ? FROM custody WHERE seq = 3",
        ("f" * 64,),
    )
    acted.conn.execute("UPDATE custody SET seq = seq - 99 WHERE seq >= 104")
    assert chain_problems(acted)


def test_reordered_events_are_found(acted: Vault) -> None:
    drop_triggers(acted)
    acted.conn.execute("UPDATE custody SET seq = -1 WHERE seq = 3")
    acted.conn.execute("UPDATE custody SET seq = 3 WHERE seq = 4")
    acted.conn.execute("UPDATE custody SET seq = 4 WHERE seq = -1")
    problems = chain_problems(acted)
    assert any("link is broken" in p for p in problems)
    assert any("changed" in p for p in problems)  # seq is part of each hash
