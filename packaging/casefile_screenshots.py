"""Screenshots of the case file window (issue 14) for the README: each tab and the incident
form, made with Qt's `grab()` on a fictional case — Priya Rao's, about Gareth Holloway — in a
temporary vault (never a real one). `make_screenshots.py` calls `make`; on its own:

    python packaging/casefile_screenshots.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NAMES = (
    "38-case-file-incidents", "39-case-file-people", "40-case-file-statement",
    "41-case-file-chronology", "42-case-file-incident-form",
)  # fmt: skip
STATEMENT = """\
I have worked in the Leeds office since March 2024. Gareth Holloway is a team leader on my floor.

After I raised a complaint about him with HR on 20 November 2026, he messaged me on WhatsApp \
the same evening ("u think ur clever going to HR", then "Final warning") and texted me "You've \
got till Friday" a minute later. I asked him to stop.

On 24 November he shouted at me in the team meeting in front of Dee Okafor. That evening he \
sent a photo on WhatsApp and then deleted a message before I could read it.

I now dread going in. I have not slept properly since the 20th.
"""


def _run(runner: Any, fn: Callable[[Any], Any]) -> Any:
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    found: list[Any] = []
    failed: list[BaseException] = []

    def done(value: Any) -> None:
        found.append(value)
        loop.quit()

    def refused(exc: BaseException) -> None:
        failed.append(exc)
        loop.quit()

    runner.submit(fn, on_done=done, on_error=refused)
    loop.exec()
    if failed:
        raise failed[0]
    return found[0]


def _fill(job: Any, files: dict[str, Path]) -> None:
    from evidence_kit.casefile import incidents, people, statement
    from evidence_kit.casefile.incidents import Draft
    from evidence_kit.importers.run import import_file

    vault = job.need_vault()
    with vault.transaction() as writer:
        writer.add_case("Work")
    chat = import_file(vault, files["chat"], tz="Europe/London", case="Work").item.id
    import_file(vault, files["sms"], tz="Europe/London", case="Work")
    gb = "GB"
    with vault.transaction() as writer:
        people.add(writer, "Priya Rao", "the person")
        people.add(writer, "Gareth Holloway", "reported person",
                   [people.parse_identifier("phone:07700 900123", gb),
                    people.parse_identifier("whatsapp:Gaz (work)")])  # fmt: skip
        people.add(
            writer, "Dee Okafor", "witness", [people.parse_identifier("phone:07700 900456", gb)]
        )
        incidents.add(writer, "Work", Draft(
            when="2026-11-20 21:12", until="2026-11-20 21:15", zone="Europe/London",
            title="Threats on WhatsApp and by text after I went to HR", where="WhatsApp, SMS",
            what="He wrote “u think ur clever going to HR”, then “Final warning”; a minute later "
                 "a text: “You've got till Friday”.",
            impact="I was shaking and could not sleep.", people=["Gareth Holloway"],
            offences=["PHA1997-s2", "CA2003-s127"], messages=[f"{chat}:1-3"],
        ))  # fmt: skip
        incidents.add(writer, "Work", Draft(
            when="2026-11-24 09:40", zone="Europe/London",
            title="Shouted at me in the team meeting", where="Office, 3rd floor meeting room",
            what="He shouted that I was “making things up” and told me to “watch myself”.",
            impact="I left the meeting in tears.", people=["Gareth Holloway"],
            witnesses=["Dee Okafor"], offences=["PHA1997-s2"],
            references=["HR case 2026-114"],
        ))  # fmt: skip
        incidents.add(writer, "Work", Draft(
            when="2026-11-24 18:02", until="2026-11-24 18:03", zone="Europe/London",
            title="A photo, then a deleted message", where="WhatsApp",
            people=["Gareth Holloway"], messages=[f"{chat}:4-5"],
        ))  # fmt: skip
        case_id = writer.find_case("Work")
        assert case_id is not None
        statement.write(writer, case_id, STATEMENT)


def make(out: Path) -> list[Path]:
    """Make the case file's pictures in `out`; returns their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["LANG"] = "en_GB.UTF-8"
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from evidence_kit.ui.dialogs.casefile_forms import IncidentForm
    from evidence_kit.ui.dialogs.casefile_window import CaseFileWindow
    from evidence_kit.ui.operations import casefile as ops
    from evidence_kit.ui.operations.vault_ops import create_vault
    from evidence_kit.ui.tasks import TaskRunner
    from evidence_kit.vault import TEST_KDF
    from tests.casefile.conftest import write_case_files

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    made: list[Path] = []
    try:
        with tempfile.TemporaryDirectory(prefix="evidence-kit-casefile-shots-") as temp:
            files = write_case_files(Path(temp) / "files")
            _run(runner, lambda job: create_vault(job, Path(temp) / "vault", "a long fictional passphrase",
                                                  "Priya Rao", TEST_KDF, None))  # fmt: skip
            _run(runner, lambda job: _fill(job, files))
            view = _run(runner, lambda job: ops.load(job, "Work"))
            window = CaseFileWindow("Work")
            window.resize(1100, 640)
            window.show_view(view)
            window.show()
            out.mkdir(parents=True, exist_ok=True)
            for index, name in enumerate(NAMES[:4]):
                window.tabs.setCurrentIndex(index)
                app.processEvents()
                made.append(out / f"{name}.png")
                window.grab().save(str(made[-1]))
            first = view.file.incidents[0]
            form = IncidentForm("Work", view.everyone, {}, first, 1, window, view.titles)
            form.resize(760, 900)
            form.show()
            app.processEvents()
            made.append(out / f"{NAMES[4]}.png")
            form.grab().save(str(made[-1]))
            form.close()
            window.close()
    finally:
        runner.stop()
    return made


if __name__ == "__main__":
    for path in make(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(f"saved {path}")
