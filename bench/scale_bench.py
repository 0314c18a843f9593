"""P5, a vault at scale: 1,000,000 messages and 5,000 screenshots (1920x1080, ~1.5 GB).

Builds the vault once (in --dir, reused by later runs), then measures:
  - the first 50 hits of a common and of a rare word (goal <= 200 ms each), in the core;
  - `evidence-kit list`, `search` and `check` as real processes: time and peak memory
    (VmHWM; bounded means it does not grow with the vault: compare with --messages smaller);
  - the GUI: first page of the timeline after unlocking, and every page load while scrolling to
    the end (goals <= 1 s and <= 100 ms on the GUI thread): `bench/scale_gui.py`, same --dir.

Run: .venv/bin/python bench/scale_bench.py --dir /var/tmp/ek-scale [--messages 1000000 --shots 5000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from realistic import WORDS, screenshot

from evidence_kit.model import ItemKind
from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.vault.message_codec import MessageRow

PASSPHRASE = "scale benchmark passphrase words"
PEOPLE = ["Gareth Holloway", "Priya Shah", "Tom Reeve", "+44 7700 900123", "Ana Ruiz", "Dev Patel",
          "Sam Carter", "Lee Park", "Minji Kim", "Ivana Horvat"]  # fmt: skip
RARE = "xylophonist"  # appears in 20 messages of the million


def build(folder: Path, messages: int, shots: int) -> None:
    created = Vault.create(folder, PASSPHRASE, kdf=TEST_KDF, owner="Priya Shah")
    vault = created.vault
    rng = random.Random(7)
    imports = 5
    per = messages // imports
    rare_at = set(rng.sample(range(messages), 20))
    n = 0
    for chat in range(imports):
        with vault.transaction() as writer:
            data = f"chat {chat}".encode()
            sha, size = writer.put([data])
            item = writer.add_item(ItemKind.IMPORT, sha256=sha, size=size, media_type="text/plain",
                                   original_name=f"WhatsApp Chat with Group {chat}.txt",
                                   case="Work", metadata={"import": {"format": "whatsapp"}})  # fmt: skip

            def rows(start: int, count: int, conversation: str):  # type: ignore[no-untyped-def]
                for i in range(count):
                    k = start + i
                    words = [rng.choice(WORDS) for _ in range(rng.choice((1, 2, 6, 12, 30)))]
                    if k in rare_at:
                        words.insert(1, RARE)
                    text = " ".join(words)
                    minute = k // 3
                    when = f"2024-{1 + minute // 40000 % 12:02d}-{1 + minute // 1400 % 28:02d}T{minute // 60 % 24:02d}:{minute % 60:02d}:00"
                    yield MessageRow(i, conversation, rng.choice(PEOPLE), None, 0, when + "+00:00",
                                     when + "Z", when, text, text, 0, 0, "[]", "{}")  # fmt: skip

            writer.add_message_rows(item.id, rows(n, per, f"Group {chat}"))
            writer.record_import(item.id, "whatsapp", "Europe/London", {"message_count": per})
            n += per
    for s in range(shots):
        data = screenshot(s, 1920, 1080, photo=False)
        with vault.transaction() as writer:
            sha, size = writer.put([data])
            writer.add_item(ItemKind.SCREENSHOT, sha256=sha, size=size, media_type="image/png",
                            original_name=f"screenshot-{s:05d}.png", case="Work",
                            metadata={"capture": {"captured_at_utc": f"2024-06-01T10:{s % 60:02d}:00.000000Z"}})  # fmt: skip
    vault.close()


def peak_run(args: list[str]) -> tuple[float, int, str]:
    """Seconds, peak RSS (KiB, VmHWM) and stdout of one `evidence-kit ARGS` process."""
    from tests.support.memory import MEASURED_CLI

    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED_CLI, *args], capture_output=True, text=True,
                          env=env)  # fmt: skip
    seconds = time.perf_counter() - start
    peak = next(
        int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("MAXRSS")
    )
    return seconds, peak, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--shots", type=int, default=5000)
    args = parser.parse_args()
    folder = args.dir / f"vault-{args.messages}-{args.shots}"
    if not folder.exists():
        start = time.perf_counter()
        build(folder, args.messages, args.shots)
        print(f"built {folder} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    with Vault.open(folder, PASSPHRASE) as vault:
        for label, word in (("common word 'you'", "you"), (f"rare word '{RARE}'", RARE)):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                hits = vault.search(word, limit=50)
                times.append(time.perf_counter() - start)
            print(f"| first 50 hits, {label} | {statistics.median(times) * 1000:.0f} ms "
                  f"({len(hits)} hits) | <= 200 ms |")  # fmt: skip
    for name, cli in (("list --json", ["list", "--json"]), ("search you", ["search", "you"]),
                      ("check", ["check"])):  # fmt: skip
        seconds, peak, _ = peak_run(["--vault", str(folder), *cli])
        print(f"| `evidence-kit {name}` | {seconds:.1f} s | peak {peak / 1024:.0f} MB |")


if __name__ == "__main__":
    main()
