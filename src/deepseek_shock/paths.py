"""Where the project's files live."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

SNAPSHOT_ENV = "DEEPSEEK_SHOCK_SNAPSHOT"  # selects a snapshot folder under data/snapshots/


def project_root() -> Path:
    """The repository root: ``$DEEPSEEK_SHOCK_ROOT`` if set, else the checkout holding this package."""
    return resolved_root(os.environ.get("DEEPSEEK_SHOCK_ROOT") or "")


@lru_cache(maxsize=8)
def resolved_root(override: str) -> Path:
    """The project root for one value of ``$DEEPSEEK_SHOCK_ROOT`` (empty: this checkout)."""
    if override:
        return Path(override).resolve()
    return package_dir().parents[1]


def package_dir() -> Path:
    """The library's own source folder, ``src/deepseek_shock/``."""
    return Path(__file__).resolve().parent


def build_dir() -> Path:
    """``_build/``: everything the build writes (never committed)."""
    return project_root() / "_build"


def vendor_cache_dir() -> Path:
    """Where generated third-party assets (the Chinese font subset) are kept for every checkout on this
    machine.

    ``$XDG_CACHE_HOME/deepseek-shock`` (default ``~/.cache/deepseek-shock``): a subset depends only on
    the installed font and the characters, so clones and editions share it; deleting the folder is safe.
    """
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deepseek-shock"


def data_dir() -> Path:
    """``data/``: the embedded snapshots and the claims registry."""
    return project_root() / "data"


def snapshots_dir() -> Path:
    """``data/snapshots/``: one folder per snapshot id."""
    return data_dir() / "snapshots"


def file_state(path: Path) -> tuple[int, int, int] | None:
    """``(mtime_ns, size, inode)`` of ``path``, or ``None`` if it does not exist.

    The key of the in-process caches: a file that changes on disk is read and parsed again.
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)
