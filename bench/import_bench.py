"""WhatsApp import benchmark (issue 13, P2): Evidence Kit's whole import against whatstk's parse
alone, side by side in one run on the same bytes.

    .venv/bin/python bench/import_bench.py [--lines N] [--rounds R] [--cases android,ios,easy]
                                           [--floors] [--chat-miner]

Cases: a realistic group export (bench/whatsapp_realistic.py) in its Android and iOS forms, and
the first benchmark's easy case (single-line messages from five senders). Ours is
`import_file` into a vault unlocked with the real key derivation: the original stored and hashed,
every message parsed, stored encrypted in SQLCipher, indexed in FTS5 and hashed for the custody
event, one transaction. whatstk 0.9.1 is `WhatsAppChat.from_source` with the header format given
and `max_size=None`. Each run is a fresh process (its own peak memory); rounds alternate which
side goes first, and the load average is printed before each run because the machine is shared.

Goal: ours <= 0.5x whatstk's time. `--floors` adds what no import of these rows can beat here:
the SQLCipher + FTS5 inserts alone (rows parsed beforehand, not timed) and our parse alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.whatsapp_realistic import write_easy, write_export

HEADERS = {  # whatstk's hformat for each case's header
    "android": "%d/%m/%Y, %H:%M - %name:",
    "ios": "[%d/%m/%Y, %H:%M:%S] %name:",
    "easy": "%d/%m/%Y, %H:%M - %name:",
}
PASSPHRASE = "bench passphrase for the import"


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make(case: str, folder: Path, lines: int) -> tuple[Path, int]:
    path = folder / case / "WhatsApp Chat with Year 10 Parents.txt"
    path.parent.mkdir()
    if case == "easy":
        return path, write_easy(path, lines)
    return path, write_export(path, lines, case)[0]


def child(kind: str, case: str, path: Path) -> dict[str, float]:
    """One contender in this process; its figures as JSON on the last line of stdout."""
    figures: dict[str, float] = {}
    cpu = time.process_time()
    if kind == "evidence-kit":
        from evidence_kit.importers import import_file
        from evidence_kit.vault import Vault

        with tempfile.TemporaryDirectory() as tmp:
            Vault.create(Path(tmp) / "vault", PASSPHRASE).vault.close()
            with Vault.open(Path(tmp) / "vault", PASSPHRASE) as vault:
                unlocked = peak_mb()
                start, cpu = time.perf_counter(), time.process_time()
                result = import_file(vault, path, tz="Europe/London")
                seconds = time.perf_counter() - start
                figures["beyond_unlock_mb"] = peak_mb() - unlocked
                figures["messages"] = result.message_count
                assert vault.search("manager" if case == "easy" else "friday"), "not indexed"
    elif kind == "whatstk":
        from whatstk import WhatsAppChat

        start = time.perf_counter()
        chat = WhatsAppChat.from_source(
            filepath=str(path), hformat=HEADERS[case], auto_header=False, max_size=None
        )
        seconds = time.perf_counter() - start
        figures["messages"] = len(chat.df)
    elif kind == "chat-miner":
        from chatminer.chatparsers import WhatsAppParser

        start = time.perf_counter()
        parser = WhatsAppParser(str(path))
        parser.parse_file()
        seconds = time.perf_counter() - start
        figures["messages"] = len(parser.parsed_messages.get_df())
    else:
        seconds = floor(kind, path, figures)
    figures.update(seconds=seconds, cpu=time.process_time() - cpu, peak_mb=peak_mb())
    return figures


def floor(kind: str, path: Path, figures: dict[str, float]) -> float:
    """`parse` (ChatParser.rows alone) or `inserts` (the same rows into SQLCipher + FTS5)."""
    from zoneinfo import ZoneInfo

    from evidence_kit.importers.textlines import LineReader, Warnings
    from evidence_kit.importers.whatsapp_parse import ChatOptions, ChatParser, survey
    from evidence_kit.model import AttachmentRef, ItemKind
    from evidence_kit.vault import TEST_KDF, Vault
    from evidence_kit.vault.message_store import MessageInserter

    options = ChatOptions(ZoneInfo("Europe/London"), None, "Year 10 Parents")
    quiet = Warnings(lambda line, text: None)
    with open(path, "rb") as handle:
        found = survey(handle, options, str(path))
    start = time.perf_counter()
    parser = ChatParser(found, options, quiet, lambda name, line: AttachmentRef(name))
    with open(path, "rb") as handle:
        batches = list(parser.rows(LineReader(handle, quiet)))
    figures["messages"] = sum(map(len, batches))
    if kind == "parse":
        return time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        created = Vault.create(Path(tmp) / "vault", PASSPHRASE, kdf=TEST_KDF)
        with created.vault as vault, vault.transaction() as writer:
            item = writer.add_item(ItemKind.NOTE, sha256=None, size=0)
            start = time.perf_counter()
            inserter = MessageInserter(writer.conn, item.id, 1, searchable=True)
            for batch in batches:
                inserter.put(batch)
            inserter.close()
        return time.perf_counter() - start  # the commit included


def run(kind: str, case: str, path: Path) -> dict[str, float]:
    load = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, case, str(path)],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # whatstk and chat-miner draw progress bars
        text=True,
    )
    figures = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    figures["load"] = load
    extra = (
        f", {figures['beyond_unlock_mb']:.0f} MB beyond the unlock"
        if "beyond_unlock_mb" in figures
        else ""
    )
    print(
        f"  {kind:13s} {figures['seconds']:6.2f} s (cpu {figures['cpu']:5.2f} s)  "
        f"peak {figures['peak_mb']:5.0f} MB{extra}  {int(figures['messages']):,} messages  "
        f"load {load:.1f}",
        flush=True,
    )
    return figures


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--lines", type=int, default=1_000_000)
    args.add_argument("--rounds", type=int, default=2)
    args.add_argument("--cases", default="android,ios,easy")
    args.add_argument("--floors", action="store_true")
    args.add_argument("--chat-miner", action="store_true")
    args.add_argument("--child", nargs=3, metavar=("KIND", "CASE", "PATH"))
    opts = args.parse_args()
    if opts.child:
        print(json.dumps(child(opts.child[0], opts.child[1], Path(opts.child[2]))))
        return
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        for case in opts.cases.split(","):
            path, count = make(case, Path(tmp), opts.lines)
            size = path.stat().st_size / 1e6
            print(f"{case}: {opts.lines:,} lines, {count:,} messages, {size:.1f} MB")
            pairs = []
            for round_ in range(opts.rounds):
                order = ["whatstk", "evidence-kit"][:: 1 if round_ % 2 == 0 else -1]
                got = {kind: run(kind, case, path) for kind in order}
                pairs.append((got["evidence-kit"]["seconds"], got["whatstk"]["seconds"]))
            for kind in (["inserts", "parse"] if opts.floors else []) + (
                ["chat-miner"] if opts.chat_miner else []
            ):
                run(kind, case, path)
            ratios = [ours / theirs for ours, theirs in pairs]
            best = min(p[0] for p in pairs) / min(p[1] for p in pairs)
            verdict = "met" if statistics.median(ratios) <= 0.5 else "NOT met"
            print(
                f"  ours / whatstk: {', '.join(f'{r:.2f}x' for r in ratios)} (median "
                f"{statistics.median(ratios):.2f}x, best against best {best:.2f}x); "
                f"goal <= 0.5x: {verdict}"
            )


if __name__ == "__main__":
    main()
