"""Receiving a bundle on the worker (a rep's vault taking in what the person sealed): the core's
`receive` — verified first, refused with the failing checks named, nothing stored twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evidence_kit.ui.tasks import Job


@dataclass(frozen=True)
class Received:
    """What happened, for the GUI thread: taken in, already there, or refused (and why)."""

    name: str
    refused: str = ""  # the refusal in plain words; empty when taken in
    failed: tuple[tuple[str, str], ...] = ()  # (check, what is wrong) of a refused bundle
    item_id: int | None = None
    exhibits: int = 0
    already: bool = False
    sender: str = ""
    fingerprint: str = ""
    read_aloud: str = ""
    sealed_at: str = ""
    case: str | None = None
    item_ids: tuple[int, ...] = field(default_factory=tuple)


def receive(
    job: Job, path: Path, expect_key: str | None, passphrase: str | None = None
) -> Received:
    from evidence_kit.bundle.verify import verify_bundle
    from evidence_kit.bundle.verify.encrypted import is_encrypted
    from evidence_kit.handover.receive import ReceiveRefused, receive_bundle

    path = Path(path)
    try:
        taken = receive_bundle(job.need_vault(), path, expect_key=expect_key or None,
                               passphrase=passphrase, progress=job.progress, cancel=job.cancel)  # fmt: skip
    except ReceiveRefused as exc:
        failed: tuple[tuple[str, str], ...] = ()
        if path.is_file() and not is_encrypted(path):
            report = verify_bundle(path, expect_key=expect_key or None, cancel=job.cancel)
            failed = tuple((c.name, c.detail) for c in report.failed())
        return Received(path.name, refused=exc.message, failed=failed)
    info = taken.item.metadata.get("received") or {}
    return Received(
        path.name,
        item_id=taken.item.id,
        exhibits=len(taken.items),
        already=taken.already,
        sender=str(info.get("sender_name") or ""),
        fingerprint=taken.sender_fingerprint,
        read_aloud=taken.sender_read_aloud,
        sealed_at=str(info.get("sealed_at") or ""),
        case=taken.item.case,
        item_ids=tuple(i.id for i in taken.items),
    )


def fingerprint_problem(text: str) -> str:
    """What is wrong with a fingerprint as typed (empty: it is fine, or none was given)."""
    from evidence_kit.bundle.format.keys import normalise_fingerprint

    if not text.strip() or normalise_fingerprint(text.strip()) is not None:
        return ""
    return (
        "That is not a seal key fingerprint: it looks like SHA256:… or eight groups of five "
        "digits (as read aloud). Leave it empty if you were not given one."
    )


def is_encrypted(path: Path) -> bool:
    from evidence_kit.bundle.verify.encrypted import is_encrypted as encrypted

    return path.is_file() and encrypted(path)
