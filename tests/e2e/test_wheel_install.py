"""`pip install evidence-kit` is the command line without Qt: the built wheel, installed into a
fresh virtual environment without the `gui` extra, verifies a bundle, holds no PySide6, and its
`evidence-kit-gui` says plainly how to get the desktop program."""

from __future__ import annotations

import email
import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.bundle.format import layout
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, populate

ROOT = Path(__file__).parents[2]


def build_wheel(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    (wheel,) = out.glob("evidence_kit-*.whl")
    return wheel


def test_the_wheel_declares_qt_only_for_the_gui_extra(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(archive.read(meta_name))
        points = archive.read(meta_name.replace("METADATA", "entry_points.txt")).decode()
    requires = meta.get_all("Requires-Dist") or []
    qt = [r for r in requires if r.lower().startswith("pyside6")]
    assert qt and all(r.replace("'", '"').endswith('extra == "gui"') for r in qt), qt
    assert "gui" in (meta.get_all("Provides-Extra") or [])
    assert "evidence-kit = evidence_kit.cli:main" in points
    assert "evidence-kit-gui = evidence_kit.launcher:main" in points
    # The browser verifier travels in the wheel, so an installed exporter can copy it.
    assert f"evidence_kit/_resources/{layout.VERIFY_HTML}" in names


@pytest.mark.slow
def test_installed_without_the_gui_extra_it_verifies_and_has_no_qt(
    vault: Vault, tmp_path: Path
) -> None:
    populate(vault)
    result = export_bundle(vault, Options(audience="police", case=CASE), tmp_path / "out")
    wheel = build_wheel(tmp_path / "dist")
    env_dir = tmp_path / "fresh-venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    installed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr

    checked = subprocess.run(
        [str(bin_dir / "evidence-kit"), "verify", str(result.zip_path), "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    report = json.loads(checked.stdout)
    assert report["ok"] and report["seal_key_fingerprint"] == result.fingerprint

    probe = subprocess.run(
        [str(bin_dir / "python"), "-c",
         "import importlib.util, importlib.metadata as m, json; print(json.dumps({"
         "'spec': importlib.util.find_spec('PySide6') is not None,"
         "'dists': sorted(d.metadata['Name'] for d in m.distributions())}))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = json.loads(probe.stdout)
    assert found["spec"] is False
    assert not [d for d in found["dists"] if d.lower().startswith(("pyside6", "shiboken6"))]
    assert "evidence-kit" in found["dists"]

    gui = subprocess.run(
        [str(bin_dir / "evidence-kit-gui")], capture_output=True, text=True, timeout=60
    )
    assert gui.returncode == 1
    assert "pip install 'evidence-kit[gui]'" in gui.stderr
    assert "Traceback" not in gui.stderr
