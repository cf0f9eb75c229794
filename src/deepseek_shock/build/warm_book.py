"""A Jupyter Book process started ahead of time, so its set-up overlaps the notebooks' execution.

Rendering pays a fixed cost before Sphinx reads a page: importing Jupyter Book, Sphinx, MyST-NB and
the book's extensions (~1.3 s). A build starts this process as soon as it knows it will render; by the
time the notebooks have run, the process has done it and waits for its one ``jupyter-book`` command
on stdin.

    python -m deepseek_shock.build.warm_book PARENT_PID

prints ``ready`` once warm, then reads one JSON list of ``jupyter-book`` arguments and exits
with that command's status. Closing its stdin instead exits it without building. On Linux the
process is killed when its parent dies, so a build killed with ``kill -9`` leaves no renderer
writing into ``_build/`` behind it.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import os
import signal
import subprocess
import sys
from types import TracebackType

from deepseek_shock.paths import project_root

READY = "ready"
# What every build imports besides the book's own extensions: the HTML builder, and MyST-NB's Sphinx
# half (Jupyter Book loads ``myst_nb``, whose ``setup`` imports it: about 0.4 s with jupyter-cache).
AHEAD = ("sphinx.builders.html", "myst_nb.sphinx_ext")
PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


class WarmBook:
    """The parent's handle on a warm ``jupyter-book`` process (a context manager: exits kill it)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        self.ready: bool | None = None
        self.stderr = ""

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

    def failure(self, arguments: list[str]) -> subprocess.CompletedProcess[str]:
        """The failed command, with what the process said, when it died before it was ready."""
        self.close()
        return subprocess.CompletedProcess(arguments, self.process.returncode or 1, "", self.stderr)

    def close(self) -> None:
        """Stop the process if it is still waiting (nothing was rendered)."""
        if self.process.poll() is None:
            self.process.kill()
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.stderr = self.process.communicate()[1] or ""

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


def die_with_parent(parent: int) -> None:
    """Have Linux kill this process when its parent dies; exit now if it already has.

    Elsewhere (no ``prctl``), the process still ends when its parent's end of stdin closes, but
    only after the build it was given.
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def main(parent: int) -> int:
    """The warm process: imports, ``ready``, then one ``jupyter-book`` command from stdin."""
    die_with_parent(parent)
    from jupyter_book.cli.main import main as jupyter_book

    for module in AHEAD:
        importlib.import_module(module)
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
    sys.exit(main(int(sys.argv[1])))
