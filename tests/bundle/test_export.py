"""Export: the layout of DESIGN.md, exact bytes, audiences, custody, and stock tools agreeing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.format.custody import check_chain
from evidence_kit.errors import Cancelled, ExportError, VaultCorrupted
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, Exporter, unpack

BAGIT = Path(sys.executable).with_name("bagit.py")


def test_layout_and_exact_bytes(
    vault: Vault, evidence: dict[str, int], export: Exporter, tmp_path: Path
) -> None:
    result = export("police")
    assert result.zip_path.name == f"{result.bundle_id}.zip"
    assert re.fullmatch(r"EVB-\d{8}-[0-9A-F]{8}", result.bundle_id)
    sidecar = result.sha256_path.read_text("ascii")
    assert sidecar == f"{result.zip_sha256}  {result.zip_path.name}\n"
    assert sorted(p.name for p in result.zip_path.parent.iterdir()) == sorted(
        [result.zip_path.name, result.sha256_path.name]
    )  # no partial file left behind

    with zipfile.ZipFile(result.zip_path) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {name.split("/")[0] for name in names} == {result.bundle_id}
    assert len({info.date_time for info in infos}) == 1
    assert all(info.compress_type == zipfile.ZIP_STORED for info in infos)

    top = unpack(result.zip_path, tmp_path / "unpacked")
    bag = top / "bag"
    assert (
        bag / "bagit.txt"
    ).read_bytes() == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    info = dict(
        line.split(": ", 1) for line in (bag / "bag-info.txt").read_text("utf-8").splitlines()
    )
    for field in ("Source-Organization", "Contact-Name", "External-Identifier", "External-Description",
                  "Bagging-Date", "Payload-Oxum", "Bag-Software-Agent", "Bag-Group-Identifier",
                  "Evidence-Bundle-Format", "Evidence-Sealed-At", "Evidence-Seal-Key-Fingerprint",
                  "Evidence-Audience"):  # fmt: skip
        assert info.get(field), field
    assert info["External-Identifier"] == result.bundle_id
    assert info["Evidence-Bundle-Format"] == "evidence-bundle-v1"
    assert info["Evidence-Seal-Key-Fingerprint"] == vault.fingerprint
    assert info["Bag-Group-Identifier"] == CASE
    for manifest in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"):
        raw = (bag / manifest).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        lines = raw.decode().splitlines()
        assert lines == sorted(lines, key=lambda line: line.split("  ", 1)[1])
        assert all(re.fullmatch(r"[0-9a-f]{64,128}  [A-Za-z0-9._/-]+", line) for line in lines)

    # Every evidence file is the exact bytes from the vault, under an ASCII name.
    for folder in sorted((bag / "data" / "items").iterdir()):
        record = json.loads((folder / "item.json").read_text("utf-8"))
        if record["file"] is None:
            assert record["kind"] == "note"
            continue
        assert re.fullmatch(r"[A-Za-z0-9._-]+", record["file"])
        item = vault.item(record["vault_record"]["id"])
        assert (folder / record["file"]).read_bytes() == b"".join(vault.content(item.id))
        assert record["sha256"] == item.sha256 and record["original_name"] == item.original_name
        assert re.fullmatch(r"PR/\d+|TO/\d+", record["exhibit"])
        if record["kind"] == "derived":
            assert record["parent"]["sha256"] == record["derived"]["from_sha256"]
        if record["kind"] == "import":
            lines = (folder / "messages.jsonl").read_text("utf-8").splitlines()
            assert [json.loads(line)["text"] for line in lines] == [
                "you are useless",
                "please stop",
            ]
    names_on_disk = {p.name for p in (bag / "data" / "items").rglob("*") if p.is_file()}
    assert "Скриншот 2.png" not in names_on_disk and "screenshot-2.png" in names_on_disk


def test_custody_log_ends_with_this_export(vault: Vault, export: Exporter, tmp_path: Path) -> None:
    before = len(vault.custody_events())
    result = export("police")
    top = unpack(result.zip_path, tmp_path / "u")
    lines = (top / "bag/data/custody/continuity-log.jsonl").read_text("utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert check_chain(events) == []
    assert len(events) == before + 1
    assert events[-1]["action"] == "bundle exported"
    assert events[-1]["details"]["bundle_id"] == result.bundle_id
    # The vault's chain holds the same events, committed: in full where they are about this
    # bundle's exhibits (and the first), as links where they are not.
    stored_records = list(vault.custody_records())
    for event, stored in zip(events, stored_records, strict=False):
        assert event == stored or event == {k: stored[k] for k in ("seq", "hash", "prev_hash")}
    # After the export, in the same transaction, the bundle's hash was queued for a time-stamp.
    assert [r["action"] for r in stored_records[len(events) :]] == ["time-stamp queued"]
    assert stored_records[-1]["subject"] == f"bundle:{result.bundle_id}"


def test_withdrawn_items_left_out_and_counted(
    vault: Vault, evidence: dict[str, int], export: Exporter, tmp_path: Path
) -> None:
    result = export("police")
    assert result.withdrawn_left_out == 1
    top = unpack(result.zip_path, tmp_path / "u")
    uids = {json.loads(p.read_text())["vault_record"]["id"] for p in top.rglob("item.json")}
    assert evidence["withdrawn"] not in uids
    html = (top / "bag/data/report/evidence-report.html").read_text("utf-8")
    assert "1 item(s) in scope were withdrawn" in html


def _exported_ids(result_zip: Path, into: Path) -> set[int]:
    top = unpack(result_zip, into)
    return {json.loads(p.read_text())["vault_record"]["id"] for p in top.rglob("item.json")}


def test_audiences(
    vault: Vault, evidence: dict[str, int], export: Exporter, tmp_path: Path
) -> None:
    everything = set(evidence.values())
    police = _exported_ids(export("police").zip_path, tmp_path / "p")
    assert police == everything - {evidence["withdrawn"]}
    manager = _exported_ids(export("manager").zip_path, tmp_path / "m")
    # The redacted copy replaces its original, and a region's crop its full screen.
    assert evidence["redacted"] in manager and evidence["shot2"] not in manager
    assert evidence["crop"] in manager and evidence["shot"] not in manager
    assert evidence["withdrawn"] not in manager
    rep = _exported_ids(export("rep").zip_path, tmp_path / "r")
    assert rep == everything


def test_police_get_the_original_of_a_chosen_crop(
    vault: Vault, evidence: dict[str, int], tmp_path: Path
) -> None:
    options = Options(audience="police", item_ids=(evidence["redacted"],))
    police = export_bundle(vault, options, tmp_path / "p")
    assert _exported_ids(police.zip_path, tmp_path / "pu") == {
        evidence["redacted"],
        evidence["shot2"],
    }
    manager = export_bundle(
        vault, Options(audience="manager", item_ids=(evidence["shot2"],)), tmp_path / "m"
    )
    assert _exported_ids(manager.zip_path, tmp_path / "mu") == {evidence["redacted"]}


def test_cancelled_export_leaves_no_file_and_records_nothing(
    vault: Vault, evidence: dict[str, int], tmp_path: Path
) -> None:
    before = list(vault.custody_records())
    out = tmp_path / "out"
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        export_bundle(vault, Options(audience="police", case=CASE), out, cancel=cancel)
    assert list(out.iterdir()) == []
    assert list(vault.custody_records()) == before


def test_failed_export_leaves_no_file(
    vault: Vault, evidence: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evidence_kit.bundle import pdf

    def broken(*args: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "render", broken)
    before = list(vault.custody_records())
    with pytest.raises(ExportError, match="Cannot write the bundle"):
        export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
    assert list(vault.custody_records()) == before


def test_nothing_to_export(vault: Vault, evidence: dict[str, int], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no case called"):
        export_bundle(vault, Options(audience="police", case="nope"), tmp_path)
    with pytest.raises(ExportError, match="withdrawn"):
        export_bundle(
            vault, Options(audience="police", item_ids=(evidence["withdrawn"],)), tmp_path
        )
    assert not list(tmp_path.glob("*.zip"))


@pytest.mark.skipif(shutil.which("ssh-keygen") is None or shutil.which("openssl") is None,
                    reason="needs openssh-client and openssl (packaging/install-system-deps.sh)")  # fmt: skip
def test_bagit_validates_the_bag_and_is_not_fooled(
    vault: Vault, export: Exporter, tmp_path: Path
) -> None:
    result = export("manager")
    top = unpack(result.zip_path, tmp_path / "u")
    done = subprocess.run(
        [str(BAGIT), "--validate", "bag"], cwd=top, capture_output=True, text=True
    )
    assert done.returncode == 0 and "is valid" in done.stderr + done.stdout, done.stderr
    target = next((top / "bag/data/items").rglob("*.png"))
    target.write_bytes(target.read_bytes() + b"x")
    done = subprocess.run(
        [str(BAGIT), "--validate", "bag"], cwd=top, capture_output=True, text=True
    )
    assert done.returncode != 0


def _sealed_file(vault: Vault, sha256: str) -> Path:
    (name,) = vault.conn.execute(
        "SELECT f.name FROM blob_files f JOIN blobs b ON b.id = f.blob_id WHERE b.sha256 = ?",
        (sha256,),
    ).fetchone()
    return vault.content_files.path(name)


def test_content_changed_inside_the_vault_is_refused_and_leaves_nothing(
    vault: Vault, evidence: dict[str, int], tmp_path: Path
) -> None:
    """Bytes changed behind the vault's back never travel: a sealed file overwritten (it no
    longer opens), or — by someone holding the key — sealed again with other bytes (they no
    longer hash). The check before export reads the records, not every byte; the export itself
    opens and re-hashes every byte it sends."""
    from evidence_kit.vault.content_files import BlobFile

    item = vault.item(evidence["shot"])
    path = _sealed_file(vault, item.sha256)
    original = path.read_bytes()
    before = len(vault.custody_events())
    out = tmp_path / "out"
    path.write_bytes(bytes(len(original)))
    with pytest.raises(VaultCorrupted, match="was changed, moved or replaced"):
        export_bundle(vault, Options(audience="police", case=CASE), out)
    assert list(out.iterdir()) == []
    path.unlink()
    resealed = BlobFile(vault.content_files, path.name)  # other bytes, the same length
    plain = b"".join(vault.content(evidence["shot2"]))[: item.size].ljust(item.size, b"x")
    for start in range(0, item.size, 1 << 20):
        resealed.add(plain[start : start + (1 << 20)])
    resealed.finish()
    assert path.stat().st_size == len(original)
    with pytest.raises(VaultCorrupted, match="no longer hashes"):
        export_bundle(vault, Options(audience="police", case=CASE), out)
    assert list(out.iterdir()) == []
    assert len(vault.custody_events()) == before


def test_the_interpreter_switch_interval_is_restored_after_an_export(
    vault: Vault, evidence: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export shortens it while the zip's threads and the PDF's layout share Python's lock;
    afterwards — finished or failed half way — it is what it was."""
    from evidence_kit.bundle import pdf

    before = sys.getswitchinterval()
    export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "a")
    assert sys.getswitchinterval() == before

    def broken(*_args: object, **_kwargs: object) -> bytes:
        assert sys.getswitchinterval() < before  # while the files stream
        raise RuntimeError("the printer caught fire")

    monkeypatch.setattr(pdf, "render", broken)
    with pytest.raises(RuntimeError, match="caught fire"):
        export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "b")
    assert sys.getswitchinterval() == before
    assert not any(p.suffix == ".zip" for p in (tmp_path / "b").iterdir())
