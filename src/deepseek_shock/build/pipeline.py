"""Execute the notebooks behind a content-addressed cache.

A notebook's cache key covers everything its output depends on: the notebook file, its validated
parameters, the snapshot tables it reads (by their manifest sha256), the claims registry, the
library's source and the lock file. A hit reuses the stored executed notebook and runs nothing; a
miss runs papermill in a worker's kept kernel (see ``kernels``), several in parallel.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from deepseek_shock.build import freshness
from deepseek_shock.build.kernels import KERNEL, KERNEL_ARGUMENTS, KernelPool, WorkerKernel
from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.chapters.parameters import NotebookParams
from deepseek_shock.chapters.record import recorded_results
from deepseek_shock.claims.registry import load_claims
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError, quoted
from deepseek_shock.paths import build_dir, checked_file, data_dir, package_dir, project_root

LOCK_FILE = "requirements.lock"
SCRATCH_PREFIX = ".tmp-"  # a cache entry being written, before its rename into place
_LIBRARY_HASHES: dict[tuple, str] = {}  # by the source files' (path, mtime, size): unchanged → not re-read


@dataclass(frozen=True)
class Job:
    """One notebook to produce: its name, validated parameters and cache key."""

    name: str
    params: NotebookParams
    key: str


@dataclass
class Outcome:
    """What happened to one job: ``cached`` or ``executed`` (with seconds), and its results."""

    job: Job
    status: str
    seconds: float
    notebook: Path
    results: dict[str, Any] = field(default_factory=dict)


def notebook_path(name: str) -> Path:
    """``notebooks/<name>.ipynb``."""
    return project_root() / "notebooks" / f"{name}.ipynb"


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def library_sha256(package: Path | None = None) -> str:
    """One hash over the library's Python source (file names and contents)."""
    package = package or package_dir()
    files = sorted(package.rglob("*.py"))
    states = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    if states not in _LIBRARY_HASHES:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
        _LIBRARY_HASHES[states] = digest.hexdigest()
    return _LIBRARY_HASHES[states]


def cache_key(name: str, params: NotebookParams, snapshot_id: str | None = None) -> str:
    """The content address of a notebook's output under ``params``."""
    path = notebook_path(name)
    try:
        checked_file(path)
    except FileNotFoundError:
        raise UserError(
            f"notebooks/{name}.ipynb is missing: every schema in params.py needs its notebook"
        ) from None
    lock = project_root() / LOCK_FILE
    claims = data_dir() / "claims.yaml"
    snapshot_id = snapshot_id or snapshot.active_snapshot()
    parts = {
        "notebook": file_sha256(path),
        "params": params.model_dump(mode="json"),
        "snapshot": snapshot_id,
        "tables": {table: snapshot.table_sha256(table, snapshot_id) for table in type(params).tables},
        "claims": file_sha256(claims) if claims.exists() else None,
        "library": library_sha256(),
        "lock": file_sha256(lock) if lock.exists() else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def cache_entry(job: Job) -> Path:
    """``_build/cache/<notebook>/<key>/``: an executed notebook and its results."""
    return build_dir() / "cache" / job.name / job.key


def execute(job: Job, destination: Path, kernel: WorkerKernel | None = None) -> None:
    """Run the notebook with papermill into ``destination``; a failure is one clear UserError.

    With ``kernel``, the notebook runs in that worker's kept kernel (fresh namespace); without (a
    Dask task, see ``sweep``), in a kernel of its own. The failed notebook is kept in
    ``_build/failed/`` for inspection.
    """
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    source = notebook_path(job.name)
    reused = {} if kernel is None else kernel.papermill_arguments()
    try:
        papermill.execute_notebook(
            str(source),
            str(destination),
            parameters=job.params.model_dump(mode="json"),
            kernel_name=KERNEL,
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            extra_arguments=KERNEL_ARGUMENTS,
            request_save_on_cell_execute=False,  # written once at the end, not after every cell
            **reused,
        )
    except PapermillExecutionError as err:
        failed = build_dir() / "failed" / f"{job.name}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        if destination.exists():
            shutil.move(destination, failed)
        first_line = (err.source or "").strip().splitlines()[:1]
        raise UserError(
            f"notebook {job.name} failed in cell {err.cell_index} ({first_line[0] if first_line else ''!r}): "
            f"{err.ename}: {err.evalue} — the failed notebook is at {failed.relative_to(project_root())}; "
            "the previous build is unchanged"
        ) from None
    except DeadKernelError:
        raise UserError(
            f"notebook {job.name}: its kernel died (out of memory, or the notebook ended the process); "
            "the previous build is unchanged"
        ) from None


def finish(job: Job, executed: Path) -> dict[str, Any]:
    """Hide papermill's injected cell, stamp the run's provenance, and return the recorded results."""
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            tags.append("remove-cell")
    nb.metadata["deepseek_shock"] = {
        "notebook": job.name,
        "cache_key": job.key,
        "snapshot": snapshot.active_snapshot(),
        "parameters": job.params.model_dump(mode="json"),
    }
    nbformat.write(nb, executed)
    return recorded_results(nb)


def cached_results(job: Job) -> dict[str, Any] | None:
    """The results the cache holds for ``job``, or None when its entry is missing or unreadable.

    An entry is written whole (renamed into place), so only a damaged disk or a hand edit leaves one
    unreadable; it is then a miss, and the notebook runs again.
    """
    entry = cache_entry(job)
    try:
        notebook = json.loads((entry / f"{job.name}.ipynb").read_bytes())
        results = json.loads((entry / "results.json").read_bytes())
    except (OSError, ValueError):
        return None
    return results if isinstance(notebook, dict) and isinstance(results, dict) else None


def is_cached(job: Job) -> bool:
    """Whether the cache holds ``job``'s executed notebook and results (whether they read is not checked)."""
    entry = cache_entry(job)
    return (entry / f"{job.name}.ipynb").exists() and (entry / "results.json").exists()


def produce(job: Job, force: bool = False, kernel: WorkerKernel | None = None) -> Outcome:
    """The executed notebook for ``job``, from the cache or by running it (then cached, in ``kernel``)."""
    entry = cache_entry(job)
    stored_nb = entry / f"{job.name}.ipynb"
    cached = None if force else cached_results(job)
    if cached is not None:
        return Outcome(job, "cached", 0.0, stored_nb, cached)
    start = time.perf_counter()
    entry.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    try:
        executed = scratch / f"{job.name}.ipynb"
        execute(job, executed, kernel)
        results = finish(job, executed)
        (scratch / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True))
        if entry.exists():
            shutil.rmtree(entry)
        os.replace(scratch, entry)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Outcome(job, "executed", time.perf_counter() - start, stored_nb, results)


def process_running(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, as another user
        return True
    return True


def clear_scratch(names: Iterable[str]) -> None:
    """Delete the half-written cache entries a killed command left for these notebooks.

    A scratch folder is named for the process writing it (``.tmp-<pid>-…``); one whose process still
    runs is left alone, since the preview server and Dask workers execute notebooks without the build
    lock, beside the command that holds it.
    """
    for name in names:
        for scratch in (build_dir() / "cache" / name).glob(SCRATCH_PREFIX + "*"):
            pid = scratch.name.removeprefix(SCRATCH_PREFIX).partition("-")[0]
            if not (pid.isdigit() and process_running(int(pid))):
                shutil.rmtree(scratch, ignore_errors=True)


def plan(names: Iterable[str], overrides: dict[str, NotebookParams] | None = None) -> list[Job]:
    """Jobs for ``names`` with their published (or overridden) parameters.

    The claims registry is checked first: every notebook reads it, so a broken one stops the
    command with one line before any kernel starts.
    """
    load_claims()
    overrides = overrides or {}
    jobs = []
    for name in names:
        params = overrides.get(name) or resolve(name)
        jobs.append(Job(name, params, cache_key(name, params)))
    return jobs


def run_jobs(
    jobs: list[Job],
    force: Iterable[str] = (),
    workers: int | None = None,
    progress: Callable[[str], None] = print,
    pool: KernelPool | None = None,
) -> list[Outcome]:
    """Produce every job, misses in parallel: one worker per core by default, each keeping its kernel.

    With ``pool``, its workers and their kernels run the misses and stay up afterwards (the preview
    server keeps one); without, a pool is started for these jobs and closed after them. Every job is
    attempted; if any failed, the first failure is raised after the others finish.
    """
    force = set(force)
    unknown = force - {job.name for job in jobs}
    if unknown:
        raise UserError(
            f"--force {quoted(sorted(unknown)[0])}: expected one of {', '.join(j.name for j in jobs)}"
        )
    clear_scratch(job.name for job in jobs)
    total = len(jobs)

    def one(index: int, job: Job, kernel: WorkerKernel) -> Outcome | UserError:
        if job.name in force or not is_cached(job):
            progress(f"[{index}/{total}] {job.name}: running")
        try:
            outcome = produce(job, force=job.name in force, kernel=kernel)
        except UserError as err:
            progress(f"[{index}/{total}] {job.name}: failed")
            return err
        detail = (
            "cached, no kernel started" if outcome.status == "cached" else f"ran in {outcome.seconds:.1f} s"
        )
        progress(f"[{index}/{total}] {job.name}: {detail}")
        return outcome

    def produced_by(workers: KernelPool) -> list[Outcome | UserError]:
        futures = [
            workers.submit(lambda kernel, index=index, job=job: one(index, job, kernel))
            for index, job in enumerate(jobs, start=1)
        ]
        return [future.result() for future in futures]

    if pool is not None:
        produced = produced_by(pool)
    else:
        with KernelPool(min(workers or os.cpu_count() or 1, total)) as own:
            produced = produced_by(own)
    failures = [item for item in produced if isinstance(item, UserError)]
    if failures:
        raise failures[0]
    return [item for item in produced if isinstance(item, Outcome)]


def results_document(outcomes: list[Outcome]) -> dict[str, Any]:
    """``results.json``: every recorded value with its unit, by notebook, with its provenance."""
    return {
        "snapshot": snapshot.active_snapshot(),
        "notebooks": {
            outcome.job.name: {
                "cache_key": outcome.job.key,
                "parameters": outcome.job.params.model_dump(mode="json"),
                "results": outcome.results,
            }
            for outcome in outcomes
        },
    }


def record_build(build: Path, outcomes: list[Outcome], inputs: str) -> None:
    """After the book is written to ``build/html``: its ``results.json``, and the stamp saying the
    book is current for the inputs whose digest is ``inputs`` (never written ahead of the book)."""
    write_atomic(build / "results.json", json.dumps(results_document(outcomes), indent=2, sort_keys=True))
    freshness.stamp(build / "html", inputs)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as handle:
        handle.write(text)
    os.replace(handle.name, path)
