"""The preview server ``build`` and ``run`` keep for the next command (``kept_server``).

Its parts (when one is wanted, when it stops, stopping and replacing a server) are checked on their
own; then a real one is kept by ``run`` in a private copy of the project, used by the next commands,
replaced by ``serve``, stopped by ``serve --stop``, and one is left to stop by itself when idle.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from deepseek_shock import cli
from deepseek_shock.build import kept_server, preview_client, serve
from deepseek_shock.build.kept_server import KEEP_ENV, Lapse
from deepseek_shock.cli import main
from deepseek_shock.errors import UserError
from tests.conftest import copy_project
from tests.test_serve import STARTUP_SECONDS, kernels_of, start_server, total_cost_text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, True),
        ({"CI": "true"}, False),
        ({KEEP_ENV: "0"}, False),
        ({KEEP_ENV: " Off "}, False),
        ({KEEP_ENV: "false"}, False),
        ({KEEP_ENV: "1", "CI": "true"}, True),
        ({KEEP_ENV: "yes"}, True),
    ],
)
def test_a_server_is_kept_unless_turned_off_or_under_ci(environ, expected):
    assert kept_server.wanted(environ) is expected


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_kept_server_stops_once_idle_for_its_limit_and_any_activity_restarts_the_count():
    clock = Clock()
    lapse = Lapse(idle_minutes=1, clock=clock)
    quiet = {"busy": False, "withdrawn": False, "library_changed": lambda: False}
    assert lapse.check((0, "v1"), **quiet) is None
    clock.now += 59
    assert lapse.check((0, "v1"), **quiet) is None
    clock.now += 2
    assert lapse.check((0, "v1"), **quiet) == "no request and no change for 1 minute"
    assert lapse.check((1, "v1"), **quiet) is None  # a request
    clock.now += 61
    assert lapse.check((1, "v2"), **quiet) is None  # a build
    clock.now += 61
    assert lapse.check((1, "v2"), **{**quiet, "busy": True}) is None  # a build under way
    clock.now += 60
    assert lapse.check((1, "v2"), **quiet) is not None


def test_a_kept_server_stops_when_withdrawn_or_its_library_changed_which_it_checks_every_two_seconds():
    clock = Clock()
    lapse = Lapse(idle_minutes=30, clock=clock)
    asked: list[float] = []

    def changed() -> bool:
        asked.append(clock.now)
        return clock.now >= 106

    for _ in range(40):
        clock.now += 0.2
        reason = lapse.check(0, busy=False, withdrawn=False, library_changed=changed)
        if reason:
            break
    assert reason == "the library's source changed (a new server will import it)"
    assert asked == pytest.approx([102.0, 104.0, 106.0])
    assert lapse.check(0, busy=False, withdrawn=True, library_changed=changed) == (
        "_build/preview/server.json no longer names this server"
    )


def test_an_ended_process_not_yet_reaped_is_not_alive():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while psutil.Process(process.pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.01)
    assert os.path.exists(f"/proc/{process.pid}")  # ended, not reaped
    assert not preview_client.alive(process.pid)
    process.wait()
    assert preview_client.alive(os.getpid())


def fake_server(
    idle_minutes: float | None, url: str = "http://127.0.0.1:9/", ready: bool = True
) -> subprocess.Popen[bytes]:
    """A process standing for a running server in this project's state file."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    state = preview_client.state_file()
    state.parent.mkdir(parents=True, exist_ok=True)
    described = {"url": url, "pid": process.pid, "idle_minutes": idle_minutes, "ready": ready}
    state.write_text(json.dumps(described))
    return process


class Refusing(http.server.BaseHTTPRequestHandler):
    """Answers every request as a server that cannot take it, and counts them."""

    asked: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        Refusing.asked.append(self.path)
        self.send_response(preview_client.NOT_SERVED)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_still_starting_is_not_handed_work_and_the_command_says_why(project, capsys):
    listening = http.server.HTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=listening.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{listening.server_address[1]}/"
    Refusing.asked.clear()
    try:
        for ready in (False, True):
            process = fake_server(idle_minutes=30, url=url, ready=ready)
            try:
                assert preview_client.run_through_server("training_cost", []) is None
                cli.note_server_starting()
            finally:
                process.kill()
                process.wait()
    finally:
        listening.shutdown()
    assert Refusing.asked == [preview_client.RUN_PATH]  # only once ready
    assert capsys.readouterr().err == (
        f"The preview server at {url} is still starting (first build under way): working alone.\n"
    )


def test_serve_replaces_a_kept_server_but_refuses_to_start_beside_another(project, capsys):
    kept = fake_server(idle_minutes=30)
    try:
        assert serve.take_over(idle_minutes=None) is True
        assert kept.wait(timeout=30) == -signal.SIGTERM
        assert "Stopping the preview server that build and run kept at http://127.0.0.1:9/" in (
            capsys.readouterr().out
        )
    finally:
        kept.kill()
    other = fake_server(idle_minutes=None)
    try:
        with pytest.raises(UserError, match="a preview server already serves this project at http"):
            serve.take_over(idle_minutes=None)
        assert serve.take_over(idle_minutes=30) is False  # a kept server never replaces one
        assert "not starting another" in capsys.readouterr().out
        assert other.poll() is None
        assert main(["serve", "--stop"]) == 0
        assert other.wait(timeout=30) == -signal.SIGTERM
    finally:
        other.kill()
    assert "Stopped the preview server at http://127.0.0.1:9/" in capsys.readouterr().out
    assert main(["serve", "--stop"]) == 0
    assert capsys.readouterr().out == "No preview server is running for this project.\n"


def test_no_server_is_kept_when_turned_off_or_when_one_is_running(project, monkeypatch):
    running = fake_server(idle_minutes=None)
    started: list[list[str]] = []
    monkeypatch.setattr(
        kept_server.subprocess, "Popen", lambda arguments, **options: started.append(arguments)
    )
    try:
        monkeypatch.setenv(KEEP_ENV, "1")
        assert kept_server.keep_server() is None
    finally:
        running.kill()
        running.wait()
    monkeypatch.setenv(KEEP_ENV, "0")
    assert kept_server.keep_server() is None
    assert not started
    monkeypatch.setenv(KEEP_ENV, "1")
    said = kept_server.keep_server()
    assert said is not None and "stops after 30 idle minutes" in said
    assert started == [[sys.executable, "-m", "deepseek_shock.cli", "serve", "--port", "0", "--idle", "30"]]


@pytest.mark.parametrize(
    ("options", "kept"),
    [({}, True), ({"no_server": True}, False), ({"live": True}, False), ({"live": False}, True)],
)
def test_a_command_keeps_a_server_unless_told_not_to_or_live(options, kept, monkeypatch, capsys):
    asked: list[bool] = []
    monkeypatch.setattr(kept_server, "keep_server", lambda: asked.append(True) or "Keeping one")
    cli.keep_server_unless(argparse.Namespace(**{"no_server": False, **options}))
    assert asked == ([True] if kept else [])
    assert capsys.readouterr().err == ("Keeping one\n" if kept else "")


@pytest.mark.parametrize("given", ["0", "-1", "soon", "nan", "inf"])
def test_an_idle_limit_that_is_not_a_positive_number_of_minutes_is_one_line_and_exit_2(given, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--idle", given])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(
        f"deepseek-shock: error: argument --idle: expected a number of minutes above 0, got {given!r}"
    )
    assert len(err.splitlines()) == 1


# A real kept server, in a private copy of the project.


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def first_build_done() -> bool:
    """Whether the server running for the project says its first build is done."""
    state = preview_client.server_state()
    return bool(state and state["ready"])


def keeping(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``deepseek-shock ARGUMENTS`` on ``project`` with servers kept, as on a user's machine."""
    return subprocess.run(
        [sys.executable, "-m", "deepseek_shock.cli", *arguments],
        env={**os.environ, "DEEPSEEK_SHOCK_ROOT": str(project), KEEP_ENV: "1"},
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )


def gone(processes: list[psutil.Process]) -> bool:
    return all(not p.is_running() or p.status() == psutil.STATUS_ZOMBIE for p in processes)


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the project; whatever server is left running in it is killed afterwards."""
    project = copy_project(tmp_path / "project")
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(project))
    yield project
    state = preview_client.server_state()
    if state:
        server = psutil.Process(state["pid"])
        for process in [*server.children(recursive=True), server]:
            process.kill()


@pytest.mark.build
def test_run_keeps_a_server_the_next_commands_use_until_serve_replaces_it_and_serve_stop_ends(kept):
    first = keeping(kept, "run", "training_cost", "--set", "price_per_gpu_hour=2.5")
    assert first.returncode == 0, first.stderr
    assert "Ran through" not in first.stderr
    assert "Keeping a preview server in the background for the next build or run" in first.stderr
    wait_for(preview_client.server_state, 60, "the kept server never said where it listens")
    state = preview_client.server_state()
    assert state["idle_minutes"] == 30
    log = kept / "_build" / "preview" / "kept.log"
    assert psutil.Process(state["pid"]).nice() >= 10  # in the background
    wait_for(first_build_done, STARTUP_SECONDS, f"no first build:\n{log.read_text()}")

    again = keeping(kept, "run", "training_cost", "--set", "price_per_gpu_hour=3.5", "--json")
    assert again.returncode == 0, again.stderr
    assert f"Ran through the preview server at {state['url']}" in again.stderr
    assert "Keeping" not in again.stderr  # one is up
    expected = total_cost_text(kept, ["price_per_gpu_hour=3.5"])
    assert f"{json.loads(again.stdout)['results']['total_cost_usd_m']['value']:.3f}" == expected
    built = keeping(kept, "build")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"Built through the preview server at {state['url']}: ")
    assert (kept / "_build" / "html" / "notebooks" / "training_cost.html").exists()

    server = psutil.Process(state["pid"])
    kernels = kernels_of(server)
    assert kernels
    replacing = start_server(kept)  # make serve, in another terminal
    try:
        assert "Stopping the preview server that build and run kept at" in replacing.log.read_text()
        assert gone([server, *kernels])
        assert log.read_text().splitlines()[-1] == "Stopped; every kernel is shut down."
        assert preview_client.server_state()["pid"] == replacing.process.pid
        beside = keeping(kept, "serve", "--port", "0")
        assert beside.returncode == 2
        assert beside.stderr.startswith("deepseek-shock: error: a preview server already serves this project")
        assert len(beside.stderr.strip().splitlines()) == 1
        assert keeping(kept, "run", "training_cost", "--set", "price_per_gpu_hour=4.5").returncode == 0
        kernels = kernels_of(replacing.process)
        stopped = keeping(kept, "serve", "--stop")
        assert stopped.returncode == 0, stopped.stderr
        assert stopped.stdout.startswith(f"Stopped the preview server at {replacing.url}")
        assert replacing.process.wait(timeout=60) == 0
    finally:
        replacing.stop(signal.SIGKILL)
    assert gone(kernels)
    assert preview_client.server_state() is None


@pytest.mark.build
def test_a_kept_server_stops_by_itself_when_idle_with_every_kernel_shut_down(kept):
    process = psutil.Popen(
        [sys.executable, "-m", "deepseek_shock.cli", "serve", "--port", "0", "--idle", "0.02"],
        env={**os.environ, "DEEPSEEK_SHOCK_ROOT": str(kept)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    kernels: list[psutil.Process] = []
    wait_for(lambda: kernels.extend(kernels_of(process)) or kernels, 60, "no kernel started")
    output, _ = process.communicate(timeout=STARTUP_SECONDS)
    assert process.returncode == 0, output
    lines = output.splitlines()
    assert lines[0].endswith("(until 0.02 idle minutes, or deepseek-shock serve --stop)")
    assert lines[-2:] == [
        "Stopping: no request and no change for 0.02 minutes.",
        "Stopped; every kernel is shut down.",
    ]
    assert any(line.startswith("First build: built in") for line in lines)
    assert gone(kernels)
    assert preview_client.server_state() is None
