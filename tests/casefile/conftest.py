"""The case file's tests: a fictional case written by hand — a WhatsApp chat with Gareth
Holloway (saved under a nickname on the phone), an SMS backup in which his number is written
the local way and two other people text too, and a screenshot-like file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Cli

# The phone saved him as "Gaz (work)"; WhatsApp shows that, not his name.
WHATSAPP = """\
20/11/2026, 21:10 - Messages and calls are end-to-end encrypted. Only people in this chat can read, listen to, or share them. Learn more.
20/11/2026, 21:12 - Gaz (work): u think ur clever going to HR
20/11/2026, 21:13 - Priya Rao: Please stop messaging me.
20/11/2026, 21:14 - Gaz (work): Final warning
24/11/2026, 18:02 - Gaz (work): <Media omitted>
24/11/2026, 18:03 - Gaz (work): This message was deleted
24/11/2026, 18:05 - Priya Rao: I have reported this.
"""

# SMS Backup & Restore: dates are epoch milliseconds; his number as the phone stored it.
SMS = """\
<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="4" backup_set="7c1d" backup_date="1795000000000" type="full">
  <sms protocol="0" address="07700 900123" date="{t1}" type="1" body="You've got till Friday" read="1" status="-1" locked="0" date_sent="{t1}" readable_date="20 Nov 2026 21:14:40" contact_name="(Unknown)" />
  <sms protocol="0" address="+44 7700 900456" date="{t2}" type="1" body="Are you ok? Saw what he posted" read="1" status="-1" locked="0" date_sent="{t2}" readable_date="21 Nov 2026 08:30:00" contact_name="Dee Okafor" />
  <sms protocol="0" address="07700900123" date="{t3}" type="2" body="Leave me alone." read="1" status="-1" locked="0" date_sent="0" readable_date="20 Nov 2026 21:20:00" contact_name="(Unknown)" />
  <sms protocol="0" address="07700 900789" date="{t4}" type="1" body="Team drinks friday?" read="1" status="-1" locked="0" date_sent="{t4}" readable_date="22 Nov 2026 12:00:00" contact_name="Sam Lee" />
</smses>
"""


ENTRY_FIELDS = ["when_utc", "when_local", "zone", "which_time", "kind", "label", "summary"]


def _ms(text: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(text).timestamp() * 1000)


def write_case_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    chat = folder / "WhatsApp Chat with Gaz (work).txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    sms = folder / "sms-20261125.xml"
    sms.write_text(
        SMS.format(
            t1=_ms("2026-11-20T21:14:40+00:00"), t2=_ms("2026-11-21T08:30:00+00:00"),
            t3=_ms("2026-11-20T21:20:00+00:00"), t4=_ms("2026-11-22T12:00:00+00:00"),
        ),
        encoding="utf-8",
    )  # fmt: skip
    note = folder / "facebook-post.png"
    note.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return {"chat": chat, "sms": sms, "picture": note}


class Case:
    """A vault with the case 'Work': the chat (item `chat`), the SMS backup (`sms`), a file."""

    def __init__(self, cli: Cli, folder: Path) -> None:
        self.cli = cli
        files = write_case_files(folder)
        for key in ("chat", "sms"):
            done = cli(
                "import", str(files[key]), "--tz", "Europe/London", "--case", "Work", "--json"
            )
            assert done.exit_code == 0, done.output
            setattr(self, key, json.loads(done.stdout.splitlines()[0])["item_id"])
        added = cli("add", str(files["picture"]), "--case", "Work", "--json")
        assert added.exit_code == 0, added.output
        self.picture = json.loads(added.stdout)[0]["id"]

    def json(self, *args: str) -> object:
        done = self.cli(*args, "--json", env={"LANG": "en_GB.UTF-8"})
        assert done.exit_code == 0, done.output
        return json.loads(done.stdout)

    def run(self, *args: str) -> object:
        return self.cli(*args, env={"LANG": "en_GB.UTF-8"})


@pytest.fixture
def case(cli: Cli, tmp_path: Path) -> Case:
    return Case(cli, tmp_path / "files")


@pytest.fixture
def gb(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """This computer's locale says Great Britain (numbers without +44 are read as British)."""
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)
    return lambda: None
