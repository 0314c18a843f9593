"""`evidence-kit export` and `verify`: output, JSON, exit codes; verify needs no vault and no Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, populate
from tests.conftest import Cli


def test_export_then_verify(cli: Cli, vault_dir: Path, tmp_path: Path) -> None:
    with Vault.open(vault_dir, "correct horse battery staple") as vault:
        populate(vault)
        fingerprint = vault.fingerprint
    out = tmp_path / "out"
    result = cli("export", "--case", CASE, "--audience", "manager", "--out", str(out), "--json",
                 "--contact-name", "Sam", "--organisation", "Unison", "--title", "Bullying at work")  # fmt: skip
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["seal_key_fingerprint"] == fingerprint and made["withdrawn_left_out"] == 1
    bundle = made["zip"]

    checked = cli("verify", bundle, "--expect-key", fingerprint)
    assert checked.exit_code == 0, checked.output
    assert "Result: All" in checked.stdout and "FAIL" not in checked.stdout

    as_json = cli("verify", bundle, "--json")
    assert as_json.exit_code == 0
    report = json.loads(as_json.stdout)
    assert report["ok"] and all(c["passed"] for c in report["checks"])

    wrong = cli("verify", bundle, "--expect-key", "SHA256:" + "A" * 43)
    assert wrong.exit_code == 1
    assert "FAIL  seal key is the expected one" in wrong.stdout

    raw = bytearray(Path(bundle).read_bytes())
    raw[len(raw) // 2] ^= 1
    Path(bundle).write_bytes(bytes(raw))
    assert cli("verify", bundle).exit_code == 1


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert cli("verify", str(tmp_path / "missing.zip")).exit_code == 2
    assert cli("verify").exit_code == 2
    (tmp_path / "x.zip").write_bytes(b"")
    assert cli("verify", str(tmp_path / "x.zip"), "--expect-key", "md5:abc").exit_code == 2
    assert cli("export", "--audience", "police").exit_code == 2
    assert cli("export", "--case", "a", "--items", "1", "--audience", "police").exit_code == 2
    assert cli("export", "--case", "a", "--audience", "boss").exit_code == 2
    assert cli("export", "--items", "x,y", "--audience", "police").exit_code == 2


def test_export_errors_are_plain(cli: Cli, tmp_path: Path) -> None:
    result = cli("export", "--case", "No such case", "--audience", "police", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "Error: There is no case called 'No such case'" in result.stderr
    assert "Traceback" not in result.output


def test_verify_runs_without_a_vault_and_without_qt(
    cli: Cli, vault_dir: Path, tmp_path: Path
) -> None:
    with Vault.open(vault_dir, "correct horse battery staple") as vault:
        populate(vault)
    out = tmp_path / "out"
    assert cli("export", "--case", CASE, "--audience", "police", "--out", str(out)).exit_code == 0
    bundle = next(out.glob("*.zip"))
    probe = (
        "import sys\n"
        "from evidence_kit.cli import main\n"
        "try:\n"
        "    main(['verify', sys.argv[1]])\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        "print('QT', any(name.startswith('PySide6') for name in sys.modules))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "EVIDENCE_KIT_HOME": str(tmp_path / "no-vault-here")}
    env.pop("EVIDENCE_KIT_PASSPHRASE", None)
    done = subprocess.run([sys.executable, "-c", probe, str(bundle)], capture_output=True, text=True,
                          env=env, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "QT False" in done.stdout
    assert not (tmp_path / "no-vault-here").exists()
