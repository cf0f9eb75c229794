"""Faults 61-67 of the catalog: builds and publishes killed, interrupted, run twice at once, or given a
read-only folder.

They run the real pipeline and Jupyter Book on private copies of one project built and published
once (``built``); a killed build is compared with that clean one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.conftest import copy_project
from tests.faults.conftest import COMMAND, Fault, cli, environment, error_line, refused, tree_state

pytestmark = pytest.mark.build

PARAMS = "params/training_cost.yaml"
NOBODY = 65534  # the unprivileged user a root test runs read-only commands as
ADDRESS = re.compile(r"at 0x[0-9a-f]+")  # <pandas.io.formats.style.Styler at 0x7ff5c76f24d0>
CHECKSUM_QUERY = re.compile(r"\?v=[0-9a-f]{8}\b")  # mystnb.css?v=8cd3d715


class Running:
    """A command started in the background, its output collected line by line as it comes."""

    def __init__(self, root: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [str(COMMAND), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment(root, PYTHONUNBUFFERED="1"),
            cwd=root,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 120) -> None:
        """Return once a line holding ``text`` was printed; fail if the command ends first."""
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, f"ended before {text!r}: {self.lines}"
            assert time.monotonic() < deadline, f"no {text!r} in {timeout} s: {self.lines}"
            time.sleep(0.05)

    def kill(self) -> list[psutil.Process]:
        """``kill -9`` the command itself (not its children); returns the processes it had started."""
        children = psutil.Process(self.process.pid).children(recursive=True)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.reader.join(timeout=30)
        return children

    def finish(self, timeout: float = 300) -> int:
        code = self.process.wait(timeout=timeout)
        self.reader.join(timeout=30)
        return code


def assert_all_gone(processes: list[psutil.Process], timeout: float = 20) -> None:
    """Every process a killed command started ends by itself (kernels, the Jupyter Book process).

    An ended process whose new parent does not reap it stays a zombie: it counts as ended.
    """
    deadline = time.monotonic() + timeout
    while alive := [process for process in processes if running(process)]:
        if time.monotonic() > deadline:
            names = [" ".join(process.cmdline()[:4]) for process in alive]
            for process in alive:
                process.kill()
            pytest.fail(f"still running {timeout} s after the command was killed: {names}")
        time.sleep(0.1)


def running(process: psutil.Process) -> bool:
    """Whether ``process`` still runs (a zombie does not)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def site_content(html: Path) -> dict[str, Any]:
    """What a reader gets from a built site: every file's bytes, notebooks without their run times.

    The hidden stamps (digests of paths and timings), and in the notebook sources offered for
    download the execution metadata and the memory addresses Python prints for an object, differ
    between two clean builds. Sphinx also adds a checksum (``?v=8cd3d715``) to a stylesheet's link
    when an earlier render left the file in its output folder. Nothing else differs.
    """
    content: dict[str, Any] = {}
    for path in sorted(html.rglob("*")):
        name = path.relative_to(html).as_posix()
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix == ".ipynb":
            cells = [
                (cell["cell_type"], cell["source"], [{**o, "metadata": {}} for o in cell.get("outputs", [])])
                for cell in json.loads(path.read_text())["cells"]
            ]
            content[name] = ADDRESS.sub("at 0x…", json.dumps(cells))
        elif path.suffix == ".html":
            content[name] = CHECKSUM_QUERY.sub("", path.read_text(encoding="utf-8"))
        else:
            content[name] = path.read_bytes()
    return content


def first_file(folder: Path, pattern: str, running: Running, timeout: float = 120) -> Path:
    """The first file matching ``pattern`` to appear under ``folder`` while ``running`` runs."""
    deadline = time.monotonic() + timeout
    while not (found := sorted(folder.rglob(pattern))):
        assert running.process.poll() is None, f"ended before {pattern} appeared: {running.lines}"
        assert time.monotonic() < deadline, f"no {pattern} in {timeout} s: {running.lines}"
        time.sleep(0.02)
    return found[0]


def test_a_build_killed_while_executing_or_rendering_is_rebuilt_as_a_clean_build(
    built: Path, tmp_path: Path
) -> None:
    """Fault 61: kill -9 during a build, once while notebooks run and once while Jupyter Book writes
    pages; no process is left behind, and the next build gives what a clean build gives.

    Killed while writing pages, Jupyter Book leaves a search index that the next incremental render
    refuses, and pages written in place, one maybe cut short with a fresh time stamp (cut short here,
    as a kill a moment later would leave it).
    """
    root = copy_project(tmp_path / "project")
    executing = Running(root, "build")
    executing.wait_for("running")
    time.sleep(0.5)
    assert_all_gone(executing.kill())
    assert not (root / "_build" / "html").exists()

    rendering = Running(root, "build")
    page = first_file(root / "_build" / "sphinx" / "_build" / "html" / "book", "*.html", rendering)
    assert_all_gone(rendering.kill())
    page.write_bytes(page.read_bytes()[:100])
    assert not (root / "_build" / "html").exists()

    result = cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert site_content(root / "_build" / "html") == site_content(built / "_build" / "html")
    results = json.loads((root / "_build" / "results.json").read_text())
    assert results == json.loads((built / "_build" / "results.json").read_text())
    assert not list((root / "_build" / "cache").glob("*/.tmp-*"))  # half-written entries cleared


def test_a_publish_killed_while_rendering_leaves_the_site_byte_for_byte(copy: Path) -> None:
    """Fault 62: kill -9 during publish: site/ (hidden files included) is as it was, no process is
    left, and the next publish succeeds beside the untouched earlier edition."""
    before = tree_state(copy, ["site"])
    publish = Running(copy, "publish", "v1.1.0")
    publish.wait_for("Rendering edition v1.1.0")
    first_file(copy / "_build" / "publish" / "sphinx" / "_build" / "html" / "book", "*.html", publish)
    assert_all_gone(publish.kill())  # killed while Jupyter Book writes the edition's pages
    assert tree_state(copy, ["site"]) == before
    result = cli(copy, "publish", "v1.1.0")
    assert result.returncode == 0, result.stdout + result.stderr
    after = tree_state(copy, ["site"])
    assert {k: v for k, v in after.items() if k.startswith("site/v1.0.0")} == {
        k: v for k, v in before.items() if k.startswith("site/v1.0.0")
    }
    assert "site/v1.1.0/_data/edition.json" in after


def change_a_parameter(root: Path) -> None:
    """A new published price, so the next build executes a notebook and renders."""
    path = root / PARAMS
    path.write_text(path.read_text().replace("price_per_gpu_hour: null", "price_per_gpu_hour: 2.75"))


def test_a_second_command_during_a_build_is_refused_and_the_first_completes(copy: Path) -> None:
    """Fault 63: two builds at once in one checkout (and a run, and a publish, during a build)."""
    change_a_parameter(copy)  # a page to render after every notebook runs again, one after another
    forced = [
        arg for name in ("power_cagr", "capex_cut", "nvda_drawdown", "pricing") for arg in ("--force", name)
    ]
    first = Running(copy, "build", "--jobs", "1", *forced)
    first.wait_for("Notebooks: 6")  # printed once the build holds the lock
    for argv in (("build",), ("run", "training_cost"), ("publish", "v1.1.0")):
        line = error_line(cli(copy, *argv))
        assert f"deepseek-shock build (process {first.process.pid}) is writing _build/" in line
        assert "expected one build, run or publish at a time" in line
    assert first.finish() == 0, first.lines
    assert not (copy / "site" / "v1.1.0").exists()
    again = cli(copy, "build")
    assert again.returncode == 0 and "Nothing changed" in again.stdout, again.stdout + again.stderr


def test_ctrl_c_during_a_build_is_one_line_and_the_previous_site_stays(copy: Path) -> None:
    """Fault 64: an interrupted build (SIGINT, as Ctrl-C sends) keeps the previous site and results."""
    change_a_parameter(copy)
    before = tree_state(copy, ["_build/html", "_build/results.json", "site"])
    build = Running(copy, "build")
    build.wait_for("running")
    children = psutil.Process(build.process.pid).children(recursive=True)
    build.process.send_signal(signal.SIGINT)
    assert build.finish() == 130, build.lines
    assert build.lines[-1] == "deepseek-shock: interrupted; the previous build is unchanged", build.lines
    assert not any("Traceback" in line for line in build.lines), build.lines
    assert tree_state(copy, ["_build/html", "_build/results.json", "site"]) == before
    assert_all_gone(children)


def test_a_damaged_cache_entry_is_executed_again(copy: Path, built: Path) -> None:
    """Fault 65: a cache entry truncated on disk is a miss, not a crash."""
    [entry] = (copy / "_build" / "cache" / "pricing").iterdir()
    for name in ("pricing.ipynb", "results.json"):
        data = (entry / name).read_bytes()
        (entry / name).write_bytes(data[: len(data) // 3])
    shutil.rmtree(copy / "_build" / "html")
    result = cli(copy, "build", "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pricing: ran in" in result.stdout and "(1 executed)" in result.stdout
    assert site_content(copy / "_build" / "html") == site_content(built / "_build" / "html")


def test_a_book_page_linked_outside_the_project_is_refused(copy: Path) -> None:
    """Fault 66: a prose page that is a link out of the project is never published."""
    page = copy / "book" / "intro.md"
    outside = copy.parent / "intro.md"
    outside.write_text(page.read_text() + "\nA paragraph kept outside the repository.\n")
    page.unlink()
    page.symlink_to(outside)
    refused(copy, Fault(("build",), ("book/intro.md leads outside the project", "expected a file inside")))


@contextmanager
def read_only(root: Path, folder: Path) -> Iterator[dict[str, Any]]:
    """``folder`` and everything in it made read-only for the commands a test runs in ``root``.

    Returns the extra arguments those commands take. Not as root: permissions. As root, whom
    permissions do not stop: the immutable attribute (``chattr +i``) where the file system and the
    container allow it, else the commands run as an unprivileged user on a world-readable copy.
    """
    paths = [folder, *folder.rglob("*")]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(path.stat().st_mode & ~0o222)
        try:
            yield {}
        finally:
            for path in paths:
                path.chmod(path.stat().st_mode | 0o200)
        return
    immutable = subprocess.run(["chattr", "-R", "+i", str(folder)], capture_output=True)
    if immutable.returncode == 0:
        try:
            yield {}
        finally:
            subprocess.run(["chattr", "-R", "-i", str(folder)], check=True)
        return
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o555 if path.is_dir() else path.stat().st_mode | 0o444)
    for path in paths:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    probe = subprocess.run([str(COMMAND), "--help"], user=NOBODY, group=NOBODY, capture_output=True)
    if probe.returncode != 0:
        message = (
            "cannot make a folder read-only as root here (no chattr, and the environment is not readable)"
        )
        if os.environ.get("CI"):
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    yield {"user": NOBODY, "group": NOBODY}


@pytest.fixture
def readable_copy(built: Path) -> Iterator[Path]:
    """A copy of the built project in a world-readable folder, built once more where it lies."""
    parent = Path(tempfile.mkdtemp(prefix="deepseek-shock-read-only-"))
    parent.chmod(0o755)
    root = parent / "project"
    shutil.copytree(built, root, symlinks=True)
    result = cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    yield root
    subprocess.run(["chattr", "-R", "-i", str(parent)], capture_output=True)
    shutil.rmtree(parent)


def test_a_read_only_build_folder_is_one_line_and_a_current_build_still_answers(readable_copy: Path) -> None:
    """Fault 67: a build folder that cannot be written."""
    root = readable_copy
    with read_only(root, root / "_build") as user:

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [str(COMMAND), *args],
                capture_output=True,
                text=True,
                env=environment(root, XDG_CACHE_HOME=str(root.parent / "cache")),
                cwd=root,
                timeout=300,
                **user,
            )

        current = run("build")
        assert current.returncode == 0 and "Nothing changed" in current.stdout, (
            current.stdout + current.stderr
        )
        before = tree_state(root)
        for argv in (
            ("run", "training_cost", "--set", "price_per_gpu_hour=3"),
            ("build", "--force", "pricing"),
        ):
            line = error_line(run(*argv))
            assert line.startswith("_build/ cannot be written ("), line
            assert "expected a writable build folder" in line
        assert tree_state(root) == before
