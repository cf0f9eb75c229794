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

import math
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from deepseek_shock.data.live_requests import (
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
from deepseek_shock.data.live_snapshot import (
    ONE_DAY,
    PRICE_FIELDS,
    PRICES,
    SERIES_TABLES,
    TickerPrices,
    TickerShares,
    check_base_schema,
    price_rows,
    refreshed_files,
)
from deepseek_shock.data.snapshot import (
    active_snapshot,
    load_manifest,
    load_table,
    parsed_frame,
    verify_snapshot,
)
from deepseek_shock.data.snapshot_build import (
    csv_bytes,
    is_iso_date,
    new_snapshot_folder,
    staged_snapshot,
)
from deepseek_shock.paths import snapshots_dir

TICKER_RE = re.compile(r"[A-Z0-9.^=-]{1,15}")
REQUIRED_COLUMNS = (*PRICE_FIELDS, "Volume", "Dividends", "Stock Splits")
# adj_close may exceed close by this fraction (float rounding in Yahoo's data), no more.
ADJ_ABOVE_CLOSE_TOLERANCE = 1e-3
# On a day without a dividend or distribution, adj_close/close may move by this fraction, no more: a
# split applied to one column and not the other moves it by a factor of 2 or more.
RATIO_JUMP_TOLERANCE = 0.01


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


def refreshable_tickers(snapshot_id: str | None = None) -> list[str]:
    """Every ticker a refresh of the snapshot updates by default: those of ``prices`` and of its series
    tables (index levels, sector funds, world indexes), sorted."""
    manifest = load_manifest(snapshot_id)
    names = ["prices", *(t.name for t in SERIES_TABLES if t.name in manifest["tables"])]
    return sorted(set().union(*(set(load_table(name, snapshot_id)["ticker"]) for name in names)))


def price_window(snapshot_id: str | None = None) -> tuple[date, date]:
    """The first and last date in a snapshot's ``prices`` table (default: the active snapshot)."""
    days = load_table("prices", snapshot_id)["date"]
    return days.min().date(), days.max().date()


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
