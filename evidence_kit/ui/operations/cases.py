"""Cases on the worker: make, rename, move items in (each one event on the custody chain)."""

from __future__ import annotations

from evidence_kit.ui.tasks import Job


def add_case(job: Job, name: str) -> str:
    """Returns the case's name as it was stored (spaces tidied)."""
    with job.need_vault().transaction() as writer:
        return writer.case_name(writer.add_case(name))


def rename_case(job: Job, old: str, new: str) -> str:
    with job.need_vault().transaction() as writer:
        return writer.case_name(writer.rename_case(old, new))


def move_items(job: Job, item_ids: list[int], case: str) -> int:
    """Put the items in `case`, all of them or (on any error) none; returns how many moved."""
    with job.need_vault().transaction() as writer:
        return sum(1 for item_id in item_ids if writer.move_item(item_id, case))
