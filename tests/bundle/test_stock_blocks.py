"""VERIFY.txt's command blocks, run as a person would paste them: from the folder holding the zip,
its .sha256 and (after the block unzips it) the bundle's folder.

The Linux block runs in bash with GNU coreutils, the macOS block in bash with Debian's `shasum`
(the same Perl `shasum` 6.02 macOS ships) and `openssl base64`. Each passes on a good bundle and
fails on the three tamperings an attacker would try: a payload file edited; the same with both
manifests and the zip's .sha256 rewritten; the same with the tag manifests rewritten too. A
fourth — everything re-signed with another key — passes the block, which is why the block prints
the key in both forms and compares it when the person gives the sender's fingerprint.
The Windows block cannot run here (no PowerShell): it is checked step by step against the Linux
block (the same checks, in the same order, saying the same things).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.bundle.export import ExportResult, stock_block
from evidence_kit.bundle.format import layout
from tests.bundle.conftest import Exporter
from tests.bundle.test_verify import reseal

SYSTEMS = ("linux", "macos")


def block_from(verify_txt: str, system: str, bundle_id: str) -> str:
    """The block of VERIFY.txt for `system`, exactly as the person copies it (indented)."""
    first = {"linux": "Linux (a terminal", "macos": "macOS (Terminal", "windows": "Windows 10"}
    section = verify_txt.split(first[system], 1)[1]
    lines = section.splitlines()[1:]
    start = next(
        i
        for i, line in enumerate(lines)
        if line.strip().startswith("B=") or line.strip().startswith("$B =")
    )
    block: list[str] = []
    for line in lines[start:]:
        if block and not line.startswith("    "):
            break
        block.append(line)
    text = "\n".join(block).rstrip() + "\n"
    assert bundle_id in text
    return text


@pytest.fixture
def received(export: Exporter, tmp_path: Path) -> tuple[ExportResult, Path, str]:
    """What the recipient has: the zip and its .sha256 in a folder of their own."""
    result = export("police")
    inbox = tmp_path / "Downloads"
    inbox.mkdir()
    for path in (result.zip_path, result.sha256_path):
        shutil.copy(path, inbox / path.name)
    with zipfile.ZipFile(result.zip_path) as archive:
        verify_txt = archive.read(f"{result.bundle_id}/{layout.VERIFY_TXT}").decode("utf-8")
    return result, inbox, verify_txt


def run_block(block: str, folder: Path) -> tuple[int, str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        ["bash", "-c", block], cwd=folder, capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - started


def rezip(folder: Path, zip_path: Path) -> None:
    """A tampered bundle sent as a zip again, with a .sha256 that matches it."""
    zip_path.unlink()
    with zipfile.ZipFile(zip_path, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder.parent).as_posix())
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    zip_path.with_name(zip_path.name + ".sha256").write_text(f"{digest}  {zip_path.name}\n")


def tamper(inbox: Path, bundle_id: str, how: str) -> None:
    top = inbox / bundle_id
    with zipfile.ZipFile(inbox / f"{bundle_id}.zip") as archive:
        archive.extractall(inbox)
    messages = next((top / "bag/data/items").rglob("messages.jsonl"))
    messages.write_bytes(messages.read_bytes().replace(b"please stop", b"please go on"))
    if how == "payload":
        return  # the person unzipped it; a file inside was changed
    bag_dir = top / "bag"
    tags = {n: (bag_dir / n).read_bytes() for n in layout.TAG_MANIFESTS}
    key = Ed25519PrivateKey.generate() if how == "resigned" else None
    reseal(top, key)
    if how == "manifests":
        for name, data in tags.items():  # the tag manifests left as they were
            (bag_dir / name).write_bytes(data)
    rezip(top, inbox / f"{bundle_id}.zip")
    shutil.rmtree(top)


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_block_passes_a_good_bundle(
    received: tuple[ExportResult, Path, str], system: str
) -> None:
    result, inbox, verify_txt = received
    block = block_from(verify_txt, system, result.bundle_id)
    code, output, seconds = run_block(block, inbox)
    assert code == 0, output
    assert "FAILED" not in output and "RESULT: ALL CHECKS PASSED" in output, output
    assert f"Sealed by the key {result.fingerprint}" in output
    assert f"read aloud: {result.read_aloud}" in output  # the shell's digits agree with ours
    assert f"SHA-256 of {result.bundle_id}.zip: {result.zip_sha256}" in output
    assert seconds < 60
    # The sender's fingerprint, in either form, pasted into K='…': compared and accepted.
    for given in (result.fingerprint, result.read_aloud.replace(" ", "-")):
        shutil.rmtree(inbox / result.bundle_id)
        keyed = block.replace("K=''", f"K='{given}'", 1)
        code, output, _ = run_block(keyed, inbox)
        assert code == 0 and "ok:     the key is the one the sender gave you" in output, output


@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize(
    ("how", "caught_by"),
    [
        ("payload", "some files do not match manifest-sha256.txt"),
        ("manifests", "bag-info.txt or a manifest does not match tagmanifest-sha256.txt"),
        ("tagmanifests", "the signature over tagmanifest-sha256.txt is not good"),
    ],
)
def test_the_block_fails_each_tampering(
    received: tuple[ExportResult, Path, str], system: str, how: str, caught_by: str
) -> None:
    result, inbox, verify_txt = received
    block = block_from(verify_txt, system, result.bundle_id)
    tamper(inbox, result.bundle_id, how)
    code, output, _ = run_block(block, inbox)
    assert code != 0
    assert f"FAILED: {caught_by}" in output, output
    assert "RESULT: A CHECK FAILED" in output and "ALL CHECKS PASSED" not in output


def test_a_bundle_resealed_with_another_key_shows_another_key(
    received: tuple[ExportResult, Path, str],
) -> None:
    result, inbox, verify_txt = received
    block = block_from(verify_txt, "linux", result.bundle_id)
    tamper(inbox, result.bundle_id, "resigned")
    code, output, _ = run_block(block, inbox)
    # Every stock check passes for a thorough forger: the key shown is theirs, not the sender's…
    assert result.fingerprint not in output and result.read_aloud not in output
    # …and once the person gives the sender's fingerprint, the block says so.
    shutil.rmtree(inbox / result.bundle_id, ignore_errors=True)
    code, output, _ = run_block(block.replace("K=''", f"K='{result.read_aloud}'", 1), inbox)
    assert code != 0 and "FAILED: the key is NOT the one the sender gave you" in output, output


def test_windows_extract_all_nesting_is_found(received: tuple[ExportResult, Path, str]) -> None:
    result, inbox, verify_txt = received
    nested = inbox / result.bundle_id  # "Extract all" makes EVB-…/EVB-…/
    with zipfile.ZipFile(inbox / f"{result.bundle_id}.zip") as archive:
        archive.extractall(nested)
    code, output, _ = run_block(block_from(verify_txt, "linux", result.bundle_id), inbox)
    assert code == 0 and "ALL CHECKS PASSED" in output, output


def test_the_windows_block_has_the_same_checks_in_the_same_order(
    received: tuple[ExportResult, Path, str],
) -> None:
    result, _, verify_txt = received
    windows = block_from(verify_txt, "windows", result.bundle_id)
    linux = block_from(verify_txt, "linux", result.bundle_id)
    assert re.findall(r'"ok: +([^"]+)"', windows) == re.findall(r'good "([^"]+)"', linux)
    assert (
        len(re.findall(r'"FAILED: [^"]+"', windows)) == len(re.findall(r'bad "[^"]+"', linux)) - 1
    )
    for step in (
        "Get-FileHash -Algorithm SHA256",
        '"$bag\\manifest-sha256.txt"',
        'Get-ChildItem -LiteralPath "$bag\\data" -Recurse -File',
        '"$bag\\tagmanifest-sha256.txt"',
        "Evidence-Verify-Txt-Sha256",
        "ssh-keygen -Y verify -f $D\\seal\\allowed_signers -I evidence-seal -n evidence-bundle-v1",
        "[Security.Cryptography.SHA512]",
        "Evidence-Seal-Key-Fingerprint",
        "Expand-Archive",
        "RESULT: ALL CHECKS PASSED",
    ):
        assert step in windows, step


def test_the_blocks_are_the_published_ones() -> None:
    """README carries the same blocks, so a person can use a copy that did not come in a bundle."""
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    for system in ("linux", "macos", "windows"):
        assert stock_block(system) in readme, system
