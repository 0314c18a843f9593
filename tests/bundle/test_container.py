"""The zip as a container, attacked: what `unzip` would extract must be what `verify` checked.

Each attack is made on a real bundle and, where it matters, re-signed with the vault's own key:
a correct signature must not carry a bundle whose names or entries are unsafe.
"""

from __future__ import annotations

import bz2
import hashlib
import json
import os
import struct
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_kit.bundle.format import bag, layout, seal
from evidence_kit.bundle.format.zipsafe import VERIFY_LIMITS, TooLarge, ZipReader
from evidence_kit.bundle.verify import verify_bundle
from evidence_kit.errors import VerificationError
from evidence_kit.vault import Vault
from tests.bundle.conftest import Exporter, unpack
from tests.support.memory import PEAK_RSS_SOURCE


def entries_of(zip_path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(zip_path) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def write_zip(path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


def unicode_path(name: str) -> bytes:
    """An Info-ZIP Unicode Path extra field (0x7075) naming `name`."""
    data = b"\x01" + struct.pack("<I", zlib.crc32(name.encode())) + name.encode()
    return struct.pack("<HH", 0x7075, len(data)) + data


def failed(path: Path) -> dict[str, str]:
    return {c.id: c.detail for c in verify_bundle(path).failed()}


def test_unicode_path_fields_that_swap_two_exhibits_fail(export: Exporter, tmp_path: Path) -> None:
    result = export("police")
    entries = entries_of(result.zip_path)
    pictures = [info for info, _ in entries if info.filename.endswith(".png")][:2]
    one, two = pictures
    swapped = []
    for info, data in entries:
        if info in pictures:
            other = two if info is one else one
            info.extra = unicode_path(other.filename)
        swapped.append((info, data))
    attacked = write_zip(tmp_path / result.zip_path.name, swapped)
    # unzip really does extract the swapped names…
    listing = subprocess.run(["unzip", "-Z1", str(attacked)], capture_output=True, text=True).stdout
    assert listing.splitlines().count(two.filename) >= 1
    # …and verify refuses, naming the second name.
    problems = failed(attacked)
    assert "container" in problems and "second name" in problems["container"]
    assert two.filename in problems["container"]


def test_a_local_header_that_names_another_file_fails(export: Exporter, tmp_path: Path) -> None:
    result = export("police")
    raw = bytearray(result.zip_path.read_bytes())
    target = next(i for i, _ in entries_of(result.zip_path) if i.filename.endswith(".png"))
    name_at = target.header_offset + 30
    assert raw[name_at : name_at + len(target.filename)] == target.filename.encode()
    raw[name_at + len(target.filename) - 5] ^= 0x01  # "….png" -> another name, same length
    attacked = tmp_path / result.zip_path.name
    attacked.write_bytes(bytes(raw))
    problems = failed(attacked)
    assert "disagree on its name" in problems["container"]


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compression_other_than_stored_or_deflate_fails(
    export: Exporter, tmp_path: Path, method: int
) -> None:
    result = export("police")
    entries = entries_of(result.zip_path)
    for info, _ in entries:
        if info.filename.endswith("item.json"):
            info.compress_type = method
            break
    problems = failed(write_zip(tmp_path / result.zip_path.name, entries))
    assert "compression, which is not allowed here" in problems["container"]


def raw_zip(path: Path, members: list[tuple[str, int, bytes, int]]) -> Path:
    """A zip made byte by byte: (name, method, packed bytes, declared size) per member, with
    headers that agree with each other — and a declared size that need not be true."""
    body, central = b"", b""
    for name, method, packed, declared in members:
        raw = name.encode()
        fields = (20, 0, method, 0, 0x21, 0, len(packed), declared, len(raw))
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0,
                               len(body)) + raw  # fmt: skip
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + raw + packed
    count = len(members)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    path.write_bytes(body + central + end)
    return path


def _deflate_bomb(path: Path, declared: int, real: int) -> Path:
    """One deflate entry that declares `declared` bytes and expands to `real` (zeros)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = b"".join(squeeze.compress(bytes(1 << 20)) for _ in range(real >> 20)) + squeeze.flush()
    return raw_zip(path, [("EVB-20260314-00000000/bag/data/bomb.bin", 8, packed, declared)])


def test_a_declared_size_that_is_exceeded_stops_at_once(tmp_path: Path) -> None:
    bomb = _deflate_bomb(tmp_path / "bomb.zip", declared=1000, real=256 << 20)
    with ZipReader(bomb, VERIFY_LIMITS) as reader:
        (entry,) = reader.entries
        read = 0
        with pytest.raises(TooLarge, match=r"expands beyond its declared size|more bytes"):
            for block in reader.chunks(entry):
                read += len(block)
        assert read <= 1000


def test_verify_of_a_bomb_stays_in_bounded_memory(tmp_path: Path) -> None:
    """1.5 GB of zeros declared as 1000 bytes: verify says so, and never holds the expansion."""
    bomb = _deflate_bomb(tmp_path / "EVB-20260314-00000000.zip", declared=1000, real=1536 << 20)
    child = (
        PEAK_RSS_SOURCE
        + f"""
from evidence_kit.bundle.verify import verify_bundle
report = verify_bundle({str(bomb)!r})
assert not report.ok
print("PEAK", peak_rss_kib())
"""
    )
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stdout.split("PEAK")[1]) / 1024
    assert peak_mb < 150, peak_mb


def test_an_import_zip_with_a_bzip2_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    squeeze = bz2.BZ2Compressor(9)
    packed = b"".join(squeeze.compress(bytes(1 << 20)) for _ in range(512)) + squeeze.flush()
    chat = b"[24/10/2026, 19:02:11] Priya Shah: <attached: a.jpg>\n"
    path = raw_zip(tmp_path / "WhatsApp Chat - Bomb.zip",
                   [("_chat.txt", 0, chat, len(chat)), ("a.jpg", 12, packed, 1000)])  # fmt: skip
    child = (
        PEAK_RSS_SOURCE
        + f"""
from evidence_kit.importers.zipsafe import SafeZip, UnsafeArchive
with SafeZip({str(path)!r}) as archive:
    info = next(m for m in archive.members() if m.filename == "a.jpg")
    try:
        for block in archive.stream(info):
            pass
        print("READ ALL")
    except UnsafeArchive as exc:
        print("REFUSED", exc)
print("PEAK", peak_rss_kib())
"""
    )
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=300
    )
    assert "REFUSED" in done.stdout and "expands beyond its declared size" in done.stdout, done
    assert int(done.stdout.split("PEAK")[1]) / 1024 < 150


def _renamed_and_resigned(vault: Vault, zip_path: Path, into: Path, rename: dict[str, str]) -> Path:
    """The bundle with payload files renamed (item.json, manifests, tag manifests and both
    signatures redone with the vault's own key): every check but the name rule passes."""
    top = unpack(zip_path, into)
    for old, new in rename.items():
        source = top / "bag/data" / old
        target = source.with_name(new)
        source.rename(target)
        record_path = source.parent / layout.ITEM_JSON
        if record_path.exists():
            record = json.loads(record_path.read_text("utf-8"))
            if record.get("file") == source.name:
                record["file"] = new
                record_path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", "utf-8")
    bag_dir = top / "bag"
    payload = sorted(p for p in (bag_dir / "data").rglob("*") if p.is_file())
    for algorithm in layout.ALGORITHMS:
        lines = [(p.relative_to(bag_dir).as_posix(), hashlib.new(algorithm, p.read_bytes()).hexdigest())
                 for p in payload]  # fmt: skip
        (bag_dir / f"manifest-{algorithm}.txt").write_bytes(bag.manifest(lines))
    info, _ = bag.parse_bag_info((bag_dir / "bag-info.txt").read_bytes())
    info["Payload-Oxum"] = bag.payload_oxum(sum(p.stat().st_size for p in payload), len(payload))
    (bag_dir / "bag-info.txt").write_bytes(bag.bag_info(info))
    for algorithm in layout.ALGORITHMS:
        lines = [(n, hashlib.new(algorithm, (bag_dir / n).read_bytes()).hexdigest())
                 for n in layout.TAG_FILES]  # fmt: skip
        (bag_dir / f"tagmanifest-{algorithm}.txt").write_bytes(bag.manifest(lines))
    signed = (bag_dir / "tagmanifest-sha256.txt").read_bytes()
    for name, data in seal.seal_files(signed, vault.seal_public_key, vault.sign).items():
        (top / "seal" / name).write_bytes(data)
    return top


@pytest.mark.parametrize(
    ("new_name", "problem"),
    [
        ("Скриншот.png", "not plain ASCII"),
        (unicodedata.normalize("NFD", "café.png"), "not plain ASCII"),
        ("invoice\u202egnp.exe", "not plain ASCII"),
        ("CON.txt", "Windows cannot create"),
        ("a" * 120 + ".png", "longer than"),
    ],
)
def test_names_outside_the_payload_rule_fail_even_when_correctly_signed(
    vault: Vault, export: Exporter, tmp_path: Path, new_name: str, problem: str
) -> None:
    result = export("police")
    record = next(
        p for p in (unpack(result.zip_path, tmp_path / "look") / "bag/data/items").rglob("*.png")
    )
    old = record.relative_to(record.parents[2]).as_posix()
    top = _renamed_and_resigned(vault, result.zip_path, tmp_path / "u", {old: new_name})
    report = verify_bundle(top)
    names = {c.id for c in report.failed()}
    assert "layout" in names and problem in report.get("layout").detail  # type: ignore[union-attr]
    assert {
        "ssh-signature",
        "ed25519-signature",
        "payload-sha256",
        "tagmanifest-sha256",
    }.isdisjoint(names)


def test_nfc_and_nfd_twins_fail(vault: Vault, export: Exporter, tmp_path: Path) -> None:
    top = unpack(export("police").zip_path, tmp_path / "u")
    folder = top / "bag/data/items/0001"
    (folder / unicodedata.normalize("NFC", "é.txt")).write_bytes(b"one")
    (folder / unicodedata.normalize("NFD", "é.txt")).write_bytes(b"two")
    detail = failed(top)
    assert "same name elsewhere" in detail["container"]


def test_hidden_bytes_between_entries_fail(export: Exporter, tmp_path: Path) -> None:
    result = export("police")
    raw = result.zip_path.read_bytes()
    attacked = tmp_path / result.zip_path.name
    attacked.write_bytes(b"MZ hidden program " * 8 + raw)  # a polyglot: bytes before the zip
    assert "belong to no entry" in failed(attacked)["container"]


def test_verify_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "EVB-20260314-00000000.zip"
    os.mkfifo(fifo)
    with pytest.raises(VerificationError, match="neither a file nor a folder"):
        verify_bundle(fifo)
    done = subprocess.run([sys.executable, "-m", "evidence_kit", "verify", str(fifo)],
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 1 and "neither a file nor a folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_odd_json_in_the_custody_log_is_a_failed_check_not_a_crash(
    export: Exporter, tmp_path: Path
) -> None:
    """A lone surrogate (which UTF-8 cannot hold) and a subject that is a list: each fails the
    custody checks with a reason; verify never stops with an unexpected error."""
    result = export("police")
    for number, odd in enumerate(["\ud800 a lone half of a pair", ["item:1"]]):
        top = unpack(result.zip_path, tmp_path / f"u{number}")
        log = top / "bag/data/custody/continuity-log.jsonl"
        events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
        whole = next(e for e in events[1:] if "action" in e)
        whole["subject"] = odd
        log.write_text("".join(json.dumps(e) + "\n" for e in events), "ascii")
        report = verify_bundle(top)
        assert not report.ok and "custody-chain" in {c.id for c in report.failed()}


def test_an_entry_needing_a_newer_zip_version_is_read_or_refused_plainly(
    export: Exporter, tmp_path: Path
) -> None:
    result = export("police")
    raw = bytearray(result.zip_path.read_bytes())
    at = raw.index(b"PK\x01\x02")
    raw[at + 6 : at + 8] = struct.pack("<H", 70)  # version needed to extract: 7.0
    attacked = tmp_path / result.zip_path.name
    attacked.write_bytes(bytes(raw))
    report = verify_bundle(attacked)  # no NotImplementedError from zipfile
    assert report.checks


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_json_in_any_field_of_the_custody_log_or_an_item_record_never_crashes_verify(
    export: Exporter, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    result = export("police") if not hasattr(export, "made") else export.made  # type: ignore[attr-defined]
    export.made = result  # type: ignore[attr-defined]
    top = unpack(result.zip_path, tmp_path_factory.mktemp("u"))
    log = top / "bag/data/custody/continuity-log.jsonl"
    events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    event = data.draw(st.sampled_from(events))
    key = data.draw(st.sampled_from([*event, "details", "subject"]))
    event[key] = data.draw(JSON_VALUES)
    log.write_text("".join(json.dumps(e) + "\n" for e in events), "ascii")
    record_path = next((top / "bag/data/items").rglob("item.json"))
    record = json.loads(record_path.read_text("utf-8"))
    record[data.draw(st.sampled_from(["exhibit", "uid", "file", "sha256", "derived"]))] = data.draw(
        JSON_VALUES
    )
    record_path.write_text(json.dumps(record), "utf-8")
    report = verify_bundle(top)  # a report, every time: never an unexpected error
    assert report.checks and report.get("items") is not None
