"""What changed on disk, for the preview server: the state of every file it watches, polled.

A poll stats every file under the watched paths (a couple of hundred: the parameters, notebooks,
data, prose pages and the library's source) and compares modification time, size and inode with
the last poll; no file-system events are needed. A change is reported once the files have stopped
changing, so a file caught half-written is read whole.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from deepseek_shock.paths import file_state

POLL_SECONDS = 0.1  # between polls when nothing changed
SETTLE_SECONDS = 0.03  # between the polls that wait for a change to settle
IGNORED_FOLDERS = {"__pycache__", ".ipynb_checkpoints"}

FileStates = dict[Path, tuple[int, int, int] | None]


def ignored(path: Path) -> bool:
    """Editor and interpreter droppings: hidden files, backups, compiled caches, notebook checkpoints."""
    return path.name.startswith(".") or path.name.endswith("~") or not IGNORED_FOLDERS.isdisjoint(path.parts)


def file_states(paths: Iterable[Path]) -> FileStates:
    """The state of every file at or under ``paths`` (a missing path is simply absent)."""
    states: FileStates = {}
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if not ignored(file) and file.is_file():
                states[file] = file_state(file)
    return states


class Watcher:
    """The files at or under ``paths``, and what changed in them since the last look."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.paths = list(paths)
        self.states = file_states(self.paths)

    def changes(self) -> list[Path]:
        """The files added, changed or removed since the last call (none: returns at once)."""
        current = file_states(self.paths)
        if current == self.states:
            return []
        while True:
            time.sleep(SETTLE_SECONDS)
            settled = file_states(self.paths)
            if settled == current:
                break
            current = settled
        changed = sorted(
            path for path in current.keys() | self.states.keys() if current.get(path) != self.states.get(path)
        )
        self.states = current
        return changed
