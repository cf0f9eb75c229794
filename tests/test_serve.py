"""The preview server (``deepseek-shock serve``) and its parts.

The parts (the watcher, what a served page gets, which notebooks a change touches, finding a
server) are checked on their own. Then one real server, started as a user starts it in a private
copy of the project, is edited, broken, mended, asked for a run and stopped; the tests that use
it run in this file's order.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest
from jupyter_core.utils import run_sync

from deepseek_shock.build import preview_client, site
from deepseek_shock.build.kernels import WorkerKernel
from deepseek_shock.build.preview import kernel_warm_up, notebook_cells, notebooks_touched
from deepseek_shock.build.reload import with_preview
from deepseek_shock.build.watch import Watcher
from deepseek_shock.chapters.catalog import SCHEMAS, resolve
from deepseek_shock.chapters.training_cost.cost import chapter_values
from deepseek_shock.cli import main
from deepseek_shock.paths import package_dir, project_root
from tests.conftest import PROJECT_DIRS, PROJECT_FILES
from tests.test_pipeline import write_notebooks

STARTUP_SECONDS = 600  # a cold first build on a busy machine
BUILD_SECONDS = 120


def test_the_watcher_reports_added_changed_and_removed_files_and_ignores_droppings(tmp_path):
    (tmp_path / "kept.yaml").write_text("a: 1\n")
    (tmp_path / "gone.yaml").write_text("b: 1\n")
    watcher = Watcher([tmp_path])
    assert watcher.changes() == []
    (tmp_path / "kept.yaml").write_text("a: 22\n")
    (tmp_path / "gone.yaml").unlink()
    (tmp_path / "new.yaml").write_text("c: 1\n")
    (tmp_path / ".kept.yaml.swp").write_text("editor state")
    (tmp_path / "kept.yaml~").write_text("backup")
    assert watcher.changes() == sorted(tmp_path / name for name in ("gone.yaml", "kept.yaml", "new.yaml"))
    assert watcher.changes() == []


def test_a_slow_watcher_looks_only_once_its_interval_has_passed(tmp_path):
    (tmp_path / "code.py").write_text("x = 1\n")
    slow = Watcher([tmp_path], every=3600)
    (tmp_path / "code.py").write_text("x = 22\n")
    assert slow.changes() == []
    slow.every = 0
    assert slow.changes() == [tmp_path / "code.py"]


def test_a_served_page_gets_the_reload_script_and_an_escaped_error_banner():
    page = b"<html><head></head><body class='x'><p>book</p></body></html>"
    good = with_preview(page, "abc-3", None).decode()
    assert '<script id="ds-preview-reload">' in good and 'const served = "abc-3";' in good
    assert good.index("<p>book</p>") < good.index("<script") < good.index("</body>")
    assert "ds-preview-error" not in good
    bad = with_preview(page, "abc-4", "params/x.yaml: <oops> & more").decode()
    assert bad.index("<body class='x'>") < bad.index('id="ds-preview-error"') < bad.index("<p>book</p>")
    assert "params/x.yaml: &lt;oops&gt; &amp; more" in bad and "<oops>" not in bad


def test_a_change_touches_its_own_notebook_or_every_notebook(project):
    every = set(SCHEMAS)
    assert notebooks_touched(None) == every
    assert notebooks_touched([project / "params" / "training_cost.yaml"]) == {"training_cost"}
    assert notebooks_touched([project / "notebooks" / "pricing.ipynb"]) == {"pricing"}
    assert notebooks_touched([project / "params" / "scenarios" / "bear" / "pricing.yaml"]) == set()
    assert notebooks_touched([project / "book" / "intro.md", project / "_config.yml"]) == set()
    assert notebooks_touched([project / "data" / "claims.yaml"]) == every
    assert notebooks_touched([package_dir() / "build" / "site.py"]) == every


# What a kernel holds once the notebooks have run in it: the chart compiler, the claims registry,
# the snapshot tables they read, and no notebook's names.
REHEARSED = """\
import sys
from deepseek_shock.claims import registry
from deepseek_shock.data import snapshot
assert "vl_convert" in sys.modules
assert len(registry._REGISTRIES) == 1
assert snapshot._FRAMES
assert "params" not in globals() and "results" not in globals()"""


def test_the_kernels_warm_up_by_rehearsing_every_notebook(project):
    cells = notebook_cells()
    assert len(cells) == len(SCHEMAS)
    assert 'params = from_namespace("training_cost", globals())' in "\n".join(sum(cells, []))
    kernel = WorkerKernel()
    try:
        kernel.warm(kernel_warm_up(), project / "notebooks")
        reply = run_sync(kernel.reply)(kernel.send(REHEARSED))
    finally:
        kernel.shutdown()
    assert reply["content"]["status"] == "ok", "\n".join(reply["content"].get("traceback", []))


def test_a_rehearsal_runs_each_notebook_silently_stops_one_at_its_failing_cell_and_leaves_nothing(project):
    for path in (project / "notebooks").glob("*.ipynb"):
        path.unlink()
    marker = "import builtins\nbuiltins.rehearsed = [*getattr(builtins, 'rehearsed', []), {!r}]"
    write_notebooks(
        project,
        {
            "a_broken": [marker.format("broken"), "1 / 0", marker.format("after the failure")],
            "b_loud": [
                "left = 1",
                "print('noise'); left",
                "from IPython.display import HTML, display",
                "display(HTML('<p>shown</p>'))",
                marker.format("loud"),
            ],
        },
    )
    kernel = WorkerKernel()
    try:
        kernel.warm(kernel_warm_up(), project / "notebooks")
        client = kernel.manager.client()
        kinds = set()
        with contextlib.suppress(queue.Empty):
            while True:
                kinds.add(run_sync(client.get_iopub_msg)(timeout=0.5)["msg_type"])
        reply = run_sync(kernel.reply)(
            kernel.send(
                "import builtins\nassert builtins.rehearsed == ['broken', 'loud'], builtins.rehearsed\n"
                "assert 'left' not in globals()"
            )
        )
    finally:
        kernel.shutdown()
    assert kinds == {"status"}  # no output reached the client
    assert reply["content"]["status"] == "ok", reply["content"]


def test_no_server_is_found_without_its_state_file_or_with_a_dead_process(project):
    assert preview_client.server_url() is None
    assert preview_client.run_through_server("training_cost", []) is None
    state = preview_client.state_file()
    state.parent.mkdir(parents=True)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    state.write_text(json.dumps({"url": "http://127.0.0.1:9/", "pid": int(finished.stdout)}))
    assert preview_client.server_url() is None
    state.write_text(json.dumps({"url": "http://127.0.0.1:9/", "pid": os.getpid()}))
    assert preview_client.server_url() == "http://127.0.0.1:9/"
    assert preview_client.run_through_server("training_cost", []) is None  # nothing listens there


def test_a_port_in_use_is_one_line_and_exit_2_before_any_kernel(project, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"deepseek-shock: error: --host 127.0.0.1 --port {port}: cannot listen there")
    assert len(err.splitlines()) == 1
    assert not [p for p in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]


# The real server, in a private copy of the project.


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the sha256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def kernels_of(process: psutil.Process) -> list[psutil.Process]:
    """The kernel processes in ``process``'s tree."""
    found = []
    for child in process.children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


@dataclass
class Served:
    """A ``deepseek-shock serve`` process on a project copy, its log, and its URL."""

    project: Path
    process: psutil.Popen
    log: Path
    url: str = ""

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + "_preview/status", timeout=30) as reply:
            return json.load(reply)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def wait_for_build(self, after: str | None, seconds: float) -> dict[str, Any]:
        """The status once a build later than version ``after`` has finished."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            if self.url:
                status = self.status()
                if status["version"] != after and not status["building"]:
                    return status
            elif (state := preview_client.server_state()) and state["pid"] == self.process.pid:
                self.url = state["url"]
                continue
            time.sleep(0.05)
        raise AssertionError(f"no build finished in {seconds} s:\n{self.log.read_text()}")

    def idle_status(self, seconds: float) -> dict[str, Any]:
        """The status once no build is under way."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.status()
            if not status["building"]:
                return status
            time.sleep(0.05)
        raise AssertionError(f"still building after {seconds} s:\n{self.log.read_text()}")

    def edit(self, relative: str, pattern: str, replacement: str) -> dict[str, Any]:
        """Change a file of the project and wait until the server has built the change (a build
        still under way from an earlier change is waited for first, so its status is not taken for
        this one's)."""
        before = self.idle_status(BUILD_SECONDS)["version"]
        path = self.project / relative
        path.write_text(re.sub(pattern, replacement, path.read_text(), count=1, flags=re.MULTILINE))
        return self.wait_for_build(before, BUILD_SECONDS)

    def stop(self, number: int = signal.SIGINT) -> int:
        """Send ``number`` and wait for the process to end; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(number)
        return self.process.wait(timeout=120)


def start_server(project: Path) -> Served:
    log = project / f"serve-{time.monotonic_ns()}.log"
    process = psutil.Popen(
        [sys.executable, "-m", "deepseek_shock.cli", "serve", "--port", "0"],
        env={**os.environ, "DEEPSEEK_SHOCK_ROOT": str(project)},
        cwd=project,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    served = Served(project, process, log)
    served.wait_for_build(None, STARTUP_SECONDS)
    deadline = time.monotonic() + BUILD_SECONDS
    while not preview_client.server_state()["ready"]:  # said just after the first build
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.01)
    return served


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server on a private copy of the project (with a published edition in site/), first build done."""
    project = tmp_path_factory.mktemp("served") / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(project_root() / name, project / name)
    for name in PROJECT_DIRS:
        shutil.copytree(project_root() / name, project / name)
    (project / "site" / "v1.0.0").mkdir(parents=True)
    (project / "site" / "v1.0.0" / "index.html").write_text("<p>a published edition</p>\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEEPSEEK_SHOCK_ROOT", str(project))
        server = start_server(project)
        try:
            yield server
        finally:
            server.stop(signal.SIGKILL if server.process.poll() is None else signal.SIGINT)


def command(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``deepseek-shock ARGUMENTS`` on ``project``, as a user types it beside the running server."""
    return subprocess.run(
        [sys.executable, "-m", "deepseek_shock.cli", *arguments],
        env={**os.environ, "DEEPSEEK_SHOCK_ROOT": str(project)},
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )


def total_cost_text(project: Path, overrides: list[str] | None = None) -> str:
    """DeepSeek-V3's training cost under the project's parameters (and ``overrides``), as a page shows it."""
    return f"{chapter_values(resolve('training_cost', overrides))['total_cost_usd_m'][0]:.3f}"


def page_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.build
def test_the_server_serves_the_book_with_the_reload_script(served):
    status = served.status()
    assert status["error"] is None
    code, page = served.get("notebooks/training_cost.html")
    assert code == 200 and "DeepSeek-V3" in page
    assert f'const served = "{status["version"]}";' in page
    assert total_cost_text(served.project) in page_text(page)
    code, stylesheet = served.get("_static/" + re.search(r"_static/([\w.-]+\.css)", page).group(1))
    assert code == 200 and "ds-preview" not in stylesheet
    assert served.get("no/such/page.html")[0] == 404
    log = served.log.read_text()
    assert f"Serving the book at {served.url}" in log and "First build: built in" in log
    assert re.search(r"kernels ready [\d.]+ s after start, every notebook rehearsed", log)


@pytest.mark.build
def test_an_edit_to_a_params_file_shows_in_the_page_without_a_rebuild(served):
    before = total_cost_text(served.project)
    status = served.edit("params/training_cost.yaml", r"^price_per_gpu_hour: .*$", "price_per_gpu_hour: 3.5")
    assert status["error"] is None
    after = total_cost_text(served.project)
    assert after != before
    assert after in page_text(served.get("notebooks/training_cost.html")[1])
    line = served.log.read_text().splitlines()[-1]
    assert line.startswith("params/training_cost.yaml changed: built in")
    assert "executed training_cost (" in line and line.count(" s)") == 1  # that notebook alone
    # the landing page counts the ledger's verdicts, so it is re-rendered with the ledger
    assert line.endswith("re-rendered book/intro, book/ledger, notebooks/training_cost")


@pytest.mark.build
@pytest.mark.browser
def test_the_open_page_reloads_itself_after_an_edit(served, browser):
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(served.url) else None,
    )
    page.goto(served.url + "notebooks/training_cost.html")
    served.edit("params/training_cost.yaml", r"^price_per_gpu_hour: .*$", "price_per_gpu_hour: 4.25")
    expected = total_cost_text(served.project)
    page.wait_for_function(
        f"document.body && document.body.innerText.includes({json.dumps(expected)})", timeout=30_000
    )
    page.close()
    assert outside == []


@pytest.mark.build
def test_a_bad_edit_shows_its_error_in_the_page_and_the_terminal_then_a_good_edit_recovers(served):
    broken = served.edit("params/training_cost.yaml", r"^price_per_gpu_hour: .*$", "price_per_gpu_hour: [2.5")
    assert broken["error"].startswith("params/training_cost.yaml: malformed YAML")
    page = served.get("notebooks/training_cost.html")[1]
    assert 'id="ds-preview-error"' in page and "params/training_cost.yaml: malformed YAML" in page
    assert "DeepSeek-V3" in page  # the last good build is still shown under the error
    assert f"changed: error: {broken['error']}" in served.log.read_text()
    built = served.project / "_build" / "html"
    before = tree_digest(built) if built.exists() else {}
    handed = command(served.project, "build")
    assert handed.returncode == 2 and handed.stdout == ""
    assert handed.stderr == f"deepseek-shock: error: {broken['error']}\n"
    assert (tree_digest(built) if built.exists() else {}) == before

    mended = served.edit("params/training_cost.yaml", r"^price_per_gpu_hour: .*$", "price_per_gpu_hour: 2.5")
    assert mended["error"] is None
    page = served.get("notebooks/training_cost.html")[1]
    assert 'id="ds-preview-error"' not in page
    assert total_cost_text(served.project) in page_text(page)


def rendered_pages(html: Path) -> dict[str, str]:
    """Every page under ``html``, its asset checksums (``?v=…``, written once the asset exists) left out."""
    return {
        page.relative_to(html).as_posix(): re.sub(r"\?v=[0-9a-f]{8}", "", page.read_text())
        for page in sorted(html.rglob("*.html"))
    }


@pytest.mark.build
def test_after_the_edits_the_preview_shows_what_make_book_builds(served):
    """The kept Sphinx application, rebuilt page by page, ends where a build from the same files ends."""
    completed = command(served.project, "build", "--no-server")
    assert completed.returncode == 0, completed.stderr
    assert "Built through the preview server" not in completed.stdout
    built = rendered_pages(served.project / "_build" / "html")
    previewed = rendered_pages(served.project / "_build" / "preview" / "book" / "html")
    assert previewed.keys() == built.keys()
    assert [page for page in built if previewed[page] != built[page]] == []


@pytest.mark.build
def test_a_stylesheet_edit_alone_reaches_the_preview(served):
    """Sphinx copies static files only when it writes a page; the preview copies them itself."""
    status = served.edit("_static/report.css", r"\A", "/* edited in the preview */\n")
    assert status["error"] is None
    code, stylesheet = served.get("_static/report.css")
    assert code == 200 and stylesheet.startswith("/* edited in the preview */")


@pytest.mark.build
def test_build_goes_through_the_running_server_and_writes_what_it_writes_alone(served):
    served.edit("params/training_cost.yaml", r"^price_per_gpu_hour: .*$", "price_per_gpu_hour: 3.25")
    html = served.project / "_build" / "html"
    handed = command(served.project, "build")
    assert handed.returncode == 0, handed.stderr
    assert handed.stdout.startswith(f"Built through the preview server at {served.url}: ")
    assert served.log.read_text().splitlines()[-1].startswith("build: already built; written to _build/html")
    expected = total_cost_text(served.project)
    assert expected in page_text((html / "notebooks" / "training_cost.html").read_text())
    results = json.loads((served.project / "_build" / "results.json").read_text())
    value = results["notebooks"]["training_cost"]["results"]["total_cost_usd_m"]["value"]
    assert f"{value:.3f}" == expected
    assert command(served.project, "build").stdout.startswith("Nothing changed since the last build")
    pages = rendered_pages(html)
    shutil.rmtree(html)
    alone = command(served.project, "build", "--no-server")
    assert alone.returncode == 0, alone.stderr
    assert "Site rendered in" in alone.stdout
    assert rendered_pages(html) == pages


@pytest.mark.build
def test_run_goes_through_the_running_server(served):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "deepseek_shock.cli",
            "run",
            "training_cost",
            "--set",
            "price_per_gpu_hour=1.75",
            "--json",
        ],
        env={**os.environ, "DEEPSEEK_SHOCK_ROOT": str(served.project)},
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS,
    )
    assert completed.returncode == 0, completed.stderr
    assert f"Ran through the preview server at {served.url}" in completed.stderr
    answer = json.loads(completed.stdout)
    expected = total_cost_text(served.project, ["price_per_gpu_hour=1.75"])
    assert f"{answer['results']['total_cost_usd_m']['value']:.3f}" == expected
    runs = [
        path
        for path in (served.project / "_build" / "runs").iterdir()
        if path.name.startswith("training_cost-")
    ]
    assert (
        len(runs) == 2
    )  # the run page set up with the published parameters as the preview started, and this
    [folder] = [
        path for path in runs if "price_per_gpu_hour = 1.75" in (path / "training_cost.ipynb").read_text()
    ]
    assert expected in page_text((folder / "html" / "training_cost.html").read_text())
    assert "set up the run pages of 6 notebooks" in served.log.read_text()
    assert "run training_cost --set price_per_gpu_hour=1.75: executed in" in served.log.read_text()
    alone = served.project / "_build" / "runs-alone" / "training_cost"  # what run renders with no server
    site.render_run("training_cost", folder / "training_cost.ipynb", alone)
    assert rendered_pages(folder / "html") == rendered_pages(alone / "html")


@pytest.mark.build
def test_ctrl_c_stops_the_server_with_every_kernel_shut_down_and_site_untouched(served):
    published = tree_digest(served.project / "site")
    kernels = kernels_of(served.process)
    assert kernels, "the server keeps warm kernels while it runs"
    assert served.stop(signal.SIGINT) == 0
    assert not [
        kernel for kernel in kernels if kernel.is_running() and kernel.status() != psutil.STATUS_ZOMBIE
    ]
    assert served.log.read_text().splitlines()[-1] == "Stopped; every kernel is shut down."
    assert not preview_client.state_file().exists()
    assert tree_digest(served.project / "site") == published


@pytest.mark.build
def test_sigterm_stops_a_restarted_server_which_builds_from_the_cache(served):
    served.stop()
    again = start_server(served.project)
    try:
        assert "First build: built in" in again.log.read_text()
        assert "executed nothing" in again.log.read_text()
        kernels = kernels_of(again.process)
        assert kernels
    finally:
        code = again.stop(signal.SIGTERM)
    assert code == 0
    assert not [
        kernel for kernel in kernels if kernel.is_running() and kernel.status() != psutil.STATUS_ZOMBIE
    ]
