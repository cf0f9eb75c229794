"""Live data from Yahoo Finance, an explicit opt-in: fetch, validate, and write a new dated snapshot.

The embedded snapshot stays the default source. ``refresh_snapshot`` fetches daily prices and share
counts for some tickers and writes them, with every other table carried over from a base snapshot,
into a new snapshot folder, all or nothing. ``fetch_ticker_prices`` returns one ticker's validated
prices for on-demand use. Prices are in USD per share, volumes and share counts in shares. Requests go
through ``live_requests`` (disk cache, throttle, retries, reachability probe).

What is relied on from yfinance (its 1.7 source and documentation):

- ``Ticker.history(start, end, interval="1d", auto_adjust=False, actions=True)`` returns columns Open,
  High, Low, Close, Adj Close, Volume, Dividends, Stock Splits (and Capital Gains for funds) on a
  tz-aware DatetimeIndex at midnight exchange time; ``start`` is inclusive, ``end`` exclusive
  (reference: ``PriceHistory.history``). With ``auto_adjust=False`` OHLC are split-adjusted and Adj
  Close is also dividend-adjusted (docs: "Price adjustment"). ``auto_adjust`` is always passed: its
  default in ``yf.download`` flipped to True in 0.2.51 (ranaroussi/yfinance#2147, #2219).
- ``yf.download(..., group_by=...)`` returns MultiIndex columns (Price, Ticker) or (Ticker, Price);
  such frames are accepted too, one ticker selected.
- ``Ticker.get_shares_full(start, end)`` returns a Series of share counts on a tz-aware index, or None;
  a date can carry several values (ranaroussi/yfinance#1954), and the window is widened to whole days.
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from deepseek_shock.live_requests import (
    Fetcher,
    LiveDataError,
    Records,
    Requester,
    RequestPolicy,
    Response,
    TickerFailure,
    YFinanceFetcher,
    default_cache_dir,
    probe_yahoo,
    utc_clock,
)
from deepseek_shock.paths import snapshots_dir
from deepseek_shock.snapshot import (
    MANIFEST_NAME,
    active_snapshot,
    load_manifest,
    load_table,
    parsed_frame,
    snapshot_dir,
    verified_bytes,
    verify_snapshot,
)
from deepseek_shock.snapshot_build import (
    CSV_FORMAT,
    TABLES,
    Row,
    Table,
    csv_bytes,
    is_iso_date,
    manifest_bytes,
    new_snapshot_folder,
    read_source,
    sha256_hex,
    sorted_rows,
    staged_snapshot,
)

TICKER_RE = re.compile(r"[A-Z0-9.^=-]{1,15}")
PRICE_FIELDS = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Adj Close": "adj_close"}
REQUIRED_COLUMNS = (*PRICE_FIELDS, "Volume", "Dividends", "Stock Splits")
# adj_close may exceed close by this fraction (float rounding in Yahoo's data), no more.
ADJ_ABOVE_CLOSE_TOLERANCE = 1e-3
# On a day without a dividend or distribution, adj_close/close may move by this fraction, no more: a
# split applied to one column and not the other moves it by a factor of 2 or more.
RATIO_JUMP_TOLERANCE = 0.01
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


# --- inputs -----------------------------------------------------------------------------------------


def normalized_tickers(tickers: list[str]) -> list[str]:
    """``tickers`` upper-cased, split on commas, duplicates dropped; each must look like a ticker."""
    symbols: list[str] = []
    for item in tickers:
        for part in item.split(","):
            symbol = part.strip().upper()
            if not symbol:
                continue
            if not TICKER_RE.fullmatch(symbol):
                raise LiveDataError(
                    f"ticker {symbol!r}: expected 1 to 15 characters from A-Z, 0-9, '.', '^', '=' and '-' "
                    "(e.g. NVDA, BRK-B, ^GSPC)"
                )
            if symbol not in symbols:
                symbols.append(symbol)
    if not symbols:
        raise LiveDataError("no tickers given; expected at least one, e.g. NVDA")
    return symbols


def iso_date(text: str, name: str) -> date:
    """``text`` as a date; ``name`` (e.g. ``--start``) is named in the error."""
    if not is_iso_date(text):
        raise LiveDataError(f"{name} {text!r}: expected an ISO date YYYY-MM-DD")
    return date.fromisoformat(text)


def check_window(start: date, end: date, today: date) -> None:
    """Raise unless ``start <= end < today``: every day of the window must be complete (UTC)."""
    if start > end:
        raise LiveDataError(f"start {start} is after end {end}; expected start <= end")
    if start >= today:
        raise LiveDataError(f"window {start} to {end} lies in the future (today is {today}, UTC)")
    if end >= today:
        raise LiveDataError(
            f"end {end} is not before today ({today}, UTC); expected a window of complete days, "
            f"ending {today - ONE_DAY} at the latest"
        )


def default_snapshot_id(today: date) -> str:
    """``live-YYYY-MM-DD``, with ``-2``, ``-3``, ... appended while that snapshot folder exists."""
    base = f"live-{today.isoformat()}"
    candidate, suffix = base, 1
    while (snapshots_dir() / candidate).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def price_tickers(snapshot_id: str | None = None) -> list[str]:
    """The tickers in a snapshot's ``prices`` table (default: the active snapshot), sorted."""
    return sorted(load_table("prices", snapshot_id)["ticker"].unique())


def price_window(snapshot_id: str | None = None) -> tuple[date, date]:
    """The first and last date in a snapshot's ``prices`` table (default: the active snapshot)."""
    days = load_table("prices", snapshot_id)["date"]
    return days.min().date(), days.max().date()


# --- normalizing and validating yfinance's answers --------------------------------------------------


def single_ticker(frame: pd.DataFrame, ticker: str) -> pd.DataFrame:
    """``frame`` with flat columns: a ``yf.download`` MultiIndex frame narrowed to ``ticker``."""
    if not isinstance(frame.columns, pd.MultiIndex):
        return frame
    for level in range(frame.columns.nlevels):
        if ticker in frame.columns.get_level_values(level):
            return frame.xs(ticker, axis=1, level=level)
    raise TickerFailure(f"the download frame has no columns for {ticker}")


def index_dates(index: pd.Index, what: str) -> list[str]:
    """The ISO dates of a DatetimeIndex, each in its own time zone (yfinance: the exchange's)."""
    if not isinstance(index, pd.DatetimeIndex):
        raise TickerFailure(
            f"{what} dates do not parse: expected a DatetimeIndex, got {type(index).__name__}"
        )
    if index.hasnans:
        raise TickerFailure(f"{what} dates do not parse: the index has missing dates")
    return [stamp.date().isoformat() for stamp in index]


def numbers(values: pd.Series, whole: bool) -> list[Any]:
    """A column as Python floats (NaN where not a number); whole values as ints when ``whole``."""
    parsed = pd.to_numeric(values, errors="coerce").astype(float).tolist()
    return [int(v) if whole and v.is_integer() else v for v in parsed]


def price_records(raw: Any, ticker: str) -> Records:
    """``Ticker.history``'s frame as records (date, open, high, low, close, adj_close, volume, actions).

    Raises ``TickerFailure`` for anything but a non-empty frame with every documented column.
    """
    if not isinstance(raw, pd.DataFrame):
        raise TickerFailure(f"expected a DataFrame of prices, got {type(raw).__name__}")
    frame = single_ticker(raw, ticker)
    if frame.empty:
        raise TickerFailure("Yahoo Finance returned no price rows (empty frame)")
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise TickerFailure(
            f"missing columns {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)} "
            "(history with auto_adjust=False, actions=True)"
        )
    days = index_dates(frame.index, "price")
    gains = frame["Capital Gains"] if "Capital Gains" in frame.columns else pd.Series(0.0, index=frame.index)
    columns = {
        **{name: numbers(frame[column], whole=False) for column, name in PRICE_FIELDS.items()},
        "volume": numbers(frame["Volume"], whole=True),
        "dividends": numbers(frame["Dividends"], whole=False),
        "capital_gains": numbers(gains, whole=False),
        "stock_splits": numbers(frame["Stock Splits"], whole=False),
    }
    return [
        {"date": day, **{name: values[i] for name, values in columns.items()}} for i, day in enumerate(days)
    ]


def share_records(raw: Any) -> Records | None:
    """``get_shares_full``'s Series as records (date, shares) in Yahoo's order; None when it has none."""
    if raw is None:
        return None
    if not isinstance(raw, pd.Series):
        raise TickerFailure(f"expected a Series of share counts or None, got {type(raw).__name__}")
    if raw.empty:
        return None
    days = index_dates(raw.index, "share-count")
    counts = numbers(raw, whole=True)
    return [{"date": day, "shares": count} for day, count in zip(days, counts, strict=True)]


def window_problem(days: list[str], start: date, end: date) -> str | None:
    """The first date outside ``start``..``end``, as a problem, or None."""
    for day in days:
        if not start.isoformat() <= day <= end.isoformat():
            return f"row dated {day} lies outside the window {start} to {end}"
    return None


def duplicates_problem(days: list[str]) -> str | None:
    """The dates that occur more than once (the first three), as a problem, or None."""
    repeated = sorted(day for day, n in Counter(days).items() if n > 1)
    if not repeated:
        return None
    return f"duplicate dates {', '.join(repeated[:3])}; expected one row per trading day"


def checked_prices(ticker: str, response: Response, start: date, end: date) -> TickerPrices:
    """One ticker's prices, validated: dates unique and in the window, prices positive, volumes whole
    and non-negative, and adj_close on close's split basis (their ratio moves only on dividend dates)."""
    records = sorted(response.records or [], key=lambda r: r["date"])
    if not records:
        raise TickerFailure("Yahoo Finance returned no price rows (empty frame)")
    days = [r["date"] for r in records]
    problem = (
        window_problem(days, start, end)
        or duplicates_problem(days)
        or next(filter(None, map(price_row_problem, records)), None)
        or ratio_problem(records)
    )
    if problem:
        raise TickerFailure(problem)
    return TickerPrices(
        ticker=ticker,
        records=records,
        splits=[(r["date"], float(r["stock_splits"])) for r in records if r["stock_splits"] > 0],
        dividends=[(r["date"], float(r["dividends"])) for r in records if r["dividends"] > 0],
        source=response.source,
        fetched_at=response.fetched_at,
    )


def price_row_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with one day's prices, volume or actions, or None."""
    day = record["date"]
    for name in PRICE_FIELDS.values():
        value = record[name]
        if not math.isfinite(value):
            return f"missing {name} on {day}"
        if value <= 0:
            return f"{name} {value} on {day}; expected a positive price"
    volume = record["volume"]
    if not math.isfinite(volume) or volume < 0 or not float(volume).is_integer():
        return f"volume {volume} on {day}; expected a whole number >= 0"
    for name in ("dividends", "capital_gains", "stock_splits"):
        if not math.isfinite(record[name]) or record[name] < 0:
            return f"{name} {record[name]} on {day}; expected a number >= 0"
    if record["adj_close"] > record["close"] * (1 + ADJ_ABOVE_CLOSE_TOLERANCE):
        return f"adj_close {record['adj_close']} above close {record['close']} on {day}"
    return None


def ratio_problem(records: Records) -> str | None:
    """The first day, without a dividend or distribution, on which adj_close/close jumps, or None."""
    for previous, current in pairwise(records):
        if current["dividends"] > 0 or current["capital_gains"] > 0:
            continue
        change = (current["adj_close"] / current["close"]) / (previous["adj_close"] / previous["close"]) - 1
        if abs(change) > RATIO_JUMP_TOLERANCE:
            return (
                f"adj_close/close ratio changes by {change:+.1%} on {current['date']}, a day without a "
                "dividend; expected close and adj_close on the same split basis"
            )
    return None


def checked_shares(ticker: str, response: Response, start: date, end: date) -> TickerShares | None:
    """One ticker's share counts in the window, the last value kept per date; None when there are none.

    Points outside the window are dropped and counted (``get_shares_full`` widens it to whole days).
    """
    if response.records is None:
        return None
    for record in response.records:
        shares = record["shares"]
        if not math.isfinite(shares) or shares <= 0 or not float(shares).is_integer():
            raise TickerFailure(f"share count {shares} on {record['date']}; expected a positive whole number")
    inside = [r for r in response.records if start.isoformat() <= r["date"] <= end.isoformat()]
    if not inside:
        return None
    last: dict[str, int] = {}
    for record in inside:
        last[record["date"]] = int(record["shares"])
    seen = Counter(r["date"] for r in inside)
    return TickerShares(
        ticker=ticker,
        counts=sorted(last.items()),
        repeated_dates=sorted(day for day, n in seen.items() if n > 1),
        dropped_outside=len(response.records) - len(inside),
        source=response.source,
        fetched_at=response.fetched_at,
    )


def ticker_prices(requester: Requester, ticker: str, start: date, end: date) -> TickerPrices:
    """``ticker``'s validated daily prices for ``start`` to ``end`` (inclusive), cached or fetched."""
    return requester.checked(
        f"prices_{ticker}_{start}_{end}",
        lambda fetcher: fetcher.history(ticker, start, end + ONE_DAY),
        lambda raw: price_records(raw, ticker),
        lambda response: checked_prices(ticker, response, start, end),
    )


def ticker_shares(requester: Requester, ticker: str, start: date, end: date) -> TickerShares | None:
    """``ticker``'s share counts for ``start`` to ``end``, cached or fetched; None when Yahoo has none."""
    return requester.checked(
        f"shares_{ticker}_{start}_{end}",
        lambda fetcher: fetcher.shares(ticker, start, end + ONE_DAY),
        share_records,
        lambda response: checked_shares(ticker, response, start, end),
    )


# --- the public calls ---------------------------------------------------------------------------------


def requester_for(
    fetcher: Fetcher | None,
    cache_dir: Path | None,
    policy: RequestPolicy | None,
    probe: Callable[[], None] | None,
    clock: Callable[[], datetime],
) -> Requester:
    """A ``Requester`` with the defaults filled in: yfinance, ``_build/cache/yfinance/``, the real probe."""
    return Requester(
        fetcher or YFinanceFetcher(),
        cache_dir or default_cache_dir(),
        policy or RequestPolicy(),
        probe or probe_yahoo,
        clock,
    )


def fetch_ticker_prices(
    ticker: str,
    start: date,
    end: date,
    *,
    fetcher: Fetcher | None = None,
    cache_dir: Path | None = None,
    policy: RequestPolicy | None = None,
    probe: Callable[[], None] | None = None,
    now: datetime | None = None,
) -> pd.DataFrame:
    """One ticker's validated daily prices, ``start`` to ``end`` inclusive, as ``load_table("prices")``.

    Columns date, ticker, open, high, low, close, adj_close (USD per share), volume (shares). Raises
    ``LiveDataError`` on one line for bad input, no network, or a failed fetch or validation.
    """
    symbols = normalized_tickers([ticker])
    if len(symbols) != 1:
        raise LiveDataError(f"ticker {ticker!r}: expected one ticker, got {len(symbols)}")
    clock = utc_clock(now)
    check_window(start, end, clock().date())
    requester = requester_for(fetcher, cache_dir, policy, probe, clock)
    try:
        prices = ticker_prices(requester, symbols[0], start, end)
    except TickerFailure as exc:
        raise LiveDataError(f"live fetch of {symbols[0]} for {start} to {end} failed: {exc}") from None
    data = csv_bytes(price_rows(prices), PRICES)
    return parsed_frame(data, [{"name": c.name, "dtype": c.dtype} for c in PRICES.columns])


def refresh_snapshot(
    tickers: list[str],
    start: date,
    end: date,
    *,
    base_snapshot: str | None = None,
    snapshot_id: str | None = None,
    fetcher: Fetcher | None = None,
    cache_dir: Path | None = None,
    policy: RequestPolicy | None = None,
    probe: Callable[[], None] | None = None,
    now: datetime | None = None,
) -> Path:
    """Fetch ``tickers``' prices and share counts for ``start`` to ``end`` (inclusive) into a new snapshot.

    The new snapshot (default id ``live-YYYY-MM-DD``, from ``now`` in UTC) holds every table of
    ``base_snapshot`` (default: the active one): ``prices`` with the fetched tickers' rows replaced by
    Yahoo's, ``shares_outstanding`` with Yahoo's counts added beside the base's filing-backed rows, and
    every other table byte for byte. All or nothing: if any ticker fails, the error names each failed ticker
    and why, and nothing is written. An existing snapshot is never overwritten. Returns its folder.
    """
    symbols = normalized_tickers(tickers)
    clock = utc_clock(now)
    today = clock().date()
    check_window(start, end, today)
    base = base_snapshot or active_snapshot()
    verify_snapshot(base)
    check_base_schema(load_manifest(base), base)
    new_id = snapshot_id or default_snapshot_id(today)
    new_snapshot_folder(snapshots_dir(), new_id)
    requester = requester_for(fetcher, cache_dir, policy, probe, clock)
    prices, shares = fetched_tickers(requester, symbols, start, end)
    files = refreshed_files(base, new_id, symbols, start, end, prices, shares)
    return staged_snapshot(snapshots_dir(), new_id, lambda folder: write_files(folder, files))


def fetched_tickers(
    requester: Requester, tickers: list[str], start: date, end: date
) -> tuple[list[TickerPrices], list[TickerShares]]:
    """Every ticker's prices and (where Yahoo has them) share counts; raises naming each failed ticker."""
    prices: list[TickerPrices] = []
    shares: list[TickerShares] = []
    failures: list[str] = []
    for ticker in tickers:
        try:
            ticker_price = ticker_prices(requester, ticker, start, end)
            ticker_share = ticker_shares(requester, ticker, start, end)
        except TickerFailure as exc:
            failures.append(f"{ticker} ({exc})")
            continue
        prices.append(ticker_price)
        if ticker_share is not None:
            shares.append(ticker_share)
    if failures:
        raise LiveDataError(
            f"live refresh failed for {len(failures)} of {len(tickers)} tickers, nothing written: "
            + "; ".join(failures)
        )
    return prices, shares


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write each named file's bytes into ``folder``."""
    for name, data in files.items():
        (folder / name).write_bytes(data)


# --- the new snapshot's files -----------------------------------------------------------------------


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

    ``shares_outstanding`` is carried over unchanged when Yahoo had share counts for no fetched ticker.
    Known gaps of the base that concern ``prices`` are marked as the base's (a refresh may fill them).
    """
    manifest = copy.deepcopy(load_manifest(base))
    folder = snapshot_dir(base)
    tables: dict[str, dict[str, Any]] = manifest["tables"]
    files = {e["file"]: verified_bytes(folder / e["file"], e["sha256"]) for e in tables.values()}

    price_entry = tables["prices"]
    files[price_entry["file"]], tables["prices"] = refreshed_prices(
        base, price_entry, base_rows(folder, price_entry, PRICES), prices, start, end
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
            "deepseek_shock.live; every other table carried over unchanged"
        ),
        "csv_format": CSV_FORMAT,
        "known_gaps": gaps,
        "tables": tables,
    }
    files[MANIFEST_NAME] = manifest_bytes(new_manifest)
    return files
