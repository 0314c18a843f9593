"""The case file: what happened (incidents), who (people), the law it may touch (offences), the
person's own words (statement) and one chronology — the layer above the evidence items.

`model.py` holds the shapes the vault, the CLI, the GUI and the report share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evidence_kit.casefile.model import CaseFile
    from evidence_kit.vault.queries import Queries


def load(vault: Queries, case: str) -> CaseFile:
    """Everything about case `case` (its current name) as one `CaseFile`: see `loading.py`."""
    from evidence_kit.casefile.loading import load as load_case

    return load_case(vault, case)


__all__ = ["load"]
