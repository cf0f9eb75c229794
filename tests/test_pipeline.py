"""The content-addressed cache: what re-executes, what does not, and what a failure leaves behind."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from deepseek_shock.build import pipeline
from deepseek_shock.build.kernels import KernelPool, WorkerKernel
from deepseek_shock.chapters import catalog
from deepseek_shock.chapters.parameters import NotebookParams
from deepseek_shock.chapters.record import RESULT_KEY
from deepseek_shock.data.snapshot import DEFAULT_SNAPSHOT
from deepseek_shock.errors import UserError
from deepseek_shock.paths import build_dir, package_dir


class ProbeParams(NotebookParams):
    """A second notebook that reads a different table, to show invalidation is per notebook."""

    tables = ("us_electricity",)
    scale: float = 1.0


@pytest.fixture
def two_notebooks(project, monkeypatch):
    """The project with a second notebook, ``probe``, and an executor that records its calls."""
    monkeypatch.setitem(catalog.SCHEMAS, "probe", ProbeParams)
    (project / "params" / "probe.yaml").write_text("scale: 1.0\n")
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("scale = 1.0")]),
        project / "notebooks" / "probe.ipynb",
    )
    calls: list[str] = []

    def fake_execute(job: pipeline.Job, destination: Path, kernel: WorkerKernel | None = None) -> None:
        calls.append(job.name)
        output = nbformat.v4.new_output(
            "display_data",
            data={"text/plain": "1"},
            metadata={RESULT_KEY: {"key": "answer", "value": 1.0, "unit": "x"}},
        )
        cell = nbformat.v4.new_code_cell("x", outputs=[output])
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), destination)

    monkeypatch.setattr(pipeline, "execute", fake_execute)
    return calls


def build(names=("training_cost", "probe"), **kwargs):
    return pipeline.run_jobs(pipeline.plan(names), progress=lambda line: None, **kwargs)


def test_second_build_with_nothing_changed_executes_nothing(two_notebooks):
    first = build()
    assert sorted(two_notebooks) == ["probe", "training_cost"]
    second = build()
    assert sorted(two_notebooks) == ["probe", "training_cost"]
    assert [o.status for o in second] == ["cached", "cached"]
    assert [o.results for o in second] == [o.results for o in first]


def test_changing_a_parameter_re_executes_only_that_notebook(two_notebooks, project):
    build()
    (project / "params" / "probe.yaml").write_text("scale: 2.0\n")
    outcomes = build()
    assert two_notebooks[2:] == ["probe"]
    assert {o.job.name: o.status for o in outcomes} == {"training_cost": "cached", "probe": "executed"}


def test_changing_a_data_table_re_executes_only_its_readers(two_notebooks, project):
    build()
    manifest_path = project / "data" / "snapshots" / DEFAULT_SNAPSHOT / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    table = manifest_path.with_name(manifest["tables"]["training_compute"]["file"])
    table.write_bytes(table.read_bytes() + b"\n")  # new bytes, the same rows
    manifest["tables"]["training_compute"]["sha256"] = hashlib.sha256(table.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    build()
    assert two_notebooks[2:] == ["training_cost"]


def test_changing_library_code_re_executes_every_notebook(two_notebooks, monkeypatch):
    build()
    monkeypatch.setattr(pipeline, "library_sha256", lambda: "changed")
    build()
    assert sorted(two_notebooks[2:]) == ["probe", "training_cost"]


def test_library_hash_covers_every_source_file(tmp_path):
    package = package_dir()
    assert pipeline.library_sha256() == pipeline.library_sha256()
    copy = tmp_path / "pkg"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert pipeline.library_sha256(copy) == pipeline.library_sha256(package)
    nested = copy / "chapters" / "record.py"
    nested.write_text(nested.read_text() + "\n# changed\n")
    assert pipeline.library_sha256(copy) != pipeline.library_sha256(package)


def test_changing_the_lock_changes_every_key(project):
    [before] = pipeline.plan(["training_cost"])
    with (project / "requirements.lock").open("a") as lock:
        lock.write("extra-package==1.0\n")
    [after] = pipeline.plan(["training_cost"])
    assert before.key != after.key


def test_force_re_executes_one_notebook(two_notebooks):
    build()
    build(force=["probe"])
    assert two_notebooks[2:] == ["probe"]


def test_force_of_unknown_notebook_is_refused(two_notebooks):
    with pytest.raises(UserError, match="--force 'nope'"):
        build(force=["nope"])


def test_scratch_is_cleared_unless_the_process_writing_it_still_runs(project):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    folder = build_dir() / "cache" / "training_cost"
    left = [folder / ".tmp-unnamed", folder / f".tmp-{int(ended.stdout)}-x1"]
    writing = folder / f".tmp-{os.getpid()}-x2"
    for scratch in [*left, writing]:
        scratch.mkdir(parents=True)
    pipeline.clear_scratch(["training_cost"])
    assert list(folder.iterdir()) == [writing]


def test_a_failing_notebook_is_named_and_leaves_no_cache_entry(two_notebooks, monkeypatch):
    def failing(job, destination, kernel=None):
        raise UserError(f"notebook {job.name} failed in cell 3: ValueError: boom")

    monkeypatch.setattr(pipeline, "execute", failing)
    with pytest.raises(UserError, match="notebook probe failed in cell 3"):
        build(names=("probe",))
    assert not list((build_dir() / "cache" / "probe").glob("*/results.json"))


def test_results_document_holds_values_units_and_parameters(two_notebooks):
    document = pipeline.results_document(build())
    entry = document["notebooks"]["probe"]
    assert entry["parameters"] == {"scale": 1.0}
    assert entry["results"]["answer"] == {"value": 1.0, "unit": "x"}
    assert len(entry["cache_key"]) == 64


def write_notebooks(project: Path, sources: dict[str, list[str]]) -> None:
    """``notebooks/<name>.ipynb`` for each name, one code cell per source line."""
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for name, cells in sources.items():
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
        notebook.metadata["kernelspec"] = kernelspec
        nbformat.write(notebook, project / "notebooks" / f"{name}.ipynb")


def test_a_kept_kernel_gives_each_notebook_a_fresh_namespace(project):
    """Two notebooks in one worker's kernel: same process, but nothing leaks and counts restart at 1."""
    sources = {
        "first": ["import os", "leaked = os.getpid()", "leaked"],
        "second": ["import os", "'leaked' in globals()", "os.getpid()"],
    }
    write_notebooks(project, sources)
    kernel = WorkerKernel()
    executed = {}
    try:
        for name in sources:
            destination = project / f"{name}.out.ipynb"
            pipeline.execute(pipeline.Job(name, ProbeParams(), "key"), destination, kernel)
            executed[name] = nbformat.read(destination, as_version=4)
    finally:
        kernel.shutdown()
    assert kernel.manager is None

    def last_values(notebook):
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        return [cell.execution_count for cell in code], code[-1].outputs[0]["data"]["text/plain"]

    counts_first, pid_first = last_values(executed["first"])
    counts_second, pid_second = last_values(executed["second"])
    assert counts_first == counts_second == [1, 2, 3, 4]  # papermill's injected cell, then three
    assert pid_first == pid_second  # one kernel served both
    second_code = [cell for cell in executed["second"].cells if cell.cell_type == "code"]
    assert second_code[2].outputs[0]["data"]["text/plain"] == "False"


def test_a_pool_clears_its_kernels_namespace_ahead_of_the_next_notebook(project):
    sources = {"first": ["leaked = 1", "leaked"], "second": ["'leaked' in globals()"]}
    write_notebooks(project, sources)
    with KernelPool(1) as pool:
        for name in sources:
            job = pipeline.Job(name, ProbeParams(), "key")
            pool.submit(
                lambda kernel, job=job: pipeline.execute(job, project / f"{job.name}.out.ipynb", kernel)
            )
            assert pool.submit(lambda kernel: kernel.clearing).result() is not None  # asked for at once
    cells = [
        c for c in nbformat.read(project / "second.out.ipynb", as_version=4).cells if c.cell_type == "code"
    ]
    assert [cell.execution_count for cell in cells] == [1, 2]  # papermill's injected cell, then one
    assert cells[-1].outputs[0]["data"]["text/plain"] == "False"


def test_a_kept_kernel_keeps_one_client_ready_for_every_notebook(project):
    write_notebooks(project, {"first": ["1"], "second": ["2"]})
    kernel = WorkerKernel()
    try:
        pipeline.execute(pipeline.Job("first", ProbeParams(), "key"), project / "first.out.ipynb", kernel)
        client = kernel.manager.kept
        pipeline.execute(pipeline.Job("second", ProbeParams(), "key"), project / "second.out.ipynb", kernel)
        assert kernel.manager.kept is client and client.ready and client.channels_running
    finally:
        kernel.shutdown()


def test_a_warmed_pool_starts_its_kernels_with_the_imports_done(project):
    write_notebooks(project, {"probe": ["import sys", "'wave' in sys.modules, 'leftover' in globals()"]})
    warm = "import wave\nleftover = 1"
    with KernelPool(1, prepare=lambda kernel: kernel.warm(warm, project / "notebooks")) as pool:
        started = pool.submit(lambda kernel: kernel.manager is not None and kernel.manager.has_kernel)
        assert started.result()
        job = pipeline.Job("probe", ProbeParams(), "key")
        pool.submit(lambda kernel: pipeline.execute(job, project / "probe.out.ipynb", kernel)).result()
    [*_, cell] = nbformat.read(project / "probe.out.ipynb", as_version=4).cells
    assert cell.outputs[0]["data"]["text/plain"] == "(True, False)"  # imported, namespace fresh


def test_wait_prepared_returns_once_every_worker_has_prepared_or_failed_to():
    release, prepared = threading.Event(), []

    def prepare(kernel: WorkerKernel) -> None:
        release.wait(60)
        prepared.append(kernel)
        if len(prepared) == 2:
            raise RuntimeError("a warm-up that fails")

    with KernelPool(2, prepare=prepare) as pool:
        waiting = threading.Thread(target=pool.wait_prepared)
        waiting.start()
        waiting.join(0.2)
        assert waiting.is_alive()  # both workers still preparing
        release.set()
        waiting.join(60)
        assert not waiting.is_alive() and len(prepared) == 2
        assert pool.submit(lambda kernel: "served").result(timeout=60) == "served"


def test_a_killed_pool_fails_the_notebook_running_and_refuses_the_ones_waiting(project):
    started = project / "notebooks" / "started"  # the kernel's working folder
    write_notebooks(
        project, {"slow": ["import time", "open('started', 'w').close()", "time.sleep(600)"], "next": ["1"]}
    )
    with KernelPool(1) as pool:
        running = pool.submit(
            lambda kernel: pipeline.execute(
                pipeline.Job("slow", ProbeParams(), "key"), project / "s.ipynb", kernel
            )
        )
        waiting = pool.submit(
            lambda kernel: pipeline.execute(
                pipeline.Job("next", ProbeParams(), "key"), project / "n.ipynb", kernel
            )
        )
        while not started.exists():
            time.sleep(0.05)
        pool.kill()
        with pytest.raises(UserError, match="notebook slow: its kernel died"):
            running.result(timeout=60)
        with pytest.raises(RuntimeError, match="the kernels were stopped"):
            waiting.result(timeout=60)


def test_a_dead_kernel_is_one_clear_error_and_the_worker_starts_another(project):
    write_notebooks(project, {"dies": ["import os", "os._exit(1)"], "after": ["1 + 1"]})
    kernel = WorkerKernel()
    try:
        with pytest.raises(UserError, match="notebook dies: its kernel died"):
            pipeline.execute(pipeline.Job("dies", ProbeParams(), "key"), project / "dies.out.ipynb", kernel)
        pipeline.execute(pipeline.Job("after", ProbeParams(), "key"), project / "after.out.ipynb", kernel)
    finally:
        kernel.shutdown()
    [*_, cell] = nbformat.read(project / "after.out.ipynb", as_version=4).cells
    assert cell.outputs[0]["data"]["text/plain"] == "2"


def test_a_pool_runs_tasks_and_hands_back_their_errors():
    with KernelPool(2) as pool:
        done = [pool.submit(lambda kernel, n=n: n * n) for n in range(5)]
        failed = pool.submit(lambda kernel: 1 / 0)
        assert [future.result() for future in done] == [0, 1, 4, 9, 16]
        with pytest.raises(ZeroDivisionError):
            failed.result()


def test_a_task_cancelled_while_it_waited_is_skipped_and_the_worker_goes_on():
    started, release = threading.Event(), threading.Event()
    with KernelPool(1) as pool:
        busy = pool.submit(lambda kernel: started.set() or release.wait(60))
        assert started.wait(60)
        cancelled = pool.submit(lambda kernel: "never run")
        assert cancelled.cancel()
        pool.kill()  # no kernel was started: only the waiting tasks are refused
        refused = pool.submit(lambda kernel: "never run either")
        release.set()
        assert busy.result(timeout=60) is True
        with pytest.raises(RuntimeError, match="the kernels were stopped"):
            refused.result(timeout=60)
    assert cancelled.cancelled()


@pytest.mark.build
def test_a_chapter_run_second_in_a_kept_kernel_matches_a_fresh_kernel(project):
    """The kept kernel changes nothing a reader sees: same outputs and counts as a kernel of its own."""

    def outputs(path: Path) -> list:
        """Counts and outputs, with object addresses (``<Styler at 0x…>``, different in any run) masked."""
        cells = nbformat.read(path, as_version=4).cells
        shown = [
            (cell.get("execution_count"), cell.get("outputs")) for cell in cells if cell.cell_type == "code"
        ]
        return json.loads(re.sub(r"0x[0-9a-f]+", "0x…", json.dumps(shown)))

    [first, second] = pipeline.plan(["training_cost", "pricing"])
    kernel = WorkerKernel()
    try:
        pipeline.execute(first, project / "first.ipynb", kernel)
        pipeline.execute(second, project / "kept.ipynb", kernel)
    finally:
        kernel.shutdown()
    pipeline.execute(second, project / "fresh.ipynb")
    assert outputs(project / "kept.ipynb") == outputs(project / "fresh.ipynb")
