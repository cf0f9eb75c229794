"""Where the project's files live."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def project_root() -> Path:
    """The repository root: ``$DEEPSEEK_SHOCK_ROOT`` if set, else the checkout holding this package."""
    return resolved_root(os.environ.get("DEEPSEEK_SHOCK_ROOT") or "")


@lru_cache(maxsize=8)
def resolved_root(override: str) -> Path:
    """The project root for one value of ``$DEEPSEEK_SHOCK_ROOT`` (empty: this checkout)."""
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """``data/``: the embedded snapshots and the claims registry."""
    return project_root() / "data"


def snapshots_dir() -> Path:
    """``data/snapshots/``: one folder per snapshot id."""
    return data_dir() / "snapshots"
