"""The hand-over wizard's protection for the journey (age, with a password or for a person's
key), the read-aloud fingerprint on its last page, and the verify window's comparison of the
fingerprint the sender told (either form)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from evidence_kit.bundle.format.keys import read_aloud
from evidence_kit.ui.dialogs.export_wizard import ExportWizard
from evidence_kit.ui.dialogs.verify_window import VerifyWindow
from evidence_kit.ui.operations.bundle import fingerprint_matches
from tests.bundle.test_transport import age_with_passphrase, keypair
from tests.ui.conftest import run_task

needs_age = pytest.mark.skipif(shutil.which("age") is None, reason="Debian's age is not installed")
STRONG = "lantern orbit velvet chimney"


def to_where_page(qtbot, session, tmp_path: Path) -> ExportWizard:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(session.exporting.wizard_opened, timeout=5_000) as opened:
        session.window.export_button.click()
    wizard: ExportWizard = opened.args[0]
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.choose.isComplete(), timeout=10_000)
    wizard.next()
    wizard.audience.buttons["manager"].setChecked(True)
    wizard.audience.name.setText("Alex Doe")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.contents.isComplete(), timeout=10_000)
    wizard.next()
    assert wizard.currentPage() is wizard.where
    wizard.where.folder.setText(str(tmp_path / "out"))
    return wizard


def finish(qtbot, session, wizard: ExportWizard):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(session.exporting.exported, timeout=60_000) as done:
        wizard.next()
    return done.args[0]


def seal_digits(qtbot, session) -> str:  # type: ignore[no-untyped-def]
    return run_task(qtbot, session.runner, lambda job: read_aloud(job.need_vault().seal_public_key))


def test_the_done_page_shows_the_fingerprint_to_read_aloud(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = to_where_page(qtbot, session, tmp_path)
    assert wizard.where.transport.plain.isChecked()  # no protection unless asked for
    done = finish(qtbot, session, wizard)
    page = wizard.done_page
    digits = seal_digits(qtbot, session)
    assert page.read_aloud.text() == digits == done.read_aloud
    assert len(digits.split()) == 8 and all(len(g) == 5 and g.isdigit() for g in digits.split())
    assert "read out the eight groups" in page.advice.text()
    assert done.path.suffix == ".zip" and f"Send {done.path.name}" in page.what.text()


@needs_age
def test_a_password_is_asked_twice_judged_and_opens_the_file_with_age(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path, shown_errors
) -> None:
    wizard = to_where_page(qtbot, session, tmp_path)
    transport = wizard.where.transport
    transport.with_password.setChecked(True)
    assert not transport.password_box.isHidden() and transport.key_box.isHidden()
    assert not wizard.where.isComplete() and "password" in transport.problem.text().lower()
    transport.password.setText("password1")
    transport.again.setText("password1")
    assert "too easy to guess" in transport.problem.text() and not wizard.where.isComplete()
    transport.password.setText(STRONG)
    transport.again.setText(STRONG + " ")
    assert "same password" in transport.problem.text() and not wizard.where.isComplete()
    transport.again.setText(STRONG)
    assert wizard.where.isComplete() and transport.problem.text() == ""
    done = finish(qtbot, session, wizard)
    encrypted = done.path
    assert encrypted.name.endswith(".zip.age") and done.encrypted_for == ("a passphrase",)
    out = tmp_path / "out"
    assert not any(p.name.endswith(".zip") for p in out.iterdir())  # never a plain zip
    words = wizard.done_page.what.text()
    assert f"Send {encrypted.name}" in words and "free program age" in words and "by phone" in words
    assert wizard.done_page.sha.text() == hashlib.sha256(encrypted.read_bytes()).hexdigest()
    plain = tmp_path / "opened.zip"
    assert age_with_passphrase(encrypted, plain, STRONG) == 0
    window = VerifyWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.checked, timeout=60_000) as checked:
        window.check(plain)
    assert checked.args[0].ok and window.read_aloud.text() == done.read_aloud
    window.close()
    assert not shown_errors


@needs_age
def test_for_a_persons_key_pasted_or_from_a_file(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    identity, public = keypair(tmp_path)
    wizard = to_where_page(qtbot, session, tmp_path)
    transport = wizard.where.transport
    transport.with_key.setChecked(True)
    assert not wizard.where.isComplete()
    transport.keys.setPlainText("my friend's key")
    assert "is not a public key" in transport.problem.text() and not wizard.where.isComplete()
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("shopping: milk, eggs\n")
    transport.read_key_file(not_a_key)
    assert "holds no public key" in transport.problem.text()
    key_file = tmp_path / "friend.pub"
    key_file.write_text(f"# created: today\n{public}\n")
    transport.read_key_file(key_file)
    assert transport.recipients() == (public,) and wizard.where.isComplete()
    done = finish(qtbot, session, wizard)
    assert done.path.name.endswith(".zip.age") and done.encrypted_for == (public,)
    assert "only the person whose key you gave" in wizard.done_page.what.text()
    plain = tmp_path / "opened.zip"
    subprocess.run(["age", "-d", "-i", str(identity), "-o", str(plain), str(done.path)], check=True)
    assert plain.stat().st_size > 0


def test_the_fingerprint_told_is_compared_in_either_form() -> None:
    sha, digits = "SHA256:abcDEF123+/xyz", "01234 56789 01234 56789 01234 56789 01234 56789"
    assert fingerprint_matches(sha, digits, sha) is True
    assert fingerprint_matches(sha, digits, "abcDEF123+/xyz") is True  # without its prefix
    assert fingerprint_matches(sha, digits, "0123456789-0123456789 01234567890123456789") is True
    assert fingerprint_matches(sha, digits, "SHA256:abcDEF123+/xyZ") is False  # case counts
    assert (
        fingerprint_matches(sha, digits, "01234 56789 01234 56789 01234 56789 01234 56788") is False
    )
    assert fingerprint_matches(sha, digits, "01234 56789") is None  # not all of it yet
    assert fingerprint_matches(sha, digits, "  ") is None


def test_the_verify_window_takes_the_digits_the_sender_read_out(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path
) -> None:
    wizard = to_where_page(qtbot, session, tmp_path)
    done = finish(qtbot, session, wizard)
    window = VerifyWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.checked, timeout=60_000):
        window.check(done.path)
    assert window.read_aloud.text() == done.read_aloud
    window.expected.setText(done.read_aloud.replace(" ", "-"))
    assert window.match.text().startswith("✔")
    window.expected.setText(done.read_aloud[:11])
    assert "all eight groups" in window.match.text()
    wrong = done.read_aloud[:-1] + ("1" if done.read_aloud[-1] != "1" else "2")
    window.expected.setText(wrong)
    assert "do NOT match" in window.match.text()
    window.close()
