"""Build and rerun speed against plain Jupyter Book, measured side by side in one run.

    .venv/bin/python bench/run.py [--repeat 3]      (make bench)

Every figure is a median over ``--repeat`` runs on private copies of the project, printed as a
ratio to its baseline; the same numbers go to ``bench/results.json`` (not committed). The
baseline is plain ``jupyter-book build`` with ``execute_notebooks: force`` on the same notebooks
with their published parameters, executed serially. The commands alone run with ``--no-server``.
Then, on the same copy, a ``build`` keeps a server as on a user's machine; once it is ready, one
parameter is edited and ``build`` typed (timed until it returns), then ``run --set``; then
``serve --stop`` stops it and its kernels are counted. The preview server's own figures come
last: ``deepseek-shock serve`` is started (its first build finds the cache filled); one parameter is
edited (timed until the server serves the rebuilt book); another is edited and ``build`` is typed
at once (timed until the command returns, the book written to ``_build/html``); ``run --set`` goes
through it, twice with new values (the figure is the first; the second reuses the Sphinx
application the first set up); then it is stopped with Ctrl-C and its kernels are counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
KEEP_ENV = "DEEPSEEK_SHOCK_KEEP_SERVER"
BIN = Path(sys.executable).parent
PROJECT_FILES = ("_config.yml", "_toc.yml", "requirements.lock")
PROJECT_DIRS = ("data", "params", "notebooks", "book", "_static")
NOISY = 0.15  # relative spread (max-min)/median above which a figure is called unstable


def project_copy(parent: Path) -> Path:
    """A private copy of the project's inputs (no build output)."""
    copy = Path(tempfile.mkdtemp(dir=parent, prefix="project-"))
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, copy / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, copy / name)
    return copy


@dataclass(frozen=True)
class Measured:
    """One command's wall seconds, peak memory of its process tree (bytes), output, and kernels seen."""

    seconds: float
    peak: int
    output: str
    kernels: int


def timed(command: list[str], env: dict[str, str], cwd: Path) -> Measured:
    """Run ``command``, sampling its whole process tree every 50 ms (a kernel lives far longer)."""
    start = time.perf_counter()
    process = psutil.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = 0
    kernels: set[int] = set()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
                kernels.update(p.pid for p in tree if "ipykernel" in " ".join(p.cmdline()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{output[-2000:]}")
    return Measured(time.perf_counter() - start, peak, output, len(kernels))


def cli(project: Path, *args: str, keep: bool = False) -> Measured:
    """Run ``deepseek-shock ARGS`` against ``project``; with ``keep``, a command that works alone
    keeps a preview server running for the next, as on a user's machine."""
    env = {**os.environ, "DEEPSEEK_SHOCK_ROOT": str(project), KEEP_ENV: "1" if keep else "0"}
    return timed([str(BIN / "deepseek-shock"), *args], env, project)


def kept_server_ready(project: Path, seconds: float = 600) -> Preview:
    """The server the last command kept on ``project``, once its first build is done."""
    state = project / "_build" / "preview" / "server.json"
    deadline = time.monotonic() + seconds
    while not state.exists():
        if time.monotonic() > deadline:
            raise SystemExit("bench: the command kept no preview server")
        time.sleep(0.05)
    described = json.loads(state.read_text())
    preview = Preview(psutil.Process(described["pid"]), described["url"], set())
    preview.wait_for_build(None)
    said_ready(state)
    return preview


def said_ready(state: Path, seconds: float = 60) -> None:
    """Wait until the server's state file says its first build is done (commands hand it work only
    then; it says so just after the build)."""
    deadline = time.monotonic() + seconds
    while not json.loads(state.read_text()).get("ready"):
        if time.monotonic() > deadline:
            raise SystemExit("bench: the preview server never said it was ready")
        time.sleep(0.01)


def baseline_book(project: Path) -> Path:
    """The same book for plain Jupyter Book: notebooks parameterized (not executed), execution forced."""
    book = project / "baseline"
    book.mkdir()
    config = yaml.safe_load((project / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": "force", "timeout": 600}
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    shutil.copy2(project / "_toc.yml", book / "_toc.yml")
    shutil.copytree(project / "book", book / "book")
    shutil.copytree(project / "_static", book / "_static")
    (book / "notebooks").mkdir()
    env = {**os.environ, "DEEPSEEK_SHOCK_ROOT": str(project)}
    code = (
        "import papermill\n"
        "from deepseek_shock.chapters.catalog import SCHEMAS, resolve\n"
        "for name in SCHEMAS:\n"
        "    papermill.execute_notebook(f'notebooks/{name}.ipynb', f'baseline/notebooks/{name}.ipynb',\n"
        "        parameters=resolve(name).model_dump(mode='json'), prepare_only=True)\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=project, check=True)
    # The generated pages the book's table of contents (and the landing page) names. The ledger and
    # the landing page's front part need executed results, so the baseline gets one-line stand-ins
    # for them (prose: no execution cost either way).
    code = (
        "from pathlib import Path\n"
        "from deepseek_shock.data import snapshot\n"
        "from deepseek_shock.build.vega import vega_files\n"
        "from deepseek_shock.build.data_page import data_sources_markdown\n"
        "out = Path('baseline')\n"
        "(out / 'book/data_sources.md').write_text(data_sources_markdown(download_prefix='../data'))\n"
        "(out / 'book/ledger.md').write_text('# Claims ledger\\n\\nNot part of the comparison.\\n')\n"
        "(out / 'book/front_page.md').write_text('Not part of the comparison.\\n')\n"
        "(out / 'data').mkdir(exist_ok=True)\n"
        "for table, entry in snapshot.load_manifest()['tables'].items():\n"
        "    (out / 'data' / entry['file']).write_bytes(snapshot.table_path(table).read_bytes())\n"
        "for name, content in vega_files().items():\n"
        "    (out / '_extra' / name).parent.mkdir(parents=True, exist_ok=True)\n"
        "    (out / '_extra' / name).write_bytes(content)\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=project, check=True)
    return book


def baseline_build(project: Path) -> Measured:
    """Plain ``jupyter-book build`` executing every notebook serially."""
    book = baseline_book(project)
    env = {**os.environ, "DEEPSEEK_SHOCK_ROOT": str(project)}
    return timed([str(BIN / "jupyter-book"), "build", str(book), "--quiet"], env, project)


def site_weight(html: Path) -> tuple[int, str, int]:
    """Total bytes of the site, and the heaviest page with the assets it references: the files of
    ``_static/`` it names, Vega if it draws a chart, the Chinese font if it shows a Chinese character.
    (The browser tests measure every byte a page loads; this is the same rule, without a browser.)"""
    from deepseek_shock.build.cjk_font import CJK_CHARACTER, FONT_PATH
    from deepseek_shock.build.vega import VEGA_BUNDLE_PATH

    total = sum(path.stat().st_size for path in html.rglob("*") if path.is_file())
    heaviest, heaviest_bytes = "", 0
    for page in html.rglob("*.html"):
        if page.relative_to(html).parts[0] == "_static":
            continue  # theme templates shipped as static files, not pages
        text = page.read_text(errors="replace")
        size = page.stat().st_size
        for asset in html.joinpath("_static").rglob("*"):
            if asset.is_file() and asset.name in text:
                size += asset.stat().st_size
        if 'class="ds-chart"' in text:
            size += (html / VEGA_BUNDLE_PATH).stat().st_size
        if CJK_CHARACTER.search(text):
            size += (html / FONT_PATH).stat().st_size
        if size > heaviest_bytes:
            heaviest, heaviest_bytes = page.relative_to(html).as_posix(), size
    return total, heaviest, heaviest_bytes


@dataclass
class Preview:
    """A ``deepseek-shock serve`` process on a project copy, its URL and the kernels in its tree."""

    process: psutil.Process
    url: str
    kernels: set[int]
    ready_seconds: float = 0.0  # from the command to its first build done, kernels rehearsed

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "_preview/status", timeout=60) as reply:
            return json.load(reply)

    def wait_for_build(self, after: str | None, seconds: float = 600) -> dict:
        """The status once a build later than version ``after`` has finished."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.process.is_running() or self.process.status() == psutil.STATUS_ZOMBIE:
                raise SystemExit("bench: deepseek-shock serve exited before its first build was done")
            status = self.status()
            if status["version"] != after and not status["building"]:
                return status
            time.sleep(0.02)
        raise SystemExit(f"bench: the preview built nothing in {seconds} s")

    def page(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=60) as reply:
            return reply.read()

    def tree(self) -> list[psutil.Process]:
        """The server and its descendants; kernels among them are remembered."""
        tree = [self.process, *self.process.children(recursive=True)]
        for member in tree:
            with contextlib.suppress(psutil.Error):
                if "ipykernel" in " ".join(member.cmdline()):
                    self.kernels.add(member.pid)
        return tree

    def memory(self) -> int:
        """Resident memory of the whole process tree (bytes): the server, Sphinx and the kept kernels."""
        total = 0
        for member in self.tree():
            with contextlib.suppress(psutil.Error):
                total += member.memory_info().rss
        return total

    def stop(self) -> int:
        """Ctrl-C, then the kernel processes of its tree still alive (none, when it stops cleanly)."""
        self.tree()
        self.process.send_signal(signal.SIGINT)
        if self.process.wait(timeout=120) != 0:
            raise SystemExit("bench: deepseek-shock serve did not stop cleanly")
        return self.kernels_alive()

    def kernels_alive(self) -> int:
        """How many of the kernel processes seen in its tree are still running."""
        alive = [pid for pid in self.kernels if psutil.pid_exists(pid)]
        return sum(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in alive)


def start_preview(project: Path) -> Preview:
    """``deepseek-shock serve --port 0`` on ``project``, its first build done (a warm start: cache filled)."""
    state = project / "_build" / "preview" / "server.json"
    log = (project / "serve.log").open("w")
    start = time.perf_counter()
    process = psutil.Popen(
        [str(BIN / "deepseek-shock"), "serve", "--port", "0"],
        env={**os.environ, "DEEPSEEK_SHOCK_ROOT": str(project)},
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 600
    while not state.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(
                f"bench: deepseek-shock serve did not start:\n{(project / 'serve.log').read_text()}"
            )
        time.sleep(0.05)
    preview = Preview(process, json.loads(state.read_text())["url"], set())
    preview.wait_for_build(None)
    said_ready(state)
    preview.ready_seconds = time.perf_counter() - start
    return preview


def edit_seconds(preview: Preview, path: Path, old: str, new: str) -> float:
    """Seconds from replacing ``old`` with ``new`` in ``path`` to the preview serving the rebuilt book."""
    before = preview.status()["version"]
    start = time.perf_counter()
    path.write_text(path.read_text().replace(old, new, 1))
    status = preview.wait_for_build(before)
    seconds = time.perf_counter() - start
    if status["error"]:
        raise SystemExit(f"bench: the preview failed to build the edit: {status['error']}")
    return seconds


def first_notebook_with_float_param(project: Path) -> tuple[str, str, float]:
    """A notebook and one of its numeric published parameters, to change."""
    for path in sorted((project / "params").glob("*.yaml")):
        values = yaml.safe_load(path.read_text()) or {}
        for key, value in values.items():
            if isinstance(value, float):
                return path.stem, key, value
    raise SystemExit("bench: no numeric published parameter to change")


def cold_phases(output: str, total: float) -> dict[str, float]:
    """Where a cold build's wall time went, from its own progress lines (seconds)."""
    notebooks = re.search(r"Notebooks done in ([0-9.]+) s", output)
    render = re.search(r"Site rendered in ([0-9.]+) s", output)
    executing = float(notebooks.group(1)) if notebooks else 0.0
    rendering = float(render.group(1)) if render else 0.0
    summed = sum(float(value) for value in re.findall(r": ran in ([0-9.]+) s", output))
    return {
        "start_up_imports_validation_s": total - executing - rendering,
        "notebooks_wall_s": executing,
        "notebooks_summed_s": summed,
        "render_s": rendering,
    }


def median_and_spread(values: list[float]) -> tuple[float, float]:
    """The median and the relative spread (max − min) ÷ median."""
    middle = statistics.median(values)
    return middle, (max(values) - min(values)) / middle if middle else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per figure (median reported)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deepseek-bench-"))
    figures = (
        "baseline",
        "cold",
        "noop",
        "one_param",
        "single_run",
        "kept_one_param",
        "kept_single_run",
        "serve_one_param",
        "serve_build",
        "serve_single_run",
        "serve_next_run",
    )
    runs: dict[str, list[float]] = {k: [] for k in figures}
    peaks: list[int] = []
    phases: list[dict[str, float]] = []
    reexecuted: list[int] = []
    kernels_on_noop: list[int] = []
    serve_memory: list[int] = []
    serve_ready: list[float] = []
    kept_ready: list[float] = []
    kernels_left: list[int] = []
    try:
        for _ in range(args.repeat):
            runs["baseline"].append(baseline_build(project_copy(work)).seconds)

            project = project_copy(work)
            cold_run = cli(project, "build", "--no-server")
            runs["cold"].append(cold_run.seconds)
            phases.append(cold_phases(cold_run.output, cold_run.seconds))
            peaks.append(cold_run.peak)
            noop = cli(project, "build", "--no-server")
            runs["noop"].append(noop.seconds)
            kernels_on_noop.append(noop.kernels)
            name, key, value = first_notebook_with_float_param(project)
            path = project / "params" / f"{name}.yaml"
            path.write_text(path.read_text().replace(f"{key}: {value}", f"{key}: {value * 1.5}", 1))
            one_param = cli(project, "build", "--no-server")
            runs["one_param"].append(one_param.seconds)
            reexecuted.append(one_param.output.count(": running"))
            rerun = cli(project, "run", name, "--set", f"{key}={value * 1.25}", "--no-server")
            runs["single_run"].append(rerun.seconds)

            # The command line as it runs on a user's machine: a command that works alone keeps a
            # server running, and the next command hands it the work.
            start = time.perf_counter()
            cli(project, "build", keep=True)
            kept = kept_server_ready(project)
            kept_ready.append(time.perf_counter() - start)
            kept.tree()
            path.write_text(path.read_text().replace(f"{key}: {value * 1.5}", f"{key}: {value * 1.625}", 1))
            handed = cli(project, "build", keep=True)
            if "Built through the preview server" not in handed.output:
                raise SystemExit(f"bench: build did not go through the kept server:\n{handed.output}")
            runs["kept_one_param"].append(handed.seconds)
            through = cli(project, "run", name, "--set", f"{key}={value * 1.375}", keep=True)
            if "Ran through the preview server" not in through.output:
                raise SystemExit(f"bench: run did not go through the kept server:\n{through.output}")
            runs["kept_single_run"].append(through.seconds)
            kept.tree()
            cli(project, "serve", "--stop")
            kernels_left.append(kept.kernels_alive())

            preview = start_preview(project)
            serve_ready.append(preview.ready_seconds)
            try:
                page = f"notebooks/{name}.html"
                shown = preview.page(page)
                runs["serve_one_param"].append(
                    edit_seconds(preview, path, f"{key}: {value * 1.625}", f"{key}: {value * 1.75}")
                )
                if preview.page(page) == shown:
                    raise SystemExit(f"bench: the preview still serves the old {page}")
                old, new = f"{key}: {value * 1.75}", f"{key}: {value * 1.875}"
                path.write_text(path.read_text().replace(old, new, 1))
                handed = cli(project, "build")
                if "Built through the preview server" not in handed.output:
                    raise SystemExit(f"bench: build did not go through the preview server:\n{handed.output}")
                runs["serve_build"].append(handed.seconds)
                for figure, factor in (("serve_single_run", 2), ("serve_next_run", 2.25)):
                    through = cli(project, "run", name, "--set", f"{key}={value * factor}")
                    if "Ran through the preview server" not in through.output:
                        raise SystemExit(
                            f"bench: run did not go through the preview server:\n{through.output}"
                        )
                    runs[figure].append(through.seconds)
                serve_memory.append(preview.memory())
            finally:
                kernels_left.append(preview.stop())
        grid = ",".join(f"{0.5 + i * 0.005:.3f}" for i in range(1000))
        library_seconds = cli(
            project, "sweep", "training_cost", "--grid", f"price_per_gpu_hour={grid}"
        ).seconds
        small = ",".join(f"{1 + i * 0.25:.2f}" for i in range(10))
        notebook_seconds = cli(
            project, "sweep", "training_cost", "--notebooks", "--grid", f"price_per_gpu_hour={small}"
        ).seconds
        total, heaviest, heaviest_bytes = site_weight(project / "_build" / "html")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    stats = {name: median_and_spread(values) for name, values in runs.items()}
    # (label, figure, the figure it is divided by, target ratio)
    rows = [
        ("cold build vs plain jupyter-book (execute: force)", "cold", "baseline", 0.6),
        ("no-op rebuild vs cold build", "noop", "cold", 0.05),
        ("one parameter changed, build (server kept) vs cold", "kept_one_param", "cold", 0.3),
        ("single rerun, run --set (server kept) vs cold", "kept_single_run", "cold", 0.25),
        ("one parameter changed, build --no-server vs cold", "one_param", "cold", 0.3),
        ("single rerun, run --set --no-server vs cold", "single_run", "cold", 0.25),
        ("one parameter changed, build handed to serve vs cold", "serve_build", "cold", 0.3),
        ("one parameter changed through serve vs cold build", "serve_one_param", "cold", 0.1),
        ("single rerun, run --set handed to serve vs cold", "serve_single_run", "cold", 0.1),
    ]
    cold = stats["cold"][0]
    results = {
        "repeat": args.repeat,
        "seconds": {name: {"median": m, "spread": s, "runs": runs[name]} for name, (m, s) in stats.items()},
        "ratios": {},
        "kernels_started_on_noop": kernels_on_noop,
        "notebooks_reexecuted_on_one_param": reexecuted,
        "serve_memory_bytes": max(serve_memory),
        "serve_ready_seconds": serve_ready,
        "kept_server_ready_seconds": kept_ready,
        "kernels_left_after_serve_stopped": kernels_left,
        "sweep": {
            "library_points_per_second": 1000 / library_seconds,
            "notebook_points_per_second": 10 / notebook_seconds,
        },
        "cold_build_phases_median_s": {
            name: statistics.median(phase[name] for phase in phases) for name in phases[0]
        },
        "peak_build_memory_bytes": max(peaks),
        "site_bytes": total,
        "heaviest_page": {"page": heaviest, "bytes_with_assets": heaviest_bytes},
    }
    print(f"{'figure':<54} {'ratio':>7} {'target':>7}  note")
    for label, figure, base, target in rows:
        ratio = stats[figure][0] / stats[base][0]
        noisy = [n for n in (figure, base) if stats[n][1] > NOISY]
        note = "meets target" if ratio <= target else "MISSES target"
        if noisy:
            note += f"; unstable ({', '.join(noisy)} spread > {NOISY:.0%})"
        print(f"{label:<54} {ratio:>7.3f} {target:>7.2f}  {note}")
        results["ratios"][label] = {"ratio": ratio, "target": target, "noisy": bool(noisy)}
    print(f"{'seconds (median): ' + ', '.join(f'{k} {v[0]:.1f}' for k, v in stats.items())}")
    cold_split = results["cold_build_phases_median_s"]
    print(
        "cold build, where the time goes (median s): "
        f"start-up, imports and validation {cold_split['start_up_imports_validation_s']:.1f}; "
        f"notebooks {cold_split['notebooks_wall_s']:.1f} wall "
        f"({cold_split['notebooks_summed_s']:.1f} summed over notebooks); "
        f"render {cold_split['render_s']:.1f}"
    )
    print(f"kernel processes seen during the no-op rebuild: {kernels_on_noop}")
    print(f"notebooks re-executed when one parameter changed: {reexecuted}")
    print(
        f"sweep: {1000 / library_seconds:,.0f} points/s through the library (1,000 points) vs "
        f"{10 / notebook_seconds:.2f} points/s as notebooks (10 points)"
    )
    print(f"peak build memory (process tree): {max(peaks) / 2**20:,.0f} MiB")
    print(f"preview server memory (process tree, kernels included): {max(serve_memory) / 2**20:,.0f} MiB")
    print(
        "preview server ready (first build done from a filled cache, kernels rehearsed): "
        f"{statistics.median(serve_ready):.1f} s median"
    )
    next_run = stats["serve_next_run"][0]
    print(
        f"the next rerun of that notebook through serve: {next_run:.2f} s ({next_run / cold:.3f} of the "
        "cold build)"
    )
    print(
        "server kept by a build ready (first build done, kernels rehearsed): "
        f"{statistics.median(kept_ready):.1f} s median after the command started"
    )
    print(f"kernel processes left after each preview server stopped (kept, then serve): {kernels_left}")
    heaviest_kib = heaviest_bytes / 2**10
    print(f"site: {total / 2**20:.2f} MiB in all; heaviest page {heaviest}: {heaviest_kib:,.0f} KiB")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
