"""Where things live: the default vault folder and the program's resources."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "EvidenceKit"
ENV_HOME = "EVIDENCE_KIT_HOME"


def default_vault_dir() -> Path:
    """`EVIDENCE_KIT_HOME` if set, else the platform's user-data folder."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "vault"


def resource_path(*parts: str) -> Path:
    """A file under `resources/`, in a source tree or an installed wheel."""
    package = Path(__file__).resolve().parent
    for base in (package / "_resources", package.parent / "resources"):
        if base.is_dir():
            return base.joinpath(*parts)
    raise FileNotFoundError("Evidence Kit's resources folder is missing; reinstall the program.")
