"""`evidence-kit recovery-code`: a new code, the old slot retired."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evidence_kit.errors import WrongRecoveryCode
from evidence_kit.vault import Vault
from tests.cli.test_vault_errors import run_cli


def test_a_new_code_replaces_the_old_one(
    vault_dir: Path, recovery_code: str, tmp_path: Path
) -> None:
    old_keyfile = tmp_path / "keyslots-before.json"
    shutil.copy2(vault_dir / "keyslots.json", old_keyfile)
    result = run_cli(vault_dir, "recovery-code", "--json")
    assert result.returncode == 0, result.stderr
    new_code = json.loads(result.stdout)["recovery_code"]
    assert new_code != recovery_code and len(new_code) == 35
    with pytest.raises(WrongRecoveryCode):
        Vault.open_with_recovery_code(vault_dir, recovery_code)
    with Vault.open_with_recovery_code(vault_dir, new_code) as vault:
        assert vault.custody_events()[-1].action == "recovery code replaced"
        assert new_code not in json.dumps([e.as_dict() for e in vault.custody_events()])
    # What the README says plainly: an old copy of the key file still opens with the old code.
    shutil.copy2(old_keyfile, vault_dir / "keyslots.json")
    with Vault.open_with_recovery_code(vault_dir, recovery_code) as vault:
        assert vault.items() == []


def test_the_code_is_shown_once_in_words(vault_dir: Path) -> None:
    result = run_cli(vault_dir, "recovery-code")
    assert result.returncode == 0
    assert "new recovery code" in result.stdout and "old code no longer opens" in result.stdout
    assert "old copy of keyslots.json" in result.stdout
