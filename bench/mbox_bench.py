"""Import a generated 1 GB mbox; peak RSS against Python's `mailbox` parsing the same file.

    .venv/bin/python bench/mbox_bench.py [--size-mb 1024] [--keep]

The mailbox is made of fictional messages: plain text (some with `>From ` quoting), HTML
alternatives, and one in four with a base64 attachment of 40-400 KB. Each measurement runs in
its own child process and its peak RSS comes from the kernel (`wait4` rusage):

* baseline: `mailbox.mbox(path)` iterated, each message parsed with `email.policy.default` and
  its plain body and attachments decoded (what a simple importer written with the stdlib does;
  nothing stored);
* ours: `import_file` into a new vault (original stored encrypted, every message parsed, its
  attachments stored, messages indexed for search), all in one transaction.

Goal: peak RSS <= 300 MB for ours.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "meeting",
    "report",
    "friday",
    "again",
    "nobody",
    "listens",
    "you",
    "said",
    "never",
    "told",
    "warned",
    "stop",
    "please",
    "office",
    "team",
    "shift",
    "rota",
    "manager",
    "hear",
    "complaint",
    "photo",
    "everyone",
    "knows",
    "laughed",
    "tomorrow",
]


def generate(path: Path, size: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    blob = rng.randbytes(300 * 1024)
    b64 = __import__("base64").encodebytes(blob)  # 76-column lines, as mail programs write
    written = count = 0
    with open(path, "wb", buffering=1024 * 1024) as out:
        while written < size:
            count += 1
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(200, 1500)))
            lines = [words[i : i + 72] for i in range(0, len(words), 72)]
            if count % 7 == 0:
                lines.insert(2, ">From the start I said no.")
            body = "\n".join(lines)
            day = 1 + count % 28
            head = (
                f"From sender{count % 50}@example.org Mon Mar {day:2d} 09:{count % 60:02d}:00 2024\n"
                f"Received: from relay{count % 3}.example.org by mx.example.net; "
                f"Mon, {day} Mar 2024 09:{count % 60:02d}:02 +0000\n"
                f"From: Sender {count % 50} <sender{count % 50}@example.org>\n"
                f"To: Alex Morgan <alex.morgan@example.net>\n"
                f"Subject: Re: message {count}\n"
                f"Date: Mon, {day} Mar 2024 10:{count % 60:02d}:00 +0100\n"
                f"Message-ID: <bench-{count}@example.org>\nMIME-Version: 1.0\n"
            )
            if count % 4 == 0:
                size_kb = rng.randint(40, 400)
                chunk = b64[: size_kb * 1024 * 4 // 3 // 77 * 77]
                text = (
                    (
                        head + 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
                        "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n--b\n"
                        f'Content-Type: image/jpeg\nContent-Disposition: attachment; filename="p{count}.jpg"\n'
                        "Content-Transfer-Encoding: base64\n\n"
                    ).encode()
                    + chunk
                    + b"--b--\n\n"
                )
            elif count % 4 == 1:
                text = (
                    head + 'Content-Type: multipart/alternative; boundary="a"\n\n--a\n'
                    "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n--a\n"
                    "Content-Type: text/html; charset=utf-8\n\n<p>" + body + "</p>\n--a--\n\n"
                ).encode()
            else:
                text = (
                    head + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n\n"
                ).encode()
            out.write(text)
            written += len(text)
    return count


BASELINE = """
import email.policy, mailbox, sys
count = 0
for message in mailbox.mbox(sys.argv[1], factory=None, create=False):
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    if body is not None:
        body.get_content()
    for part in parsed.iter_attachments():
        part.get_payload(decode=True)
    count += 1
print(count)
"""

OURS = """
import sys
from pathlib import Path
from evidence_kit.vault import TEST_KDF, Vault
from evidence_kit.importers.run import import_file
vault = Vault.create(Path(sys.argv[2]), "bench passphrase", owner="Bench", kdf=TEST_KDF).vault
result = import_file(vault, Path(sys.argv[1]), format_name="mbox")
print(result.message_count, result.attachment_count, len(result.warnings))
vault.close()
"""


def measure(code: str, *args: str) -> tuple[float, float, str]:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    out = child.stdout.read().strip() if child.stdout else ""
    if status != 0:
        raise SystemExit(f"child failed ({status}): {out}")
    return elapsed, usage.ru_maxrss / 1024, out  # ru_maxrss is KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mbox-bench-"))
    try:
        mbox = work / "big.mbox"
        t0 = time.perf_counter()
        count = generate(mbox, args.size_mb * 1024 * 1024)
        size = mbox.stat().st_size
        print(
            f"generated {size / 1e6:.0f} MB, {count} messages in {time.perf_counter() - t0:.0f} s"
        )
        base_t, base_rss, base_out = measure(BASELINE, str(mbox))
        print(
            f"baseline mailbox+email: {base_t:.1f} s, peak RSS {base_rss:.0f} MB ({base_out} messages)"
        )
        ours_t, ours_rss, ours_out = measure(OURS, str(mbox), str(work / "vault"))
        print(f"evidence-kit import:    {ours_t:.1f} s, peak RSS {ours_rss:.0f} MB ({ours_out})")
        print(
            f"ratio ours/baseline: time {ours_t / base_t:.2f}x, peak RSS {ours_rss / base_rss:.2f}x; "
            f"goal peak RSS <= 300 MB: {'met' if ours_rss <= 300 else 'NOT met'}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
