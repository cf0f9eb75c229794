"""The wider sell-off: the stocks, funds and indexes the articles name, and their close-to-close moves.

Every move is close to close, in percent of the first close. Stocks and funds use the snapshot's
unadjusted close (USD per share) where it has one, else the secondary source's adjusted close, which
includes dividends; indexes use FRED's daily closes (index points). Each row says which it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from deepseek_shock.chapters.market.prices import (
    checked_trading_day,
    open_move,
    percent_change,
    previous_trading_day,
    price_move,
    price_on,
    price_series,
)
from deepseek_shock.chapters.market.shares import BILLION, share_count, value_change_usd
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

HYPERSCALERS = "Hyperscalers"
COMPUTE = "Data-centre compute and infrastructure"
POWER = "Power"
OTHERS = "Other stocks, funds and indexes"
LEVERAGED = "Leveraged funds"
GROUPS = (HYPERSCALERS, COMPUTE, POWER, OTHERS)
SOURCE_LABELS = {
    "close": "close",
    "adj_close_secondary": "adjusted close (secondary source; includes dividends)",
    "index": "index close (FRED)",
}


@dataclass(frozen=True)
class Series:
    """One price series the chapter follows: its name, where its closes come from, and its group."""

    symbol: str  # ticker, or FRED series id for an index
    name: str
    source: str  # "close", "adj_close_secondary" or "index"
    group: str

    @property
    def key(self) -> str:
        """The stem of its result keys, e.g. ``avgo`` or ``sp500``."""
        return self.symbol.lower()


# The grouping follows the AI "phases" of seed 000 (J.P. Morgan); the article defines the phases but
# names only some members, so assigning each stock to one is this report's reading of its definitions:
# phase 1, hyperscalers (cloud computing); phase 2, data-centre hardware (chips) and electrical
# equipment; phase 3, companies that supply and transmit power to data centres.
UNIVERSE: tuple[Series, ...] = (
    Series("MSFT", "Microsoft", "close", HYPERSCALERS),
    Series("GOOGL", "Alphabet", "close", HYPERSCALERS),
    Series("AMZN", "Amazon", "close", HYPERSCALERS),
    Series("META", "Meta Platforms", "close", HYPERSCALERS),
    Series("ORCL", "Oracle", "close", HYPERSCALERS),
    Series("NVDA", "NVIDIA", "close", COMPUTE),
    Series("AVGO", "Broadcom", "close", COMPUTE),
    Series("MU", "Micron Technology", "close", COMPUTE),
    Series("TSM", "TSMC (ADS)", "close", COMPUTE),
    Series("ARM", "Arm Holdings (ADS)", "close", COMPUTE),
    Series("AMD", "AMD", "close", COMPUTE),
    Series("SMCI", "Super Micro Computer", "close", COMPUTE),
    Series("ASML", "ASML", "close", COMPUTE),
    Series("ETN", "Eaton", "close", COMPUTE),
    Series("DLR", "Digital Realty", "close", COMPUTE),
    Series("VST", "Vistra", "close", POWER),
    Series("CEG", "Constellation Energy", "close", POWER),
    Series("AAPL", "Apple", "adj_close_secondary", OTHERS),
    Series("SP500", "S&P 500 index", "index", OTHERS),
    Series("NASDAQCOM", "Nasdaq Composite index", "index", OTHERS),
    Series("DJIA", "Dow Jones Industrial Average", "index", OTHERS),
    Series("SPY", "SPY (S&P 500 fund)", "close", OTHERS),
    Series("DIA", "DIA (Dow fund)", "adj_close_secondary", OTHERS),
    Series("QQQ", "QQQ (Nasdaq-100 fund)", "close", OTHERS),
    Series("XLK", "XLK (technology sector fund)", "adj_close_secondary", OTHERS),
    Series("SMH", "SMH (semiconductor fund)", "close", OTHERS),
    Series("SOXX", "SOXX (semiconductor fund)", "adj_close_secondary", OTHERS),
    Series("SOXL", "SOXL (3× semiconductor fund)", "adj_close_secondary", LEVERAGED),
    Series("NVDL", "NVDL (2× NVIDIA fund)", "adj_close_secondary", LEVERAGED),
)
BIG_FIVE = ("AAPL", "MSFT", "GOOGL", "AMZN", "META")  # seed 003's "Big Five": the US tech platforms
PREMARKET = ("AVGO", "SMCI", "TSM", "MU", "ARM", "AMD", "AMZN", "META")  # seed 002's pre-market list


def series_by_symbol(symbol: str) -> Series:
    """The followed series with ``symbol``."""
    for series in UNIVERSE:
        if series.symbol == symbol:
            return series
    raise UserError(f"{symbol!r} is not a series the sell-off chapter follows")


def closes(series: Series) -> pd.Series:
    """Daily closes of ``series`` (USD per share, or index points), indexed by day, oldest first."""
    if series.source == "index":
        table = snapshot.shared_table("indexes")
        rows = table[table["series"] == series.symbol].sort_values("date")
        if rows.empty:
            raise UserError(f"the snapshot has no index series {series.symbol!r}")
        return pd.Series(rows["value"].to_numpy(), index=pd.DatetimeIndex(rows["date"]), name=series.symbol)
    return price_series(series.symbol, series.source)


def common_days() -> pd.Series:
    """The days on which every followed series has a close, as a series of day numbers named for them."""
    days = None
    for series in UNIVERSE:
        index = closes(series).index
        days = index if days is None else days.intersection(index)
    assert days is not None
    return pd.Series(range(len(days)), index=days, name="sell-off")


def checked_days(event: date, reference: date | None) -> tuple[date, date]:
    """(reference, event) as days every followed series has a close on; reference defaults to the day before.

    Every problem is one ``UserError`` naming the parameter.
    """
    days = common_days()
    what = "closes common to every stock, fund and index of the chapter"
    checked_trading_day("event_date", event, days, what)
    if reference is None:
        reference = previous_trading_day(days, event)
        if reference is None:
            raise UserError(
                f"event_date: {event} is the first day of the chapter's common closes, so there is no "
                "earlier close to compare with; choose a later event_date"
            )
        return reference, event
    if reference >= event:
        raise UserError(f"reference_date: {reference} must be before event_date {event}")
    return checked_trading_day("reference_date", reference, days, what), event


def change_pct(series: Series, start: date, end: date) -> float:
    """``series``' close-to-close change from ``start`` to ``end``, percent (negative for a fall)."""
    prices = closes(series)
    return percent_change(price_on(prices, start), price_on(prices, end))


def change_points(series: Series, start: date, end: date) -> float:
    """``series``' close-to-close change from ``start`` to ``end`` in its own units (index points)."""
    prices = closes(series)
    return price_on(prices, end) - price_on(prices, start)


def last_close_before(series: Series, day: date) -> date:
    """The last day before ``day`` on which ``series`` has a close."""
    found = previous_trading_day(closes(series), day)
    if found is None:
        raise UserError(f"the snapshot has no {series.symbol} close before {day}")
    return found


def first_close_on_or_after(series: Series, day: date) -> date:
    """The first day on or after ``day`` on which ``series`` has a close."""
    prices = closes(series)
    later = prices.index[prices.index >= pd.Timestamp(day)]
    if not len(later):
        raise UserError(f"the snapshot has no {series.symbol} close on or after {day}")
    return later[0].date()


def calendar_window(series: Series, first: date, after: date) -> tuple[date, date]:
    """From the last close before ``first`` to the last close before ``after`` (e.g. a year or a month)."""
    return last_close_before(series, first), last_close_before(series, after)


def change_over(series: Series, first: date, after: date) -> float:
    """``series``' change over the calendar period ``[first, after)``, percent."""
    return change_pct(series, *calendar_window(series, first, after))


def adjusted(symbol: str) -> Series:
    """The followed series ``symbol`` on the secondary source's adjusted closes, which start in 2023."""
    series = series_by_symbol(symbol)
    return Series(series.symbol, series.name, "adj_close_secondary", series.group)


def average_change(series: Iterable[Series], first: date, after: date) -> float:
    """Unweighted mean of the series' changes over ``[first, after)``, percent."""
    changes = [change_over(one, first, after) for one in series]
    if not changes:
        raise UserError("an average change needs at least one series")
    return sum(changes) / len(changes)


def open_change_pct(symbol: str, start: date, end: date) -> float | None:
    """From ``start``'s close to ``end``'s opening price, percent; ``None`` without an opening price."""
    prices = snapshot.shared_table("prices")
    if symbol not in set(prices["ticker"]):
        return None
    return open_move(symbol, start, end).change_pct


@snapshot.memoized("prices", "adj_close_secondary", "indexes", "shares_outstanding")
def one_day_moves(start: date, end: date) -> pd.DataFrame:
    """Every followed series' move from ``start``'s close to ``end``'s, and its market-value change.

    Columns: ``group``, ``symbol``, ``name``, ``source``, ``start`` and ``end`` (closes), ``change_pct``
    (percent), ``open_change_pct`` (percent, where an opening price exists) and ``value_change_usd_b``
    (USD billions, for stocks with a usable share count in force on ``start``).
    """
    rows = []
    for series in UNIVERSE:
        prices = closes(series)
        value_change = None
        if series.source == "close":
            count = share_count(series.symbol, "in_force", start, end)
            if count is not None and count.usable:
                move = price_move(series.symbol, "close", start, end)
                value_change = value_change_usd(move, count) / BILLION
        rows.append(
            {
                "group": series.group,
                "symbol": series.symbol,
                "name": series.name,
                "source": series.source,
                "start": price_on(prices, start),
                "end": price_on(prices, end),
                "change_pct": change_pct(series, start, end),
                "open_change_pct": open_change_pct(series.symbol, start, end)
                if series.source == "close"
                else None,
                "value_change_usd_b": value_change,
            }
        )
    return pd.DataFrame(rows)
