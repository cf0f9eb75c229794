"""The embedded data snapshot: verified loading of its tables.

A snapshot is ``data/snapshots/<id>/``: one CSV per table plus ``manifest.json``, which records each
file's SHA-256, row count and column schema. Every read is checked against the manifest first, so an
altered or missing file stops the report instead of silently changing a number.

Units are per column and recorded in the manifest: prices in USD per share, volumes and share counts
in shares, revenue and capex in USD, electricity in TWh, training compute in GPU-hours (the
``training_compute`` table gives each row's unit).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from deepseek_shock.errors import UserError
from deepseek_shock.paths import (
    SNAPSHOT_ENV,
    checked_file,
    file_state,
    project_label,
    project_root,
    snapshots_dir,
)

DEFAULT_SNAPSHOT = "2026-12-04"
MANIFEST_NAME = "manifest.json"
DTYPES = ("str", "date", "int64", "float64")
RESTORE_HINT = "restore it with git checkout, or rebuild the snapshot"

_SHA256_RE = re.compile(r"[0-9a-f]{64}")
# In-process caches keyed by a file's state (path, mtime, size, inode): a file that changes on
# disk is read, checked and parsed again; an unchanged one is not re-hashed on every call.
T = TypeVar("T")

_FRAMES: dict[tuple[Path, tuple[int, int, int], str], pd.DataFrame] = {}
_MANIFESTS: dict[tuple[Path, tuple[int, int, int]], dict[str, Any]] = {}
_TRAINING_INDEX: dict[int, tuple[pd.DataFrame, dict[tuple[str, str], float]]] = {}


class SnapshotError(UserError):
    """A snapshot, manifest or data file is missing, malformed or does not match its manifest."""


def active_snapshot() -> str:
    """The snapshot id in use: ``$DEEPSEEK_SHOCK_SNAPSHOT`` if set, else ``DEFAULT_SNAPSHOT``."""
    return os.environ.get(SNAPSHOT_ENV) or DEFAULT_SNAPSHOT


def available_snapshots() -> list[str]:
    """The ids of the snapshot folders under ``data/snapshots/``, sorted (hidden folders excluded)."""
    root = snapshots_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def snapshot_dir(snapshot_id: str | None = None) -> Path:
    """The folder of snapshot ``snapshot_id`` (default: the active snapshot); it must exist."""
    chosen = snapshot_id or active_snapshot()
    folder = snapshots_dir() / chosen
    if chosen and not chosen.startswith(".") and "/" not in chosen and folder.is_dir():
        if not folder.resolve().is_relative_to(project_root()):
            raise SnapshotError(
                f"snapshot folder {project_label(folder)} leads outside the project, to {folder.resolve()}: "
                "expected a folder inside data/snapshots/ (copy it in instead of linking to it)"
            )
        return folder
    chosen_by = f"--snapshot or ${SNAPSHOT_ENV}"
    origin = f" (from {chosen_by})" if snapshot_id is None and os.environ.get(SNAPSHOT_ENV) else ""
    listed = ", ".join(available_snapshots()) or "none"
    raise SnapshotError(
        f"unknown data snapshot {chosen!r}{origin}; available snapshots in "
        f"{project_label(snapshots_dir())}: {listed}"
    )


def load_manifest(snapshot_id: str | None = None) -> dict[str, Any]:
    """The snapshot's ``manifest.json``, checked for every field the loader and the docs rely on.

    The result is shared between calls (cached until the file changes): treat it as read-only.
    """
    folder = snapshot_dir(snapshot_id)
    path = folder / MANIFEST_NAME
    state = file_state(path)
    if (path, state) in _MANIFESTS:
        return _MANIFESTS[(path, state)]
    try:
        manifest = json.loads(checked_file(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"manifest {project_label(path)} is missing: {RESTORE_HINT}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SnapshotError(
            f"manifest {project_label(path)} is not valid JSON ({exc}): {RESTORE_HINT}"
        ) from None
    problem = manifest_problem(manifest, folder.name)
    if problem:
        raise SnapshotError(f"manifest {project_label(path)} is malformed: {problem}; {RESTORE_HINT}")
    if state is not None:
        _MANIFESTS[(path, state)] = manifest
    return manifest


def manifest_problem(manifest: Any, snapshot_id: str) -> str | None:
    """What is wrong with a parsed manifest's shape, or ``None`` if it is usable."""
    if not isinstance(manifest, dict):
        return "expected a JSON object"
    for key in ("snapshot_id", "retrieved_at", "built_from", "csv_format"):
        if not isinstance(manifest.get(key), str):
            return f"expected a text {key!r}"
    if manifest["snapshot_id"] != snapshot_id:
        return f"it names snapshot {manifest['snapshot_id']!r}, expected {snapshot_id!r} (its folder)"
    gaps = manifest.get("known_gaps")
    if not isinstance(gaps, list) or not all(
        isinstance(g, dict) and isinstance(g.get("text"), str) and isinstance(g.get("tables"), list)
        for g in gaps
    ):
        return "expected 'known_gaps' to be a list of {'text', 'tables'} objects"
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not tables:
        return "expected a non-empty 'tables' object"
    for name, entry in tables.items():
        problem = table_entry_problem(entry)
        if problem:
            return f"table {name!r}: {problem}"
    return None


def table_entry_problem(entry: Any) -> str | None:
    """What is wrong with one table's manifest entry, or ``None`` if it is usable."""
    if not isinstance(entry, dict):
        return "expected an object"
    for key in ("title", "description", "source", "retrieved_at", "adjustment_basis"):
        if not isinstance(entry.get(key), str):
            return f"expected a text {key!r}"
    file = entry.get("file")
    if not isinstance(file, str) or not file.endswith(".csv") or "/" in file or "\\" in file:
        return "expected 'file' to be a plain .csv file name"
    if not isinstance(entry.get("sha256"), str) or not _SHA256_RE.fullmatch(entry["sha256"]):
        return "expected 'sha256' to be 64 lowercase hex digits"
    if not isinstance(entry.get("rows"), int) or entry["rows"] < 0:
        return "expected 'rows' to be a non-negative integer"
    if not isinstance(entry.get("caveats"), list) or not all(isinstance(c, str) for c in entry["caveats"]):
        return "expected 'caveats' to be a list of texts"
    columns = entry.get("columns")
    if not isinstance(columns, list) or not columns:
        return "expected 'columns' to be a non-empty list"
    for column in columns:
        if not isinstance(column, dict) or not all(
            isinstance(column.get(k), str) for k in ("name", "unit", "description")
        ):
            return "expected every column to have a text 'name', 'unit' and 'description'"
        if column.get("dtype") not in DTYPES:
            return f"column {column['name']!r}: expected 'dtype' to be one of {', '.join(DTYPES)}"
    return None


def table_entry(table: str, snapshot_id: str | None = None) -> dict[str, Any]:
    """The manifest's record of ``table`` (file, sha256, rows, columns, provenance)."""
    tables = load_manifest(snapshot_id)["tables"]
    if table not in tables:
        raise SnapshotError(f"unknown data table {table!r}; the snapshot has: {', '.join(sorted(tables))}")
    return tables[table]


def table_path(table: str, snapshot_id: str | None = None) -> Path:
    """The CSV file of ``table`` in the snapshot."""
    return snapshot_dir(snapshot_id) / table_entry(table, snapshot_id)["file"]


def table_sha256(table: str, snapshot_id: str | None = None) -> str:
    """The SHA-256 (hex) the manifest records for ``table``'s file: the key for anything cached on it."""
    return table_entry(table, snapshot_id)["sha256"]


def short_hash(digest: str) -> str:
    """The first 12 hex digits of a hash, for messages."""
    return digest[:12] + "…"


def verified_bytes(path: Path, expected_sha256: str) -> bytes:
    """The bytes of ``path``, after checking them against the manifest's SHA-256."""
    try:
        data = checked_file(path).read_bytes()
    except FileNotFoundError:
        raise SnapshotError(
            f"data file {project_label(path)} is missing (its manifest expects sha256 "
            f"{short_hash(expected_sha256)}): {RESTORE_HINT}"
        ) from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected_sha256:
        raise SnapshotError(
            f"data file {project_label(path)} does not match its manifest (sha256 {short_hash(actual)} "
            f"expected {short_hash(expected_sha256)}): {RESTORE_HINT}"
        )
    return data


def csv_row_count(data: bytes) -> int:
    """Data rows in a CSV file's bytes (header excluded; quoted line breaks handled)."""
    return max(sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1, 0)


def verify_snapshot(snapshot_id: str | None = None) -> None:
    """Check every table file's existence, SHA-256 and row count against the manifest.

    Raises ``SnapshotError`` on one line: the problem, or the count of problems and the first.
    """
    folder = snapshot_dir(snapshot_id)
    problems: list[str] = []
    for entry in load_manifest(snapshot_id)["tables"].values():
        path = folder / entry["file"]
        try:
            data = verified_bytes(path, entry["sha256"])
        except SnapshotError as exc:
            problems.append(str(exc))
            continue
        try:
            rows = csv_row_count(data)
        except (UnicodeDecodeError, csv.Error) as err:
            problems.append(unreadable(path, err))
            continue
        if rows != entry["rows"]:
            problems.append(f"data file {project_label(path)} has {rows} rows, its manifest {entry['rows']}")
    if len(problems) == 1:
        raise SnapshotError(problems[0])
    if problems:
        raise SnapshotError(f"{len(problems)} data files do not match the manifest; the first: {problems[0]}")


def parsed_frame(data: bytes, columns: list[dict[str, Any]]) -> pd.DataFrame:
    """A table's CSV bytes as a DataFrame typed per the manifest's column dtypes.

    ``date`` columns become datetime64 (empty → NaT), ``float64`` empty cells become NaN, ``str``
    empty cells stay ``""``.
    """
    dtypes = {c["name"]: c["dtype"] for c in columns}
    read_as = {"str": "str", "date": "str", "int64": "int64", "float64": "float64"}
    frame = pd.read_csv(
        io.BytesIO(data),
        dtype={name: read_as[dtype] for name, dtype in dtypes.items()},
        keep_default_na=False,
        na_values={name: [""] for name, dtype in dtypes.items() if dtype in ("date", "float64")},
        encoding="utf-8",
    )
    for name, dtype in dtypes.items():
        if dtype == "date":
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def shared_table(table: str, snapshot_id: str | None = None) -> pd.DataFrame:
    """Table ``table`` as the cached, verified frame itself (read-only: do not modify it).

    The file's SHA-256 is checked against the manifest whenever the file's state on disk is new.
    """
    entry = table_entry(table, snapshot_id)
    path = (snapshot_dir(snapshot_id) / entry["file"]).resolve()
    key = (path, file_state(path), entry["sha256"])
    if key not in _FRAMES:
        data = verified_bytes(path, entry["sha256"])
        try:
            _FRAMES[key] = parsed_frame(data, entry["columns"])
        except (ValueError, KeyError, UnicodeDecodeError) as err:  # pandas' parser errors are ValueErrors
            raise SnapshotError(unreadable(path, err)) from None
    return _FRAMES[key]


def unreadable(path: Path, error: Exception) -> str:
    """The message for a data file that matches its checksum but is not the CSV its manifest describes."""
    if isinstance(error, UnicodeDecodeError):
        detail = f"byte 0x{error.object[error.start]:02x} is not UTF-8"
    else:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        detail = detail if len(detail) <= 120 else detail[:120] + "…"
    return (
        f"data file {project_label(path)} matches its checksum but is not a UTF-8 CSV with its manifest's "
        f"columns ({detail}): expected the file the snapshot was built with; {RESTORE_HINT}"
    )


def memoized(*tables: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Cache a function of snapshot ``tables`` by its arguments and the tables' files' state.

    For data lookups called many times with the same arguments (a parameter sweep): the cached
    value is reused until the active snapshot or one of the tables' files changes. Lists and
    DataFrames are returned as fresh copies.
    """

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        cache: dict[tuple[Any, ...], T] = {}

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            folder = snapshot_dir()
            state = tuple(file_state(folder / f"{table}.csv") for table in tables)
            key = (folder, state, args, tuple(sorted(kwargs.items())))
            if key not in cache:
                cache[key] = function(*args, **kwargs)
            value = cache[key]
            if isinstance(value, pd.DataFrame):
                return value.copy()  # type: ignore[return-value]
            return list(value) if isinstance(value, list) else value  # type: ignore[return-value]

        return wrapper

    return decorate


def load_table(table: str, snapshot_id: str | None = None) -> pd.DataFrame:
    """Table ``table`` of the snapshot as a fresh DataFrame, after verifying its file's SHA-256.

    Columns and units are those of the manifest (``load_manifest()["tables"][table]["columns"]``).
    """
    return shared_table(table, snapshot_id).copy()


def training_models(metric: str, snapshot_id: str | None = None) -> list[str]:
    """The models for which ``training_compute`` has ``metric`` (e.g. ``training_gpu_hours``), sorted."""
    frame = shared_table("training_compute", snapshot_id)
    models = sorted(frame.loc[frame["metric"] == metric, "model"])
    if not models:
        metrics = ", ".join(sorted(frame["metric"].unique()))
        raise SnapshotError(f"unknown training metric {metric!r}; the snapshot has: {metrics}")
    return models


def training_metric(model: str, metric: str, snapshot_id: str | None = None) -> float:
    """One ``training_compute`` value, in the row's unit (GPU-hours, USD, GPUs, parameters, tokens, tCO2eq).

    E.g. ``training_metric("DeepSeek-V3", "total_training_gpu_hours")`` is 2,788,000 H800 GPU-hours.
    """
    frame = shared_table("training_compute", snapshot_id)
    index = _TRAINING_INDEX.get(id(frame))
    if index is None or index[0] is not frame:
        values = {
            (m, k): float(v) for m, k, v in zip(frame["model"], frame["metric"], frame["value"], strict=True)
        }
        index = _TRAINING_INDEX[id(frame)] = (frame, values)
    value = index[1].get((model, metric))
    if value is not None:
        return value
    if model not in set(frame["model"]):
        models = ", ".join(sorted(frame["model"].unique()))
        raise SnapshotError(f"unknown training model {model!r}; the snapshot has: {models}")
    metrics = ", ".join(sorted(frame.loc[frame["model"] == model, "metric"]))
    raise SnapshotError(f"model {model!r} has no training metric {metric!r}; it has: {metrics}")
