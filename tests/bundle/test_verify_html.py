"""The browser verifier agrees with `evidence-kit verify`: on a good bundle (zip, folder, the
nested folder of Windows' "Extract all") and on every tampering of the tamper tests
(test_verify.py, test_container.py, test_stock_blocks.py), the page, run in headless Chromium,
fails the same checks — the same ids, in the same order — as verify_bundle, or passes them all.
It fetches nothing, its canonical JSON is Python's on hostile strings, and the committed page is
what packaging/build_verify_html.py builds."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.bundle.export import ExportResult
from evidence_kit.bundle.format import keys, layout
from evidence_kit.bundle.format.custody import canonical
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.vault import Vault
from tests.bundle import test_container as container
from tests.bundle import test_stock_blocks as blocks
from tests.bundle.conftest import Exporter, unpack
from tests.bundle.test_verify import files_of, fresh_copy, reseal, rewrite_chain
from tests.support.browser import PAGE, VerifierPage, launch, tab

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    yield from launch()


@pytest.fixture
def verifier(chromium: Any) -> Iterator[VerifierPage]:
    yield from tab(chromium)


def sidecar_of(target: Path) -> Path | None:
    side = target.with_name(target.name + ".sha256")
    return side if target.is_file() and side.is_file() else None


def agree(page: VerifierPage, target: Path, expect_key: str | None = None) -> dict[str, Any]:
    """Verify with both; assert the same verdict and the same checks failed, in order."""
    python = verify_bundle(target, expect_key=expect_key)
    shown = page.check(target, sidecar=sidecar_of(target), expect_key=expect_key)
    assert "error" not in shown, shown
    assert page.errors == [], page.errors
    ids = [c["id"] for c in shown["checks"]]
    failed = [c["id"] for c in shown["checks"] if not c["passed"]]
    assert ids == [c.id for c in python.checks], (ids, [c.id for c in python.checks])
    assert failed == [c.id for c in python.failed()], (shown["checks"], python.failed())
    assert shown["ok"] is python.ok
    assert shown["fingerprint"] == python.fingerprint
    assert shown["readAloud"] == python.read_aloud
    if python.ok:
        assert shown["summary"] == python.summary
    return shown


@pytest.fixture
def sealed(export: Exporter, tmp_path: Path) -> tuple[ExportResult, Path]:
    result = export("police")
    return result, unpack(result.zip_path, tmp_path / "pristine")


def test_the_committed_page_is_what_the_build_makes() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "packaging/build_verify_html.py"), "--check"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = PAGE.read_text("utf-8")
    assert "<script src" not in text and "http://" not in text.split("<script")[0]
    assert "connect-src 'none'" in text and "default-src 'none'" in text


def test_a_good_bundle_passes_as_zip_folder_and_nested_folder(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    result, top = sealed
    shown = agree(verifier, result.zip_path)
    assert shown["ok"] and "zip-sha256" in [c["id"] for c in shown["checks"]]
    assert shown["fingerprint"] == result.fingerprint and shown["readAloud"] == result.read_aloud
    assert shown["bundleId"] == result.bundle_id
    agree(verifier, top)
    nested = tmp_path / "nested" / result.bundle_id
    nested.parent.mkdir()
    shutil.copytree(top, nested / result.bundle_id)
    agree(verifier, nested)
    for given in (result.fingerprint, result.read_aloud, result.read_aloud.replace(" ", "-")):
        assert agree(verifier, result.zip_path, expect_key=given)["ok"]
    assert not agree(verifier, result.zip_path, expect_key="SHA256:not-the-key")["ok"]
    assert not agree(verifier, result.zip_path, expect_key="12345")["ok"]
    # It fetched nothing: the page itself, and its own hashing workers (blob: addresses).
    assert all(url.startswith(("file://", "blob:")) for url in verifier.requests), verifier.requests
    # The sealed copy of the page is in the bundle, next to VERIFY.txt.
    assert "verify-html" in [c["id"] for c in shown["checks"]]


def test_what_a_person_sees(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    """The verdict, the key in both forms, every check: screenshots kept for a person to look at
    (EVIDENCE_KIT_SCREENSHOTS=folder keeps them)."""
    import os

    result, top = sealed
    keep = Path(os.environ.get("EVIDENCE_KIT_SCREENSHOTS", tmp_path))
    keep.mkdir(parents=True, exist_ok=True)
    verifier.page.set_viewport_size({"width": 1000, "height": 1300})
    verifier.check(result.zip_path, sidecar=result.sha256_path, expect_key=result.read_aloud)
    assert verifier.page.inner_text("#read-aloud") == result.read_aloud
    assert "checks passed: the bundle is intact" in verifier.page.inner_text("#verdict")
    verifier.page.screenshot(path=str(keep / "verify-html-good.png"), full_page=True)
    shot = top / "bag/data/items/0002/screenshot.png"
    shot.write_bytes(shot.read_bytes() + b"x")
    verifier.check(top)
    verdict = verifier.page.inner_text("#verdict")
    assert "FAILED" in verdict and "Do not rely on this bundle" in verdict
    failed = verifier.page.locator("#checks li.fail").all_inner_texts()
    assert any("payload files match manifest-sha256.txt" in line for line in failed)
    verifier.page.screenshot(path=str(keep / "verify-html-tampered.png"), full_page=True)


# -- test_verify.py's tamperings --------------------------------------------------------------


def test_a_flipped_byte_in_every_file_is_caught_alike(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    pick = random.Random(17)
    for target in files_of(sealed[1]):
        top = fresh_copy(sealed[1], tmp_path)
        victim = top / target.relative_to(sealed[1])
        raw = bytearray(victim.read_bytes())
        raw[pick.randrange(len(raw))] ^= pick.randrange(1, 256)
        victim.write_bytes(bytes(raw))
        assert not agree(verifier, top)["ok"], victim


def test_truncated_added_or_deleted_files_are_caught_alike(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    pristine = sealed[1]
    for folder in ["", "bag", "bag/data", "bag/data/items/0001", "seal", "bag/data/report"]:
        top = fresh_copy(pristine, tmp_path)
        (top / folder / "extra.txt").write_bytes(b"added")
        assert not agree(verifier, top)["ok"], folder
    for target in files_of(pristine)[::2]:
        for action in ("delete", "truncate"):
            top = fresh_copy(pristine, tmp_path)
            victim = top / target.relative_to(pristine)
            if action == "delete":
                victim.unlink()
            else:
                victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
            assert not agree(verifier, top)["ok"], (action, victim)


def test_a_changed_zip_is_caught_alike(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    result, _ = sealed
    raw = result.zip_path.read_bytes()
    with zipfile.ZipFile(result.zip_path) as archive:
        infos = archive.infolist()
    central = raw.rfind(b"PK\x01\x02", 0, len(raw) - 22)
    spots = [0, 8, 14, 26, infos[3].header_offset + 31, infos[5].header_offset + 40,
             central, central + 20, central + 42, len(raw) - 22, len(raw) - 6, len(raw) - 1]  # fmt: skip
    spots += random.Random(9).sample(range(len(raw)), 12)
    for spot in spots:
        work = tmp_path / f"z{spot}"
        work.mkdir()
        copy = work / result.zip_path.name
        changed = bytearray(raw)
        changed[spot] ^= 0x5A
        copy.write_bytes(bytes(changed))
        shutil.copy(result.sha256_path, work)
        assert not agree(verifier, copy)["ok"], spot


def test_bag_info_manifests_and_signatures_tampered_alike(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    pristine = sealed[1]
    top = fresh_copy(pristine, tmp_path)
    info = top / "bag/bag-info.txt"
    info.write_text(info.read_text().replace("Evidence-Audience: police", "Evidence-Audience: rep"))
    assert not agree(verifier, top)["ok"]
    top = fresh_copy(pristine, tmp_path)
    shot = top / "bag/data/items/0002/screenshot.png"
    shot.write_bytes(shot.read_bytes() + b"forged")
    reseal(top)
    assert not agree(verifier, top)["ok"]
    top = fresh_copy(pristine, tmp_path)
    (top / "seal" / layout.SSHSIG_FILE).unlink()
    (top / "seal" / layout.RAWSIG_FILE).unlink()
    assert not agree(verifier, top)["ok"]
    shutil.rmtree(top / "seal")
    assert not agree(verifier, top)["ok"]


def test_resigned_with_another_key_alike(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    result, pristine = sealed
    other = Ed25519PrivateKey.generate()
    raw = other.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    other_fp = keys.fingerprint(raw)
    half = fresh_copy(pristine, tmp_path / "half")
    rewrite_chain(half, other_fp, events={-1})
    reseal(half, other, {"Evidence-Seal-Key-Fingerprint": other_fp})
    assert [c["id"] for c in agree(verifier, half)["checks"] if not c["passed"]] == [
        "custody-genesis"
    ]
    top = fresh_copy(pristine, tmp_path / "whole")
    rewrite_chain(top, other_fp, events={0, -1})
    reseal(top, other, {"Evidence-Seal-Key-Fingerprint": other_fp})
    shown = agree(verifier, top)
    assert (
        shown["ok"]
        and shown["fingerprint"] == other_fp
        and "sender must confirm" in shown["summary"]
    )
    for given in (result.fingerprint, result.read_aloud):
        shown = agree(verifier, top, expect_key=given)
        assert [c["id"] for c in shown["checks"] if not c["passed"]] == ["expected-key"]
    second = fresh_copy(pristine, tmp_path / "second")
    reseal(second, other)
    assert not agree(verifier, second)["ok"]


@pytest.mark.parametrize("how", ["edit", "drop-last", "drop-middle"])
def test_edited_or_dropped_custody_events_alike(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path, how: str
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
    reseal(top)
    assert not agree(verifier, top)["ok"]


def test_hostile_zips_alike(verifier: VerifierPage, tmp_path: Path) -> None:
    import warnings

    top = "EVB-20260314-00000000"
    for i, name in enumerate(["/etc/passwd", f"{top}/../../evil.txt", f"{top}\\bag\\x.txt",
                              "C:/evil.txt", f"{top}/bag/\x1b[2Jx"]):  # fmt: skip
        path = tmp_path / f"n{i}" / f"{top}.zip"
        path.parent.mkdir()
        container.write_zip(path, [(zipfile.ZipInfo(f"{top}/VERIFY.txt"), b"x"),
                                   (zipfile.ZipInfo(name), b"evil")])  # fmt: skip
        assert not agree(verifier, path)["ok"]
    link = zipfile.ZipInfo(f"{top}/bag/link")
    link.external_attr = 0o120777 << 16
    bomb = zipfile.ZipInfo(f"{top}/bag/bomb")
    bomb.compress_type = zipfile.ZIP_DEFLATED
    path = tmp_path / "many.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        container.write_zip(path, [(link, b"/etc/passwd"), (zipfile.ZipInfo(f"{top}/a"), b"1"),
                                   (zipfile.ZipInfo(f"{top}/a"), b"2"), (bomb, b"\0" * (8 << 20))])  # fmt: skip
    assert not agree(verifier, path)["ok"]
    junk = tmp_path / "x.zip"
    junk.write_bytes(b"not a zip at all")
    assert [c["id"] for c in agree(verifier, junk)["checks"]] == ["container"]


# -- test_container.py's attacks -------------------------------------------------------------


def test_unicode_path_swap_and_lying_local_header_alike(
    verifier: VerifierPage, export: Exporter, tmp_path: Path
) -> None:
    result = export("police")
    entries = container.entries_of(result.zip_path)
    one, two = [info for info, _ in entries if info.filename.endswith(".png")][:2]
    for info, _ in entries:
        if info in (one, two):
            info.extra = container.unicode_path((two if info is one else one).filename)
    (tmp_path / "swap").mkdir()
    swapped = container.write_zip(tmp_path / "swap" / result.zip_path.name, entries)
    shown = agree(verifier, swapped)
    assert "second name" in next(c["detail"] for c in shown["checks"] if c["id"] == "container")
    raw = bytearray(result.zip_path.read_bytes())
    target = next(
        i for i, _ in container.entries_of(result.zip_path) if i.filename.endswith(".png")
    )
    raw[target.header_offset + 30 + len(target.filename) - 5] ^= 0x01
    (tmp_path / "local").mkdir()
    lying = tmp_path / "local" / result.zip_path.name
    lying.write_bytes(bytes(raw))
    assert not agree(verifier, lying)["ok"]


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, zipfile.ZIP_DEFLATED])
def test_compressed_entries_alike(
    verifier: VerifierPage, export: Exporter, tmp_path: Path, method: int
) -> None:
    """bzip2 and lzma fail; a bundle zipped again with deflate (another tool's zip) passes."""
    result = export("police")
    entries = container.entries_of(result.zip_path)
    for info, _ in entries:
        if method == zipfile.ZIP_DEFLATED or info.filename.endswith("item.json"):
            info.compress_type = method
    shown = agree(verifier, container.write_zip(tmp_path / result.zip_path.name, entries))
    assert shown["ok"] is (method == zipfile.ZIP_DEFLATED)


def test_a_deflate_bomb_alike(verifier: VerifierPage, tmp_path: Path) -> None:
    bomb = container._deflate_bomb(tmp_path / "EVB-20260314-00000000.zip", 1000, 64 << 20)
    assert not agree(verifier, bomb)["ok"]


@pytest.mark.parametrize(
    "new_name",
    [
        "Скриншот.png",
        unicodedata.normalize("NFD", "café.png"),
        "invoice\u202egnp.exe",
        "CON.txt",
        "a" * 120 + ".png",
    ],
)
def test_names_outside_the_payload_rule_alike(
    verifier: VerifierPage, vault: Vault, export: Exporter, tmp_path: Path, new_name: str
) -> None:
    result = export("police")
    record = next(
        p for p in (unpack(result.zip_path, tmp_path / "look") / "bag/data/items").rglob("*.png")
    )
    old = record.relative_to(record.parents[2]).as_posix()
    top = container._renamed_and_resigned(vault, result.zip_path, tmp_path / "u", {old: new_name})
    shown = agree(verifier, top)
    assert [c["id"] for c in shown["checks"] if not c["passed"]] == ["layout"]


def test_twins_and_hidden_bytes_alike(
    verifier: VerifierPage, export: Exporter, tmp_path: Path
) -> None:
    result = export("police")
    top = unpack(result.zip_path, tmp_path / "u")
    folder = top / "bag/data/items/0001"
    (folder / unicodedata.normalize("NFC", "é.txt")).write_bytes(b"one")
    (folder / unicodedata.normalize("NFD", "é.txt")).write_bytes(b"two")
    assert not agree(verifier, top)["ok"]
    (tmp_path / "poly").mkdir()
    polyglot = tmp_path / "poly" / result.zip_path.name
    polyglot.write_bytes(b"MZ hidden program " * 8 + result.zip_path.read_bytes())
    shown = agree(verifier, polyglot)
    assert "belong to no entry" in next(
        c["detail"] for c in shown["checks"] if c["id"] == "container"
    )


# -- test_stock_blocks.py's tamperings, as the recipient receives them --------------------------


@pytest.mark.parametrize("how", ["payload", "manifests", "tagmanifests", "resigned"])
def test_stock_block_tamperings_alike(
    verifier: VerifierPage, export: Exporter, tmp_path: Path, how: str
) -> None:
    result = export("police")
    inbox = tmp_path / "Downloads"
    inbox.mkdir()
    for path in (result.zip_path, result.sha256_path):
        shutil.copy(path, inbox / path.name)
    if how == "payload":
        with zipfile.ZipFile(inbox / result.zip_path.name) as archive:
            archive.extractall(inbox)
        messages = next((inbox / result.bundle_id / "bag/data/items").rglob("messages.jsonl"))
        messages.write_bytes(messages.read_bytes().replace(b"please stop", b"please go on"))
        assert not agree(verifier, inbox / result.bundle_id)["ok"]
        return
    blocks.tamper(inbox, result.bundle_id, how)
    # Re-signed with another key passes the stock block, not verify: the custody chain's first
    # event names the vault's own key.
    assert not agree(verifier, inbox / result.zip_path.name)["ok"]
    assert not agree(verifier, inbox / result.zip_path.name, expect_key=result.read_aloud)["ok"]


def test_a_folder_with_a_symlink_fails_alike(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    """The one disagreement: Chromium leaves a symbolic link out of a folder it gives a page, so
    the page cannot see it, where verify fails the folder. The page says so for every folder,
    and the zip (where a link entry is caught) is the way to check fully."""
    top = fresh_copy(sealed[1], tmp_path)
    (top / "bag/data/link").symlink_to("/etc/hostname")
    assert "folder safety" in {c.name for c in verify_bundle(top).failed()}
    shown = verifier.check(top)
    assert shown["ok"] is True  # the link never reached the page
    assert any("symbolic links" in note and "check the .zip" in note
               for note in shown["notCheckedHere"])  # fmt: skip


def test_the_inlined_ed25519_agrees_where_web_crypto_has_none(
    chromium: Any, sealed: tuple[ExportResult, Path], tmp_path: Path
) -> None:
    page = VerifierPage(chromium, query="ed25519=js")
    try:
        result, pristine = sealed
        shown = agree(page, result.zip_path)
        assert shown["ok"] and "noble-ed25519 3." in shown["ed25519"]
        top = fresh_copy(pristine, tmp_path)
        reseal(top, Ed25519PrivateKey.generate())
        assert not agree(page, top)["ok"]
        top = fresh_copy(pristine, tmp_path)
        sig = top / "seal" / layout.RAWSIG_FILE
        sig.write_bytes(bytes([sig.read_bytes()[0] ^ 1]) + sig.read_bytes()[1:])
        assert [c["id"] for c in agree(page, top)["checks"] if not c["passed"]] == [
            "ed25519-signature"
        ]
    finally:
        page.close()


def test_a_dropped_zip_is_checked(
    verifier: VerifierPage, sealed: tuple[ExportResult, Path]
) -> None:
    """Dropped rather than chosen: the page reads the files of the drop."""
    result, _ = sealed
    page = verifier.page
    verifier.open()
    page.evaluate("() => { const i = document.createElement('input'); i.type = 'file';"
                  " i.multiple = true; i.id = 'staging'; document.body.append(i); }")  # fmt: skip
    page.set_input_files("#staging", [str(result.zip_path), str(result.sha256_path)])
    transfer = page.evaluate_handle(
        "() => { const t = new DataTransfer();"
        " for (const f of document.getElementById('staging').files) t.items.add(f); return t; }"
    )
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    page.wait_for_function("() => ['done', 'error'].includes(document.body.dataset.state)")
    shown = page.evaluate("() => window.EvidenceVerify.lastReport()")
    assert shown["ok"] and "zip-sha256" in [c["id"] for c in shown["checks"]]


HOSTILE = ["", "\x00\x01\x1f\x7f", "\x1b[2J\x1b]8;;http://x\x07", "\u202egnp.exe", "\u2028\u2029",
           "\x85\x9f", '"\\/\b\f\n\r\t', "é" + unicodedata.normalize("NFD", "é"), "😀𝄞",
           "\ufeffbom", "\uffff\ue000", "'quote'", "</script>"]  # fmt: skip


def test_canonical_json_is_pythons_on_hostile_values(verifier: VerifierPage) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    verifier.open()
    texts = st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(exclude_categories=["Cs"])))
    leaves = st.one_of(texts, st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                       st.floats(allow_nan=True, allow_infinity=True))  # fmt: skip
    values = st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)  # fmt: skip
    samples: list[str] = []

    @settings(max_examples=400, deadline=None, database=None)
    @given(values, st.booleans())
    def collect(value: Any, ascii_only: bool) -> None:
        samples.append(json.dumps({"v": value}, ensure_ascii=ascii_only, allow_nan=True))

    collect()
    samples += [json.dumps({"k": h}, ensure_ascii=False) for h in HOSTILE]
    samples += ['{"b":1,"a":1.0,"c":1e16,"d":1e-5,"e":-0.0,"f":0.0001,"g":123456789012345678901234}',
                '{"z":1,"z":2}', '{"\\ud83d\\ude00":1,"\\ue000":2}', '[NaN,Infinity,-Infinity]']  # fmt: skip
    page = verifier.page.evaluate(
        "(texts) => texts.map((t) => { try { return window.EvidenceVerify.canonical(t); }"
        " catch (e) { return 'REFUSED'; } })",
        samples,
    )
    expected = [canonical(json.loads(text)).decode("utf-8") for text in samples]
    mismatches = [(s, p, e) for s, p, e in zip(samples, page, expected, strict=True) if p != e]
    assert not mismatches, mismatches[:5]
    # A lone surrogate cannot be UTF-8: Python cannot hash such an event, the page refuses it.
    lone = verifier.page.evaluate(
        "(t) => { try { return window.EvidenceVerify.canonical(t); } catch (e) { return 'REFUSED'; } }",
        '{"k":"\\ud800"}',
    )
    assert lone == "REFUSED"
    with pytest.raises(UnicodeEncodeError):
        canonical(json.loads('{"k":"\\ud800"}'))
