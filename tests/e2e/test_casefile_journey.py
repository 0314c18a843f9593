"""The case file through the real `evidence-kit-gui` (Xvfb, openbox, the accessibility bus;
nothing in the program replaced): import a chat into a case, Case → Case file (Ctrl+K), add an
incident with the chat's selected row linked, write the statement, read the chronology — then
the command line finds exactly that in the vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.journey import T, cells
from tests.e2e.rep_journey import RepJourney
from tests.e2e.test_journey import SCREEN, cli
from tests.support.atspi import wait_for
from tests.support.desktop import Desktop

pytestmark = pytest.mark.xvfb
CASE = "Night shift group"
STATEMENT = "Since October Dana has sent me messages at night.\nI am frightened to go to work.\n"


def test_an_incident_and_a_statement_by_mouse(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    vault = home / "vault"
    shots = tmp_path / "screenshots"
    print(f"\nscreenshots of the case file journey: {shots}")
    with Desktop(home, SCREEN, shots=shots) as desk:
        journey = RepJourney(desk, "mouse", home)
        try:
            program = desk.start_program(vault)
            journey.first_run()
            import_into_a_new_case(journey, home)
            journey.show_cases_entry(CASE)
            journey.select_row("Conversation")
            desk.key("ctrl+k")  # Case → Case file…
            window = journey.window("Case file")
            journey.press(window, "Add an incident", ("alt+a",))
            form = journey.window("Incident")
            journey.fill(form, "When it happened", "2025-10-12 21:02")
            journey.fill(form, "Title", "Threats by WhatsApp after my shift")
            journey.fill(form, "What happened", "Dana wrote that she knows where I park.")
            journey.shot("casefile-incident-form")
            journey.press(form, "Save the incident", ("alt+s",))
            journey.gone(form)
            listed = journey.find(window, "Incidents")
            wait_for(lambda: any("Threats by WhatsApp" in c.name for c in cells(listed)), T,
                     "the incident in the list")  # fmt: skip
            journey.shot("casefile-incidents")
            desk.key("alt+t")  # the Statement tab
            journey.fill(window, "Your statement", STATEMENT.replace("\n", " ").strip())
            journey.press(window, "Save a new version", ("alt+s",))
            wait_for(lambda: "Version 1 saved" in journey.text_of(window, "Statement version"), T,
                     "the statement to be saved")  # fmt: skip
            desk.key("alt+h")  # the chronology
            journey.shot("casefile-chronology")
            journey.close_window(window)
            journey.close_window(journey.main)
            assert program.wait(timeout=60) == 0
        except BaseException:
            desk.shot("FAILED")
            raise
    incidents = json.loads(cli(vault, "incidents", "--case", CASE, "--json").stdout)
    assert [i["title"] for i in incidents] == ["Threats by WhatsApp after my shift"]
    assert incidents[0]["when"].startswith("2025-10-12T21:02") and incidents[0]["version"] == 1
    assert incidents[0]["zone"]  # the zone it was typed in is stored
    linked = incidents[0]["items"]
    assert len(linked) == 1  # the conversation chosen in the list when the form was opened
    stated = cli(vault, "statement", "--case", CASE)
    assert stated.returncode == 0 and "frightened to go to work" in stated.stdout


def import_into_a_new_case(journey: RepJourney, home: Path) -> None:
    """Import the chat (with its numbers) into a case made in the import's own question."""
    from tests.e2e.rep_journey import CHAT_WITH_NUMBERS

    path = home / "WhatsApp Chat with Dana.txt"
    path.write_text(CHAT_WITH_NUMBERS, "utf-8")
    journey.desk.click(journey.find(journey.main, "Import a file"))
    journey.open_file("Import a chat or e-mail export, or any file", path)
    question = journey.window("Import a file")
    journey.choose_case(question, CASE, new_case=True)
    journey.fill(question, "City or country", "London")
    wait_for(lambda: "Europe/London" in journey.text_of(question, "Chosen time zone"), T,
             "the zone to be found from the city")  # fmt: skip
    journey.press(question, "Import", ("Return",))
    summary = journey.window("Imported", 120)
    journey.press(summary, "OK", ("Return",))
    journey.gone(summary)
    journey.main = journey.window("Evidence Kit")
