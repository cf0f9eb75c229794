"""A Jupyter Book process started ahead of time, so its set-up overlaps the notebooks' execution.

Rendering pays a fixed cost before Sphinx reads a page: importing Jupyter Book, Sphinx and the
book's extensions (~1 s). A build starts this process as soon as it knows it will render; by the
time the notebooks have run, the process has done it and waits for its one ``jupyter-book`` command
on stdin.

    python -m deepseek_shock.warm_book

prints ``ready`` once warm, then reads one JSON list of ``jupyter-book`` arguments and exits
with that command's status. Closing its stdin instead exits it without building.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
from types import TracebackType

from deepseek_shock.paths import project_root

READY = "ready"


class WarmBook:
    """The parent's handle on a warm ``jupyter-book`` process (a context manager: exits kill it)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        self.ready: bool | None = None

    def wait_ready(self) -> bool:
        """Wait until the imports are done; False if the process died."""
        if self.ready is None:
            assert self.process.stdout is not None
            self.ready = self.process.stdout.readline().strip() == READY
        return self.ready

    def run(self, arguments: list[str]) -> subprocess.CompletedProcess[str] | None:
        """Run ``jupyter-book ARGUMENTS`` in the warm process; None if it is not usable (run it afresh)."""
        if not self.wait_ready() or self.process.poll() is not None:
            return None
        stdout, stderr = self.process.communicate(json.dumps(arguments) + "\n")
        return subprocess.CompletedProcess(arguments, self.process.returncode, stdout, stderr)

    def close(self) -> None:
        """Stop the process if it is still waiting (nothing was rendered)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()

    def __enter__(self) -> WarmBook:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def book_extensions() -> list[str]:
    """The Sphinx extensions ``_config.yml`` lists (imported ahead of the build)."""
    import yaml

    config = yaml.safe_load((project_root() / "_config.yml").read_text(encoding="utf-8")) or {}
    return list(config.get("sphinx", {}).get("config", {}).get("extensions", []))


def main() -> int:
    """The warm process: imports, ``ready``, then one ``jupyter-book`` command from stdin."""
    from jupyter_book.cli.main import main as jupyter_book

    importlib.import_module("sphinx.builders.html")
    for extension in book_extensions():
        with contextlib.suppress(ImportError):  # the build itself reports a missing extension
            importlib.import_module(extension)
    print(READY, flush=True)
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    try:
        jupyter_book(args=json.loads(line), prog_name="jupyter-book")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
