"""The book kept warm for the preview server: its kernels, its Sphinx application and its pages.

``Preview.build`` does what ``deepseek-shock build`` does, without the start-up: the parameters
are validated again, the content-addressed cache decides which notebooks run (on kernels started
when the preview started, each having rehearsed every notebook), and the book is staged again, so
the Sphinx application kept in this process re-reads only the pages whose files changed.
``Preview.run`` does what ``deepseek-shock run`` does, the same way, and ``Preview.publish`` finishes
what ``deepseek-shock build`` does: the preview's book, once built from the inputs the command saw,
is written to ``_build/html`` as the command writes it.

Everything is written under ``_build/``: the preview's book in ``_build/preview/``, executed
notebooks in the shared cache, runs in ``_build/runs/``, a handed-over build in ``_build/html``;
``site/`` is never touched. A failed build is kept as the preview's error until a build succeeds;
the last good pages stay.
"""

from __future__ import annotations

import gc
import logging
import os
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill  # noqa: F401 (the pipeline imports it on first use: here, the first edit does not pay it)

from deepseek_shock.build import freshness, pipeline, site
from deepseek_shock.build.kernels import KernelPool
from deepseek_shock.build.resident_book import ResidentBook
from deepseek_shock.chapters.catalog import SCHEMAS, resolve
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError
from deepseek_shock.paths import SNAPSHOT_ENV, build_dir, package_dir, project_root

# What the book renders but no notebook reads, relative to the project root.
RENDERED_ONLY = ("book", "_static", "_config.yml", "_toc.yml")


class NotServed(Exception):
    """The preview cannot run a request as asked; whoever asked runs it without the preview."""


@dataclass(frozen=True)
class Status:
    """What served pages poll: the build version (new after every build), a build under way, its error."""

    version: str
    building: bool
    error: str | None


def notebook_cells() -> list[list[str]]:
    """The source of every code cell, by notebook (``notebooks/*.ipynb``, in name order)."""
    return [
        [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
        for path in sorted((project_root() / "notebooks").glob("*.ipynb"))
    ]


# A kernel's first run of a chapter pays for what each process does once: imports, the chart
# compiler's engine (about 0.35 s), the claims registry and the snapshot's tables read and verified,
# Altair's and pandas' first charts and tables, the chapters' memoized figures. A preview kernel
# rehearses every notebook before its first one (each cell as the kernel would run it, the output
# captured and dropped, the namespace cleared after each notebook), so an edit never pays it. A cell
# that fails ends its notebook's rehearsal: the notebook's real run reports the error.
REHEARSAL = """\
def _rehearse(notebooks):
    from IPython.utils.capture import capture_output
    shell = get_ipython()
    shell._showtraceback = lambda *args: None  # a failing cell would send its traceback to the client
    try:
        with capture_output():
            for cells in notebooks:
                for cell in cells:
                    if not shell.run_cell(cell, store_history=False).success:
                        break
                shell.reset(new_session=True)
    finally:
        del shell._showtraceback
_rehearse({notebooks!r})"""


def kernel_warm_up() -> str:
    """What a preview kernel runs before its first notebook: a rehearsal of every notebook."""
    return REHEARSAL.format(notebooks=notebook_cells())


def notebooks_touched(changed: list[Path] | None) -> set[str]:
    """The notebooks whose parameters and cache key a change to ``changed`` may alter (None: all).

    ``params/<notebook>.yaml`` and ``notebooks/<notebook>.ipynb`` touch their notebook; prose pages,
    static files, the book's configuration and alternate scenarios touch none; anything else (data,
    the claims, the library) may touch every notebook.
    """
    every = set(SCHEMAS)
    if changed is None:
        return every
    touched: set[str] = set()
    for path in changed:
        try:
            parts = path.relative_to(project_root()).parts
        except ValueError:
            return every
        if parts[0] in RENDERED_ONLY or parts[:2] == ("params", "scenarios"):
            continue
        if parts[0] in ("params", "notebooks") and len(parts) == 2:
            touched.add(Path(parts[1]).stem)
        else:
            return every
    return touched & every


def shown(path: Path) -> str:
    """``path`` relative to the project root where it lies inside it."""
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


class Preview:
    """The book's executed notebooks and pages, rebuilt in place; kernels and Sphinx kept warm.

    ``build`` and ``run`` take turns (``work``: Sphinx's registries and log are process-wide); Sphinx
    writing the book's pages and the server reading them take turns too (``pages``), so a reader
    never gets a page half-written.
    """

    def __init__(self) -> None:
        self.folder = build_dir() / "preview"
        self.library = pipeline.library_sha256()
        self.snapshot = os.environ.get(SNAPSHOT_ENV)
        warm_up, notebooks = kernel_warm_up(), project_root() / "notebooks"
        self.pool = KernelPool(os.cpu_count() or 1, prepare=lambda kernel: kernel.warm(warm_up, notebooks))
        self.book = ResidentBook(self.folder / "stage", self.folder / "book")
        self.run_books: dict[str, ResidentBook] = {}
        self.jobs: dict[str, pipeline.Job] = {}  # the last plan, by notebook
        self.outcomes: list[pipeline.Outcome] = []  # the last good build's notebooks
        self.files: dict[str, bytes] = {}  # and its staged book
        self.inputs: str | None = None  # and the digest of the inputs it read (see ``freshness``)
        self.work = threading.Lock()
        self.pages = threading.Lock()
        self.started = time.perf_counter()
        self.instance = secrets.token_hex(4)
        self.builds = 0
        self.status = Status(f"{self.instance}-0", building=False, error=None)
        self.stopping = False
        self.frozen = False  # after the first good build: see ``build``

    @property
    def html(self) -> Path:
        """The preview's pages."""
        return self.book.html

    def library_changed(self) -> str | None:
        """Why the library this process imported is out of date, if it is."""
        if pipeline.library_sha256() == self.library:
            return None
        return (
            f"the library's source ({shown(package_dir())}/) changed since the preview started: "
            "stop it (Ctrl-C) and start it again to use the new code"
        )

    def build(self, changed: list[Path] | None = None) -> str:
        """Bring the book up to date after ``changed`` (None: anything); one line on what was done.

        A failure (bad parameters or data, a notebook that raised, a Sphinx warning) is raised as a
        UserError and kept as the preview's error until a build succeeds.
        """
        with self.work:
            self.status = Status(self.status.version, building=True, error=self.status.error)
            error = None
            try:
                return self._build(changed)
            except UserError as failure:
                error = str(failure)
                raise
            except Exception as failure:  # whatever a bad edit provokes, the preview carries on
                error = f"{type(failure).__name__}: {failure}"
                raise UserError(error) from failure
            finally:
                if error is None and not self.frozen:
                    # What lives from here on (modules, Sphinx's application and environment) is
                    # left out of the garbage collector's full passes, which otherwise add a
                    # tenth of a second to every other build.
                    gc.freeze()
                    self.frozen = True
                self.builds += 1
                self.status = Status(f"{self.instance}-{self.builds}", building=False, error=error)

    def _build(self, changed: list[Path] | None) -> str:
        start = time.perf_counter()
        self.inputs = None  # until this build succeeds
        inputs = freshness.inputs_digest(None)
        stale = self.library_changed()
        if stale:
            raise UserError(stale)
        touched = notebooks_touched(changed)
        if touched == set(SCHEMAS):
            snapshot.verify_snapshot()
        again = touched | (set(SCHEMAS) - set(self.jobs))
        for name in again:  # planned anew, or not at all if planning fails
            self.jobs.pop(name, None)
        self.jobs.update((job.name, job) for job in pipeline.plan(name for name in SCHEMAS if name in again))
        jobs = [self.jobs[name] for name in SCHEMAS]
        outcomes = pipeline.run_jobs(jobs, pool=self.pool, progress=lambda line: None)
        if self.stopping:
            raise UserError("the preview is stopping")
        files = site.stage_contents({outcome.job.name: outcome.notebook for outcome in outcomes})
        with self.pages:
            site.sync(files, self.book.stage)
            pages = self.book.build()
            site.copy_assets(files, self.html)
        self.outcomes, self.files, self.inputs = outcomes, files, inputs
        executed = [f"{o.job.name} ({o.seconds:.1f} s)" for o in outcomes if o.status == "executed"]
        built = time.perf_counter() - start
        prepared = "" if self.run_books else f"; {self.prepare_runs(outcomes)}; {self.kernels_ready()}"
        return (
            f"built in {built:.1f} s; executed {', '.join(executed) or 'nothing'}; "
            f"re-rendered {', '.join(pages) or 'nothing'}{prepared}"
        )

    def prepare_runs(self, outcomes: list[pipeline.Outcome]) -> str:
        """Set up every notebook's run book now, rendering the run page of its notebook as just built,
        so that the first ``run`` through the preview renders as fast as the next (a Sphinx application
        takes about half a second to set up); what was done, in words."""
        start = time.perf_counter()
        for outcome in outcomes:
            self.render_run(
                outcome.job.name, outcome.notebook, site.run_folder(outcome.job.name, outcome.job.key)
            )
        return f"set up the run pages of {len(outcomes)} notebooks in {time.perf_counter() - start:.1f} s"

    def kernels_ready(self) -> str:
        """Wait until every kernel has rehearsed the notebooks (see ``kernel_warm_up``); when, in words.

        The first good build waits for it, so the preview says it is ready only once an edit pays
        nothing but its own work.
        """
        self.pool.wait_prepared()
        return (
            f"kernels ready {time.perf_counter() - self.started:.1f} s after start, every notebook rehearsed"
        )

    def run(self, notebook: str, overrides: list[str], snapshot_id: str | None) -> dict[str, Any]:
        """``deepseek-shock run NOTEBOOK --set …`` in the warm kernels, its page rendered by a kept Sphinx.

        ``snapshot_id`` is the asker's ``$DEEPSEEK_SHOCK_SNAPSHOT``; another snapshot than the
        preview's, or library code newer than the preview's, is NotServed. Bad input is a UserError.
        """
        if snapshot_id != self.snapshot:
            raise NotServed(f"the preview reads snapshot {self.snapshot or 'default'}, not {snapshot_id}")
        with self.work:
            stale = self.library_changed()
            if stale:
                raise NotServed(stale)
            try:
                params = resolve(notebook, overrides)
                [job] = pipeline.plan([notebook], {notebook: params})
                [outcome] = pipeline.run_jobs([job], pool=self.pool, progress=lambda line: None)
                folder = site.run_folder(job.name, job.key)
                reused = (folder / "html" / f"{job.name}.html").exists()
                if not reused:
                    self.render_run(job.name, outcome.notebook, folder)
            except UserError:
                raise
            except Exception as failure:
                raise UserError(f"{type(failure).__name__}: {failure}") from failure
        return {
            "notebook": job.name,
            "parameters": params.model_dump(mode="json"),
            "results": outcome.results,
            "folder": str(folder),
            "executed": outcome.status == "executed",
            "seconds": outcome.seconds,
            "reused": reused,
        }

    def publish(self, inputs: str, snapshot_id: str | None) -> str:
        """``deepseek-shock build`` handed over: the book built from the inputs whose digest is
        ``inputs`` (see ``freshness``) written to ``_build/html`` with its results and stamp, as the
        command writes them; what was done, in words.

        A build under way is waited for; if the preview has not built those inputs yet, it builds
        them now. Another snapshot, newer library code, or inputs that changed again meanwhile are
        NotServed; a failed build is a UserError (``_build/html`` is left as it was).
        """
        if snapshot_id != self.snapshot:
            raise NotServed(f"the preview reads snapshot {self.snapshot or 'default'}, not {snapshot_id}")
        stale = self.library_changed()
        if stale:
            raise NotServed(stale)
        with self.work:  # once a build under way is done
            built = self.inputs == inputs
        done = "already built" if built else self.build()
        with self.work:
            if self.inputs != inputs:
                raise NotServed("the project's files changed again while the preview built them")
            start = time.perf_counter()
            notebooks = {outcome.job.name: outcome.notebook for outcome in self.outcomes}
            key = site.render_key(notebooks, announcement=None)
            site.publish_book(self.html, self.files, site.digest(self.files), build_dir() / "html", key)
            pipeline.record_build(build_dir(), self.outcomes, inputs)
        return f"{done}; written to _build/html in {time.perf_counter() - start:.1f} s"

    def render_run(self, name: str, executed: Path, folder: Path) -> None:
        """The one-page book of a run in ``folder``, rendered by this notebook's kept Sphinx application."""
        book = self.run_books.setdefault(
            name, ResidentBook(self.folder / "runs" / name / "stage", self.folder / "runs" / name)
        )
        scratch = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            site.sync(site.run_book(name, executed), book.stage)
            book.build()
            shutil.copytree(book.html, scratch / "html", copy_function=shutil.copyfile)  # bytes only
            site.install_run(scratch, folder, name, executed)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def stop(self) -> None:
        """Abandon the build under way: kill the kernels (a notebook running fails at once, quietly)
        and render nothing more."""
        self.stopping = True
        logging.getLogger("papermill").setLevel(logging.CRITICAL)  # "Kernel died while waiting…"
        self.pool.kill()

    def close(self) -> None:
        """Shut the kernels down, once the build or run under way is done."""
        self.pool.close()
