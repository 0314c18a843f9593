"""Nothing behind on failure, for every download format: a broken file forced into it, a cancel
half-way through, and a download whose second conversation is damaged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evidence_kit.errors import Cancelled
from evidence_kit.importers import registry
from evidence_kit.importers.batch import import_paths
from evidence_kit.vault import Vault
from tests.importers.downloads import meta, others, texts
from tests.importers.test_framework import BROKEN, snapshot

# A valid sample download per format, made in a temporary folder.
SAMPLES: dict[str, Callable[[Path], Path]] = {
    "messenger": lambda tmp: meta.facebook_folder(tmp / "fb"),
    "instagram": lambda tmp: meta.instagram_folder(tmp / "ig"),
    "messenger-e2ee": lambda tmp: meta.secure_folder(tmp / "secure"),
    "telegram": others.telegram_chat,
    "discord": lambda tmp: others.discord_channel(tmp / "dce"),
    "slack": others.slack_workspace,
    "x": others.x_archive,
    "imessage": texts.imessage_folder,
    "signal": texts.signal_folder,
}


@pytest.fixture(params=registry.download_names())
def format_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_download_format_has_a_sample(format_name: str) -> None:
    assert format_name in SAMPLES, f"add a valid {format_name} sample to SAMPLES"


def test_a_broken_file_forced_into_any_download_format_leaves_nothing(
    vault: Vault, tmp_path: Path, format_name: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(BROKEN)
    before = snapshot(vault)
    (outcome,) = import_paths(vault, [path], format_name=format_name, tz="Europe/London",
                              case="New case")  # fmt: skip
    assert outcome.error is not None and str(path.name) in outcome.error.message
    assert snapshot(vault) == before


def test_a_failure_half_way_through_any_download_leaves_nothing(
    vault: Vault, tmp_path: Path, format_name: str
) -> None:
    sample = SAMPLES[format_name](tmp_path)
    before = snapshot(vault)
    calls = {"n": 0}

    def cancel_once_a_conversation_is_stored() -> bool:  # the download and its files are in
        calls["n"] += 1
        query = "SELECT count(*) FROM items WHERE kind = 'import'"
        return vault.conn.execute(query).fetchone()[0] > 0

    with pytest.raises(Cancelled):
        import_paths(vault, [sample], tz="Europe/London", case="New case",
                     cancel=cancel_once_a_conversation_is_stored)  # fmt: skip
    assert calls["n"] > 0
    assert snapshot(vault) == before
    (done,) = import_paths(vault, [sample], tz="Europe/London")
    assert done.result is not None and done.result.message_count >= 1
    assert done.result.conversations and all(
        c.item.parent_id == done.result.item.id for c in done.result.conversations
    )


def test_a_damaged_second_conversation_leaves_nothing_of_the_first(
    vault: Vault, tmp_path: Path
) -> None:
    folder = meta.facebook_folder(tmp_path / "fb")
    group = (
        folder
        / "your_facebook_activity/messages/archived_threads/teamrota_5566778899/message_1.json"
    )
    inbox = folder / "your_facebook_activity/messages/inbox/samcarter_1029384756/message_1.json"
    damaged = inbox if sorted([group, inbox])[-1] == inbox else group
    data = damaged.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # cut short, as an interrupted copy leaves it
    before = snapshot(vault)
    (outcome,) = import_paths(vault, [folder], tz="Europe/London")
    assert outcome.error is not None
    assert "is cut short" in outcome.error.message and damaged.name in outcome.error.message
    assert snapshot(vault) == before


def test_one_bad_path_in_a_batch_does_not_stop_the_others(vault: Vault, tmp_path: Path) -> None:
    good = others.discord_dm(tmp_path / "dm")
    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a chat")
    outcomes = import_paths(vault, [bad, good], tz="Europe/London")
    assert outcomes[0].error is not None and "evidence-kit add" in (outcomes[0].error.hint or "")
    assert outcomes[1].result is not None and outcomes[1].result.message_count == 1
