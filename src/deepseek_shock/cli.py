"""``deepseek-shock``: build the book, rerun a notebook with new parameters, manage the snapshot."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from deepseek_shock import pipeline, site, snapshot
from deepseek_shock.errors import UserError
from deepseek_shock.params import SCHEMAS, resolve
from deepseek_shock.paths import project_root, snapshots_dir


def relative(path: Path) -> str:
    """``path`` relative to the project root where it lies inside it."""
    try:
        return path.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def cmd_build(args: argparse.Namespace) -> None:
    """Execute what changed, then render the whole book."""
    snapshot.verify_snapshot()
    jobs = pipeline.plan(SCHEMAS)
    print(f"Notebooks: {len(jobs)} (snapshot {snapshot.active_snapshot()})")
    outcomes = pipeline.run_jobs(jobs, force=args.force, workers=args.jobs)
    build = pipeline.build_dir()
    pipeline.write_atomic(
        build / "results.json", json.dumps(pipeline.results_document(outcomes), indent=2, sort_keys=True)
    )
    rendered = site.render({o.job.name: o.notebook for o in outcomes}, build)
    print("Site rendered." if rendered else "Site already up to date: nothing to render.")
    print(f"Open {relative(build / 'html' / 'index.html')}")


def cmd_run(args: argparse.Namespace) -> None:
    """One notebook with new parameters, into its own run folder; the published build is untouched."""
    params = resolve(args.notebook, args.set)
    [job] = pipeline.plan([args.notebook], {args.notebook: params})
    [outcome] = pipeline.run_jobs([job], progress=lambda line: print(line, file=sys.stderr))
    folder = pipeline.build_dir() / "runs" / f"{job.name}-{job.key[:12]}"
    page = folder / "html" / f"{job.name}.html"
    if page.exists():
        print(f"Run folder {relative(folder)} already holds these parameters' page.", file=sys.stderr)
    else:
        site.render_run(job.name, outcome.notebook, folder)
    if args.json:
        print(
            json.dumps(
                {
                    "notebook": job.name,
                    "parameters": params.model_dump(mode="json"),
                    "results": outcome.results,
                },
                indent=2,
                sort_keys=True,
            )
        )
        return
    print(f"Executed notebook: {relative(folder / f'{job.name}.ipynb')}")
    print(f"Page: {relative(page)}")


def cmd_publish(args: argparse.Namespace) -> None:
    """Build the book as a fixed edition into site/<version>/ beside the earlier ones."""
    from deepseek_shock import publish

    folder = publish.publish(args.version, force=args.force, jobs=args.jobs)
    root = folder.parent
    print(f"Published {args.version} to {relative(folder)}")
    print(f"Editions: {', '.join(publish.published_versions(root))} (newest in {relative(root / 'latest')})")
    print(f"Open {relative(root / 'index.html')}")


def cmd_data_verify(args: argparse.Namespace) -> None:
    """Check every file of a snapshot against its manifest."""
    snapshot.verify_snapshot(args.snapshot)
    print(f"Snapshot {args.snapshot or snapshot.active_snapshot()}: every file matches its manifest.")


def cmd_data_build(args: argparse.Namespace) -> None:
    """Build a new snapshot from a folder shaped like the reference data."""
    from deepseek_shock.snapshot_build import build_snapshot

    source = Path(args.source)
    if not source.is_dir():
        raise UserError(f"--source {args.source}: not a folder; expected the reference data folder")
    out = build_snapshot(source, snapshots_dir() / args.id, args.id, args.retrieved_at or args.id)
    print(f"Wrote snapshot {args.id} to {relative(out)}")


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    top = argparse.ArgumentParser(
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
        "--jobs", type=int, default=None, metavar="N", help="kernels to run at once (default: one per core)"
    )
    build.set_defaults(func=cmd_build)

    run = commands.add_parser("run", help="rerun one notebook with new parameters into its own folder")
    run.add_argument("notebook", metavar="NOTEBOOK", help=f"one of: {', '.join(sorted(SCHEMAS))}")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a published parameter (repeatable), e.g. --set price_per_gpu_hour=3.5",
    )
    run.add_argument("--json", action="store_true", help="print the computed results as JSON")
    run.set_defaults(func=cmd_run)

    publish = commands.add_parser(
        "publish", help="build the book as edition VERSION into site/VERSION/ (earlier editions untouched)"
    )
    publish.add_argument("version", metavar="VERSION", help="vMAJOR.MINOR.PATCH, e.g. v1.0.0")
    publish.add_argument(
        "--force", action="store_true", help="replace VERSION if it is published already (refused otherwise)"
    )
    publish.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="kernels to run at once (default: one per core)"
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
    rebuild.add_argument("--source", required=True, metavar="DIR", help="folder shaped like ../shared/data")
    rebuild.add_argument("--id", required=True, metavar="ID", help="new snapshot id, e.g. 2026-12-01")
    rebuild.add_argument(
        "--retrieved-at", default=None, metavar="DATE", help="retrieval date (default: the id)"
    )
    rebuild.set_defaults(func=cmd_data_build)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point: one clear line and exit status 2 for bad input; 0 on success."""
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except UserError as err:
        print(f"deepseek-shock: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("deepseek-shock: interrupted; the previous build is unchanged", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
