"""NVIDIA before and around the event: its rise since 2022, its earnings and sales, its size, the loss in
yuan and its rank among the losses the data can measure.

Prices in USD per share (restated for the 2024 split), money in USD billions or CNY trillions, revenue
and net income from NVIDIA's filings in USD millions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd

from deepseek_shock.chapters.dates import years_between
from deepseek_shock.chapters.market import sp500
from deepseek_shock.chapters.market.event import PRESS_EVENT, PRESS_REFERENCE, PRESS_TICKER
from deepseek_shock.chapters.market.levels import exchange_rate, nvda_since_2022
from deepseek_shock.chapters.market.prices import percent_change, price_on
from deepseek_shock.data import snapshot
from deepseek_shock.data.documents import stated_day
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError

END_2022 = date(2022, 12, 30)  # the last close of 2022
CNY_CLAIM = "nvda-value-loss-cny-4-3-trillion"
LOSS_CLAIM = "nvda-value-loss-5927"  # the same article's USD 592.7 billion, converted in CNY_CLAIM
REPORTING_LAG = timedelta(days=30)  # NVIDIA reports a quarter about four weeks after it ends
RESULTS_2023 = ("nvda-results-2023-02-22", "nvda-results-2023-05-24")  # documents: the first two of 2023


def reported_quarters(before: date) -> pd.DataFrame:
    """NVIDIA's quarters (``nvda_quarters``, fiscal quarters only) whose results were out by ``before``:
    those ending more than ``REPORTING_LAG`` before it, oldest first."""
    table = snapshot.shared_table("nvda_quarters")
    quarters = table[table["fiscal_quarter"].str.startswith("Q")].sort_values("period_end")
    return quarters[quarters["period_end"] < pd.Timestamp(before - REPORTING_LAG)].reset_index(drop=True)


def trailing_sum_usd_b(quarters: pd.DataFrame, column: str, n: int = 4) -> float:
    """The sum of ``column`` (USD millions) over the last ``n`` quarters, USD billions."""
    if len(quarters) < n:
        raise UserError(f"nvda_quarters: {n} quarters needed, {len(quarters)} found")
    return float(quarters[column].tail(n).sum()) / 1000


def rising_since(quarters: pd.DataFrame, column: str = "revenue_musd") -> tuple[date, date]:
    """Where the unbroken quarterly rise of ``column`` to the latest quarter began: (end of the last
    quarter before the rise, end of the rise's first quarter)."""
    values = quarters[column].to_numpy()
    first = len(values) - 1
    while first > 0 and values[first] > values[first - 1]:
        first -= 1
    if first == len(values) - 1:
        raise UserError(f"nvda_quarters: {column} did not rise in the latest quarter")
    ends = quarters["period_end"]
    return ends.iloc[first].date(), ends.iloc[first + 1].date()


def full_cap_rank(ticker: str, day: date) -> int:
    """``ticker``'s rank by whole-company market value on ``day`` among the January 2025 S&P 500 members:
    each company's value of 31 December 2024 (``sp500_member_shares``) rolled with its adjusted close."""
    shares = snapshot.shared_table("sp500_member_shares")
    year_end = shares[shares["as_of"] == pd.Timestamp(date(2024, 12, 31))].set_index("ticker")
    closes = sp500.member_closes()
    ratio = closes.loc[pd.Timestamp(day)] / closes.loc[pd.Timestamp(date(2024, 12, 31))]
    caps = (year_end["market_cap_usd"] * ratio.reindex(year_end.index)).dropna()
    caps = caps.groupby(lambda member: sp500.ONE_COMPANY.get(member, member)).max()
    if ticker not in caps.index:
        raise UserError(f"sp500_member_shares: no market value for {ticker}")
    return int((caps > caps[ticker]).sum()) + 1


def loss_rank(changes: pd.DataFrame, ticker: str, day: date) -> int:
    """The rank of ``ticker``'s one-day value change on ``day`` among ``changes`` (a
    ``daily_value_changes`` frame), 1 for the largest loss."""
    mine = changes[(changes["ticker"] == ticker) & (changes["date"] == pd.Timestamp(day))]
    if mine.empty:
        raise UserError(f"no measurable one-day value change for {ticker} on {day}")
    return int((changes["change_usd_b"] < float(mine["change_usd_b"].iloc[0])).sum()) + 1


def next_day_change_pct(closes: pd.Series, day: date) -> float:
    """The change from the close of ``day`` to the next close in ``closes``, percent: the market's
    answer to results released after the close."""
    after = closes[closes.index > pd.Timestamp(day)]
    if after.empty:
        raise UserError(f"no close after {day} in the data")
    return percent_change(price_on(closes, day), float(after.iloc[0]))


def best_received(release_days: Sequence[date], closes: pd.Series) -> date:
    """Of the results releases on ``release_days`` (after the close), the one the next day's close
    rewarded most."""
    return max(release_days, key=lambda day: next_day_change_pct(closes, day))


def history_values(changes: pd.DataFrame, one_day_loss_usd_b: float) -> dict[str, tuple[Any, str]]:
    """NVIDIA's longer story in the articles' figures: key -> (value, unit)."""
    closes = nvda_since_2022()
    start = price_on(closes, END_2022)
    quarters = reported_quarters(PRESS_EVENT)
    trough_end, rise_first_end = rising_since(quarters)
    printed_loss = printed_figure(LOSS_CLAIM)
    releases = [stated_day(fact) for fact in RESULTS_2023]
    return {
        "nvda_stunning_results_date": (best_received(releases, closes).isoformat(), "date"),
        "nvda_stunning_results_date__first-of-year": (min(releases).isoformat(), "date"),
        "nvda_rise_since_2022_ratio": (price_on(closes, PRESS_EVENT) / start, "ratio"),
        "nvda_rise_since_2022_ratio__before-fall": (price_on(closes, PRESS_REFERENCE) / start, "ratio"),
        "nvda_close_end_2022": (start, "USD per share"),
        "nvda_net_income_4q_usd_b": (trailing_sum_usd_b(quarters, "net_income_musd"), "USD billion"),
        "nvda_revenue_4q_usd_b": (trailing_sum_usd_b(quarters, "revenue_musd"), "USD billion"),
        "nvda_last_reported_quarter_end": (f"{quarters['period_end'].iloc[-1]:%Y-%m-%d}", "date"),
        "nvda_sales_rising_years": (years_between(rise_first_end, PRESS_EVENT), "years"),
        "nvda_sales_rising_years__from-trough": (years_between(trough_end, PRESS_EVENT), "years"),
        "nvda_sales_rise_first_quarter_end": (rise_first_end.isoformat(), "date"),
        "nvda_loss_cny_trillion": (
            printed_loss * exchange_rate("DEXCHUS", PRESS_EVENT) / 1000,
            "CNY trillion",
        ),
        "nvda_loss_cny_trillion__reproduced": (
            one_day_loss_usd_b * exchange_rate("DEXCHUS", PRESS_EVENT) / 1000,
            "CNY trillion",
        ),
        "nvda_loss_cny_trillion__cross-check": (
            printed_loss * exchange_rate("CNY=X", PRESS_EVENT, "alitalbi/") / 1000,
            "CNY trillion",
        ),
        "usd_cny_event": (exchange_rate("DEXCHUS", PRESS_EVENT), "CNY per USD"),
        "nvda_value_rank_before_event": (full_cap_rank(PRESS_TICKER, PRESS_REFERENCE), "rank"),
        "nvda_event_loss_rank": (loss_rank(changes, PRESS_TICKER, PRESS_EVENT), "rank"),
    }
