"""Peak memory of a child process, measured inside it.

`ru_maxrss` is no good here: on Linux it keeps the high-water mark of the process that was
forked, before `exec` (a pytest-xdist worker of several hundred MB), so a small child looks big.
`VmHWM` in /proc/self/status belongs to the new program only.
"""

from __future__ import annotations

import os
import subprocess
import sys

# Source text to paste into a `python -c` child; defines peak_rss_kib().
PEAK_RSS_SOURCE = """
def peak_rss_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

# A child that runs `evidence-kit ARGS…` and prints its peak memory on stderr when it exits.
MEASURED_CLI = (
    PEAK_RSS_SOURCE
    + """
import atexit, sys
atexit.register(lambda: print(f"MAXRSS {peak_rss_kib()}", file=sys.stderr))
from evidence_kit.cli import main
main(sys.argv[1:])
"""
)


def run_cli_measured(*args: str, passphrase: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run `evidence-kit ARGS…` in a fresh process; return its result and peak RSS in KiB."""
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": passphrase}
    done = subprocess.run(
        [sys.executable, "-c", MEASURED_CLI, *args], capture_output=True, text=True, env=env
    )
    peak = next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("MAXRSS"))
    return done, int(peak)
