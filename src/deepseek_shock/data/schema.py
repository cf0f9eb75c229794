"""How a snapshot table is declared: its columns with units, its source rows, its provenance and gaps."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deepseek_shock.data.snapshot import SnapshotError


@dataclass(frozen=True)
class Column:
    """One column of a snapshot table; ``dtype`` is ``str``, ``date``, ``int64`` or ``float64``."""

    name: str
    dtype: str
    unit: str
    description: str
    nullable: bool = False
    non_negative: bool = False
    derived: bool = False


@dataclass(frozen=True)
class Row:
    """One data row of a source file: its line number and its cells as source text."""

    line: int
    cells: dict[str, str]


Transform = Callable[[list[Row], Path, Path], list[Row]]


@dataclass(frozen=True)
class Table:
    """A snapshot table: its source file, schema, key (also the sort order) and optional transform."""

    name: str
    title: str
    description: str
    source_file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    extra_sources: tuple[str, ...] = ()
    transform: Transform | None = None
    more_files: tuple[str, ...] = ()  # further source files with the same columns, their rows appended


@dataclass(frozen=True)
class Provenance:
    """Where a table comes from, how its values are adjusted, and what to watch for."""

    source: str
    adjustment_basis: str
    caveats: tuple[str, ...]
    retrieved_at: str | None = None  # ISO date the values were copied, when it precedes the build's date


@dataclass(frozen=True)
class KnownGap:
    """Data that was looked for and not found, and the tables it affects."""

    text: str
    tables: tuple[str, ...]


def text(name: str, description: str, nullable: bool = False) -> Column:
    """A text column (no unit)."""
    return Column(name, "str", "", description, nullable=nullable)


def day(name: str, description: str) -> Column:
    """An ISO date column."""
    return Column(name, "date", "", description)


def number(name: str, dtype: str, unit: str, description: str, nullable: bool = False) -> Column:
    """A non-negative numeric column (``int64`` or ``float64``) in ``unit``."""
    return Column(name, dtype, unit, description, nullable=nullable, non_negative=True)


def signed(name: str, unit: str, description: str, nullable: bool = False) -> Column:
    """A float column in ``unit`` that may be negative (growth rates, changes)."""
    return Column(name, "float64", unit, description, nullable=nullable)


def price(name: str, description: str) -> Column:
    """A price column in USD per share."""
    return number(name, "float64", "USD per share", description)


def read_source(path: Path, expected: tuple[str, ...]) -> list[Row]:
    """The data rows of a source CSV whose header must be exactly the columns ``expected`` (any order)."""
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SnapshotError(
            f"{path}: source file is missing; expected a CSV with columns {', '.join(expected)}"
        ) from None
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"{path}: not UTF-8 ({exc}); expected a UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        lines = [(reader.line_num, cells) for cells in reader]  # (its last line number, its cells)
    except csv.Error as exc:  # e.g. a cell beyond csv's field size limit (128 KiB)
        raise SnapshotError(f"{path}: line {reader.line_num}: {exc}; expected a well-formed CSV") from None
    header = lines[0][1] if lines else []
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    if missing or unexpected or len(set(header)) != len(header):
        raise SnapshotError(
            f"{path}: header {','.join(header)!r} has missing columns {missing} and unexpected or repeated "
            f"columns {unexpected}; expected exactly {', '.join(expected)}"
        )
    rows = []
    for line, cells in lines[1:]:
        if len(cells) != len(header):
            raise SnapshotError(
                f"{path}: line {line} has {len(cells)} cells; expected {len(header)} ({','.join(header)})"
            )
        rows.append(Row(line, dict(zip(header, cells, strict=True))))
    return rows
