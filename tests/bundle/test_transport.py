"""age transport encryption, as a sender and a recipient use it: `export --encrypt-to` (an age
key, an SSH key) and with a passphrase; Debian's `age` decrypts what we write; `verify` checks
the `.age` as it is; no plain zip is left on disk by either; every mistake is a plain error."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, populate
from tests.conftest import PASSPHRASE, Cli

STRONG = "plum hedgehog lantern quietly 1987"
pytestmark = pytest.mark.skipif(shutil.which("age") is None, reason="Debian's age is not installed")


@pytest.fixture
def filled(vault_dir: Path) -> Path:
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        populate(vault)
    return vault_dir


def keypair(folder: Path, name: str = "me") -> tuple[Path, str]:
    identity = folder / f"{name}.key"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    public = next(x for x in identity.read_text().splitlines() if "public key" in x).split()[-1]
    return identity, public


def export(cli: Cli, out: Path, *extra: str) -> dict:
    made = cli(
        "export", "--case", CASE, "--audience", "police", "--out", str(out), "--json", *extra
    )
    assert made.exit_code == 0, made.output
    return json.loads(made.stdout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def age_with_passphrase(encrypted: Path, out: Path, passphrase: str) -> int:
    """Debian's `age -d` asks for the passphrase on the terminal only: give it one."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execvp("age", ["age", "-d", "-o", str(out), str(encrypted)])
    seen, deadline = b"", time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        seen += chunk
        if b"passphrase" in seen.lower():
            os.write(fd, passphrase.encode() + b"\n")
            seen = b""
    return os.waitpid(pid, 0)[1]


def test_to_an_age_key_decrypted_by_age_and_verified_as_it_is(
    cli: Cli, filled: Path, tmp_path: Path
) -> None:
    identity, public = keypair(tmp_path)
    out = tmp_path / "out"
    result = export(cli, out, "--encrypt-to", public)
    encrypted = Path(result["zip"])
    assert encrypted.name == f"{result['bundle_id']}.zip.age" and result["encrypted"]
    # Never a plain zip on disk: only the .age and the two hashes.
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [encrypted.name, encrypted.name + ".sha256", f"{result['bundle_id']}.zip.sha256"]
    )
    assert (
        out / (encrypted.name + ".sha256")
    ).read_text() == f"{sha256(encrypted)}  {encrypted.name}\n"
    assert result["zip_sha256"] == sha256(encrypted)
    plain = tmp_path / "received" / f"{result['bundle_id']}.zip"
    plain.parent.mkdir()
    subprocess.run(["age", "-d", "-i", str(identity), "-o", str(plain), str(encrypted)], check=True)
    assert sha256(plain) == result["inner_zip_sha256"]
    assert (out / f"{result['bundle_id']}.zip.sha256").read_text().split()[0] == sha256(plain)
    # The decrypted zip is an ordinary bundle; the .age verifies directly too.
    assert cli("verify", str(plain)).exit_code == 0
    before = set(Path(tempfile.gettempdir()).glob("evidence-kit-verify-*"))
    checked = cli("verify", str(encrypted), "--identity", str(identity), "--json")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["ok"] and report["checks"][0]["id"] == "age"
    assert result["inner_zip_sha256"] in report["checks"][0]["detail"]
    assert report["checks"][1]["id"] == "age-sha256" and report["checks"][1]["passed"]
    assert set(Path(tempfile.gettempdir()).glob("evidence-kit-verify-*")) == before  # removed
    events = json.loads(cli("log", "--json").stdout)
    encrypted_event = next(e for e in events if e["action"] == "bundle encrypted for transport")
    assert encrypted_event["details"]["inner_zip_sha256"] == result["inner_zip_sha256"]
    assert encrypted_event["details"]["encrypted_for"] == [public]


def test_to_an_ssh_key(cli: Cli, filled: Path, tmp_path: Path) -> None:
    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    result = export(cli, tmp_path / "out", "--encrypt-to", str(key.with_suffix(".pub")))
    encrypted = Path(result["zip"])
    plain = tmp_path / "plain.zip"
    subprocess.run(["age", "-d", "-i", str(key), "-o", str(plain), str(encrypted)], check=True)
    assert sha256(plain) == result["inner_zip_sha256"]
    assert cli("verify", str(encrypted), "--identity", str(key)).exit_code == 0


def test_with_a_passphrase(cli: Cli, filled: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(STRONG + "\n")
    result = export(cli, tmp_path / "out", "--encrypt-passphrase-file", str(secret))
    encrypted = Path(result["zip"])
    assert result["encrypted_for"] == ["a passphrase"]
    plain = tmp_path / "plain.zip"
    assert age_with_passphrase(encrypted, plain, STRONG) == 0
    assert sha256(plain) == result["inner_zip_sha256"]
    checked = cli("verify", str(encrypted), "--age-passphrase-file", str(secret))
    assert checked.exit_code == 0, checked.output
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n")
    refused = cli("verify", str(encrypted), "--age-passphrase-file", str(wrong))
    assert refused.exit_code == 1 and "The passphrase does not open" in refused.output


def test_mistakes_are_plain_errors(cli: Cli, filled: Path, tmp_path: Path) -> None:
    weak = tmp_path / "weak.txt"
    weak.write_text("password1\n")
    for extra, said in (
        (("--encrypt-to", "age1notakey"), "is not an age recipient"),
        (("--encrypt-passphrase-file", str(weak)), "too easy to guess"),
        (("--encrypt-to", keypair(tmp_path, "a")[1], "--encrypt-passphrase-file", str(weak)),
         "too easy to guess"),
    ):  # fmt: skip
        made = cli(
            "export", "--case", CASE, "--audience", "police", "--out", str(tmp_path / "o"), *extra
        )
        assert made.exit_code not in (0, 70) and said in made.output, made.output
    strong = tmp_path / "strong.txt"
    strong.write_text(STRONG)
    both = cli("export", "--case", CASE, "--audience", "police", "--out", str(tmp_path / "o"),
               "--encrypt-to", keypair(tmp_path, "b")[1], "--encrypt-passphrase-file", str(strong))  # fmt: skip
    assert both.exit_code == 1 and "not both" in both.output
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_a_changed_or_foreign_age_file_fails_plainly(
    cli: Cli, filled: Path, tmp_path: Path
) -> None:
    identity, public = keypair(tmp_path)
    encrypted = Path(export(cli, tmp_path / "out", "--encrypt-to", public)["zip"])
    data = bytearray(encrypted.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed = tmp_path / "changed.zip.age"
    changed.write_bytes(bytes(data))
    done = cli("verify", str(changed), "--identity", str(identity))
    assert done.exit_code == 1 and "could not be decrypted" in done.output, done.output
    other, _ = keypair(tmp_path, "someone-else")
    done = cli("verify", str(encrypted), "--identity", str(other))
    assert done.exit_code == 1 and "could not be decrypted" in done.output
    secret = tmp_path / "s.txt"
    secret.write_text(STRONG)
    done = cli("verify", str(encrypted), "--age-passphrase-file", str(secret))
    assert done.exit_code == 1 and "encrypted to a key, not with a passphrase" in done.output
    no_way = cli("verify", str(encrypted))
    assert no_way.exit_code == 1 and "--identity" in no_way.output


def test_the_linux_block_checks_the_decrypted_bundle(
    cli: Cli, filled: Path, tmp_path: Path
) -> None:
    from tests.bundle.test_stock_blocks import block_from, run_block

    identity, public = keypair(tmp_path)
    out = tmp_path / "out"
    result = export(cli, out, "--encrypt-to", public)
    bundle_id = result["bundle_id"]
    subprocess.run(["age", "-d", "-i", str(identity), "-o", str(out / f"{bundle_id}.zip"),
                    result["zip"]], check=True)  # fmt: skip
    import zipfile

    with zipfile.ZipFile(out / f"{bundle_id}.zip") as bundle:
        verify_txt = bundle.read(f"{bundle_id}/VERIFY.txt").decode()
    code, output, _ = run_block(block_from(verify_txt, "linux", bundle_id), out)
    assert code == 0 and "RESULT: ALL CHECKS PASSED" in output, output


def test_the_passphrase_is_asked_twice_on_a_terminal(
    cli: Cli, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("evidence_kit.cli.root.interactive", lambda: True)
    out = tmp_path / "out"
    args = (
        "export",
        "--case",
        CASE,
        "--audience",
        "police",
        "--out",
        str(out),
        "--encrypt-passphrase",
    )
    mismatch = cli(*args, input=f"{STRONG}\n{STRONG} typo\n{STRONG}\n{STRONG}\n")
    assert mismatch.exit_code == 0, mismatch.output
    assert mismatch.output.count("Passphrase for the bundle") >= 2
    assert "do not match" in mismatch.output.lower()  # asked again, as click does
    encrypted = next(out.glob("*.zip.age"))
    secret = tmp_path / "s.txt"
    secret.write_text(STRONG)
    assert cli("verify", str(encrypted), "--age-passphrase-file", str(secret)).exit_code == 0
    # Without a terminal, the options that give it instead are named.
    monkeypatch.setattr("evidence_kit.cli.root.interactive", lambda: False)
    refused = cli(*args)
    assert refused.exit_code == 1 and "--encrypt-passphrase-file FILE" in refused.output


def test_no_plain_evidence_is_left_by_an_encrypted_export_or_its_check(
    cli: Cli, vault_dir: Path, tmp_path: Path
) -> None:
    """A marker in the evidence is in no file an encrypted export and its verify leave — and a
    verify killed while it decrypts leaves a folder the next verify removes."""
    import signal
    import sys

    from tests.conftest import PASSPHRASE as VAULT_PASSPHRASE

    marker = b"EVIDENCE-MARKER-age-5b1d7e"
    (tmp_path / "chat.txt").write_bytes((marker + os.urandom(3000)) * 20000)  # 60 MB
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": VAULT_PASSPHRASE, "TMPDIR": str(temp)}
    base = [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir)]
    subprocess.run([*base, "add", str(tmp_path / "chat.txt"), "--case", "Big"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    identity, public = keypair(tmp_path)
    out = tmp_path / "out"
    made = subprocess.run([*base, "export", "--case", "Big", "--audience", "police", "--out",
                           str(out), "--encrypt-to", public, "--json"], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    encrypted = json.loads(made.stdout)["zip"]
    verify = [
        sys.executable,
        "-m",
        "evidence_kit",
        "verify",
        encrypted,
        "--identity",
        str(identity),
    ]
    subprocess.run(verify, env=env, check=True, capture_output=True)

    def holding(folder: Path) -> list[Path]:
        return [p for p in folder.rglob("*") if p.is_file() and marker in p.read_bytes()]

    assert holding(out) == [] and holding(temp) == [] and list(temp.iterdir()) == []
    killed = subprocess.Popen(verify, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(temp.rglob("*.zip")):
        time.sleep(0.01)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    left = list(temp.iterdir())
    assert left and all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in left)  # owner-only
    subprocess.run(verify, env=env, check=True, capture_output=True)
    assert list(temp.iterdir()) == [] and holding(temp) == []
