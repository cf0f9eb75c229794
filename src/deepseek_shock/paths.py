"""Where the project's files live."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The repository root: ``$DEEPSEEK_SHOCK_ROOT`` if set, else the checkout holding this package."""
    override = os.environ.get("DEEPSEEK_SHOCK_ROOT")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """``data/``: the embedded snapshots and the claims registry."""
    return project_root() / "data"


def snapshots_dir() -> Path:
    """``data/snapshots/``: one folder per snapshot id."""
    return data_dir() / "snapshots"
