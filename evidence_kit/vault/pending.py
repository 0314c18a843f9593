"""Files an act is still writing outside the vault (a bundle's `.partial`), remembered in the
vault folder so that if the program is killed, the next unlock or export removes them: nothing
readable is left behind by an act that never finished.

`pending.json` holds paths only, never evidence.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from evidence_kit.fsutil import write_durably

NAME = "pending.json"


def _load(folder: Path) -> list[str]:
    try:
        data = json.loads((folder / NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    return [str(p) for p in data] if isinstance(data, list) else []


def _save(folder: Path, paths: list[str]) -> None:
    if not paths:
        with contextlib.suppress(FileNotFoundError):
            (folder / NAME).unlink()
        return
    write_durably(folder / NAME, json.dumps(paths, indent=1).encode("utf-8"))


def remember(folder: Path, *paths: Path) -> None:
    """Record `paths` before they are created (durably: a kill right after still finds them)."""
    known = _load(folder)
    _save(folder, known + [str(p) for p in paths if str(p) not in known])


def forget(folder: Path, *paths: Path) -> None:
    drop = {str(p) for p in paths}
    _save(folder, [p for p in _load(folder) if p not in drop])


def sweep(folder: Path) -> list[Path]:
    """Remove every remembered file that is still there; return the ones removed."""
    removed = []
    for text in _load(folder):
        path = Path(text)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    with contextlib.suppress(OSError):
        _save(folder, [])
    return removed
