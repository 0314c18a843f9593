"""Asking an authority: one HTTP POST of a request (RFC 3161 section 3.4), bounded in time and
size. Every authority of a list is asked at once, so asking two costs the time of the slower."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

from evidence_kit import __version__
from evidence_kit.errors import Cancelled
from evidence_kit.model import CancelFlag, never_cancel

MAX_REPLY = 1 << 20  # a token with its chain is a few kilobytes
TIMEOUT = 10.0  # seconds, for `evidence-kit timestamp`; shorter where a person waits


@dataclass(frozen=True)
class Answer:
    url: str
    reply: bytes | None  # the body, exactly as received; None when no reply came
    unreachable: str | None = None  # why not, in plain words


def ask(url: str, request: bytes, timeout: float) -> Answer:
    sent = urllib.request.Request(
        url,
        data=request,
        method="POST",
        headers={
            "Content-Type": "application/timestamp-query",
            "Accept": "application/timestamp-reply",
            "User-Agent": f"Evidence Kit {__version__}",
        },
    )
    try:
        with urllib.request.urlopen(sent, timeout=timeout) as answer:
            body = answer.read(MAX_REPLY + 1)
    except urllib.error.HTTPError as exc:
        return Answer(url, None, f"it answered HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Answer(url, None, f"it could not be reached ({reason})")
    if len(body) > MAX_REPLY:
        return Answer(url, body[:MAX_REPLY], None)
    return Answer(url, body, None)


def ask_all(
    requests: Sequence[tuple[str, bytes]], timeout: float, cancel: CancelFlag = never_cancel
) -> list[Answer]:
    """Each (url, request) at once; the answers in the same order. `cancel` is looked at while
    they are on their way (`Cancelled`: whatever comes back later is dropped, never kept)."""
    if not requests:
        return []
    pool = ThreadPoolExecutor(max_workers=len(requests), thread_name_prefix="tsa")
    try:
        futures = [pool.submit(ask, url, request, timeout) for url, request in requests]
        while wait(futures, timeout=0.1).not_done:
            if cancel():
                raise Cancelled()
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
