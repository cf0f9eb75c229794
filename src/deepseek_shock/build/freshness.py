"""Whether the last build is still current: one digest over every file a build reads.

A rebuild with nothing changed should cost next to nothing. Before importing the pipeline (pandas,
pydantic, papermill) or validating any parameter, ``build`` hashes the contents of every input —
the notebooks, parameters, data, book pages, static files, configuration, lock and the library's
own source — with the active snapshot, the scenario and the Python version. If the digest equals
the one stamped into the site by the last successful build, there is nothing to do.
Anything else takes the full path, where the content-addressed cache decides per notebook.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from deepseek_shock.paths import SNAPSHOT_ENV, package_dir, project_root

INPUT_FILES = ("_config.yml", "_toc.yml", "requirements.lock", "pyproject.toml")
INPUT_DIRS = ("notebooks", "params", "data", "book", "_static")
STAMP_FILE = ".inputs-digest"


def input_files() -> list[Path]:
    """Every file a build reads, in a fixed order (the library's compiled caches excluded)."""
    root = project_root()
    files = [root / name for name in INPUT_FILES]
    for folder in [*(root / name for name in INPUT_DIRS), package_dir()]:
        files += sorted(
            path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts
        )
    return files


def inputs_digest(scenario: str | None) -> str:
    """One sha256 over the build's inputs: file names and contents, snapshot, scenario, Python."""
    hasher = hashlib.sha256()
    snapshot = os.environ.get(SNAPSHOT_ENV, "")
    hasher.update(f"snapshot={snapshot}\nscenario={scenario}\npython={sys.version}\n".encode())
    for path in input_files():
        content = path.read_bytes() if path.exists() else b"<missing>"
        hasher.update(f"{path}\0".encode() + hashlib.sha256(content).digest())
    return hasher.hexdigest()


def is_current(site: Path, digest: str) -> bool:
    """Whether the site in ``site`` (a built ``html`` folder) was built from inputs with ``digest``."""
    stamp = site / STAMP_FILE
    return stamp.exists() and stamp.read_text() == digest


def stamp(site: Path, digest: str) -> None:
    """Record that the site in ``site`` is current for ``digest``."""
    (site / STAMP_FILE).write_text(digest)
