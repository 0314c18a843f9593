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
from tests.support.browser import PAGE, VerifierPage, chromium, verifier  # noqa: F401

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.browser


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
    shot = top / "bag/data/items/0001/screenshot.png"
    shot.write_bytes(shot.read_bytes() + b"x")
    verifier.check(top)
    verdict = verifier.page.inner_text("#verdict")
    assert "FAILED" in verdict and "Do not rely on this bundle" in verdict
    failed = verifier.page.locator("#checks li.fail").all_inner_texts()
    assert any("payload files match manifest-sha256.txt" in line for line in failed)
    verifier.page.screenshot(path=str(keep / "verify-html-tampered.png"), full_page=True)
