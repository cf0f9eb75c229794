"""Daily prices from the snapshot: series by ticker and basis, trading days, close-to-close moves.

Prices are USD per share; a move runs from one trading day's close to another's, in percent of the first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import pandas as pd

from deepseek_shock.chapters.checks import positive as _finite_positive
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

# price basis -> (snapshot table, column)
PRICE_SOURCES: dict[str, tuple[str, str]] = {
    "close": ("prices", "close"),
    "adj_close": ("prices", "adj_close"),
    "adj_close_secondary": ("adj_close_secondary", "adj_close"),
}
PRICE_LABELS: dict[str, str] = {
    "close": "closing price (split-adjusted, not dividend-adjusted)",
    "adj_close": "adjusted close (split- and dividend-adjusted)",
    "adj_close_secondary": "adjusted close from the secondary source (split- and dividend-adjusted)",
}
NEW_TICKER_HINT = "a ticker can be added by building a new data snapshot (see data/README.md)"


def price_frame(basis: str) -> pd.DataFrame:
    """Every ticker's prices on ``basis``: columns ``date``, ``ticker``, ``price`` (USD per share)."""
    if basis not in PRICE_SOURCES:
        raise UserError(f"price_basis: expected one of {', '.join(PRICE_SOURCES)}, got {basis!r}")
    table, column = PRICE_SOURCES[basis]
    frame = snapshot.shared_table(table)
    return frame[["date", "ticker", column]].rename(columns={column: "price"}).dropna(subset=["price"])


@functools.lru_cache(maxsize=8)
def _series_by_ticker(basis: str, table_sha256: str) -> dict[str, pd.Series]:
    """Each ticker's prices on ``basis``, for the table file with ``table_sha256`` (cached on it)."""
    frame = price_frame(basis).sort_values(["ticker", "date"])
    return {
        str(ticker): pd.Series(rows["price"].to_numpy(), index=pd.DatetimeIndex(rows["date"]), name=ticker)
        for ticker, rows in frame.groupby("ticker")
    }


def series_by_ticker(basis: str) -> dict[str, pd.Series]:
    """Each ticker's prices on ``basis`` (USD per share), indexed by trading day; read-only."""
    if basis not in PRICE_SOURCES:
        raise UserError(f"price_basis: expected one of {', '.join(PRICE_SOURCES)}, got {basis!r}")
    return _series_by_ticker(basis, snapshot.table_sha256(PRICE_SOURCES[basis][0]))


def tickers_with_prices(basis: str) -> list[str]:
    """The tickers the snapshot has prices for on ``basis``, sorted."""
    return sorted(series_by_ticker(basis))


def checked_ticker(ticker: str, basis: str) -> str:
    """``ticker`` if the snapshot has prices for it on ``basis``; else one line saying what it has."""
    if ticker in tickers_with_prices(basis):
        return ticker
    elsewhere = [other for other in PRICE_SOURCES if other != basis and ticker in tickers_with_prices(other)]
    if elsewhere:
        raise UserError(
            f"ticker: the snapshot has no {PRICE_LABELS[basis]} for {ticker}; "
            f"use price_basis={elsewhere[-1]}, which has it"
        )
    known = sorted(set().union(*(tickers_with_prices(other) for other in PRICE_SOURCES)))
    raise UserError(
        f"ticker: {ticker!r} is not in data snapshot {snapshot.active_snapshot()}, which has "
        f"{', '.join(known)}; {NEW_TICKER_HINT}"
    )


def price_series(ticker: str, basis: str) -> pd.Series:
    """Daily prices of ``ticker`` on ``basis`` (USD per share), indexed by trading day, oldest first."""
    return series_by_ticker(basis)[checked_ticker(ticker, basis)].copy()


def _weekday_text(day: date) -> str:
    if day.weekday() >= 5:
        return f"a {day:%A}"
    return "a weekday with no trading in the snapshot"


def checked_trading_day(name: str, day: date, series: pd.Series, what: str | None = None) -> date:
    """``day`` if ``series`` has a price on it; else one line naming the parameter and nearest days.

    ``what`` names the prices in the message (default: the series' name).
    """
    days = series.index
    first, last = days[0].date(), days[-1].date()
    if not first <= day <= last:
        raise UserError(
            f"{name}: {day} is outside the snapshot's {what or f'{series.name} prices'}, "
            f"which run from {first} to {last}"
        )
    stamp = pd.Timestamp(day)
    if stamp not in days:
        before = days[days < stamp][-1].date()
        after = days[days > stamp][0].date()
        raise UserError(
            f"{name}: {day} ({_weekday_text(day)}) is not a trading day; "
            f"the nearest trading days are {before} and {after}"
        )
    return day


def previous_trading_day(series: pd.Series, day: date) -> date | None:
    """The last trading day of ``series`` before ``day``, or ``None`` if there is none."""
    earlier = series.index[series.index < pd.Timestamp(day)]
    return earlier[-1].date() if len(earlier) else None


def checked_window(ticker: str, basis: str, event: date, reference: date | None) -> tuple[date, date]:
    """(reference, event) as trading days of ``ticker`` on ``basis``; reference defaults to the day before.

    Every problem is one ``UserError`` naming the parameter: an unknown ticker, a day outside the
    snapshot or not a trading day, a reference day not before the event day.
    """
    series = price_series(checked_ticker(ticker, basis), basis)
    checked_trading_day("event_date", event, series)
    if reference is None:
        reference = previous_trading_day(series, event)
        if reference is None:
            raise UserError(
                f"event_date: {event} is the first {ticker} trading day in the snapshot, so there is no "
                "earlier close to compare with; choose a later event_date"
            )
        return reference, event
    if reference >= event:
        raise UserError(f"reference_date: {reference} must be before event_date {event}")
    return checked_trading_day("reference_date", reference, series), event


def price_on(series: pd.Series, day: date) -> float:
    """The price (USD per share) of ``series`` on trading day ``day``."""
    return float(series.loc[pd.Timestamp(checked_trading_day("date", day, series))])


def percent_change(start: float, end: float) -> float:
    """Change from ``start`` to ``end`` in percent of ``start`` (negative for a fall)."""
    return 100 * (float(end) / _finite_positive("start price", start) - 1)


def decline_pct(start: float, end: float) -> float:
    """Fall from ``start`` to ``end`` in percent of ``start`` (positive for a fall)."""
    return -percent_change(start, end)


@dataclass(frozen=True)
class Move:
    """A close-to-close move of one ticker between two trading days (prices in USD per share)."""

    ticker: str
    basis: str
    start: date
    end: date
    start_price: float
    end_price: float

    @property
    def change(self) -> float:
        """End price minus start price, USD per share."""
        return self.end_price - self.start_price

    @property
    def change_pct(self) -> float:
        """Change in percent of the start price (negative for a fall)."""
        return percent_change(self.start_price, self.end_price)

    @property
    def decline_pct(self) -> float:
        """Fall in percent of the start price (positive for a fall)."""
        return decline_pct(self.start_price, self.end_price)


def price_move(ticker: str, basis: str, start: date, end: date) -> Move:
    """``ticker``'s move on ``basis`` from the close of ``start`` to the close of ``end``."""
    series = price_series(ticker, basis)
    return Move(ticker, basis, start, end, price_on(series, start), price_on(series, end))


def open_move(ticker: str, reference: date, event: date) -> Move:
    """From the reference day's close to the event day's opening price (prices table, USD per share)."""
    prices = snapshot.load_table("prices")
    rows = prices[prices["ticker"] == ticker].set_index("date")
    close = price_on(price_series(ticker, "close"), reference)
    opening = rows.loc[pd.Timestamp(event), "open"]
    return Move(ticker, "open", reference, event, close, float(opening))
