"""One command at a time writes a project's build folder: the lock ``_build/.lock``.

``build``, ``run``, ``sweep``, ``ledger`` and ``publish`` hold it while they write ``_build/`` (and
``publish`` while it writes ``site/``). A second command started meanwhile in the same checkout stops
at once with one line, instead of mixing its files with the first one's. The lock is the operating
system's (``flock``): it ends with the process that holds it, so a killed command never leaves it
held. A build with nothing to do answers before it asks for the lock, so it works on a read-only
checkout.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from deepseek_shock.errors import UserError
from deepseek_shock.paths import build_dir, project_label

LOCK_FILE = ".lock"


@contextmanager
def build_lock(command: str) -> Iterator[None]:
    """Hold the project's build lock for ``command``; a folder that cannot be written is one clear line."""
    folder = build_dir()
    label = project_label(folder) + "/"
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{label[:-1]} is a file: expected the build folder (delete the file)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK_FILE).open("a+", encoding="utf-8")
        tempfile.TemporaryFile(dir=folder).close()  # the folder itself takes new files
    except OSError as err:
        raise UserError(
            f"{label} cannot be written ({err.strerror}): expected a writable build folder; "
            "check its permissions and free space (a build with nothing changed still works)"
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another deepseek-shock command"
            raise UserError(
                f"{holder} is writing {label} in this project: expected one build, run or publish at a "
                "time; wait for it to end (or work in another clone)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"deepseek-shock {command} (process {os.getpid()})")
        handle.flush()
        yield
