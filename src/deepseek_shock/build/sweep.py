"""Parameter sweeps: a notebook's computations over a grid of parameter values.

By default every grid point is evaluated directly through the library (the chapter's
``chapter_values``), with no kernel, so thousands of points take seconds. With ``notebooks=True``
each point is a full executed notebook, produced by the build pipeline (and its cache), in
parallel locally or on a Dask cluster. A sweep is content-addressed like the build cache:
the same grid over the same inputs is reused, and says so.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from deepseek_shock.build import pipeline
from deepseek_shock.build.lock import build_lock
from deepseek_shock.chapters.catalog import computations, published_values, schema_for, validated
from deepseek_shock.chapters.parameters import NotebookParams, scalar
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError, quoted
from deepseek_shock.paths import build_dir, project_root

DEFAULT_MAX_POINTS = 10_000
DEFAULT_MAX_NOTEBOOK_POINTS = 50


@dataclass(frozen=True)
class Grid:
    """Named parameter axes, each a list of values (read as YAML scalars)."""

    axes: dict[str, list[Any]]

    @property
    def size(self) -> int:
        """Number of points: the product of the axes' lengths."""
        size = 1
        for values in self.axes.values():
            size *= len(values)
        return size

    def points(self) -> list[dict[str, Any]]:
        """Every combination of the axes' values, first axis slowest."""
        names = list(self.axes)
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*self.axes.values())]


def parse_grid(notebook: str, specs: list[str]) -> Grid:
    """``["key=v1,v2,...", ...]`` from ``--grid`` as a Grid over the notebook's parameters."""
    fields = schema_for(notebook).model_fields
    if not specs:
        raise UserError(
            "sweep: give at least one --grid key=v1,v2,... (e.g. --grid price_per_gpu_hour=1,2,3)"
        )
    axes: dict[str, list[Any]] = {}
    for spec in specs:
        key, sep, text = spec.partition("=")
        key = key.strip()
        if not sep or not key or not text.strip():
            raise UserError(f"--grid {spec!r}: expected key=v1,v2,... e.g. --grid price_per_gpu_hour=1,2,3")
        if key not in fields:
            known = ", ".join(fields)
            raise UserError(
                f"--grid {spec!r}: unknown parameter {key!r} for {notebook}; expected one of {known}"
            )
        if key in axes:
            raise UserError(f"--grid {spec!r}: {key!r} is given twice; put all its values in one --grid")
        axes[key] = [grid_value(spec, item) for item in text.split(",")]
    return Grid(axes)


def grid_value(spec: str, item: str) -> Any:
    """One grid value, read as a ``--set`` value is (numbers, strings, true/false, null)."""
    return scalar(item, f"--grid {quoted(spec)}: {quoted(item)}") if item.strip() else None


def checked_size(grid: Grid, limit: int, confirmed: bool) -> None:
    """Refuse a grid larger than ``limit`` points unless the user confirmed with --yes."""
    if grid.size > limit and not confirmed:
        raise UserError(
            f"sweep: the grid has {grid.size:,} points, more than the limit of {limit:,}; "
            "add --yes to run it anyway, or raise --max-points"
        )


def point_params(notebook: str, base: Mapping[str, Any], point: Mapping[str, Any]) -> NotebookParams:
    """The published parameters with one grid point's values, validated."""
    label = "--grid " + ", ".join(f"{key}={value}" for key, value in point.items())
    return validated(notebook, {**base, **point}, label)


def sweep_key(notebook: str, grid: Grid, mode: str) -> str:
    """Content address of a sweep: notebook, published parameters, grid, mode, data, library, lock."""
    schema = schema_for(notebook)
    base = validated(notebook, published_values(notebook), "published parameters")
    lock = project_root() / pipeline.LOCK_FILE
    parts = {
        "notebook": pipeline.file_sha256(pipeline.notebook_path(notebook)),
        "base": base.model_dump(mode="json"),
        "grid": grid.axes,
        "mode": mode,
        "snapshot": snapshot.active_snapshot(),
        "tables": {table: snapshot.table_sha256(table) for table in schema.tables},
        "library": pipeline.library_sha256(),
        "lock": pipeline.file_sha256(lock) if lock.exists() else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def library_frame(notebook: str, grid: Grid) -> pd.DataFrame:
    """The tidy sweep table through the library: one row per point and result key."""
    compute = computations().get(notebook)
    if compute is None:
        raise UserError(
            f"sweep: {notebook} has no kernel-free computation yet; use --notebooks to execute it per point"
        )
    base = published_values(notebook)
    rows = []
    for index, point in enumerate(grid.points()):
        params = point_params(notebook, base, point)
        for key, (value, unit) in compute(params).items():
            rows.append({"point": index, **point, "result": key, "value": value, "unit": unit})
    return pd.DataFrame(rows)


def notebook_frame(
    notebook: str,
    grid: Grid,
    workers: int | None,
    progress: Callable[[str], None],
    executor: str = "local",
    scheduler: str | None = None,
) -> pd.DataFrame:
    """The tidy sweep table from one executed notebook per point (local threads or Dask)."""
    base = published_values(notebook)
    points = grid.points()
    overrides = [point_params(notebook, base, point) for point in points]
    jobs = [pipeline.Job(notebook, params, pipeline.cache_key(notebook, params)) for params in overrides]
    if executor == "dask":
        outcomes = dask_outcomes(jobs, scheduler, progress)
    else:
        with build_lock("sweep"):
            outcomes = pipeline.run_jobs(jobs, workers=workers, progress=progress)
    rows = []
    for index, (point, outcome) in enumerate(zip(points, outcomes, strict=True)):
        for key, entry in outcome.results.items():
            rows.append(
                {"point": index, **point, "result": key, "value": entry["value"], "unit": entry["unit"]}
            )
    return pd.DataFrame(rows)


def dask_outcomes(jobs: list[pipeline.Job], scheduler: str | None, progress: Callable[[str], None]) -> list:
    """Produce ``jobs`` on the Dask cluster at ``scheduler`` (the workers share this project's files)."""
    if not scheduler:
        raise UserError("--executor dask needs --scheduler ADDRESS, e.g. --scheduler tcp://127.0.0.1:8786")
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise UserError(
            "--executor dask needs the 'distributed' package; install it in this environment"
        ) from None
    try:
        client = Client(scheduler, timeout="5s")
    except OSError as err:
        raise UserError(f"--scheduler {scheduler}: cannot connect to the Dask scheduler ({err})") from None
    with client:
        futures = {client.submit(pipeline.produce, job, pure=False): index for index, job in enumerate(jobs)}
        outcomes: list = [None] * len(jobs)
        for done, future in enumerate(as_completed(futures), start=1):
            outcomes[futures[future]] = future.result()
            progress(f"[{done}/{len(jobs)}] {jobs[futures[future]].name}: done")
    return outcomes


def sweep_chart(frame: pd.DataFrame, grid: Grid, result: str):
    """A line chart of ``result`` against the first grid axis, one line per value of the second."""
    import altair as alt

    axes = list(grid.axes)
    data = frame[frame["result"] == result]
    if data.empty:
        raise UserError(
            f"--result {result!r}: not a result of this sweep; expected one of "
            f"{', '.join(sorted(frame['result'].unique()))}"
        )
    unit = data["unit"].iloc[0]
    encoding = {
        "x": alt.X(f"{axes[0]}:Q", title=axes[0]),
        "y": alt.Y("value:Q", title=f"{result} ({unit})"),
        "tooltip": [*axes, "value"],
    }
    if len(axes) > 1:
        encoding["color"] = alt.Color(f"{axes[1]}:N", title=axes[1])
    return alt.Chart(data).mark_line(point=True).encode(**encoding).properties(width=560, height=320)


def write_sweep(folder: Path, frame: pd.DataFrame, chart, meta: Mapping[str, Any]) -> None:
    """Write sweep.csv, sweep.json (the chart's spec), sweep.html and meta.json into ``folder``, whole."""
    from deepseek_shock.build.vega import vega_script_path
    from deepseek_shock.chapters.charts import script_json, vega_spec

    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        frame.to_csv(scratch / "sweep.csv", index=False)
        spec = chart.to_dict()
        (scratch / "sweep.json").write_text(json.dumps(spec, indent=1))
        shutil.copy2(vega_script_path(), scratch / "vega.js")
        (scratch / "sweep.html").write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sweep</title>'
            '<script src="vega.js"></script></head><body><div id="vis"></div><script>'
            f"new vega.View(vega.parse({script_json(vega_spec(spec))}), "
            '{renderer: "svg", container: "#vis", hover: true}).runAsync();</script></body></html>'
        )
        (scratch / "meta.json").write_text(json.dumps(meta, indent=2, default=str))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass(frozen=True)
class SweepRun:
    """Where a sweep's outputs are, how many points it has, and whether they were reused."""

    folder: Path
    points: int
    cached: bool


def run_sweep(
    notebook: str,
    specs: list[str],
    *,
    notebooks: bool = False,
    result: str | None = None,
    max_points: int | None = None,
    confirmed: bool = False,
    workers: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    progress: Callable[[str], None] = print,
) -> SweepRun:
    """Evaluate ``notebook`` over the grid ``specs`` into ``_build/sweeps/<notebook>-<key>/``."""
    grid = parse_grid(notebook, specs)
    limit = max_points or (DEFAULT_MAX_NOTEBOOK_POINTS if notebooks else DEFAULT_MAX_POINTS)
    checked_size(grid, limit, confirmed)
    mode = f"notebooks:{result}" if notebooks else f"library:{result}"
    key = sweep_key(notebook, grid, mode)
    folder = build_dir() / "sweeps" / f"{notebook}-{key[:12]}"
    if (folder / "sweep.csv").exists():
        return SweepRun(folder, grid.size, cached=True)
    if notebooks:
        frame = notebook_frame(notebook, grid, workers, progress, executor, scheduler)
    else:
        frame = library_frame(notebook, grid)
    chosen = result or str(frame["result"].iloc[0])
    meta = {
        "notebook": notebook,
        "grid": grid.axes,
        "mode": "notebooks" if notebooks else "library",
        "result": chosen,
        "snapshot": snapshot.active_snapshot(),
        "key": key,
    }
    write_sweep(folder, frame, sweep_chart(frame, grid, chosen), meta)
    return SweepRun(folder, grid.size, cached=False)
