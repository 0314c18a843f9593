"""Nothing hostile reaches a terminal: evidence text and bundle contents carrying ANSI and OSC
escapes, C1 controls, bidi overrides and carriage returns are printed as visible codes by every
command, on stdout and stderr, in `--json` too (where they stay valid JSON escapes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.cli.terminal import visible
from evidence_kit.vault import Vault
from tests.conftest import PASSPHRASE

# Clear the line, go back, and print a fake verdict; retitle the window (OSC); a C1 CSI; RLO.
HOSTILE = "\x1b[2K\r  PASS  all checks passed\x1b]0;owned\x07 \x9b31m red \u202egnp.exe"
STEERING = ("\x1b", "\x9b", "\u202e", "\r", "\x07")


def run(vault_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), *args],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip


def strings(value: object) -> list[str]:
    """Every string inside a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def clean(done: subprocess.CompletedProcess[bytes]) -> str:
    text = (done.stdout + done.stderr).decode("utf-8")
    for char in STEERING:
        assert char not in text, (char, text)
    return text


def test_visible_shows_every_steering_character_as_a_code() -> None:
    assert visible(HOSTILE) == (
        "\\x1b[2K\\x0d  PASS  all checks passed\\x1b]0;owned\\x07 \\x9b31m red \\u202egnp.exe"
    )
    assert visible("line one\nline two\ttab") == "line one\nline two\ttab"


def test_evidence_text_is_made_visible_by_every_command(vault: Vault, tmp_path: Path) -> None:
    chat = tmp_path / f"WhatsApp Chat with Sam{HOSTILE[:5]}.txt"
    chat.write_text(
        f"24/10/2026, 19:02 - Sam Carter: {HOSTILE}\n24/10/2026, 19:03 - Priya: stop\n", "utf-8"
    )
    picture = tmp_path / "shot\x1b[31m.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    folder = vault.folder
    vault.close()
    assert run(folder, "import", str(chat), "--tz", "Europe/London").returncode == 0
    assert run(folder, "add", str(picture), "--note", HOSTILE).returncode == 0
    assert run(folder, "note", "2", HOSTILE).returncode == 0
    for args in (["list"], ["show", "1"], ["show", "2"], ["messages", "1"], ["search", "checks"],
                 ["log"], ["list", "--json"], ["messages", "1", "--json"], ["show", "2", "--json"],
                 ["search", "checks", "--json"]):  # fmt: skip
        done = run(folder, *args)
        assert done.returncode == 0, (args, done.stderr)
        text = clean(done)
        if "--json" in args:
            text_out = done.stdout.decode("utf-8")
            try:  # still valid JSON (one document, or one per line), with the text intact inside
                parsed = json.loads(text_out)
            except ValueError:
                parsed = [json.loads(line) for line in text_out.splitlines()]
            if args[0] in ("messages", "show"):
                assert any(
                    "\x1b]0;owned\x07 \x9b31m red \u202egnp" in text for text in strings(parsed)
                )
        elif args[0] in ("show", "messages", "search"):
            assert "\\x1b" in text
    # An error that names a hostile file name is made visible too.
    done = run(folder, "add", str(tmp_path / "missing\x1b[2J.png"))
    assert done.returncode != 0 and "\\x1b[2J" in clean(done)


def test_a_crafted_bundle_cannot_fake_its_verdict(vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "letter.pdf"
    source.write_bytes(b"%PDF-1.4 a letter\n")
    from evidence_kit.vault.files import add_file

    item = add_file(vault, source, case="Work")
    result = export_bundle(vault, Options(audience="police", item_ids=(item.id,)), tmp_path / "out")
    crafted = tmp_path / result.zip_path.name
    with zipfile.ZipFile(result.zip_path) as original, zipfile.ZipFile(crafted, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.endswith("bag/manifest-sha256.txt"):
                data += f"{'0' * 64}  data/{HOSTILE}\n".encode()
            out.writestr(info, data)
    done = run(vault.folder, "verify", str(crafted))
    text = clean(done)
    assert done.returncode == 1 and "checks FAILED" in text and "\\x1b[2K" in text
    as_json = run(vault.folder, "verify", str(crafted), "--json")
    clean(as_json)
    report = json.loads(as_json.stdout)
    assert report["ok"] is False
    assert any(HOSTILE in check["detail"] for check in report["checks"])
