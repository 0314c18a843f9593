"""The person's journey through the real `evidence-kit-gui`, as a newcomer does it: once by
mouse and keyboard, once by keyboard alone (see journey.py for every step).

A real X server (Xvfb) with a window manager (openbox) and the accessibility bus; the real
program started as a person starts it; no dialog replaced, nothing called in the program.
Every step leaves a screenshot in the folder the test prints. Afterwards the vault and the
bundle are read with the command line, in their own processes, to check what the windows said.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.e2e.journey import PASSPHRASE, Journey
from tests.support.desktop import Desktop

pytestmark = pytest.mark.xvfb
SCREEN = (1280, 800)


def cli(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--vault", str(vault), *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def plain(record: dict) -> str:  # type: ignore[type-arg]
    """An item.json as the wizard lists it: "Kind: name" (a screenshot by kind alone)."""
    email = (record.get("import") or {}).get("format") in ("eml", "mbox", "msg")
    kind = {"screenshot": "Screenshot", "derived": "Cut-out", "attachment": "Attachment",
            "import": "E-mail" if email else "Conversation"}[record["kind"]]  # fmt: skip
    return f"{kind}: {record['original_name']}"


def walk_the_journey(tmp_path: Path, mode: str) -> tuple[Journey, Path, Path]:
    home, vault = tmp_path / "home", tmp_path / "home" / "vault"
    home.mkdir()
    shots = tmp_path / "screenshots"
    print(f"\nscreenshots of the {mode} journey: {shots}")
    with Desktop(home, SCREEN, shots=shots) as desk:
        program = desk.start_program(vault)
        journey = Journey(desk, mode, home)
        try:
            journey.first_run()
            journey.put_things_on_screen()
            journey.capture_full()
            journey.capture_region()
            journey.capture_window()
            journey.imports()
            journey.read_conversation()
            journey.open_attachments()
            journey.search_everything()
            journey.note_and_withdraw()
            journey.lock_and_unlock()
            journey.move_item()
            bundle = journey.hand_over()
            journey.verify(bundle)
            journey.close_and_start_again(program, vault)
        except BaseException:
            desk.shot("FAILED")
            logs = "\n".join(p.read_text("utf-8", "replace")[-2000:] for p in home.glob("*.log"))
            print(f"the program said:\n{logs}")
            raise
    return journey, vault, bundle


def check_what_happened(journey: Journey, vault: Path, bundle: Path) -> None:
    """The vault (released: the command line can open it) holds what the windows said."""
    cases = json.loads(cli(vault, "cases", "--json").stdout)
    assert [(c["name"], c["items"]) for c in cases] == [("Night shift group", 4)]
    items = json.loads(cli(vault, "list", "--json").stdout)
    kinds = sorted(item["kind"] for item in items)
    assert kinds == sorted(
        ["screenshot"] * 3 + ["derived"] * 2 + ["import"] * 2 + ["attachment"] * 4
    ), kinds
    withdrawn = [item for item in items if item["withdrawn"]]
    assert len(withdrawn) == 1
    chat = next(i for i in items if i["kind"] == "import" and i["original_name"].endswith(".zip"))
    assert chat["evidence_time"]["which"] == "sent"
    assert chat["evidence_time"]["utc"].startswith("2025-10-12T20:02")  # 21:02 in London
    shown = json.loads(cli(vault, "show", str(chat["id"]), "--json").stdout)
    assert [n["text"] for n in shown["notes"]] == [
        "Dana sent these while I was on shift; my manager saw them."
    ]
    actions = [e["action"] for e in json.loads(cli(vault, "log", "--json").stdout)]
    for act in ("case created", "item moved", "item withdrawn", "note added", "bundle exported"):
        assert act in actions, act
    # The wizard listed exactly what went into the bundle.
    with zipfile.ZipFile(bundle) as archive:
        records = [
            json.loads(archive.read(n)) for n in archive.namelist() if n.endswith("/item.json")
        ]
    sealed = sorted(plain(r) for r in records)
    listed = sorted(
        line if line.startswith(("Screenshot", "Cut-out")) else line.removesuffix("  (withdrawn)")
        for line in journey.listed
    )
    assert len(sealed) == len(listed) == 8
    # held back from the manager: the full screen the cut-out was made from, listed in the
    # bundle by label and hash only
    assert len(journey.held_back) == 1 and "Screenshot" in journey.held_back[0]
    # the first page listed the whole case: what goes in and what is held back
    chosen = [line.removesuffix("  (withdrawn)") for line in journey.chosen]
    assert set(journey.listed) <= set(chosen)
    assert journey.held_back[0].removeprefix("Held back — ") in chosen
    assert [s.split(": ")[0] for s in sealed] == [line.split(": ")[0] for line in listed]
    named = [line for line in listed if not line.startswith(("Screenshot", "Cut-out"))]
    assert named == [s for s in sealed if not s.startswith(("Screenshot", "Cut-out"))]
    verified = cli(vault, "verify", str(bundle))
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_journey_by_mouse_and_keyboard(tmp_path: Path) -> None:
    journey, vault, bundle = walk_the_journey(tmp_path, "mouse")
    check_what_happened(journey, vault, bundle)
    assert len(list((tmp_path / "screenshots").glob("*.png"))) >= 35


def test_the_journey_by_keyboard_alone(tmp_path: Path) -> None:
    journey, vault, bundle = walk_the_journey(tmp_path, "keyboard")
    check_what_happened(journey, vault, bundle)
    assert any("region-by-keys" in p.name for p in (tmp_path / "screenshots").iterdir())
