"""Verify: a good bundle passes every check; any change to any byte fails and names the check."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_kit.bundle.export import ExportResult
from evidence_kit.bundle.format import bag, keys, layout, seal
from evidence_kit.bundle.format.custody import canonical, event_hash
from evidence_kit.bundle.verify import VerifyReport, verify_bundle
from tests.bundle.conftest import Exporter, unpack

FIXTURE_OK = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def sealed(export: Exporter, tmp_path: Path) -> tuple[ExportResult, Path]:
    result = export("police")
    return result, unpack(result.zip_path, tmp_path / "pristine")


def fresh_copy(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "work" / pristine.name
    shutil.rmtree(target.parent, ignore_errors=True)
    shutil.copytree(pristine, target)
    return target


def files_of(top: Path) -> list[Path]:
    return sorted(p for p in top.rglob("*") if p.is_file())


def failed_names(report: VerifyReport) -> set[str]:
    return {check.name for check in report.failed()}


def reseal(
    top: Path, key: Ed25519PrivateKey | None = None, info_edit: dict[str, str] | None = None
) -> None:
    """Rewrite manifests, Payload-Oxum and tag manifests consistently; re-sign if given a key."""
    bag_dir = top / "bag"
    payload = sorted(p for p in (bag_dir / "data").rglob("*") if p.is_file())
    rel = [p.relative_to(bag_dir).as_posix() for p in payload]
    for algorithm in layout.ALGORITHMS:
        entries = [
            (r, hashlib.new(algorithm, p.read_bytes()).hexdigest())
            for r, p in zip(rel, payload, strict=True)
        ]
        (bag_dir / f"manifest-{algorithm}.txt").write_bytes(bag.manifest(entries))
    info, _ = bag.parse_bag_info((bag_dir / "bag-info.txt").read_bytes())
    info["Payload-Oxum"] = bag.payload_oxum(sum(p.stat().st_size for p in payload), len(payload))
    info.update(info_edit or {})
    (bag_dir / "bag-info.txt").write_bytes(bag.bag_info(info))
    for algorithm in layout.ALGORITHMS:
        entries = [
            (n, hashlib.new(algorithm, (bag_dir / n).read_bytes()).hexdigest())
            for n in layout.TAG_FILES
        ]
        (bag_dir / f"tagmanifest-{algorithm}.txt").write_bytes(bag.manifest(entries))
    if key is not None:
        public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        files = seal.seal_files((bag_dir / "tagmanifest-sha256.txt").read_bytes(), public, key.sign)
        for name, data in files.items():
            (top / "seal" / name).write_bytes(data)


def test_a_good_bundle_passes_every_check(sealed: tuple[ExportResult, Path]) -> None:
    result, top = sealed
    for target in (result.zip_path, top, top.parent):
        report = verify_bundle(target, expect_key=result.fingerprint)
        assert report.ok, report.failed()
        assert report.fingerprint == result.fingerprint
        assert report.bundle_id == result.bundle_id
    names = {c.name for c in verify_bundle(result.zip_path).checks}
    for needed in ("zip safety", "bagit.txt", "bag-info.txt", "Payload-Oxum", "SSH signature",
                   "Ed25519 signature", "custody chain", "custody ends with this export",
                   "item records", "nothing missing, nothing extra",
                   "payload files match manifest-sha256.txt", "payload files match manifest-sha512.txt",
                   f"{result.zip_path.name}.sha256"):  # fmt: skip
        assert needed in names


@FIXTURE_OK
@given(data=st.data())
def test_a_flipped_byte_anywhere_is_caught(
    sealed: tuple[ExportResult, Path], tmp_path: Path, data: st.DataObject
) -> None:
    _, pristine = sealed
    top = fresh_copy(pristine, tmp_path)
    target = data.draw(st.sampled_from(files_of(top)))
    raw = bytearray(target.read_bytes())
    if not raw:
        return
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] ^= data.draw(st.integers(1, 255))
    target.write_bytes(bytes(raw))
    report = verify_bundle(top)
    assert not report.ok, f"{target.relative_to(top)} byte {at}"
    assert report.failed()


@FIXTURE_OK
@given(data=st.data())
def test_truncated_added_or_deleted_files_are_caught(
    sealed: tuple[ExportResult, Path], tmp_path: Path, data: st.DataObject
) -> None:
    _, pristine = sealed
    top = fresh_copy(pristine, tmp_path)
    action = data.draw(st.sampled_from(["truncate", "delete", "add"]))
    if action == "add":
        folder = data.draw(
            st.sampled_from(
                ["", "bag", "bag/data", "bag/data/items/0001", "seal", "bag/data/report"]
            )
        )
        name = data.draw(st.from_regex(r"[a-z]{1,8}\.(txt|png|json)", fullmatch=True))
        (top / folder / name).write_bytes(data.draw(st.binary(max_size=64)))
    else:
        target = data.draw(st.sampled_from(files_of(top)))
        if action == "delete":
            target.unlink()
        else:
            size = target.stat().st_size
            target.write_bytes(target.read_bytes()[: data.draw(st.integers(0, max(0, size - 1)))])
    assert not verify_bundle(top).ok


@FIXTURE_OK
@given(byte=st.integers(0, 10**9), value=st.integers(1, 255))
def test_a_changed_zip_is_caught(
    sealed: tuple[ExportResult, Path], tmp_path: Path, byte: int, value: int
) -> None:
    result, _ = sealed
    work = tmp_path / "z"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    copy = work / result.zip_path.name
    raw = bytearray(result.zip_path.read_bytes())
    raw[byte % len(raw)] ^= value
    copy.write_bytes(bytes(raw))
    shutil.copy(result.sha256_path, work)
    report = verify_bundle(copy)
    assert not report.ok and report.failed()


def test_edited_bag_info_is_caught(sealed: tuple[ExportResult, Path], tmp_path: Path) -> None:
    top = fresh_copy(sealed[1], tmp_path)
    info = top / "bag/bag-info.txt"
    info.write_text(info.read_text().replace("Evidence-Audience: police", "Evidence-Audience: rep"))
    assert "tagmanifest-sha256.txt" in failed_names(verify_bundle(top))


def test_consistently_rewritten_manifests_fail_the_signatures(
    sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    top = fresh_copy(sealed[1], tmp_path)
    shot = top / "bag/data/items/0002/screenshot.png"
    shot.write_bytes(shot.read_bytes() + b"forged")
    reseal(top)
    failed = failed_names(verify_bundle(top))
    assert {"SSH signature", "Ed25519 signature"} <= failed
    assert "payload files match manifest-sha256.txt" not in failed  # the forger made them agree


def rewrite_chain(top: Path, fingerprint: str, events: set[int]) -> None:
    """Put `fingerprint` into the chosen events (by position) and re-link the whole chain."""
    log = top / "bag/data/custody/continuity-log.jsonl"
    chain = [json.loads(line) for line in log.read_text().splitlines()]
    for position in events:
        chain[position]["details"]["seal_key_fingerprint"] = fingerprint
    previous = "0" * 64
    for event in chain:
        event["prev_hash"] = previous
        if set(event) != {"seq", "hash", "prev_hash"}:
            event["hash"] = event_hash({k: v for k, v in event.items() if k != "hash"})
        previous = event["hash"]
    log.write_bytes(b"".join(canonical(e) + b"\n" for e in chain))


def test_resigned_with_another_key_is_caught_by_expect_key(
    sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    result, pristine = sealed
    top = fresh_copy(pristine, tmp_path)
    other = Ed25519PrivateKey.generate()
    other_fp = keys.fingerprint(
        other.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    # A forger who rewrites only the export event and bag-info is caught by the first event,
    # which names the key the vault was created with.
    half = fresh_copy(pristine, tmp_path / "half")
    rewrite_chain(half, other_fp, events={-1})
    reseal(half, other, {"Evidence-Seal-Key-Fingerprint": other_fp})
    assert failed_names(verify_bundle(half)) == {"custody begins with the sealing vault"}
    # A thorough forger rewrites the whole chain: only the fingerprint from the sender tells.
    rewrite_chain(top, other_fp, events={0, -1})
    reseal(top, other, {"Evidence-Seal-Key-Fingerprint": other_fp})
    without = verify_bundle(top)
    assert without.ok and without.fingerprint == other_fp != result.fingerprint
    assert "sender must confirm" in without.summary
    with_key = verify_bundle(top, expect_key=result.fingerprint)
    assert failed_names(with_key) == {"seal key is the expected one"}
    by_digits = verify_bundle(top, expect_key=result.read_aloud)
    assert failed_names(by_digits) == {"seal key is the expected one"}
    # Re-signed but bag-info still naming the real key: caught even without --expect-key.
    top2 = fresh_copy(pristine, tmp_path / "second")
    reseal(top2, other)
    assert "seal key" in failed_names(verify_bundle(top2))


def test_removed_signatures_are_caught(sealed: tuple[ExportResult, Path], tmp_path: Path) -> None:
    top = fresh_copy(sealed[1], tmp_path)
    (top / "seal" / layout.SSHSIG_FILE).unlink()
    (top / "seal" / layout.RAWSIG_FILE).unlink()
    assert {"SSH signature", "Ed25519 signature"} <= failed_names(verify_bundle(top))
    shutil.rmtree(top / "seal")
    assert {"SSH signature", "Ed25519 signature", "seal key"} <= failed_names(verify_bundle(top))


@pytest.mark.parametrize("how", ["edit", "drop-last", "drop-middle"])
def test_edited_or_dropped_custody_events_are_caught(
    sealed: tuple[ExportResult, Path], tmp_path: Path, how: str
) -> None:
    top = fresh_copy(sealed[1], tmp_path)
    log = top / "bag/data/custody/continuity-log.jsonl"
    lines = log.read_text().splitlines()
    if how == "edit":
        event = json.loads(lines[3])
        event["action"] = "nothing happened"
        lines[3] = json.dumps(event)
    elif how == "drop-last":
        lines = lines[:-1]
    else:
        del lines[4]
    log.write_text("\n".join(lines) + "\n")
    reseal(top)  # even with the manifests made to agree
    failed = failed_names(verify_bundle(top))
    assert "SSH signature" in failed
    if how == "drop-last":
        assert "custody ends with this export" in failed
    else:
        assert "custody chain" in failed


def _hostile_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


@pytest.mark.parametrize(
    "name, problem",
    [
        ("/etc/passwd", "absolute path"),
        ("EVB-20260314-00000000/../../evil.txt", "'..'"),
        ("EVB-20260314-00000000\\bag\\x.txt", "backslashes"),
        ("C:/evil.txt", "absolute path"),
    ],
)
def test_zip_with_unsafe_names_fails_zip_safety(tmp_path: Path, name: str, problem: str) -> None:
    path = _hostile_zip(
        tmp_path / "bad.zip", [("EVB-20260314-00000000/VERIFY.txt", b"x"), (name, b"evil")]
    )
    report = verify_bundle(path)
    check = next(c for c in report.checks if c.name == "zip safety")
    assert not check.passed and problem in check.detail
    assert not (tmp_path / "evil.txt").exists()


def test_zip_with_links_duplicates_and_bombs_fails_zip_safety(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("EVB-20260314-00000000/bag/link")
    link.external_attr = 0o120777 << 16
    bomb = zipfile.ZipInfo("EVB-20260314-00000000/bag/bomb")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    path = tmp_path / "bad.zip"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _hostile_zip(path, [(link, b"/etc/passwd"), ("EVB-20260314-00000000/a", b"1"),
                            ("EVB-20260314-00000000/a", b"2"), (bomb, b"\0" * (8 << 20))])  # fmt: skip
    detail = next(c for c in verify_bundle(path).checks if c.name == "zip safety").detail
    assert "symbolic link" in detail and "twice" in detail and "would expand" in detail


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip at all")
    report = verify_bundle(path)
    assert not report.ok and failed_names(report) == {"zip safety"}


def test_folder_with_a_symlink_fails(sealed: tuple[ExportResult, Path], tmp_path: Path) -> None:
    top = fresh_copy(sealed[1], tmp_path)
    (top / "bag/data/link").symlink_to("/etc/passwd")
    assert "folder safety" in failed_names(verify_bundle(top))
