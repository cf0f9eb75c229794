"""Where the project's files live."""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

from deepseek_shock.errors import UserError

SNAPSHOT_ENV = "DEEPSEEK_SHOCK_SNAPSHOT"  # selects a snapshot folder under data/snapshots/
ROOT_MARKERS = ("_config.yml", "params", "data", "notebooks")  # what every checkout holds


def project_root() -> Path:
    """The repository root: ``$DEEPSEEK_SHOCK_ROOT`` if set, else the checkout holding this package."""
    return resolved_root(os.environ.get("DEEPSEEK_SHOCK_ROOT") or "")


@lru_cache(maxsize=8)
def resolved_root(override: str) -> Path:
    """The project root for one value of ``$DEEPSEEK_SHOCK_ROOT`` (empty: this checkout)."""
    if override:
        return Path(override).resolve()
    return package_dir().parents[1]


def checked_root() -> Path:
    """The project root, after checking that ``$DEEPSEEK_SHOCK_ROOT`` (when set) names a checkout."""
    root = project_root()
    missing = [name for name in ROOT_MARKERS if not (root / name).exists()]
    if missing:
        chosen = os.environ.get("DEEPSEEK_SHOCK_ROOT")
        where = f"DEEPSEEK_SHOCK_ROOT={chosen}" if chosen else str(root)
        raise UserError(
            f"{where} is not a checkout of this project (it has no {missing[0]}): "
            f"expected the folder holding {', '.join(ROOT_MARKERS)}"
        )
    return root


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


def project_label(path: Path) -> str:
    """``path`` relative to the project root as the user names it (links not followed), else absolute."""
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def checked_file(path: Path) -> Path:
    """``path``, checked before it is read: a regular file whose real location lies inside the project.

    A symbolic link may lead elsewhere in the project, never out of it: the build would read, and
    publish, a file the project does not hold. A folder, pipe or device is refused before it is opened
    (a pipe or ``/dev/zero`` would never end). A missing file raises ``FileNotFoundError``, for the
    caller to say what the file was for; anything else is one clear ``UserError``.
    """
    label = project_label(path)
    try:
        real = path.resolve(strict=True)
    except (RuntimeError, OSError) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise UserError(f"{label}: its symbolic links loop: expected a file") from None
    if not real.is_relative_to(project_root()):
        raise UserError(
            f"{label} leads outside the project, to {real}: expected a file inside {project_root()} "
            "(copy the file in instead of linking to it)"
        )
    mode = real.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = "folder" if stat.S_ISDIR(mode) else "pipe" if stat.S_ISFIFO(mode) else "device or socket"
        raise UserError(f"{label} is a {kind}: expected a regular file")
    return path
