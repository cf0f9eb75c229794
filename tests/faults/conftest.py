"""The fault suite's tools: the command run as a user runs it, and what it must never change.

Every fault runs ``deepseek-shock`` in a subprocess against a private copy of the project
(``$DEEPSEEK_SHOCK_ROOT``), with an HTTPS proxy that refuses connections, so no test reaches the
network. ``refused`` runs a command that must fail and checks the promise every bad input gets:
one clear line naming what was wrong and what is expected, a non-zero exit, no traceback, and no
change to ``_build/html``, ``site/``, ``data/`` or ``params/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import copy_project

COMMAND = Path(sys.executable).with_name("deepseek-shock")
GUARDED = ("_build/html", "site", "data", "params")  # what no refused command may change
OFFLINE = "http://127.0.0.1:9"  # the discard port: nothing listens, so every connection is refused
MAX_LINE = 600  # characters: a message longer than this is not one clear line


def environment(root: Path, **extra: str) -> dict[str, str]:
    """The environment of a command run against the project copy ``root``, offline."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEEPSEEK_SHOCK_SNAPSHOT", "no_proxy", "NO_PROXY")
    }
    return {
        **env,
        "DEEPSEEK_SHOCK_ROOT": str(root),
        "https_proxy": OFFLINE,
        "HTTPS_PROXY": OFFLINE,
        **extra,
    }


def cli(root: Path, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess[str]:
    """``deepseek-shock ARGS`` run in a subprocess against the project copy ``root``."""
    return subprocess.run(
        [str(COMMAND), *args],
        capture_output=True,
        text=True,
        env=environment(root, **extra),
        cwd=root,
        timeout=timeout,
    )


def start(root: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    """``deepseek-shock ARGS`` started in the background (its output read line by line)."""
    return subprocess.Popen(
        [str(COMMAND), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment(root, **extra),
        cwd=root,
    )


def tree_state(root: Path, folders: Sequence[str] = GUARDED) -> dict[str, str]:
    """Every entry under ``folders`` of ``root`` by path: a file's sha256, a link's target, a folder."""
    state: dict[str, str] = {}
    for name in folders:
        top = root / name
        entries = [top, *sorted(top.rglob("*"))] if top.is_dir() else [top]
        for path in entries:
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[key] = f"link -> {os.readlink(path)}"
            elif path.is_file():
                state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir():
                state[key] = "folder"
            elif path.exists():
                state[key] = "special file"
    return state


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one error line of a failed command, after checking it is the only one and no traceback."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode != 0, output[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("deepseek-shock: error: ")]
    assert len(errors) == 1, result.stderr[-3000:]
    assert result.stderr.rstrip("\n").splitlines()[-1] == errors[0], result.stderr[-3000:]
    assert len(errors[0]) <= MAX_LINE, errors[0][:MAX_LINE] + "…"
    return errors[0].removeprefix("deepseek-shock: error: ")


@dataclass(frozen=True)
class Fault:
    """One bad input or fault: how it is made, the command that meets it, and what the error must say.

    ``says`` holds phrases the one error line must contain: what was wrong, and what is expected.
    """

    argv: tuple[str, ...]
    says: tuple[str, ...]
    inject: Callable[[Path], None] = lambda root: None
    env: dict[str, str] = field(default_factory=dict)


def refused(root: Path, fault: Fault) -> str:
    """Inject ``fault`` into ``root``, run its command and check the promise; returns the error line."""
    fault.inject(root)
    before = tree_state(root)
    result = cli(root, *fault.argv, **fault.env)
    line = error_line(result)
    assert result.returncode == 2, f"exit status {result.returncode}: {line}"
    for phrase in fault.says:
        assert phrase in line, f"{phrase!r} not in: {line}"
    assert tree_state(root) == before, f"{fault.argv} changed a guarded folder"
    return line


@pytest.fixture
def checkout(project: Path) -> Path:
    """The project copy with a previous build and a published edition in place.

    They stand for what a user's checkout holds, so that a refused command can be seen to leave
    them alone; the real ones, built, are in the ``build`` tests.
    """
    html = project / "_build" / "html"
    (html / "book").mkdir(parents=True)
    (html / "index.html").write_text('<meta http-equiv="refresh" content="0; url=book/intro.html">')
    (html / "book" / "intro.html").write_text("<p>The previous build.</p>")
    edition = project / "site" / "v1.0.0"
    (edition / "_data").mkdir(parents=True)
    (edition / "index.html").write_text("<p>Edition v1.0.0.</p>")
    (edition / "_data" / "edition.json").write_text('{"version": "v1.0.0"}')
    (project / "site" / "versions.json").write_text('[{"version": "v1.0.0"}]')
    return project


@pytest.fixture(scope="package")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy built clean and published as v1.0.0."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    for argv in (("build",), ("publish", "v1.0.0")):
        result = cli(root, *argv)
        assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built project (its stamps hold its old paths: a build there is not a no-op)."""
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root
