"""The seal key's two fingerprints: `SHA256:…` as ssh-keygen prints it, and the read-aloud digits,
derived exactly as the format fixes them (so every verifier, in any language, agrees)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from evidence_kit.bundle.format import keys
from tests.conftest import Cli

# A fixed key. The rule is recomputed here from its words; VERIFY.txt's shell blocks compute it a
# third way (tests/bundle/test_stock_blocks.py), and all three must agree.
RAW = bytes(range(32))


def test_read_aloud_follows_the_published_rule() -> None:
    digest = hashlib.sha512(RAW).digest()
    expected = " ".join(
        f"{int.from_bytes(digest[i : i + 5], 'big') % 100000:05d}" for i in range(0, 40, 5)
    )
    assert keys.read_aloud(RAW) == expected
    assert len(expected.split()) == 8 and all(len(group) == 5 for group in expected.split())


def test_fingerprint_is_what_ssh_keygen_prints(tmp_path: Path) -> None:
    line = keys.openssh_public_line(RAW)
    (tmp_path / "k.pub").write_text(line + " test\n")
    printed = subprocess.run(["ssh-keygen", "-lf", str(tmp_path / "k.pub")], capture_output=True,
                             text=True, check=True).stdout.split()[1]  # fmt: skip
    assert printed == keys.fingerprint(RAW)


def test_either_form_names_the_key() -> None:
    digits = keys.read_aloud(RAW)
    for given in (keys.fingerprint(RAW), digits, digits.replace(" ", "-"), digits.replace(" ", "")):
        assert keys.matches(RAW, given), given
    other = bytes(32)
    assert not keys.matches(RAW, keys.fingerprint(other))
    assert not keys.matches(RAW, keys.read_aloud(other))
    assert keys.normalise_fingerprint("hello") is None
    assert keys.normalise_fingerprint("1234") is None


def test_key_command_shows_both_forms(cli: Cli) -> None:
    shown = cli("key", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert keys.normalise_fingerprint(data["read_aloud"]) == data["read_aloud"]
    assert data["fingerprint"].startswith("SHA256:")
    plain = cli("key")
    assert data["read_aloud"] in plain.stdout and data["fingerprint"] in plain.stdout
