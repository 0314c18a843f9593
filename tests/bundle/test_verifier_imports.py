"""What a recipient runs stays small: the verifier, and the command line's verify path, load only
the bundle format layer, the standard library and `cryptography` (and, for the command line,
click and platformdirs). Checked in a fresh interpreter, after really verifying a bundle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from evidence_kit.vault import Vault
from tests.bundle.conftest import Exporter
from tests.support.tsa import LocalTSA

FORBIDDEN = {"PySide6", "shiboken6", "sqlcipher3", "argon2", "PIL", "mss", "jinja2", "fpdf",
             "defusedxml", "extract_msg", "Xlib", "puremagic", "tzlocal"}  # fmt: skip
# cryptography's compiled parts appear under these names.
CRYPTO = {"cryptography", "_cffi_backend", "_openssl"}
# Loaded lazily, and only when the bundle has such files: the time-stamp token library (and
# asn1crypto, for a reply whose certificate set must be put in DER order first), and age.
TOKENS = {"rfc3161_client", "asn1crypto"}
AGE = {"pyrage"}

PROBE = """
import json, sys
before = set(sys.modules)
{body}
loaded = sorted(set(sys.modules) - before)
third = sorted({{m.split(".")[0] for m in loaded}} - set(sys.stdlib_module_names) - {{"evidence_kit"}})
print(json.dumps({{"third": third, "ours": [m for m in loaded if m.startswith("evidence_kit")]}}))
"""


def loaded(body: str) -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(body=body)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_verifier_loads_only_the_format_layer(export: Exporter) -> None:
    bundle = export("manager").zip_path
    found = loaded(
        "from evidence_kit.bundle.verify import verify_bundle\n"
        f"assert verify_bundle({str(bundle)!r}).ok"
    )
    assert set(found["third"]) <= CRYPTO, found["third"]  # no token, no age: neither loads
    allowed = ("evidence_kit.bundle.format.", "evidence_kit.bundle.verify.")
    ours = set(found["ours"]) - {"evidence_kit", "evidence_kit.errors", "evidence_kit.model",
                                 "evidence_kit.bundle", "evidence_kit.bundle.format",
                                 "evidence_kit.bundle.verify"}  # fmt: skip
    assert all(name.startswith(allowed) for name in ours), sorted(ours)


def test_the_command_lines_verify_path_loads_no_vault_qt_or_imaging(
    export: Exporter, tmp_path: Path
) -> None:
    bundle = export("police").zip_path
    found = loaded(
        "from evidence_kit.cli import main\n"
        "try:\n"
        f"    main(['verify', {str(bundle)!r}, '--json'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
    )
    third = {name for name in found["third"] if not name.startswith("_sysconfigdata")}
    assert third <= CRYPTO | {"click", "platformdirs"}, sorted(third)
    assert not third & FORBIDDEN
    assert not [m for m in found["ours"] if m.startswith(("evidence_kit.vault", "evidence_kit.ui",
                "evidence_kit.importers", "evidence_kit.bundle.export", "evidence_kit.bundle.report"))]  # fmt: skip


def test_a_time_stamped_bundle_loads_the_token_library_and_nothing_more(
    vault_dir: Path, tsa: LocalTSA, tmp_path: Path
) -> None:
    from evidence_kit.bundle.export import Options, export_bundle
    from evidence_kit.timestamp import flush
    from tests.bundle.conftest import CASE, populate
    from tests.conftest import PASSPHRASE

    with Vault.open(vault_dir, PASSPHRASE) as vault:  # the real clock, as the authority's
        populate(vault)
        assert flush(vault).stamped
        bundle = export_bundle(vault, Options("police", case=CASE), tmp_path / "out").zip_path
    found = loaded(
        "from evidence_kit.bundle.verify import verify_bundle\n"
        f"report = verify_bundle({str(bundle)!r})\n"
        "assert report.ok and report.get('seal-timestamp').passed"
    )
    assert "rfc3161_client" in found["third"]
    assert set(found["third"]) <= CRYPTO | TOKENS, found["third"]


def test_an_encrypted_bundle_loads_age_and_nothing_more(vault: Vault, tmp_path: Path) -> None:
    import pyrage

    from evidence_kit.bundle.export import Options, export_bundle
    from evidence_kit.bundle.transport import Encryption
    from tests.bundle.conftest import CASE, populate

    populate(vault)
    me = pyrage.x25519.Identity.generate()
    (tmp_path / "me.key").write_text(f"{me}\n")
    options = Options("police", case=CASE, encryption=Encryption((str(me.to_public()),)))
    bundle = export_bundle(vault, options, tmp_path / "out").zip_path
    found = loaded(
        "from evidence_kit.cli import main\n"
        "try:\n"
        f"    main(['verify', {str(bundle)!r}, '--identity', {str(tmp_path / 'me.key')!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
    )
    third = {name for name in found["third"] if not name.startswith("_sysconfigdata")}
    assert "pyrage" in third
    assert third <= CRYPTO | {"click", "platformdirs"} | AGE, sorted(third)
