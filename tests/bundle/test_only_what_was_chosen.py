"""Only what was chosen travels: a bundle of one case holds no byte of another case's notes,
names or file names, and no bundle holds the sender's paths, computer or account name.
The custody chain still verifies end to end: other acts travel as opaque links."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from evidence_kit.vault.files import add_file
from tests.bundle.conftest import capture_meta, png

SECRET_NOTE = "GP signed me off for anxiety; do not share with work"
SECRET_CASE = "Health and family"
SECRET_FILE = "sick-note-from-Dr-Ahmed.pdf"
HOSTNAME = "PRIYA-LAPTOP-7731"  # the computer's name, as a capture records it in the vault
ACCOUNT = "priya_h_win"  # the operating-system account, likewise


def everything_in(zip_path: Path, tmp_path: Path) -> str:
    """Every entry of the bundle as text, the PDF's text extracted too."""
    parts: list[str] = [zip_path.name]
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            parts.append(info.filename)
            parts.append(data.decode("utf-8", "replace"))
            if info.filename.endswith(".pdf"):
                pdf = tmp_path / "report.pdf"
                pdf.write_bytes(data)
                text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
                parts.append(text.stdout)
    return "\n".join(parts)


@pytest.fixture
def two_cases(vault: Vault, tmp_path: Path) -> dict[str, int]:
    home = tmp_path / "home" / "priya-private"
    home.mkdir(parents=True)
    secret = home / SECRET_FILE
    secret.write_bytes(b"%PDF-1.4 fit note\n")
    letter = home / "letter-from-manager.pdf"
    letter.write_bytes(b"%PDF-1.4 a letter\n")
    ids = {}
    ids["secret"] = add_file(vault, secret, case=SECRET_CASE, note=SECRET_NOTE).id
    ids["letter"] = add_file(vault, letter, case="Work", note="Handed to me on Monday").id
    with vault.transaction() as w:
        sha, size = w.put([png(text="post")])
        meta = capture_meta("https://example.social/post/9")
        meta["device"] = {"os": "Linux", "hostname": HOSTNAME, "os_user": ACCOUNT,
                          "program": "Evidence Kit"}  # fmt: skip
        ids["shot"] = w.add_item(
            ItemKind.SCREENSHOT,
            sha256=sha, size=size, media_type="image/png", original_name="screenshot.png",
            case="Work", metadata=meta,
        ).id  # fmt: skip
    with vault.transaction() as w:
        w.add_note(ids["secret"], "Second appointment on Thursday")
    return ids


@pytest.mark.parametrize("audience", ["manager", "police", "rep"])
def test_a_case_bundle_carries_nothing_of_the_other_case(
    vault: Vault, two_cases: dict[str, int], tmp_path: Path, audience: str
) -> None:
    result = export_bundle(vault, Options(audience=audience, case="Work"), tmp_path / audience)
    text = everything_in(result.zip_path, tmp_path)
    for secret in (SECRET_NOTE, SECRET_CASE, SECRET_FILE, "Second appointment", "priya-private"):
        assert secret not in text, secret
    assert str(tmp_path) not in text  # no absolute source path
    for private in (HOSTNAME, ACCOUNT):  # nowhere: not in item.json, the report or the PDF
        assert private not in text, private
    assert "Handed to me on Monday" in text and "letter-from-manager.pdf" in text
    report = verify_bundle(result.zip_path)
    assert report.ok, report.failed()
    assert "as links only" in report.get("custody-chain").detail  # type: ignore[union-attr]


def test_chosen_items_carry_no_other_items_notes(
    vault: Vault, two_cases: dict[str, int], tmp_path: Path
) -> None:
    chosen = (two_cases["letter"], two_cases["shot"])
    result = export_bundle(vault, Options(audience="police", item_ids=chosen), tmp_path / "out")
    text = everything_in(result.zip_path, tmp_path)
    assert SECRET_NOTE not in text and SECRET_FILE not in text and SECRET_CASE not in text
    assert verify_bundle(result.zip_path).ok
