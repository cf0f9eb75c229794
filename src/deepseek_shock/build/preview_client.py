"""Talking to a running preview server: where it says it is, and handing it a run or a build.

While ``deepseek-shock serve`` runs, it writes its URL, process id and idle limit (a server that
``build`` or ``run`` keeps stops when idle; see ``kept_server``) to ``_build/preview/server.json``.
``deepseek-shock run`` reads that file and, if the server answers, has it run the notebook in its
warm kernels and render the page with its kept Sphinx;
``deepseek-shock build`` has it bring its book up to date and write it to ``_build/html``. If no
server is up, or the server cannot take the request as asked (another data snapshot, library code
newer than the server's, files that changed again meanwhile), the command does the work itself.
Standard library only: the commands look before they import anything heavy.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from deepseek_shock.errors import UserError
from deepseek_shock.paths import SNAPSHOT_ENV, build_dir

STATUS_PATH = "/_preview/status"
RUN_PATH = "/_preview/run"
BUILD_PATH = "/_preview/build"
BAD_INPUT = 400  # the request's notebook or parameters are wrong: the answer's error is for the user
NOT_SERVED = 409  # the server cannot run this request as asked: run it without the server
TIMEOUT_SECONDS = 600


def state_file() -> Path:
    """``_build/preview/server.json``: the running preview server's URL and process id."""
    return build_dir() / "preview" / "server.json"


def server_state() -> dict[str, Any] | None:
    """What the preview server running for this project says of itself (``url``, ``pid``,
    ``idle_minutes``, None unless it stops when idle, and ``ready``, once its first build is done),
    or None if none is running."""
    try:
        state = json.loads(state_file().read_text(encoding="utf-8"))
        if not (isinstance(state["url"], str) and isinstance(state["pid"], int)):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state if alive(state["pid"]) else None


def server_url() -> str | None:
    """The URL of the preview server running for this project, or None if none is."""
    state = server_state()
    return state["url"] if state else None


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie, ended but not yet reaped, has)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc: os.kill is all there is


def stop_server(state: dict[str, Any], seconds: float = 120) -> bool:
    """Ask the server ``state`` describes to stop (SIGTERM: it shuts its kernels down first); whether
    it ended within ``seconds``."""
    try:
        os.kill(state["pid"], signal.SIGTERM)
    except OSError:
        return True
    deadline = time.monotonic() + seconds
    while alive(state["pid"]):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def run_through_server(notebook: str, overrides: list[str]) -> dict[str, Any] | None:
    """The running server's answer to ``run NOTEBOOK --set …`` (with its URL as ``server``); None
    when no server can take it.

    Bad input is the server's one-line error, raised as a UserError.
    """
    return handed_over(RUN_PATH, {"notebook": notebook, "set": overrides})


def build_through_server(inputs: str) -> dict[str, Any] | None:
    """The running server's answer to ``build`` for the inputs whose digest is ``inputs`` (see
    ``freshness``), with its URL as ``server``; None when no server can take it.

    A failed build is the server's one-line error, raised as a UserError.
    """
    return handed_over(BUILD_PATH, {"inputs": inputs})


def handed_over(path: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """POST ``body`` (with this command's snapshot) to the running server's ``path``: its JSON answer
    with its URL as ``server``, None when no server can take it (none is running, or its first build
    is not done: the command would wait longer than it takes alone), its error as a UserError."""
    state = server_state()
    if state is None or not state.get("ready"):
        return None
    url = state["url"]
    request = urllib.request.Request(
        url.rstrip("/") + path,
        data=json.dumps({**body, "snapshot": os.environ.get(SNAPSHOT_ENV)}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    local = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    try:
        with local.open(request, timeout=TIMEOUT_SECONDS) as reply:
            return {**json.load(reply), "server": url}
    except urllib.error.HTTPError as error:
        if error.code != BAD_INPUT:
            return None
        try:
            message = json.load(error)["error"]
        except (ValueError, KeyError, TypeError):
            message = f"the preview server at {url} refused the request"
        raise UserError(message) from None
    except (OSError, ValueError):  # not listening (any more), or an answer cut short
        return None
