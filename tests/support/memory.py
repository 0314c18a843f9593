"""Peak memory of a child process, measured inside it.

`ru_maxrss` is no good here: on Linux it keeps the high-water mark of the process that was
forked, before `exec` (a pytest-xdist worker of several hundred MB), so a small child looks big.
`VmHWM` in /proc/self/status belongs to the new program only.
"""

from __future__ import annotations

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
