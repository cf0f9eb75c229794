"""Index levels, world closes, funds and long price histories from the snapshot, one series at a time.

A series is a pandas Series of closes (index points, or the instrument's currency per share) indexed by
day, oldest first. Tables that stack several copies of one series name the copy (``source`` prefix) to
use, so a series never has a day twice.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from deepseek_shock.chapters.market.prices import percent_change, price_on, price_series
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

NVDA_SPLIT = 10  # NVIDIA's 10-for-1 split of June 2024: pre-split prices are divided by it


def _series(frame: pd.DataFrame, column: str, name: str, table: str) -> pd.Series:
    if frame.empty:
        raise UserError(f"the snapshot's {table} table has no series {name!r}")
    if frame["date"].duplicated().any():
        raise UserError(f"{table}: {name!r} has a day twice; name one source of it")
    frame = frame.sort_values("date")
    values = frame[column].astype(float).to_numpy()
    return pd.Series(values, index=pd.DatetimeIndex(frame["date"]), name=name).dropna()


def index_level(ticker: str) -> pd.Series:
    """Daily closes of an index in ``index_levels`` (Yahoo symbol such as ``^NDX``), index points."""
    table = snapshot.shared_table("index_levels")
    return _series(table[table["ticker"] == ticker], "close", ticker, "index_levels")


def hang_seng_tech(column: str = "hstech_close") -> pd.Series:
    """Daily closes of the Hang Seng TECH Index in ``hstech_closes``, index points (``hsi_close``: the
    Hang Seng Index in the same copy, to check it against ``index_levels``)."""
    return _series(snapshot.shared_table("hstech_closes"), column, column, "hstech_closes")


def world_close(ticker: str, column: str = "close") -> pd.Series:
    """Daily closes of ``ticker`` in ``world_closes`` (indexes in points, ENR.DE in EUR per share, XLK
    in USD per share): ``close`` as traded or ``adj_close`` where the table has it."""
    table = snapshot.shared_table("world_closes")
    return _series(table[table["ticker"] == ticker], column, ticker, "world_closes")


def fund_close(ticker: str, column: str = "close") -> pd.Series:
    """Daily closes of a fund in ``fund_closes``: ``close`` as traded or ``adj_close`` (USD per share)."""
    table = snapshot.shared_table("fund_closes")
    return _series(table[table["ticker"] == ticker], column, ticker, "fund_closes")


def long_history(ticker: str, source: str = "dsturdy/", basis: str = "adj") -> pd.Series:
    """Closes of ``ticker`` in ``long_histories`` from the copy whose source starts with ``source``."""
    table = snapshot.shared_table("long_histories")
    rows = table[
        (table["ticker"] == ticker) & table["source"].str.startswith(source) & (table["basis"] == basis)
    ]
    return _series(rows, "close", ticker, "long_histories")


def nvda_since_2022() -> pd.Series:
    """NVIDIA's closes from the end of 2022, USD per share restated for the 2024 split: the traded
    pre-split closes of ``nvda_2023`` divided by 10, then the prices table's closes."""
    table = snapshot.shared_table("nvda_2023")
    early = _series(table, "close_presplit_unadjusted", "NVDA", "nvda_2023") / NVDA_SPLIT
    later = price_series("NVDA", "close")
    return pd.concat([early[early.index < later.index[0]], later]).rename("NVDA")


def exchange_rate(series: str, day: date, source: str = "") -> float:
    """CNY per USD on ``day`` from ``usd_cny`` (``DEXCHUS`` or ``CNY=X``; ``source`` picks a copy)."""
    table = snapshot.shared_table("usd_cny")
    rows = table[(table["series"] == series) & table["source"].str.startswith(source)]
    if rows["source"].nunique() > 1:
        rows = rows[rows["source"] == rows["source"].iloc[0]]
    return price_on(_series(rows, "value", series, "usd_cny"), day)


def change(series: pd.Series, start: date, end: date) -> float:
    """Close-to-close change of ``series`` from ``start`` to ``end``, percent of the first close."""
    return percent_change(price_on(series, start), price_on(series, end))


def close_on_or_before(series: pd.Series, day: date) -> tuple[date, float]:
    """The last close of ``series`` on or before ``day``: (its day, its value)."""
    earlier = series[series.index <= pd.Timestamp(day)]
    if earlier.empty:
        raise UserError(f"{series.name}: no close on or before {day}")
    return earlier.index[-1].date(), float(earlier.iloc[-1])


def daily_changes_pct(series: pd.Series) -> pd.Series:
    """Each day's change from the close before it, percent (NaN on the first day)."""
    return 100 * (series / series.shift(1) - 1)


def largest_fall(series: pd.Series, first: date, last: date) -> tuple[date, float]:
    """The largest one-day fall of ``series`` among days in ``[first, last]`` (each against the close
    before it, which may precede ``first``): (its day, the fall in percent, positive)."""
    changes = daily_changes_pct(series)
    window = changes[(changes.index >= pd.Timestamp(first)) & (changes.index <= pd.Timestamp(last))].dropna()
    if window.empty:
        raise UserError(f"{series.name}: no one-day change between {first} and {last}")
    day = window.idxmin()
    return day.date(), -float(window.loc[day])


def last_fall_as_large(series: pd.Series, day: date) -> date:
    """The latest day before ``day`` on which ``series`` fell at least as much as on ``day`` (each day
    against the close before it)."""
    changes = daily_changes_pct(series)
    fall = changes.get(pd.Timestamp(day))
    if fall is None or pd.isna(fall):
        raise UserError(f"{series.name}: no one-day change on {day}")
    earlier = changes[(changes.index < pd.Timestamp(day)) & (changes <= fall)]
    if earlier.empty:
        raise UserError(
            f"{series.name}: no fall as large as {day}'s since the data start, {series.index[0]:%Y-%m-%d}"
        )
    return earlier.index[-1].date()


def low_between(series: pd.Series, first: date, last: date) -> tuple[date, float]:
    """The lowest close of ``series`` in ``[first, last]``: (its day, its value)."""
    window = series[(series.index >= pd.Timestamp(first)) & (series.index <= pd.Timestamp(last))]
    if window.empty:
        raise UserError(f"{series.name}: no close between {first} and {last}")
    return window.idxmin().date(), float(window.min())


def record_closes(series: pd.Series, first: date, last: date) -> list[date]:
    """Days in ``[first, last]`` whose close is above every earlier close of ``series`` (records within
    the data, which start at its first day)."""
    running = series.cummax().shift(1)
    records = series[(series > running) & running.notna()]
    return [day.date() for day in records.index if pd.Timestamp(first) <= day <= pd.Timestamp(last)]


def first_close_at_or_above(series: pd.Series, level: float, first: date) -> tuple[date, float] | None:
    """The first close on or after ``first`` at or above ``level``, or ``None``."""
    later = series[(series.index >= pd.Timestamp(first)) & (series >= level)]
    return None if later.empty else (later.index[0].date(), float(later.iloc[0]))
