"""``deepseek-shock``: build the book, rerun a notebook with new parameters, manage the snapshot.

Each command imports what it needs when it runs: a rebuild with nothing changed answers before
pandas, pydantic or papermill is imported (see ``freshness``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from deepseek_shock.build import freshness
from deepseek_shock.build.lock import build_lock
from deepseek_shock.build.warm_book import WarmBook
from deepseek_shock.errors import UserError
from deepseek_shock.paths import (
    SNAPSHOT_ENV,
    build_dir,
    checked_root,
    project_root,
    snapshots_dir,
)


def relative(path: Path) -> str:
    """``path`` relative to the project root where it lies inside it."""
    try:
        return path.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def notebook_names() -> list[str]:
    """The report's notebooks (``notebooks/*.ipynb``), for the help text."""
    return sorted(path.stem for path in (project_root() / "notebooks").glob("*.ipynb"))


def cmd_build(args: argparse.Namespace) -> None:
    """Execute what changed, then render the whole book (or a scenario's alternate edition).

    When a preview server (``serve``) is up for this project, it brings its book up to date with its
    warm kernels and Sphinx and writes it to ``_build/html`` (the published book only; a scenario,
    ``--force`` or ``--jobs`` is built here). When none is up, one is kept for the next command.
    """
    build = build_dir() / "scenarios" / args.scenario if args.scenario else build_dir()
    digest = freshness.inputs_digest(args.scenario)
    if not args.force and freshness.is_current(build / "html", digest) and (build / "results.json").exists():
        print("Nothing changed since the last build: no notebook run, nothing rendered.")
        print(f"Open {relative(build / 'html' / 'index.html')}")
        keep_server_unless(args)
        return
    if not (args.no_server or args.scenario or args.force or args.jobs):
        from deepseek_shock.build.preview_client import build_through_server

        with build_lock("build"):
            answer = build_through_server(digest)
        if answer is not None:
            print(f"Built through the preview server at {answer['server']}: {answer['done']}.")
            print(f"Open {relative(build / 'html' / 'index.html')}")
            return
        note_server_starting()
    # Something changed, so a render is likely: warm Jupyter Book up while the notebooks run.
    with WarmBook() as book:
        build_and_render(args, build, digest, book)
    keep_server_unless(args)


def note_server_starting() -> None:
    """Say why a command works alone while a preview server is up: its first build is not done."""
    from deepseek_shock.build.preview_client import server_state

    state = server_state()
    if state and not state.get("ready"):
        print(
            f"The preview server at {state['url']} is still starting (first build under way): working alone.",
            file=sys.stderr,
        )


def keep_server_unless(args: argparse.Namespace) -> None:
    """After a command did its work itself: keep a preview server for the next one (see
    ``kept_server``), unless ``--no-server`` or ``--live`` (a server would keep that one-off snapshot)."""
    if args.no_server or getattr(args, "live", False):
        return
    from deepseek_shock.build.kept_server import keep_server

    said = keep_server()
    if said:
        print(said, file=sys.stderr)


def build_and_render(args: argparse.Namespace, build: Path, digest: str, book: WarmBook) -> None:
    """The build's full path into ``build``: plan, execute the misses, render if the site's inputs changed."""
    from deepseek_shock.build import pipeline, site
    from deepseek_shock.chapters.catalog import SCHEMAS
    from deepseek_shock.data import snapshot

    snapshot.verify_snapshot()
    overrides, announcement = {}, None
    if args.scenario:
        from deepseek_shock.build.scenarios import load_scenario

        scenario = load_scenario(args.scenario)
        overrides = scenario.params
        changed = ", ".join(scenario.changed) or "none"
        announcement = (
            f"Scenario edition: {scenario.title}. {scenario.description} Notebooks changed: {changed}."
        )
        print(f"Scenario {scenario.name}: {scenario.title} (changes {changed})")
    jobs = pipeline.plan(SCHEMAS, overrides)
    with build_lock("build"):  # taken once the inputs are known good: bad input writes nothing
        print(f"Notebooks: {len(jobs)} (snapshot {snapshot.active_snapshot()})")
        start = time.perf_counter()
        outcomes = pipeline.run_jobs(jobs, force=args.force, workers=args.jobs)
        executed = sum(outcome.status == "executed" for outcome in outcomes)
        print(f"Notebooks done in {time.perf_counter() - start:.1f} s ({executed} executed).")
        start = time.perf_counter()
        rendered = site.render({o.job.name: o.notebook for o in outcomes}, build, announcement, book)
        seconds = time.perf_counter() - start
        print(
            f"Site rendered in {seconds:.1f} s."
            if rendered
            else "Site already up to date: nothing to render."
        )
        # Written with the site, never ahead of it: a failed render leaves both as they were.
        pipeline.record_build(build, outcomes, digest)
    print(f"Open {relative(build / 'html' / 'index.html')}")


def live_snapshot_for(overrides: list[str]) -> None:
    """Fetch the ``--set ticker=…`` missing from the snapshot into a new snapshot, and use that one."""
    from deepseek_shock.chapters.parameters import parse_overrides
    from deepseek_shock.data import live, snapshot

    ticker = parse_overrides(overrides).get("ticker")
    if not ticker:
        raise UserError("--live: expected --set ticker=SYMBOL naming the ticker to fetch")
    ticker = str(ticker).upper()
    if ticker in live.refreshable_tickers(None):
        print(
            f"--live: {ticker} is already in snapshot {snapshot.active_snapshot()}; nothing fetched",
            file=sys.stderr,
        )
        return
    start, end = live.price_window(None)
    folder = live.refresh_snapshot([ticker], start, end)
    os.environ[snapshot.SNAPSHOT_ENV] = folder.name
    print(f"--live: fetched {ticker} into snapshot {folder.name}", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> None:
    """One notebook with new parameters, into its own run folder; the published build is untouched.

    When a preview server (``serve``) is up for this project, it does the work in its warm kernels;
    when none is, one is kept for the next command.
    """
    if not (args.live or args.no_server):
        from deepseek_shock.build.preview_client import run_through_server

        answer = run_through_server(args.notebook, args.set)
        if answer is not None:
            print(f"Ran through the preview server at {answer['server']}", file=sys.stderr)
            if answer["reused"]:
                print(
                    f"Run folder {relative(Path(answer['folder']))} already holds these parameters' page.",
                    file=sys.stderr,
                )
            report_run(
                args, answer["notebook"], answer["parameters"], answer["results"], Path(answer["folder"])
            )
            return
        note_server_starting()
    # Warm Jupyter Book up while the parameters are checked and the notebook runs.
    with WarmBook() as book:
        from deepseek_shock.build import pipeline, site
        from deepseek_shock.chapters.catalog import resolve

        if args.live:
            live_snapshot_for(args.set)
        params = resolve(args.notebook, args.set)
        [job] = pipeline.plan([args.notebook], {args.notebook: params})
        with build_lock("run"):
            [outcome] = pipeline.run_jobs([job], progress=lambda line: print(line, file=sys.stderr))
            folder = site.run_folder(job.name, job.key)
            if (folder / "html" / f"{job.name}.html").exists():
                print(f"Run folder {relative(folder)} already holds these parameters' page.", file=sys.stderr)
            else:
                site.render_run(job.name, outcome.notebook, folder, book)
    report_run(args, job.name, params.model_dump(mode="json"), outcome.results, folder)
    keep_server_unless(args)


def report_run(
    args: argparse.Namespace, notebook: str, parameters: dict, results: dict, folder: Path
) -> None:
    """What ``run`` prints: the results as JSON (``--json``), else where the notebook and its page are."""
    if args.json:
        print(
            json.dumps(
                {"notebook": notebook, "parameters": parameters, "results": results}, indent=2, sort_keys=True
            )
        )
        return
    print(f"Executed notebook: {relative(folder / f'{notebook}.ipynb')}")
    print(f"Page: {relative(folder / 'html' / f'{notebook}.html')}")


def cmd_serve(args: argparse.Namespace) -> None:
    """The book on this machine, rebuilt on every change and reloaded in the browser, until Ctrl-C
    (or ``--idle`` minutes without use); ``--stop`` stops the server running for this project."""
    if args.stop:
        from deepseek_shock.build.preview_client import server_state, stop_server

        running = server_state()
        if running is None:
            print("No preview server is running for this project.")
        elif stop_server(running):
            print(f"Stopped the preview server at {running['url']} (process {running['pid']}).")
        else:
            raise UserError(
                f"the preview server at {running['url']} (process {running['pid']}) did not stop "
                f"within 2 minutes; expected it to (kill it with: kill -9 {running['pid']})"
            )
        return
    if args.idle is not None:
        from deepseek_shock.build.kept_server import BACKGROUND_NICENESS

        os.nice(BACKGROUND_NICENESS)
    from deepseek_shock.build.serve import serve

    serve(args.host, args.port, args.idle)


def cmd_publish(args: argparse.Namespace) -> None:
    """Build the book as a fixed edition into site/<version>/ beside the earlier ones."""
    from deepseek_shock.build import publish

    folder = publish.publish(args.version, force=args.force, jobs=args.jobs)
    root = folder.parent
    print(f"Published {args.version} to {relative(folder)}")
    print(f"Editions: {', '.join(publish.published_versions(root))} (newest in {relative(root / 'latest')})")
    print(f"Open {relative(root / 'index.html')}")


def cmd_sweep(args: argparse.Namespace) -> None:
    """A notebook's computations over a parameter grid, into a tidy CSV and a chart."""
    from deepseek_shock.build.sweep import run_sweep

    if args.executor == "dask" and not args.notebooks:
        raise UserError("--executor dask runs notebooks: add --notebooks")
    outcome = run_sweep(
        args.notebook,
        args.grid,
        notebooks=args.notebooks,
        result=args.result,
        max_points=args.max_points,
        confirmed=args.yes,
        workers=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        progress=lambda line: print(line, file=sys.stderr),
    )
    how = "reused: the same grid over the same inputs was swept before" if outcome.cached else "computed"
    print(f"Sweep of {args.notebook}: {outcome.points:,} points, {how}")
    print(f"Table: {relative(outcome.folder / 'sweep.csv')}")
    print(f"Chart: {relative(outcome.folder / 'sweep.html')}")


def cmd_ledger(args: argparse.Namespace) -> None:
    """Every claim with its reproduced value and verdict, as JSON or CSV on standard output."""
    from deepseek_shock.build import pipeline
    from deepseek_shock.chapters.catalog import SCHEMAS
    from deepseek_shock.claims import ledger

    jobs = pipeline.plan(SCHEMAS)
    with build_lock("ledger"):
        outcomes = pipeline.run_jobs(jobs, progress=lambda line: print(line, file=sys.stderr))
    rows = ledger.ledger_rows({o.job.name: o.results for o in outcomes})
    sys.stdout.write(ledger.ledger_json(rows) if args.format == "json" else ledger.ledger_csv(rows))


def cmd_data_refresh(args: argparse.Namespace) -> None:
    """Fetch prices and share counts live into a new dated snapshot (never overwriting one)."""
    from deepseek_shock.data import live

    tickers = args.tickers or live.refreshable_tickers(args.base)
    low, high = live.price_window(args.base)
    start = live.iso_date(args.start, "--start") if args.start else low
    end = live.iso_date(args.end, "--end") if args.end else high
    folder = live.refresh_snapshot(tickers, start, end, base_snapshot=args.base, snapshot_id=args.id)
    print(f"Wrote snapshot {folder.name} to {relative(folder)}")
    print(f"Build with it: deepseek-shock build --snapshot {folder.name}")


def cmd_data_verify(args: argparse.Namespace) -> None:
    """Check every file of a snapshot against its manifest."""
    from deepseek_shock.data import snapshot

    snapshot.verify_snapshot(args.snapshot)
    print(f"Snapshot {args.snapshot or snapshot.active_snapshot()}: every file matches its manifest.")


def cmd_data_build(args: argparse.Namespace) -> None:
    """Build a new snapshot from folders shaped like the reference data."""
    from deepseek_shock.data.snapshot_build import build_snapshot

    sources = [Path(folder) for folder in args.source]
    for folder, given in zip(sources, args.source, strict=True):
        if not folder.is_dir():
            raise UserError(f"--source {given}: not a folder; expected the reference data folder")
    out = build_snapshot(sources, snapshots_dir(), args.id, args.retrieved_at or args.id)
    print(f"Wrote snapshot {args.id} to {relative(out)}")


def server_option(command: argparse.ArgumentParser) -> None:
    """``--no-server``: do the work in this process even while a preview server is up, and keep none."""
    command.add_argument(
        "--no-server",
        action="store_true",
        help="do the work here even while a preview server runs, and keep none running afterwards "
        "(default: hand the work to the server; with none up, keep one for the next command)",
    )


def snapshot_option(command: argparse.ArgumentParser) -> None:
    """``--snapshot ID``: the data snapshot a command reads (as ``$DEEPSEEK_SHOCK_SNAPSHOT`` would)."""
    command.add_argument(
        "--snapshot",
        dest="use_snapshot",
        default=None,
        metavar="ID",
        help=f"read data/snapshots/ID/ (default: ${SNAPSHOT_ENV}, else the embedded snapshot)",
    )


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line like every other error (and exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"deepseek-shock: error: {message} (see {self.prog} --help)\n")


def count(text: str) -> int:
    """A command-line count (``--jobs``, ``--max-points``): a whole number of 1 or more."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return number


def minutes(text: str) -> float:
    """A duration in minutes (``serve --idle``): a number above 0."""
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of minutes above 0, got {text!r}")
    return number


def port(text: str) -> int:
    """A TCP port to listen on (``serve --port``): a whole number from 0 (any free one) to 65535."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got {text!r}")
    return number


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    top = Parser(
        prog="deepseek-shock",
        description="The DeepSeek Shock, Reproduced: build the report, rerun its notebooks, check its data.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="execute changed notebooks and render the book to _build/html")
    build.add_argument(
        "--force",
        action="append",
        default=[],
        metavar="NOTEBOOK",
        help="re-execute this notebook even if cached (repeatable)",
    )
    build.add_argument(
        "--jobs", type=count, default=None, metavar="N", help="kernels to run at once (default: one per core)"
    )
    build.add_argument(
        "--scenario", default=None, metavar="NAME", help="build the alternate edition params/scenarios/NAME/"
    )
    server_option(build)
    snapshot_option(build)
    build.set_defaults(func=cmd_build)

    run = commands.add_parser("run", help="rerun one notebook with new parameters into its own folder")
    run.add_argument("notebook", metavar="NOTEBOOK", help=f"one of: {', '.join(notebook_names())}")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a published parameter (repeatable), e.g. --set price_per_gpu_hour=3.5",
    )
    run.add_argument("--json", action="store_true", help="print the computed results as JSON")
    run.add_argument(
        "--live",
        action="store_true",
        help="fetch --set ticker=… live if the snapshot lacks it (needs network)",
    )
    server_option(run)
    snapshot_option(run)
    run.set_defaults(func=cmd_run)

    serve = commands.add_parser(
        "serve", help="preview the book at http://HOST:PORT/, rebuilt and reloaded on every change"
    )
    serve.add_argument(
        "--port", type=port, default=8000, help="port to listen on (default 8000; 0: any free one)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument(
        "--idle",
        type=minutes,
        default=None,
        metavar="MINUTES",
        help="stop after MINUTES without a request or a change (default: run until Ctrl-C); such a "
        "server runs at low priority (nice 10), and a later serve without --idle replaces it: it is "
        "how build and run keep one",
    )
    serve.add_argument(
        "--stop", action="store_true", help="stop the preview server running for this project, and exit"
    )
    snapshot_option(serve)
    serve.set_defaults(func=cmd_serve)

    sweep = commands.add_parser("sweep", help="evaluate a notebook over a grid of parameter values")
    sweep.add_argument("notebook", metavar="NOTEBOOK", help=f"one of: {', '.join(notebook_names())}")
    sweep.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="KEY=V1,V2,...",
        help="one axis of the grid (repeatable)",
    )
    sweep.add_argument(
        "--result", default=None, metavar="KEY", help="the result charted (default: the first)"
    )
    sweep.add_argument(
        "--notebooks", action="store_true", help="execute one notebook per point instead of the library"
    )
    sweep.add_argument(
        "--jobs", type=count, default=None, metavar="N", help="kernels at once with --notebooks"
    )
    sweep.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where --notebooks runs (default: local)",
    )
    sweep.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler, with --executor dask"
    )
    sweep.add_argument(
        "--max-points", type=count, default=None, metavar="N", help="refuse larger grids without --yes"
    )
    sweep.add_argument("--yes", action="store_true", help="run a grid larger than --max-points")
    sweep.set_defaults(func=cmd_sweep)

    ledger = commands.add_parser("ledger", help="print every claim with its reproduced value and verdict")
    ledger.add_argument(
        "--format", choices=("json", "csv"), default="json", help="output format (default json)"
    )
    ledger.set_defaults(func=cmd_ledger)

    publish = commands.add_parser(
        "publish", help="build the book as edition VERSION into site/VERSION/ (earlier editions untouched)"
    )
    publish.add_argument("version", metavar="VERSION", help="vMAJOR.MINOR.PATCH, e.g. v1.0.0")
    publish.add_argument(
        "--force", action="store_true", help="replace VERSION if it is published already (refused otherwise)"
    )
    publish.add_argument(
        "--jobs", type=count, default=None, metavar="N", help="kernels to run at once (default: one per core)"
    )
    publish.set_defaults(func=cmd_publish)

    data = commands.add_parser("data", help="check or rebuild the data snapshot")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    verify = data_commands.add_parser("verify", help="check a snapshot's files against its manifest")
    verify.add_argument(
        "--snapshot", default=None, metavar="ID", help="snapshot id (default: the active one)"
    )
    verify.set_defaults(func=cmd_data_verify)
    rebuild = data_commands.add_parser("build-snapshot", help="build a new snapshot from reference data")
    rebuild.add_argument(
        "--source",
        required=True,
        action="append",
        metavar="DIR",
        help="folder shaped like ../shared/data; repeat to add folders searched after it (data/reference)",
    )
    rebuild.add_argument("--id", required=True, metavar="ID", help="new snapshot id, e.g. 2026-12-01")
    rebuild.add_argument(
        "--retrieved-at", default=None, metavar="DATE", help="retrieval date (default: the id)"
    )
    rebuild.set_defaults(func=cmd_data_build)
    refresh = data_commands.add_parser("refresh", help="fetch prices live into a new dated snapshot")
    refresh.add_argument(
        "--tickers",
        nargs="+",
        default=None,
        metavar="TICKER",
        help="default: every ticker of the base snapshot",
    )
    refresh.add_argument("--start", default=None, metavar="YYYY-MM-DD", help="default: the base's first date")
    refresh.add_argument("--end", default=None, metavar="YYYY-MM-DD", help="default: the base's last date")
    refresh.add_argument("--base", default=None, metavar="ID", help="snapshot carried over (default: active)")
    refresh.add_argument("--id", default=None, metavar="ID", help="new snapshot id (default: live-DATE)")
    refresh.set_defaults(func=cmd_data_refresh)
    return top


def one_line(message: str, limit: int = 1000) -> str:
    """``message`` on one line of at most ``limit`` characters, however it was built."""
    line = " ".join(message.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    """Entry point: one clear line and exit status 2 for bad input; 0 on success."""
    args = parser().parse_args(argv)
    chosen, previous = getattr(args, "use_snapshot", None), os.environ.get(SNAPSHOT_ENV)
    if chosen:
        os.environ[SNAPSHOT_ENV] = chosen  # read by this process and the kernels it starts
    try:
        checked_root()
        args.func(args)
    except UserError as err:
        print(f"deepseek-shock: error: {one_line(str(err))}", file=sys.stderr)
        return 2
    except OSError as err:  # the file system refused (permissions, a full disk, a file for a folder)
        where = f"{relative(Path(err.filename))}: " if err.filename else ""
        print(
            f"deepseek-shock: error: {where}{err.strerror or err}: expected readable inputs and a "
            "writable _build/ with free space",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("deepseek-shock: interrupted; the previous build is unchanged", file=sys.stderr)
        return 130
    finally:
        if chosen and previous is None:
            del os.environ[SNAPSHOT_ENV]
        elif chosen:
            os.environ[SNAPSHOT_ENV] = previous
    return 0


if __name__ == "__main__":
    sys.exit(main())
