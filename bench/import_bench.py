"""WhatsApp import benchmark: a generated 1,000,000-line export, imported by Evidence Kit (parsed,
stored encrypted, indexed for search) against the parse alone of whatstk and chat-miner on the same
file, in the same run. Each contender runs in its own process so its peak RSS is its own.

    .venv/bin/python bench/import_bench.py [--lines N] [--skip-others]

Goal (issue 4): at least 2x faster than whatstk's parse, peak RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

NAMES = ["Alice Smith", "Bob Jones", "Carol Díaz", "+44 7700 900123", "Dev Patel"]
WORDS = [
    "see",
    "you",
    "at",
    "the",
    "meeting",
    "tomorrow",
    "why",
    "did",
    "you",
    "post",
    "that",
    "again",
    "please",
    "stop",
    "sending",
    "me",
    "these",
    "messages",
    "everyone",
    "saw",
    "it",
    "ok",
    "thanks",
    "👍",
    "no",
    "that",
    "is",
    "not",
    "what",
    "I",
    "said",
    "I",
    "will",
    "tell",
    "the",
    "manager",
]


def generate(path: Path, lines: int, seed: int = 7) -> int:
    """An Android en-GB 24h export of `lines` lines (some messages span two lines); messages."""
    rng = random.Random(seed)
    moment = datetime(2025, 1, 13, 8, 0)
    written = messages = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(
            f"{moment:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted. Only people "
            "in this chat can read, listen to, or share them. Learn more.\n"
        )
        written = messages = 1
        while written < lines:
            moment += timedelta(seconds=rng.randint(5, 400))
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14)))
            out.write(f"{moment:%d/%m/%Y, %H:%M} - {rng.choice(NAMES)}: {text}\n")
            written += 1
            messages += 1
            if rng.random() < 0.05 and written < lines:
                out.write(" ".join(rng.choice(WORDS) for _ in range(5)) + "\n")
                written += 1
    return messages


def run_child(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # whatstk and chat-miner draw progress bars and log lines
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def child(kind: str, path: Path) -> None:
    start = time.perf_counter()
    count = 0
    if kind == "evidence-kit":
        from evidence_kit.importers import import_file
        from evidence_kit.vault import TEST_KDF, Vault

        with tempfile.TemporaryDirectory() as tmp:
            created = Vault.create(Path(tmp) / "vault", "bench passphrase", kdf=TEST_KDF)
            start = time.perf_counter()
            with created.vault as vault:
                result = import_file(vault, path, tz="Europe/London")
                count = result.message_count
                assert vault.search("manager")
    elif kind == "whatstk":
        from whatstk import WhatsAppChat

        chat = WhatsAppChat.from_source(filepath=str(path), max_size=None)
        count = len(chat.df)
    elif kind == "chat-miner":
        from chatminer.chatparsers import WhatsAppParser

        parser = WhatsAppParser(str(path))
        parser.parse_file()
        count = len(parser.parsed_messages.get_df())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "messages": count}))


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--lines", type=int, default=1_000_000)
    args.add_argument("--skip-others", action="store_true")
    args.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    opts = args.parse_args()
    if opts.child:
        child(opts.child[0], Path(opts.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "WhatsApp Chat with Bench Group.txt"
        messages = generate(path, opts.lines)
        size = path.stat().st_size
        print(f"file: {opts.lines:,} lines, {messages:,} messages, {size / 1e6:.1f} MB")
        kinds = ["evidence-kit"] + ([] if opts.skip_others else ["whatstk", "chat-miner"])
        results = {}
        for kind in kinds:
            try:
                results[kind] = run_child(kind, path)
            except subprocess.CalledProcessError:
                print(f"{kind}: failed (run it alone with --child {kind} PATH to see why)")
                continue
            r = results[kind]
            print(
                f"{kind:13s} {r['seconds']:7.1f} s  peak RSS {r['peak_mb']:6.0f} MB  "
                f"{int(r['messages']):,} messages"
            )
        ours = results.get("evidence-kit")
        if ours and "whatstk" in results:
            ratio = results["whatstk"]["seconds"] / ours["seconds"]
            verdict = "met" if ratio >= 2 and ours["peak_mb"] <= 300 else "NOT met"
            print(f"whatstk parse / our import: {ratio:.2f}x; goal >= 2x, <= 300 MB: {verdict}")


if __name__ == "__main__":
    main()
