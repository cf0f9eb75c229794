"""The preview server that ``build`` and ``run`` keep running, so that the next command takes a second.

A command working alone pays a fixed cost before its own work: Python and its imports (about 1.1 s),
a fresh kernel with pandas and Altair (about 1.5 s) and a Sphinx process (about 1 s). Only a process
that outlives the command avoids it. So when ``build`` or ``run`` has done its work itself and no
preview server is up for the project, it starts one in the background (``deepseek-shock serve
--port 0 --idle 30``, its output in ``_build/preview/kept.log``, at low priority); the next command
hands it the work once its first build is done (see ``preview_client``), and works alone before.

A kept server stops by itself after ``IDLE_MINUTES`` without a request or a change to the project,
when the library's source changes (its imports would be stale) or when ``_build/preview/server.json``
no longer names it (``_build/`` removed, or ``serve`` took over). ``deepseek-shock serve --stop``
stops it at once. No server is kept with ``--no-server``, with ``$DEEPSEEK_SHOCK_KEEP_SERVER`` set
to ``0``, or under CI (``$CI`` set), where nothing should outlive the job.

Standard library only: every command imports this module, and most find nothing to do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from deepseek_shock.paths import build_dir, project_root

KEEP_ENV = "DEEPSEEK_SHOCK_KEEP_SERVER"
IDLE_MINUTES = 30.0
OFF = {"0", "no", "off", "false"}
LIBRARY_CHECK_SECONDS = 2.0  # between a kept server's checks that its imported library is current
# A server that stops when idle works for commands yet to come: from its first import on, it and its
# kernels give way to whatever else needs the processor.
BACKGROUND_NICENESS = 10


def wanted(environ: Mapping[str, str]) -> bool:
    """Whether a command should leave a server running: ``$DEEPSEEK_SHOCK_KEEP_SERVER`` decides when
    set; otherwise yes, except under CI."""
    setting = environ.get(KEEP_ENV)
    if setting is not None:
        return setting.strip().lower() not in OFF
    return not environ.get("CI")


def log_file() -> Path:
    """``_build/preview/kept.log``: what the kept server printed."""
    return build_dir() / "preview" / "kept.log"


def keep_server() -> str | None:
    """Start a kept server in the background if one is wanted and none is up; what to tell the user."""
    from deepseek_shock.build.preview_client import server_url

    if not wanted(os.environ) or server_url() is not None:
        return None
    log = log_file()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as output:
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deepseek_shock.cli",
                "serve",
                "--port",
                "0",
                "--idle",
                f"{IDLE_MINUTES:g}",
            ],
            cwd=project_root(),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in this terminal is not for it
        )
    return (
        f"Keeping a preview server in the background for the next build or run (it stops after "
        f"{IDLE_MINUTES:g} idle minutes; `deepseek-shock serve --stop` stops it now, --no-server or "
        f"{KEEP_ENV}=0 keeps none)"
    )


class Lapse:
    """When a kept server should stop: idle too long, withdrawn, or its library out of date.

    ``check`` is called about five times a second with what shows activity (a count of requests,
    the build status); it returns the reason to stop, in words, or None.
    """

    def __init__(self, idle_minutes: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_minutes * 60
        self.clock = clock
        self.active_at = clock()
        self.library_at = clock()
        self.seen: object = None

    def check(
        self, activity: object, busy: bool, withdrawn: bool, library_changed: Callable[[], bool]
    ) -> str | None:
        """The reason to stop now, or None. ``library_changed`` is called at most every
        ``LIBRARY_CHECK_SECONDS`` (it hashes the library's source)."""
        now = self.clock()
        if busy or activity != self.seen:
            self.seen, self.active_at = activity, now
        if withdrawn:
            return "_build/preview/server.json no longer names this server"
        if now - self.library_at >= LIBRARY_CHECK_SECONDS:
            self.library_at = now
            if library_changed():
                return "the library's source changed (a new server will import it)"
        if now - self.active_at >= self.idle_seconds:
            minutes = self.idle_seconds / 60
            return f"no request and no change for {minutes:g} minute{'' if minutes == 1 else 's'}"
        return None
