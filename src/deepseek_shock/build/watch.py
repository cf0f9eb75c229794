"""What changed on disk, for the preview server: the state of every file it watches, polled.

A poll stats every file under the watched paths (the parameters, notebooks, data and prose pages:
a few dozen; the library's source, a hundred more, less often) and compares modification time,
size and inode with the last poll; no file-system events are needed. A change is reported once
the files have stopped changing, so a file caught half-written is read whole.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from deepseek_shock.paths import file_state

POLL_SECONDS = 0.025  # between polls of the book's inputs when nothing changed (40 stats: 0.4 ms)
SLOW_POLL_SECONDS = 1.0  # between polls of the library's source (a change there only asks for a restart)
SETTLE_SECONDS = 0.01  # between the polls that wait for a change to settle

FileStates = dict[Path, tuple[int, int, int]]


def ignored(name: str) -> bool:
    """Editor and interpreter droppings: hidden files and folders, backups, compiled caches."""
    return name.startswith(".") or name.endswith("~") or name == "__pycache__"


def folder_states(folder: str, states: FileStates) -> None:
    """Add the state of every file under ``folder`` to ``states`` (one ``stat`` per file)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if ignored(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                folder_states(entry.path, states)
            elif entry.is_file():
                stat = entry.stat()
                states[Path(entry.path)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:  # removed while looked at: absent
            continue


def file_states(paths: Iterable[Path]) -> FileStates:
    """The state (modification time, size, inode) of every file at or under ``paths``; missing ones absent."""
    states: FileStates = {}
    for path in paths:
        if path.is_dir():
            folder_states(str(path), states)
        elif (state := file_state(path)) is not None:
            states[path] = state
    return states


class Watcher:
    """The files at or under ``paths``, and what changed in them since the last look.

    With ``every`` (seconds), a call sooner than that after the last look does not look.
    """

    def __init__(self, paths: Iterable[Path], every: float = 0.0) -> None:
        self.paths = list(paths)
        self.every = every
        self.states = file_states(self.paths)
        self.looked = time.monotonic()

    def changes(self) -> list[Path]:
        """The files added, changed or removed since the last look (none: returns at once)."""
        if time.monotonic() - self.looked < self.every:
            return []
        self.looked = time.monotonic()
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
