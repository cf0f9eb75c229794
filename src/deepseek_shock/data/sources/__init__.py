"""What the embedded snapshot is built from: every table, its source file, provenance and known gaps.

The source is a folder shaped like the project's reference data: ``prices/``, ``fundamentals/``,
``energy/``, ``training/`` (documented by its ``SOURCES.md``), ``extracts-2/`` and ``extracts-3/`` (each
with its own ``SOURCES*.md``). Tables are grouped by what they hold: the core series (``core``), more
market series (``markets``), company filings (``filings``), S&P 500 members (``sp500``) and documents.
"""

from __future__ import annotations

from deepseek_shock.data.schema import KnownGap, Provenance, Table
from deepseek_shock.data.sources import core, documents, filings, markets, sp500

_GROUPS = (core, markets, filings, sp500, documents)

TABLES: tuple[Table, ...] = tuple(table for group in _GROUPS for table in group.TABLES)
PROVENANCE: dict[str, Provenance] = {
    name: entry for group in _GROUPS for name, entry in group.PROVENANCE.items()
}
KNOWN_GAPS: tuple[KnownGap, ...] = tuple(gap for group in _GROUPS for gap in group.KNOWN_GAPS)
