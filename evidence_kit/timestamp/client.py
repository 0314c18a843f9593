"""Asking an authority: one HTTP POST of a request (RFC 3161 section 3.4), bounded in time and
size. Every authority of a list is asked at once, so asking two costs the time of the slower."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
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
    """Each (url, request) at once; the answers in the same order, within `timeout` (plus a
    second) in all: an authority that trickles its reply is given up on, and its thread (a
    daemon) never keeps the program from ending. `cancel` is looked at while they are on their
    way (`Cancelled`: whatever comes back later is dropped, never kept)."""
    answers: list[Answer | None] = [None] * len(requests)
    errors: list[BaseException] = []

    def run(index: int, url: str, request: bytes) -> None:
        try:
            answers[index] = ask(url, request, timeout)
        except BaseException as exc:  # a bug, not a network problem: raised on the caller's side
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(i, url, request), daemon=True, name="tsa")
        for i, (url, request) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 1
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
        if cancel():
            raise Cancelled()
        for thread in threads:
            thread.join(0.05)
    if errors:
        raise errors[0]
    return [
        found if found is not None else Answer(url, None, "it did not answer in time")
        for found, (url, _) in zip(answers, requests, strict=True)
    ]
