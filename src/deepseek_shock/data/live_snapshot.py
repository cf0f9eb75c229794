"""A live refresh's new snapshot: fetched rows merged into the base snapshot's tables, with caveats.

Prices are in USD per share, share counts in shares. Every table the refresh does not fetch is carried
over from the base snapshot unchanged; the manifest says which rows came from where.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from deepseek_shock.data.live_requests import (
    LiveDataError,
    Records,
)
from deepseek_shock.data.schema import Row, Table, read_source
from deepseek_shock.data.snapshot import (
    MANIFEST_NAME,
    load_manifest,
    snapshot_dir,
    verified_bytes,
)
from deepseek_shock.data.snapshot_build import (
    CSV_FORMAT,
    csv_bytes,
    manifest_bytes,
    sha256_hex,
    sorted_rows,
)
from deepseek_shock.data.sources import TABLES

PRICE_FIELDS = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Adj Close": "adj_close"}
ONE_DAY = timedelta(days=1)
PRICES: Table = next(t for t in TABLES if t.name == "prices")
SHARES: Table = next(t for t in TABLES if t.name == "shares_outstanding")
PRICE_BASIS = (
    "open, high, low and close are split-adjusted but not dividend-adjusted (Yahoo's OHLC, fetched with "
    "auto_adjust=False); adj_close is split- and dividend-adjusted as of the fetch, so its level depends "
    "on that date; volume is split-adjusted."
)
SHARES_BASIS = (
    "Whole shares as Yahoo Finance's share-count series gives them for each date, not restated here; one "
    "value per date (the last one Yahoo returned for it)."
)


@dataclass(frozen=True)
class TickerPrices:
    """One ticker's validated daily prices, and the splits and dividends inside the window."""

    ticker: str
    records: Records  # sorted by date
    splits: list[tuple[str, float]]  # (date, new shares per old share)
    dividends: list[tuple[str, float]]  # (ex-date, USD per share)
    source: str
    fetched_at: str


@dataclass(frozen=True)
class TickerShares:
    """One ticker's share counts inside the window, one per date."""

    ticker: str
    counts: list[tuple[str, int]]  # (date, shares), sorted by date
    repeated_dates: list[str]  # dates for which Yahoo returned several values (the last is kept)
    dropped_outside: int  # data points dated outside the window
    source: str
    fetched_at: str


def price_text(value: float) -> str:
    """A price as the shortest decimal that reads back as the same value, never in exponent form.

    Yahoo serves single-precision prices, which arrive as doubles such as 142.6199951171875
    (ranaroussi/yfinance#105, #1871): a value that is exactly a single-precision float is written as
    the shortest decimal giving back that float (142.62); any other value as the shortest giving back
    the double.
    """
    single = np.float32(value)
    exact = single if float(single) == value else np.float64(value)
    return np.format_float_positional(exact, unique=True, trim="0")


def price_rows(prices: TickerPrices) -> list[Row]:
    """The ``prices`` table rows of one fetched ticker."""
    return [
        Row(
            0,
            {
                "date": r["date"],
                "ticker": prices.ticker,
                **{name: price_text(r[name]) for name in PRICE_FIELDS.values()},
                "volume": str(int(r["volume"])),
            },
        )
        for r in prices.records
    ]


# Tables of daily series other than ``prices`` that a refresh updates for the tickers they hold: a
# fetched ticker's rows go to every such table of the base that already has it (and to ``prices`` only
# when no such table has it).
SERIES_TABLES: tuple[Table, ...] = tuple(
    t for t in TABLES if t.name in ("index_levels", "fund_closes", "world_closes")
)
# The ``basis`` cell of a fetched row, for each series table with a ``basis`` column.
SERIES_BASIS = {
    "world_closes": "Yahoo Finance OHLC with auto_adjust=False (an index is not adjusted; a share's close is "
    "split-adjusted, adj_close also dividend-adjusted)",
}


def series_rows(table: Table, prices: TickerPrices) -> list[Row]:
    """The rows of ``table`` for one fetched ticker: its price columns from Yahoo's, ``source`` and
    ``basis`` saying where they come from."""
    source = f"Yahoo Finance via {prices.source}, fetched {prices.fetched_at}"
    rows = []
    for record in prices.records:
        cells = {"date": record["date"], "ticker": prices.ticker}
        for column in table.columns:
            if column.name in PRICE_FIELDS.values():
                cells[column.name] = price_text(record[column.name])
            elif column.name == "source":
                cells["source"] = source
            elif column.name == "basis":
                cells["basis"] = SERIES_BASIS[table.name]
        rows.append(Row(0, cells))
    return rows


def series_base_rows(folder: Path, manifest: dict[str, Any]) -> dict[str, list[Row]]:
    """The rows of each series table a base snapshot has, by table name."""
    return {
        table.name: base_rows(folder, manifest["tables"][table.name], table)
        for table in SERIES_TABLES
        if table.name in manifest["tables"]
    }


def share_rows(shares: TickerShares) -> list[Row]:
    """The ``shares_outstanding`` table rows of one fetched ticker (no filing: form, filed, filing empty)."""
    source = (
        f"Yahoo Finance share-count series via {shares.source} Ticker.get_shares_full, "
        f"fetched {shares.fetched_at}"
    )
    repeated = set(shares.repeated_dates)
    return [
        Row(
            0,
            {
                "ticker": shares.ticker,
                "as_of": day,
                "shares": str(count),
                "share_class_note": "as Yahoo Finance reports it, share class not stated"
                + ("; Yahoo gave several values for this date, the last is kept" if day in repeated else ""),
                "form": "",
                "filed": "",
                "filing": "",
                "source": source,
            },
        )
        for day, count in shares.counts
    ]


def base_rows(folder: Path, entry: dict[str, Any], table: Table) -> list[Row]:
    """A base snapshot table's rows; its header must be the table's columns (the embedded schema)."""
    return read_source(folder / entry["file"], tuple(c.name for c in table.columns))


def merged_table(kept: list[Row], table: Table, rows: list[Row]) -> tuple[bytes, int]:
    """A table's CSV bytes and row count: the ``kept`` base rows plus the fetched ``rows``, sorted by key."""
    merged = sorted_rows(kept + rows, table)
    return csv_bytes(merged, table), len(merged)


def fetched_label(stamps: list[str]) -> str:
    """When the data were fetched: one UTC timestamp, or the first and last."""
    first, last = min(stamps), max(stamps)
    return first if first == last else f"{first} to {last}"


def grouped(items: dict[str, str]) -> str:
    """``{ticker: text}`` written with tickers that share a text grouped, e.g. ``AMD, MU 2025-01-02 to …``."""
    by_text: dict[str, list[str]] = {}
    for ticker, text in items.items():
        by_text.setdefault(text, []).append(ticker)
    return "; ".join(f"{', '.join(tickers)} {text}" for text, tickers in by_text.items())


def carried_caveat(carried: list[str], base: str) -> list[str]:
    """The caveat naming the tickers whose rows come unchanged from the base snapshot, if any."""
    if not carried:
        return []
    return [
        f"Rows of {', '.join(carried)} are carried over unchanged from snapshot {base}; its manifest gives "
        "their source and caveats."
    ]


def split_text(ratio: float) -> str:
    """A split ratio (new shares per old share) as ``10-for-1``, or ``1-for-8`` for a reverse split."""
    return f"{ratio:g}-for-1" if ratio >= 1 else f"1-for-{1 / ratio:g}"


def price_caveats(
    prices: list[TickerPrices], carried: list[str], base: str, start: date, end: date
) -> list[str]:
    """The caveats of a refreshed ``prices`` table: the request, coverage, splits, dividends, checks."""
    coverage = grouped(
        {
            p.ticker: f"{p.records[0]['date']} to {p.records[-1]['date']} ({len(p.records)} trading days)"
            for p in prices
        }
    )
    splits = [f"{p.ticker} {split_text(ratio)} on {day}" for p in prices for day, ratio in p.splits]
    dividends = [f"{p.ticker} {day} {amount:g}" for p in prices for day, amount in p.dividends]
    caveats = [
        f"Fetched per ticker with yfinance Ticker.history(start={start}, end={end + ONE_DAY}, interval='1d', "
        f"auto_adjust=False, actions=True); yfinance's end is exclusive, so the window is {start} to {end}.",
        f"Coverage: {coverage}.",
        (
            f"Stock splits inside the window: {', '.join(splits)}. Yahoo restates open, high, low, close and "
            "volume before a split for it, so each series runs on across the split date."
            if splits
            else "No stock split inside the window for the fetched tickers."
        ),
        (
            f"Ex-dividend dates inside the window, where close/adj_close changes (USD per share): "
            f"{', '.join(dividends)}."
            if dividends
            else "No ex-dividend date inside the window for the fetched tickers."
        ),
        "Checked per ticker: every column present, dates unique and inside the window, prices positive, "
        "volumes whole and non-negative, adj_close not above close, and the close/adj_close ratio changing "
        "only on ex-dividend dates.",
        "Prices are written as the shortest decimal that gives back the single-precision value Yahoo serves "
        "(142.62, not 142.6199951171875; ranaroussi/yfinance#1871), other values as the shortest decimal "
        "giving back the double yfinance returned; nothing is rounded to a fixed number of decimals.",
    ]
    return caveats + carried_caveat(carried, base)


def share_caveats(
    shares: list[TickerShares], without: list[str], collisions: list[str], base: str, start: date, end: date
) -> list[str]:
    """The caveats of a ``shares_outstanding`` table with Yahoo's counts added: request, dates, duplicates."""
    dates = grouped(
        {s.ticker: f"{len(s.counts)} dates from {s.counts[0][0]} to {s.counts[-1][0]}" for s in shares}
    )
    repeated = [f"{s.ticker} {', '.join(s.repeated_dates)}" for s in shares if s.repeated_dates]
    dropped = [f"{s.ticker} {s.dropped_outside}" for s in shares if s.dropped_outside]
    caveats = [
        f"Share counts added from yfinance Ticker.get_shares_full(start={start}, end={end + ONE_DAY}): "
        "Yahoo's series of shares outstanding, dated by its data points, not by filings; form, filed and "
        "filing are empty for these rows and their source names Yahoo Finance.",
        f"Every row of snapshot {base} is kept (its counts, forms and filing dates as read from filings); to "
        "use filing-backed counts only, keep the rows with a form.",
        f"Share-count dates: {dates}.",
        "Yahoo returned several values for one date (ranaroussi/yfinance#1954); the last value returned is "
        f"kept for: {'; '.join(repeated)}."
        if repeated
        else "Yahoo returned one value per date for every fetched ticker.",
    ]
    if dropped:
        caveats.append(
            "Data points dated outside the window (yfinance widens it to whole days) were dropped: "
            f"{', '.join(dropped)}."
        )
    if collisions:
        caveats.append(
            f"Where snapshot {base} already has a count for the ticker and date, its row is kept and Yahoo's "
            f"is left out: {', '.join(collisions)}."
        )
    if without:
        caveats.append(f"Yahoo Finance had no share counts inside the window for {', '.join(without)}.")
    return caveats


def fetched_source(responses: list[TickerPrices] | list[TickerShares]) -> str:
    """Where and when fetched rows come from, e.g. ``yfinance 1.7.0 (Yahoo Finance), fetched <UTC time>``."""
    sources = ", ".join(sorted({r.source for r in responses}))
    return f"{sources} (Yahoo Finance), fetched {fetched_label([r.fetched_at for r in responses])}"


def refreshed_entry(
    base_entry: dict[str, Any],
    data: bytes,
    rows: int,
    description: str,
    source: str,
    retrieved_at: str,
    adjustment_basis: str,
    caveats: list[str],
) -> dict[str, Any]:
    """A refreshed table's manifest entry: the base entry's schema, new contents and provenance."""
    return {
        "file": base_entry["file"],
        "title": base_entry["title"],
        "description": description,
        "sha256": sha256_hex(data),
        "rows": rows,
        "key": copy.deepcopy(base_entry["key"]),
        "columns": copy.deepcopy(base_entry["columns"]),
        "source": source,
        "retrieved_at": retrieved_at,
        "adjustment_basis": adjustment_basis,
        "caveats": caveats,
    }


def check_base_schema(manifest: dict[str, Any], base: str) -> None:
    """Raise unless the base snapshot's prices and shares tables have the embedded snapshot's columns."""
    for table in (PRICES, SHARES):
        entry = manifest["tables"].get(table.name)
        expected = [c.name for c in table.columns]
        found = [c["name"] for c in entry["columns"]] if entry else None
        if found != expected:
            raise LiveDataError(
                f"base snapshot {base}: table {table.name!r} has columns {found}; expected {expected}"
            )


def refreshed_prices(
    base: str, entry: dict[str, Any], rows: list[Row], prices: list[TickerPrices], start: date, end: date
) -> tuple[bytes, dict[str, Any]]:
    """The new ``prices`` file and its manifest entry: fetched tickers' rows replace the base's."""
    fetched = [p.ticker for p in prices]
    carried = sorted({r.cells["ticker"] for r in rows} - set(fetched))
    data, count = merged_table(
        [r for r in rows if r.cells["ticker"] not in fetched],
        PRICES,
        [r for p in prices for r in price_rows(p)],
    )
    description = (
        "Daily open, high, low, close, adjusted close and volume, one row per ticker and trading day: "
        f"{', '.join(fetched)} from Yahoo Finance for {start} to {end}"
        + (f"; {len(carried)} more tickers from snapshot {base}." if carried else ".")
    )
    source = fetched_source(prices)
    if carried:
        source += (
            f"; rows of {', '.join(carried)} carried over unchanged from snapshot {base} ({entry['source']})"
        )
    return data, refreshed_entry(
        entry,
        data,
        count,
        description,
        source,
        fetched_label([p.fetched_at for p in prices]),
        PRICE_BASIS,
        price_caveats(prices, carried, base, start, end),
    )


def refreshed_shares(
    base: str,
    entry: dict[str, Any],
    rows: list[Row],
    shares: list[TickerShares],
    without: list[str],
    start: date,
    end: date,
) -> tuple[bytes, dict[str, Any]]:
    """The new ``shares_outstanding`` file and entry: every base row, plus Yahoo's counts beside them.

    The table is sourced row by row, so the base's filing-backed counts stay; where the base already
    has a row for a ticker and date, Yahoo's count for it is left out (and named in the caveats).
    """
    taken = {(r.cells["ticker"], r.cells["as_of"]) for r in rows}
    fetched = [r for s in shares for r in share_rows(s)]
    added = [r for r in fetched if (r.cells["ticker"], r.cells["as_of"]) not in taken]
    collisions = [f"{r.cells['ticker']} {r.cells['as_of']}" for r in fetched if r not in added]
    data, count = merged_table(rows, SHARES, added)
    description = (
        f"Shares outstanding by ticker and date: the counts of snapshot {base}, read from filings, and Yahoo "
        f"Finance's share-count series for {', '.join(s.ticker for s in shares)}, {start} to {end}."
    )
    source = (
        f"{fetched_source(shares)} for the rows whose source names Yahoo Finance; the other rows carried "
        f"over unchanged from snapshot {base} ({entry['source']})"
    )
    return data, refreshed_entry(
        entry,
        data,
        count,
        description,
        source,
        fetched_label([s.fetched_at for s in shares]),
        f"Rows from Yahoo Finance: {SHARES_BASIS} Rows from snapshot {base}: {entry['adjustment_basis']}",
        share_caveats(shares, without, collisions, base, start, end),
    )


def refreshed_series(
    base: str,
    entry: dict[str, Any],
    table: Table,
    rows: list[Row],
    prices: list[TickerPrices],
    start: date,
    end: date,
) -> tuple[bytes, dict[str, Any]]:
    """A refreshed series table and its entry: the fetched tickers' rows inside the window replace the
    base's; every other row (other tickers, and these tickers outside the window) stays."""
    fetched = {p.ticker for p in prices}
    first, last = start.isoformat(), end.isoformat()
    kept = [r for r in rows if r.cells["ticker"] not in fetched or not first <= r.cells["date"] <= last]
    data, count = merged_table(kept, table, [r for p in prices for r in series_rows(table, p)])
    names = ", ".join(sorted(fetched))
    description = f"{entry['description']} Rows of {names} for {start} to {end} refreshed from Yahoo Finance."
    source = (
        f"{fetched_source(prices)} for the rows of {names} from {start} to {end} (their source column says "
        f"so); every other row carried over unchanged from snapshot {base} ({entry['source']})"
    )
    caveats = [
        f"Rows of {names} from {start} to {end} were fetched with yfinance Ticker.history(start={start}, "
        f"end={end + ONE_DAY}, interval='1d', auto_adjust=False, actions=True) and replace the base's rows "
        "for those days; rows outside the window keep their own source.",
        *entry["caveats"],
    ]
    return data, refreshed_entry(
        entry,
        data,
        count,
        description,
        source,
        fetched_label([p.fetched_at for p in prices]),
        entry["adjustment_basis"],
        caveats,
    )


def refreshed_files(
    base: str,
    new_id: str,
    tickers: list[str],
    start: date,
    end: date,
    prices: list[TickerPrices],
    shares: list[TickerShares],
) -> dict[str, bytes]:
    """Every file of the new snapshot by name: the refreshed tables, the carried ones, the manifest.

    A fetched ticker that a series table of the base holds (an index level, a sector fund, a world index)
    refreshes that table; any other goes to ``prices``.

    ``shares_outstanding`` is carried over unchanged when Yahoo had share counts for no fetched ticker.
    Known gaps of the base that concern ``prices`` are marked as the base's (a refresh may fill them).
    """
    manifest = copy.deepcopy(load_manifest(base))
    folder = snapshot_dir(base)
    tables: dict[str, dict[str, Any]] = manifest["tables"]
    files = {e["file"]: verified_bytes(folder / e["file"], e["sha256"]) for e in tables.values()}

    series = series_base_rows(folder, manifest)
    held = {name: {row.cells["ticker"] for row in rows} for name, rows in series.items()}
    for table in SERIES_TABLES:
        routed = [p for p in prices if p.ticker in held.get(table.name, set())]
        if routed:
            entry = tables[table.name]
            files[entry["file"]], tables[table.name] = refreshed_series(
                base, entry, table, series[table.name], routed, start, end
            )
    in_series = set().union(*held.values())
    to_prices = [p for p in prices if p.ticker not in in_series]
    price_entry = tables["prices"]
    if to_prices:
        files[price_entry["file"]], tables["prices"] = refreshed_prices(
            base, price_entry, base_rows(folder, price_entry, PRICES), to_prices, start, end
        )
    share_entry = tables["shares_outstanding"]
    without = [t for t in tickers if t not in {s.ticker for s in shares}]
    if shares:
        files[share_entry["file"]], tables["shares_outstanding"] = refreshed_shares(
            base, share_entry, base_rows(folder, share_entry, SHARES), shares, without, start, end
        )
    gaps = [
        {**gap, "text": f"In base snapshot {base}: {gap['text']}"} if "prices" in gap["tables"] else gap
        for gap in manifest["known_gaps"]
    ]
    if without:
        gaps.append(
            {
                "text": f"No Yahoo Finance share counts for {', '.join(without)} in {start} to {end}.",
                "tables": ["shares_outstanding"],
            }
        )
    new_manifest = {
        "snapshot_id": new_id,
        "retrieved_at": fetched_label([p.fetched_at for p in prices] + [s.fetched_at for s in shares]),
        "built_from": (
            f"snapshot {base} with prices and share counts of {', '.join(tickers)} for {start} to {end} "
            f"fetched from Yahoo Finance with {', '.join(sorted({p.source for p in prices}))} by "
            "deepseek_shock.data.live; every other table carried over unchanged"
        ),
        "csv_format": CSV_FORMAT,
        "known_gaps": gaps,
        "tables": tables,
    }
    files[MANIFEST_NAME] = manifest_bytes(new_manifest)
    return files
