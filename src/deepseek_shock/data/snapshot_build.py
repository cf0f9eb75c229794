"""Build a data snapshot: one tidy, validated CSV per table plus ``manifest.json``.

The source is a folder shaped like the project's reference data (``prices/``, ``fundamentals/``,
``energy/``, ``training/``, documented by its ``SOURCES.md``). Numbers are never recomputed: every
numeric cell keeps its source text, so values round-trip exactly (3-decimal prices stay 3-decimal).
Units are per column (USD per share, shares, USD, TWh, GPU-hours, ...) and recorded in the manifest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from deepseek_shock.data.schema import Column, Row, Table, read_source
from deepseek_shock.data.snapshot import MANIFEST_NAME, SnapshotError
from deepseek_shock.data.sources import KNOWN_GAPS, PROVENANCE, TABLES

CSV_FORMAT = (
    "UTF-8, LF line endings, one header row, comma-separated, quoted only where needed; dates are ISO "
    "(YYYY-MM-DD); numeric cells are the source text unchanged; an empty cell is a missing value"
)
_SNAPSHOT_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT_RE = re.compile(r"-?\d+")


def cell_problem(value: str, column: Column) -> str | None:
    """Why ``value`` is not valid for ``column``, as 'expected …' text, or ``None`` when it is."""
    if value == "":
        return None if column.nullable else "expected a value (the column may not be empty)"
    if value != value.strip():
        return "expected no leading or trailing spaces"
    if column.dtype == "date":
        return None if is_iso_date(value) else "expected an ISO date YYYY-MM-DD"
    if column.dtype == "int64" and not _INT_RE.fullmatch(value):
        return "expected a whole number"
    if column.dtype in ("int64", "float64"):
        try:
            parsed = float(value)
        except ValueError:
            return "expected a number"
        if not math.isfinite(parsed):
            return "expected a finite number"
        if column.non_negative and parsed < 0:
            return "expected a non-negative number"
    return None


def is_iso_date(value: str) -> bool:
    """Whether ``value`` is a real calendar date written YYYY-MM-DD."""
    if not _ISO_DATE_RE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def check_cells(rows: list[Row], table: Table, path: Path) -> None:
    """Raise on the first cell that does not fit its column's type, nullability or sign."""
    for row in rows:
        for column in table.columns:
            problem = cell_problem(row.cells[column.name], column)
            if problem:
                raise SnapshotError(
                    f"{path}: line {row.line}, column {column.name!r}: {row.cells[column.name]!r}; {problem}"
                )


def check_unique_keys(rows: list[Row], table: Table, path: Path) -> None:
    """Raise on the first row whose key (e.g. date + ticker) repeats an earlier row's."""
    first_line: dict[tuple[str, ...], int] = {}
    for row in rows:
        key = tuple(row.cells[name] for name in table.key)
        if key in first_line:
            described = ", ".join(f"{name}={value}" for name, value in zip(table.key, key, strict=True))
            raise SnapshotError(
                f"{path}: line {row.line} duplicates line {first_line[key]} ({described}); expected one row "
                f"per {' + '.join(table.key)}"
            )
        first_line[key] = row.line


def sorted_rows(rows: list[Row], table: Table) -> list[Row]:
    """Rows sorted by the table's key (whole-number key columns compared as numbers)."""
    dtypes = {c.name: c.dtype for c in table.columns}

    def sort_key(row: Row) -> tuple[Any, ...]:
        return tuple(int(row.cells[n]) if dtypes[n] == "int64" else row.cells[n] for n in table.key)

    return sorted(rows, key=sort_key)


@dataclass(frozen=True)
class SourceRoots:
    """The folders a snapshot is built from, searched in order for each source file: the reference data
    first, then any folder adding files of its own (the project's ``data/reference``)."""

    roots: tuple[Path, ...]

    def root_of(self, name: str) -> Path:
        """The first root holding ``name`` (else the first root, for the error to name)."""
        return next((root for root in self.roots if (root / name).exists()), self.roots[0])

    def path(self, name: str) -> Path:
        """Where ``name`` is read from."""
        return self.root_of(name) / name


def table_rows(sources: SourceRoots, table: Table) -> list[Row]:
    """The validated, sorted rows of ``table`` read from ``sources`` (its file, then its ``more_files``)."""
    path = sources.path(table.source_file)
    expected = tuple(c.name for c in table.columns if not c.derived)
    rows = read_source(path, expected)
    for name in table.more_files:
        rows += read_source(sources.path(name), expected)
    if table.transform:
        rows = table.transform(rows, sources.root_of(table.source_file), path)
    check_cells(rows, table, path)
    check_unique_keys(rows, table, path)
    return sorted_rows(rows, table)


def csv_bytes(rows: list[Row], table: Table) -> bytes:
    """The table as UTF-8 CSV bytes: header, then rows, LF line endings, cells as source text."""
    names = [c.name for c in table.columns]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([row.cells[n] for n in names] for row in rows)
    return buffer.getvalue().encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, hex."""
    return hashlib.sha256(data).hexdigest()


def table_manifest(
    table: Table, data: bytes, rows: int, sources: SourceRoots, retrieved_at: str
) -> dict[str, Any]:
    """The manifest entry of one written table."""
    provenance = PROVENANCE[table.name]
    names = (table.source_file, *table.more_files, *table.extra_sources)
    return {
        "file": f"{table.name}.csv",
        "title": table.title,
        "description": table.description,
        "sha256": sha256_hex(data),
        "rows": rows,
        "key": list(table.key),
        "columns": [
            {"name": c.name, "dtype": c.dtype, "unit": c.unit, "description": c.description}
            for c in table.columns
        ],
        "source": provenance.source,
        "retrieved_at": provenance.retrieved_at or retrieved_at,
        "adjustment_basis": provenance.adjustment_basis,
        "caveats": list(provenance.caveats),
        "source_files": {name: sha256_hex(sources.path(name).read_bytes()) for name in names},
    }


def built_from() -> str:
    """A short description of the source folders (no absolute path)."""
    files = sorted({name for t in TABLES for name in (t.source_file, *t.more_files, *t.extra_sources)})
    return (
        "the reference data folders, searched in order: the shared reference data (documented by its "
        "SOURCES*.md files), then the project's data/reference (its README.md) for the files only it has "
        f"({len(files)} CSV files: {', '.join(files)}), normalized by deepseek_shock.data.snapshot_build"
    )


def manifest_for(tables: dict[str, dict[str, Any]], snapshot_id: str, retrieved_at: str) -> dict[str, Any]:
    """The whole manifest: identity, format, known gaps and the per-table entries."""
    return {
        "snapshot_id": snapshot_id,
        "retrieved_at": retrieved_at,
        "built_from": built_from(),
        "csv_format": CSV_FORMAT,
        "known_gaps": [{"text": gap.text, "tables": list(gap.tables)} for gap in KNOWN_GAPS],
        "tables": tables,
    }


def write_snapshot_files(sources: SourceRoots, folder: Path, snapshot_id: str, retrieved_at: str) -> None:
    """Write every table's CSV and the manifest into ``folder``."""
    entries: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        rows = table_rows(sources, table)
        data = csv_bytes(rows, table)
        (folder / f"{table.name}.csv").write_bytes(data)
        entries[table.name] = table_manifest(table, data, len(rows), sources, retrieved_at)
    manifest = manifest_for(entries, snapshot_id, retrieved_at)
    (folder / MANIFEST_NAME).write_bytes(manifest_bytes(manifest))


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """``manifest.json``'s content: indented UTF-8 JSON ending in a newline."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def build_snapshot(source: Path | Sequence[Path], out_dir: Path, snapshot_id: str, retrieved_at: str) -> Path:
    """Build snapshot ``out_dir/snapshot_id`` from the folder (or folders, searched in order) ``source``
    and return its folder.

    Files are written into a hidden sibling folder that is renamed into place only once complete, so a
    failed build leaves nothing behind. An existing snapshot folder is never overwritten.
    ``retrieved_at`` is the ISO date the source data was retrieved.
    """
    roots = (source,) if isinstance(source, Path) else tuple(source)
    new_snapshot_folder(out_dir, snapshot_id)
    if not is_iso_date(retrieved_at):
        raise SnapshotError(f"retrieved_at {retrieved_at!r}: expected an ISO date YYYY-MM-DD")
    for root in roots:
        if not root.is_dir():
            raise SnapshotError(f"source folder {root} does not exist; expected the reference data folder")
    return staged_snapshot(
        out_dir,
        snapshot_id,
        lambda folder: write_snapshot_files(SourceRoots(roots), folder, snapshot_id, retrieved_at),
    )


def new_snapshot_folder(out_dir: Path, snapshot_id: str) -> Path:
    """The folder ``out_dir/snapshot_id`` a new snapshot would get; raises if the id is malformed or taken."""
    if not _SNAPSHOT_ID_RE.fullmatch(snapshot_id):
        raise SnapshotError(f"snapshot id {snapshot_id!r}: expected letters, digits, '.', '_' or '-'")
    target = out_dir / snapshot_id
    if target.exists():
        raise SnapshotError(f"snapshot {target} already exists; snapshots are immutable, choose a new id")
    return target


def staged_snapshot(out_dir: Path, snapshot_id: str, write_files: Callable[[Path], None]) -> Path:
    """The new snapshot folder ``out_dir/snapshot_id``, filled by ``write_files(folder)`` all or nothing.

    ``write_files`` writes into a hidden sibling folder that is renamed into place only once it returns;
    on any error the hidden folder is removed and nothing is left behind.
    """
    target = new_snapshot_folder(out_dir, snapshot_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".{snapshot_id}.partial-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        write_files(staging)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
