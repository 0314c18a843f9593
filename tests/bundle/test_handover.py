"""Hand-over: a person → rep → manager chain of bundles. The rep's vault takes in the person's
bundle (verified first), keeps its bytes, records and the sender's seal exactly; the rep's own
bundle carries the sender's seal on, so its recipient checks both signers, and every exhibit's
SHA-256 is the same end to end."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.handover.receive import ReceiveRefused, receive_bundle
from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.vault.check import check_vault
from tests.bundle.conftest import CASE, populate
from tests.conftest import PASSPHRASE, Cli


@pytest.fixture
def rep(tmp_path: Path) -> Vault:
    created = Vault.create(tmp_path / "rep-vault", PASSPHRASE, owner="Sam Rep", kdf=TEST_KDF)
    return created.vault


@pytest.fixture
def sent(vault: Vault, tmp_path: Path) -> Path:
    populate(vault)
    return export_bundle(vault, Options(audience="manager", case=CASE), tmp_path / "sent").zip_path


def test_person_to_rep_to_manager_verifies_with_both_seals(
    vault: Vault, rep: Vault, sent: Path, tmp_path: Path
) -> None:
    person_fp = vault.fingerprint
    taken = receive_bundle(rep, sent, expect_key=person_fp)
    assert taken.sender_fingerprint == person_fp and not taken.already
    assert taken.item.kind == ItemKind.RECEIVED and taken.item.sha256
    person = {r["sha256"] for r in _records(sent) if r["sha256"]}
    assert {i.sha256 for i in taken.items if i.sha256} == person
    # The rep's own acts continue their own chain: a note on a received exhibit.
    with rep.transaction() as writer:
        writer.add_note(taken.items[0].id, "Spoke to the person on Monday; they confirm this.")
    assert check_vault(rep).ok
    acts = [e.action for e in rep.custody_events()]
    assert "bundle received" in acts and "reception recorded" in acts
    onward = export_bundle(rep, Options(audience="manager", case=CASE), tmp_path / "onward")
    report = verify_bundle(onward.zip_path)
    assert report.ok, report.failed()
    assert report.fingerprint == rep.fingerprint != person_fp
    assert [s[1] for s in report.received_signers] == [person_fp]
    assert person_fp in report.summary and rep.fingerprint in report.summary
    received = report.get("received")
    assert received is not None and received.passed and "each exactly as sealed" in received.detail
    final = {r["sha256"] for r in _records(onward.zip_path) if r["sha256"]}
    assert person <= final  # every exhibit's SHA-256 unchanged, end to end
    labels = {r["sha256"]: r["exhibit"] for r in _records(sent) if r["sha256"]}
    for record in _records(onward.zip_path):
        if record["sha256"] in labels:  # the received exhibits keep the person's labels
            assert record["exhibit"] == labels[record["sha256"]]
            assert record["received"]["seal_carried"] is True


def test_a_tampered_carried_seal_fails(
    vault: Vault, rep: Vault, sent: Path, tmp_path: Path
) -> None:
    receive_bundle(rep, sent)
    onward = export_bundle(rep, Options(audience="rep", case=CASE), tmp_path / "onward")
    top = tmp_path / "u"
    with zipfile.ZipFile(onward.zip_path) as archive:
        archive.extractall(top)
    (inner,) = list(top.iterdir())
    folder = next((inner / "received").iterdir())
    manifest = folder / "manifest-sha256.txt"
    manifest.write_text(manifest.read_text().replace("a", "b", 1))
    assert "received" in {c.id for c in verify_bundle(inner).failed()}


def test_receiving_twice_stores_nothing_twice_and_a_bad_bundle_is_refused(
    vault: Vault, rep: Vault, sent: Path, tmp_path: Path
) -> None:
    first = receive_bundle(rep, sent)
    count = rep.last_item_id()
    again = receive_bundle(rep, sent)
    assert again.already and again.item.id == first.item.id and rep.last_item_id() == count
    bad = tmp_path / "bad" / sent.name
    bad.parent.mkdir()
    raw = bytearray(sent.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    bad.write_bytes(bytes(raw))
    with pytest.raises(ReceiveRefused, match="was not taken in"):
        receive_bundle(rep, bad)
    with pytest.raises(ReceiveRefused, match="seal key is the expected one"):
        receive_bundle(
            rep, shutil.copy(sent, tmp_path / sent.name), expect_key="SHA256:not-the-key"
        )
    assert rep.last_item_id() == count


def test_the_command_line_receives(cli: Cli, vault: Vault, sent: Path) -> None:
    fingerprint = vault.fingerprint
    vault.close()
    done = cli("receive", str(sent), "--expect-key", fingerprint, "--json")
    assert done.exit_code == 0, done.output
    taken = json.loads(done.stdout)
    assert taken["sender_fingerprint"] == fingerprint and taken["items"]
    again = cli("receive", str(sent))
    assert again.exit_code == 0 and "already taken in" in again.stdout


def _records(zip_path: Path) -> list[dict]:  # type: ignore[type-arg]
    with zipfile.ZipFile(zip_path) as archive:
        return [json.loads(archive.read(n)) for n in archive.namelist()
                if n.endswith("/item.json") and "/received/" not in n]  # fmt: skip
