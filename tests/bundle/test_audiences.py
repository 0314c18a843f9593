"""Audience presets that mean it, file by file: a manager's bundle holds no byte of an original
that has a redaction and no full frame of a region capture, lists what it withheld by label and
SHA-256, and the police's bundle of the same case has every original under the same labels —
so the police can check what the manager was shown."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.importers import import_file
from evidence_kit.redaction.pictures import Box
from evidence_kit.redaction.store import disclose, redact_messages, redact_picture
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, populate, unpack

CHAT = (
    "24/10/2026, 19:02 - Gareth Holloway: Tell Sam Carter I know where he lives\n"
    "24/10/2026, 19:03 - Sam Carter: leave us alone\n"
    "24/10/2026, 19:04 - Gareth Holloway: Final warning\n"
)


@pytest.fixture
def case(vault: Vault, tmp_path: Path) -> dict[str, int]:
    ids = populate(vault)
    # A picture redaction of the region capture's crop, and a redacted chat.
    ids["crop_redacted"] = redact_picture(vault, ids["crop"], [Box(0, 0, 40, 20)], "a name").id
    path = tmp_path / "WhatsApp Chat with Gareth Holloway.txt"
    path.write_text(CHAT, "utf-8")
    ids["chat"] = import_file(vault, path, tz="Europe/London", case=CASE).item.id
    ids["chat_redacted"] = redact_messages(vault, ids["chat"], [], ["Sam Carter"], "a bystander").id
    return ids


def bundle_files(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as archive:
        return {info.filename.split("/", 1)[1]: archive.read(info) for info in archive.infolist()}


def records(files: dict[str, bytes]) -> dict[str, dict]:  # type: ignore[type-arg]
    return {
        (record := json.loads(data))["uid"]: record
        for name, data in files.items()
        if name.endswith("/item.json")
    }


def test_the_manager_gets_redactions_and_crops_and_a_list_of_what_was_withheld(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    made = export_bundle(vault, Options(audience="manager", case=CASE), tmp_path / "m")
    assert verify_bundle(made.zip_path).ok
    files = bundle_files(made.zip_path)
    everything = b"".join(files.values())
    travelled = {r["uid"] for r in records(files).values()}
    uid = {name: vault.item(item_id).uid for name, item_id in case.items()}
    for name in (
        "redacted",
        "crop_redacted",
        "chat_redacted",
        "note",
        "file",
        "import",
        "attachment",
    ):
        assert uid[name] in travelled, name
    for name in ("shot", "shot2", "crop", "chat", "withdrawn"):
        assert uid[name] not in travelled, name
    # Not one byte of an original that has a redaction, nor of a full frame of a region capture.
    for name in ("shot", "shot2", "crop", "chat"):
        assert b"".join(vault.content(case[name])) not in everything, name
    assert b"Sam Carter" not in everything
    withheld = json.loads(files["bag/data/case/withheld.json"])
    by_sha = {w["sha256"]: w for w in withheld}
    for name in ("shot", "shot2", "crop", "chat"):
        assert vault.item(case[name]).sha256 in by_sha, name
    assert all(set(w) == {"exhibit", "kind", "sha256", "why"} for w in withheld)
    html = files["bag/data/report/evidence-report.html"].decode()
    assert (
        "What was withheld from this bundle" in html and "a redacted copy was given instead" in html
    )
    event = json.loads(files["bag/data/custody/continuity-log.jsonl"].splitlines()[-1])
    assert {w["sha256"] for w in event["details"]["withheld"]} == set(by_sha)


def test_labels_agree_across_audiences_and_the_police_can_check_the_managers_copy(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    manager = export_bundle(vault, Options(audience="manager", case=CASE), tmp_path / "m")
    police = export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "p")
    m_records, p_records = (
        records(bundle_files(manager.zip_path)),
        records(bundle_files(police.zip_path)),
    )
    for item_uid, record in m_records.items():  # the same exhibit, the same label
        assert p_records[item_uid]["exhibit"] == record["exhibit"]
    withheld = json.loads(bundle_files(manager.zip_path)["bag/data/case/withheld.json"])
    police_labels = {r["sha256"]: r["exhibit"] for r in p_records.values()}
    for entry in withheld:
        assert police_labels[entry["sha256"]] == entry["exhibit"]
    # The police hold the originals: the manager's redacted copies check against them.
    m_top, p_top = (
        unpack(manager.zip_path, tmp_path / "mu"),
        unpack(police.zip_path, tmp_path / "pu"),
    )
    chat_uid, copy_uid = vault.item(case["chat"]).uid, vault.item(case["chat_redacted"]).uid
    copy_folder = m_top / "bag" / m_records[copy_uid]["path"].rsplit("/", 1)[0]
    original_messages = (
        p_top / "bag" / p_records[chat_uid]["path"].rsplit("/", 1)[0] / "messages.jsonl"
    )
    copy_file = m_top / "bag" / m_records[copy_uid]["path"]
    salt = tmp_path / "salt.json"
    salt.write_text(json.dumps(disclose(vault, case["chat_redacted"], message=1)))
    vault_folder = vault.folder
    for args in ([], ["--salt", str(salt)]):
        done = subprocess.run(
            [sys.executable, "-m", "evidence_kit", "--vault", str(vault_folder), "verify-redaction",
             str(copy_file), str(original_messages), "--proof", str(copy_folder / "item.json"), *args],
            capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    # And a picture: the crop's redaction against the police's crop.
    crop_uid, red_uid = vault.item(case["crop"]).uid, vault.item(case["crop_redacted"]).uid
    done = subprocess.run(
        [sys.executable, "-m", "evidence_kit", "verify-redaction",
         str(m_top / "bag" / m_records[red_uid]["path"]), str(p_top / "bag" / p_records[crop_uid]["path"])],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert hashlib.sha256(
        (p_top / "bag" / p_records[crop_uid]["path"]).read_bytes()
    ).hexdigest() == (vault.item(case["crop"]).sha256)


def test_the_rep_gets_everything_and_the_police_every_original(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    rep = records(
        bundle_files(
            export_bundle(vault, Options(audience="rep", case=CASE), tmp_path / "r").zip_path
        )
    )
    assert {vault.item(i).uid for i in case.values()} <= set(rep)
    police = records(bundle_files(
        export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "p").zip_path))  # fmt: skip
    wanted = {vault.item(i).uid for name, i in case.items() if name != "withdrawn"}
    assert wanted <= set(police)
