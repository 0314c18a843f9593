"""A rep's covering note: written to case/covering-note.txt inside the sealed payload (so the
seal covers it), shown in both reports, and named by its SHA-256 in the export event; absent
when none is written."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.format import layout
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.handover.receive import receive_bundle
from evidence_kit.vault import TEST_KDF, Vault
from tests.bundle.conftest import CASE, populate
from tests.conftest import PASSPHRASE

NOTE = "I am Sam, the union rep helping Alex.\r\nAlex gave me this on 2 December — unchanged.\n"


def test_a_covering_note_travels_sealed_and_is_in_the_report(vault: Vault, tmp_path: Path) -> None:
    populate(vault)
    sent = export_bundle(vault, Options(audience="rep", case=CASE), tmp_path / "sent").zip_path
    rep = Vault.create(tmp_path / "rep", PASSPHRASE, owner="Sam Rep", kdf=TEST_KDF).vault
    try:
        receive_bundle(rep, sent)
        made = export_bundle(rep, Options(audience="manager", case=CASE, covering_note=NOTE),
                             tmp_path / "onward")  # fmt: skip
        plain = export_bundle(rep, Options(audience="manager", case=CASE), tmp_path / "plain")
        events = [e for e in rep.custody_events() if e.action == layout.EXPORT_ACTION]
    finally:
        rep.close()
    assert verify_bundle(made.zip_path).ok
    with zipfile.ZipFile(made.zip_path) as archive:
        top = archive.namelist()[0].split("/")[0]
        body = archive.read(f"{top}/bag/data/{layout.CASE_COVERING_NOTE}")
        manifest = archive.read(f"{top}/bag/manifest-sha256.txt").decode()
        html = archive.read(f"{top}/bag/data/{layout.REPORT_HTML}").decode()
    want = "I am Sam, the union rep helping Alex.\nAlex gave me this on 2 December — unchanged.\n"
    assert body.decode("utf-8") == want
    digest = hashlib.sha256(body).hexdigest()
    assert f"{digest}  data/{layout.CASE_COVERING_NOTE}" in manifest
    assert "Covering note from Sam Rep" in html and "Alex gave me this on 2 December" in html
    assert [e.details.get("covering_note_sha256") for e in events] == [digest, None]
    with zipfile.ZipFile(plain.zip_path) as archive:
        assert not any(n.endswith(layout.CASE_COVERING_NOTE) for n in archive.namelist())
