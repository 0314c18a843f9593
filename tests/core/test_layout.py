"""The command line and the core never import Qt: `evidence-kit verify` stays small and headless."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import evidence_kit


def test_core_and_cli_do_not_import_qt() -> None:
    core = sorted(
        f"evidence_kit.{m.name}"
        for m in pkgutil.iter_modules(evidence_kit.__path__)
        if m.name not in ("ui", "__main__")
    )
    code = (
        "import importlib, sys\n"
        f"for name in {core!r}: importlib.import_module(name)\n"
        "import evidence_kit.cli\n"
        "print('PySide6' in sys.modules or any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
    assert "evidence_kit.vault" in core and "evidence_kit.importers" in core


def test_resources_are_found() -> None:
    from evidence_kit.paths import resource_path

    assert resource_path().is_dir()
