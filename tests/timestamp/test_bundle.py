"""Time-stamps in a bundle: each exhibit's token with its hash list, the token over the seal and
the authority's chain; `verify` and `openssl ts -verify` check them; an export made while the
authority is down says so, and the tokens that arrive later go into the next export."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.timestamp import flush
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, populate, unpack
from tests.support.tsa import LocalTSA


def openssl_verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", "ts", "-verify", *args], capture_output=True, text=True)


def test_a_stamped_bundle_verifies_with_evidence_kit_and_openssl(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    populate(vault)
    assert flush(vault).stamped >= 1
    result = export_bundle(vault, Options("police", case=CASE), tmp_path / "out")
    assert result.sealed_with_token and result.seal_time_stamp.startswith(
        "time-stamped by Local Test TSA"
    )
    assert result.items_time_stamped >= 2
    report = verify_bundle(result.zip_path)
    assert report.ok, [c for c in report.checks if not c.passed]
    tokens = report.get("timestamps")
    assert tokens is not None and tokens.passed
    assert "time-stamped by Local Test TSA at 20" in tokens.detail
    assert report.get("seal-timestamp") is not None and report.get("seal-timestamp").passed  # type: ignore[union-attr]
    assert not report.notes
    folder = unpack(result.zip_path, tmp_path / "unpacked")
    chain = folder / "seal" / "tsa-chain.pem"
    done = openssl_verify("-data", str(folder / "bag" / "tagmanifest-sha256.txt"),
                          "-in", str(folder / "seal" / "tagmanifest-sha256.txt.tsr"), "-CAfile", str(chain))  # fmt: skip
    assert "Verification: OK" in done.stdout, done.stderr
    token = next((folder / "bag" / "data" / "items").glob("*/*.tsr"))
    listed = token.with_name(token.name + ".list")
    done = openssl_verify("-data", str(listed), "-in", str(token), "-CAfile", str(chain))
    assert "Verification: OK" in done.stdout, done.stderr
    digest = subprocess.run(
        ["sha256sum", str(token.with_suffix(""))], capture_output=True, text=True
    ).stdout.split()[0]
    assert f"{digest}  item:" in listed.read_text()  # the file's hash is in the list
    # The report's cover says which times are independently witnessed.
    html = (folder / "bag" / "data" / "report" / "evidence-report.html").read_text()
    assert "independently witnessed for" in html and "Local Test TSA" in html
    assert "independently witnessed for" in (folder / "VERIFY.txt").read_text()
    pdf = folder / "bag" / "data" / "report" / "evidence-report.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "independently witnessed for" in " ".join(text.split())
    # "What is missing" never says there are no tokens when there are: it names the exhibits
    # without one, if any.
    missing = html.split('id="missing"')[1].split("<h2")[0] if 'id="missing"' in html else html
    assert "No RFC 3161 time-stamp tokens" not in missing


def test_export_while_the_authority_is_down_says_so_and_the_next_carries_the_tokens(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    populate(vault)
    tsa.stop()
    first = export_bundle(vault, Options("police", case=CASE), tmp_path / "one")
    assert not first.sealed_with_token and "could not be reached" in first.seal_time_stamp
    report = verify_bundle(first.zip_path)
    assert report.ok and report.get("timestamps") is None  # nothing to check: said plainly
    with zipfile.ZipFile(first.zip_path) as bundle:
        assert not [n for n in bundle.namelist() if n.endswith((".tsr", "tsa-chain.pem"))]
        verify_txt = bundle.read(f"{first.bundle_id}/VERIFY.txt").decode()
    assert "none of the exhibits carries one yet" in verify_txt
    with zipfile.ZipFile(first.zip_path) as bundle:
        html = bundle.read(f"{first.bundle_id}/bag/data/report/evidence-report.html").decode()
    assert "No RFC 3161 time-stamp tokens" in html  # and the report says none was witnessed
    tsa.start()
    assert flush(vault).stamped >= 1  # the items and the first bundle's own hash
    second = export_bundle(vault, Options("police", case=CASE), tmp_path / "two")
    report = verify_bundle(second.zip_path)
    assert report.ok and "time-stamped by Local Test TSA" in report.get("timestamps").detail  # type: ignore[union-attr]


@pytest.mark.parametrize("attack", ["other-token", "list-edited"])
def test_a_swapped_token_fails_verify(
    vault: Vault, tsa: LocalTSA, tmp_path: Path, attack: str
) -> None:
    populate(vault)
    flush(vault)
    result = export_bundle(vault, Options("police", case=CASE), tmp_path / "out")
    folder = unpack(result.zip_path, tmp_path / "unpacked")
    if attack == "other-token":
        # A genuine token of the same authority, over something else, put in the seal's place.
        tsa.mode = "wrong-hash"
        from evidence_kit.bundle.format import tsp

        (folder / "seal" / "tagmanifest-sha256.txt.tsr").write_bytes(
            tsa.answer(tsp.make_request(b"another bundle").der)[1]
        )
        failed = "seal-timestamp"
    else:
        listed = next((folder / "bag" / "data" / "items").glob("*/*.tsr.list"))
        listed.write_text(listed.read_text().replace("item:", "item:9"))
        failed = "timestamps"
    report = verify_bundle(folder)
    check = report.get(failed)
    assert check is not None and not check.passed and not report.ok


@pytest.mark.parametrize("system", ["linux", "macos"])
def test_the_stock_blocks_check_the_time_stamps(
    vault: Vault, tsa: LocalTSA, tmp_path: Path, system: str
) -> None:
    import shutil

    from evidence_kit.vault.files import add_file
    from tests.bundle.test_stock_blocks import block_from, rezip, run_block

    populate(vault)
    (tmp_path / "receipt.tsr").write_bytes(b"a file of the case that ends in .tsr")
    add_file(
        vault, tmp_path / "receipt.tsr", case=CASE
    )  # evidence, not a token: not checked as one
    flush(vault)
    result = export_bundle(vault, Options("police", case=CASE), tmp_path / "out")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in (result.zip_path, result.sha256_path):
        shutil.copy(path, inbox / path.name)
    with zipfile.ZipFile(result.zip_path) as bundle:
        verify_txt = bundle.read(f"{result.bundle_id}/VERIFY.txt").decode()
    block = block_from(verify_txt, system, result.bundle_id)
    code, output, _ = run_block(block, inbox)
    assert code == 0 and "RESULT: ALL CHECKS PASSED" in output, output
    assert "ok:     the time-stamp over tagmanifest-sha256.txt is good" in output
    assert "ok:     every exhibit's time-stamp is good" in output
    assert "seal TSA: DirName:/CN=Local Test TSA" in output
    # A genuine token from the same authority over something else, in the seal's place.
    from evidence_kit.bundle.format import tsp

    top = inbox / result.bundle_id
    tsa.mode = "wrong-hash"
    (top / "seal" / "tagmanifest-sha256.txt.tsr").write_bytes(
        tsa.answer(tsp.make_request(b"another").der)[1]
    )
    rezip(top, inbox / f"{result.bundle_id}.zip")
    code, output, _ = run_block(block, inbox)
    assert code != 0 and "FAILED: the time-stamp over tagmanifest-sha256.txt is not good" in output


def test_an_exhibit_that_is_itself_a_tsr_file_is_evidence_not_a_token(
    vault: Vault, tsa: LocalTSA, tmp_path: Path
) -> None:
    from evidence_kit.vault.files import add_file

    (tmp_path / "reply-from-the-bank.tsr").write_bytes(b"\x30\x03\x02\x01\x00 not ours")
    item = add_file(vault, tmp_path / "reply-from-the-bank.tsr", case="Odd")
    tsa.stop()
    result = export_bundle(vault, Options("police", item_ids=(item.id,)), tmp_path / "out")
    report = verify_bundle(result.zip_path)
    assert report.ok, [c for c in report.checks if not c.passed]
    tokens = report.get("timestamps")
    assert tokens is None or "not time-stamped" in tokens.detail


def test_an_unreadable_ca_file_does_not_stop_an_export(
    vault: Vault, tsa: LocalTSA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(vault)
    monkeypatch.setenv("EVIDENCE_KIT_TSA_CA", str(tmp_path / "missing.pem"))
    result = export_bundle(vault, Options("police", case=CASE), tmp_path / "out")
    assert not result.sealed_with_token
    assert "Cannot read the authority certificates in" in result.seal_time_stamp
    assert verify_bundle(result.zip_path).ok
