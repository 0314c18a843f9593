"""Trusted time and transport encryption: what they cost.

1. age with a passphrase on a 1 GB bundle: pyrage's `passphrase.encrypt` (whole byte strings)
   against our streamed writer (`bundle.format.agepass`): peak memory and time, each in a fresh
   process (VmHWM). This chose the design: pyrage for keys (it streams), ours for passphrases.
2. A 1 GB case exported plain, to an age key and with a passphrase, and verified (the .age
   directly): time and peak memory of the real command line.
3. The command line's short time-stamp attempt after a command: `add` with time-stamps off,
   with a local authority up, and with it down (connection refused) — a person's wait.

Run: .venv/bin/python bench/transport_bench.py   (prints Markdown; needs openssl and age)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault
from tests.support.memory import PEAK_RSS_SOURCE, run_cli_measured
from tests.support.tsa import LocalTSA

GIB = 1024**3
PASSPHRASE = "benchmark passphrase for the vault"
BUNDLE_PASS = "plum hedgehog lantern quietly 1987"

PYRAGE_WHOLE = (
    PEAK_RSS_SOURCE
    + """
import os, sys, time, pyrage
data = os.urandom(1 << 20) * 1024  # 1 GiB, as a whole bundle would have to be (one copy)
started = time.perf_counter()
out = pyrage.passphrase.encrypt(data, "x")
print(f"{time.perf_counter() - started:.1f} {peak_rss_kib()}")
"""
)

OURS_STREAMED = (
    PEAK_RSS_SOURCE
    + """
import os, sys, time
from evidence_kit.bundle.format import agepass
block = os.urandom(1 << 20)
started = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    writer = agepass.Writer(out, "x")
    for _ in range(1024):
        writer.write(block)
    writer.close()
print(f"{time.perf_counter() - started:.1f} {peak_rss_kib()}")
"""
)


def child(source: str, *args: str) -> tuple[float, int]:
    done = subprocess.run([sys.executable, "-c", source, *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})  # fmt: skip
    seconds, peak = done.stdout.split()
    return float(seconds), int(peak)


def passphrase_modes(folder: Path) -> None:
    print("| age with a passphrase, 1 GiB | seconds | peak RSS |")
    print("| --- | --- | --- |")
    seconds, peak = child(PYRAGE_WHOLE)
    print(f"| pyrage.passphrase.encrypt (whole bytes) | {seconds} | {peak // 1024} MB |")
    seconds, peak = child(OURS_STREAMED, str(folder / "x.age"))
    print(f"| agepass.Writer (streamed, 64 KiB chunks) | {seconds} | {peak // 1024} MB |")
    (folder / "x.age").unlink()


def timed(*args: str) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done, peak = run_cli_measured(*args, passphrase=PASSPHRASE)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started, peak, done


def exports(folder: Path) -> None:
    vault_dir = folder / "vault"
    created = Vault.create(vault_dir, PASSPHRASE, owner="Bench", kdf=TEST_KDF)
    block = os.urandom(1 << 20)
    with created.vault as vault, vault.transaction() as writer:
        sha, size = writer.put(block for _ in range(1024))
        writer.add_item(ItemKind.FILE, sha256=sha, size=size, media_type="video/mp4",
                        original_name="recording.mp4", case="Big", metadata={})  # fmt: skip
    subprocess.run(["age-keygen", "-o", str(folder / "me.key")], check=True, capture_output=True)
    public = (folder / "me.key").read_text().split("public key: ")[1].split()[0]
    (folder / "pass.txt").write_text(BUNDLE_PASS)
    base = ("--vault", str(vault_dir), "export", "--case", "Big", "--audience", "police", "--json")
    print()
    print("| 1 GiB case | export s | export peak | verify s | verify peak |")
    print("| --- | --- | --- | --- | --- |")
    for label, extra, verify_extra in (
        ("plain zip", (), ()),
        ("to an age key", ("--encrypt-to", public), ("--identity", str(folder / "me.key"))),
        ("with a passphrase", ("--encrypt-passphrase-file", str(folder / "pass.txt")),
         ("--age-passphrase-file", str(folder / "pass.txt"))),
    ):  # fmt: skip
        out = folder / label.replace(" ", "-")
        seconds, peak, done = timed(*base, "--out", str(out), *extra)
        bundle = json.loads(done.stdout)["zip"]
        vseconds, vpeak, _ = timed("verify", bundle, *verify_extra)
        print(
            f"| {label} | {seconds:.1f} | {peak // 1024} MB | {vseconds:.1f} | {vpeak // 1024} MB |"
        )
        for path in out.iterdir():
            path.unlink()


def attempt_after_add(folder: Path) -> None:
    vault_dir = folder / "small"
    Vault.create(vault_dir, PASSPHRASE, owner="Bench", kdf=TEST_KDF).vault.close()
    tsa = LocalTSA(folder / "tsa")
    cases = (("time-stamps off", "none"), ("local authority up", tsa.url),
             ("local authority down (refused)", tsa.url))  # fmt: skip
    print()
    print("| `add` of a 100 KB file | median of 5, s |")
    print("| --- | --- |")
    for label, urls in cases:
        if label.endswith("(refused)"):
            tsa.stop()
        times = []
        for n in range(5):
            path = folder / f"{label[:5]}-{n}.bin"
            path.write_bytes(os.urandom(100_000))
            env = {**os.environ, "EVIDENCE_KIT_TSA_URLS": urls, "EVIDENCE_KIT_TSA_CA": str(tsa.root_pem),
                   "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE}  # fmt: skip
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), "add",
                            str(path)], env=env, check=True, capture_output=True)  # fmt: skip
            times.append(time.perf_counter() - started)
        print(f"| {label} | {sorted(times)[2]:.2f} |")


def queue_cost(folder: Path) -> None:
    """What queueing adds to an act: the same small act (a 1.5 MB screenshot-sized file stored
    and its item made, as a capture does), with and without the queue row and its event."""
    from evidence_kit.vault import Writer

    vault = Vault.create(folder / "queue", PASSPHRASE, owner="Bench", kdf=TEST_KDF).vault
    png = os.urandom(1_500_000)
    print()
    print(
        "| one capture-sized act (1.5 MB stored, item made) | median of 60 each, interleaved, ms |"
    )
    print("| --- | --- |")
    original = Writer.queue_stamps
    times: dict[bool, list[float]] = {False: [], True: []}
    for n in range(120):  # interleaved, so that caches and the disk treat both alike
        on = n % 2 == 1
        Writer.queue_stamps = original if on else (lambda self: None)  # type: ignore[method-assign]
        started = time.perf_counter()
        with vault.transaction() as writer:
            sha, size = writer.put([png[n:] + png[:n]])
            writer.add_item(ItemKind.SCREENSHOT, sha256=sha, size=size, media_type="image/png")
        times[on].append(time.perf_counter() - started)
    Writer.queue_stamps = original  # type: ignore[method-assign]
    for label, on in (("without the queue", False), ("with the queue (row + event)", True)):
        print(f"| {label} | {sorted(times[on])[30] * 1000:.1f} |")
    vault.close()


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as name:
        folder = Path(name)
        queue_cost(folder)
        passphrase_modes(folder)
        exports(folder)
        attempt_after_add(folder)


if __name__ == "__main__":
    main()
