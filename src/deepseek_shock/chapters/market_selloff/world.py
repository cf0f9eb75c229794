"""Markets outside the US in the articles: Europe's week, Hong Kong and mainland China after the holiday.

Index levels are closes in index points from ``index_levels``, ``world_closes`` and ``hstech_closes``;
changes in percent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from deepseek_shock.chapters.market.event import (
    PRESS_EVENT,
    PRESS_REFERENCE,
    PRESS_WEEK_END,
    PRESS_WEEK_THURSDAY,
)
from deepseek_shock.chapters.market.levels import (
    change,
    close_on_or_before,
    first_close_at_or_above,
    hang_seng_tech,
    index_level,
    low_between,
    world_close,
)
from deepseek_shock.chapters.market.prices import percent_change, price_on
from deepseek_shock.chapters.market.sp500 import company_count
from deepseek_shock.chapters.market.statements import stated_figure
from deepseek_shock.data import snapshot
from deepseek_shock.data.documents import stated_day, stating
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError

CSI_TARGET_CLAIM = "goldman-csi-300-target-4700"  # the article's printed 4,700 target
SHANGHAI_CLAIM = "shanghai-composite-above-3300"  # the article's printed 3,300
HOLIDAY_END = date(2025, 2, 5)  # mainland exchanges reopened after the Lunar New Year holiday
SEASON_END = date(2025, 3, 31)  # the last close in the snapshot's world series
GOLDMAN_NOTE_FRIDAY = date(2025, 2, 14)  # the close before Goldman's note of Monday 17 February 2025
GOLDMAN_NOTE_DAY = date(2025, 2, 17)
EUROSTOXX_FACT = "eurostoxx50-countries"  # documents row stating the index's countries
CHINA_REPORT_DAY = date(2025, 2, 5)  # Deutsche Bank's report on China's bull market (seed 003)
YICAI_DATE_FACT = "yicai-hsi-article-date"  # documents row dating seed 001, which prints no date
YEAR_START = date(2025, 1, 1)
JANUARY_END = date(2025, 1, 31)
MERIT_CLOSES_FACT = "merit-300766-closes-2025-01-27"  # 300766.SZ's closes of 24 and 27 January 2025
CHINEXT_LIMIT_FACT = "chinext-price-limit"  # the ChiNext board's daily limit, percent


def yicai_article_day() -> date:
    """The day seed 001 (Yicai) was published, from its dated copy in the documents table."""
    return stated_day(YICAI_DATE_FACT)


def close_pct_of_limit(previous_close: float, close: float, limit_pct: float) -> float:
    """A close as a percent of the day's upper limit price, ``previous_close × (1 + limit_pct / 100)``:
    100 is a limit-up close (the exchange rounds the limit price to its tick, so within a tick of it)."""
    return 100 * close / (previous_close * (1 + limit_pct / 100))


def month_before(day: date) -> date:
    """The same day a calendar month earlier (the last day of that month when it is shorter)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    last = (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).day
    return date(year, month, min(day.day, last))


def hong_kong_values(article: date) -> dict[str, tuple[Any, str]]:
    """The Hang Seng's past month and its rise from the year's low, and the Hang Seng TECH's rise from
    its January low, to the last close on or before ``article`` (and, as the other reading, the close
    before that day): key -> (value, unit)."""
    hsi, tech = index_level("^HSI"), hang_seng_tech()
    low_day, low = low_between(hsi, YEAR_START, article)
    tech_low_day, tech_low = low_between(tech, YEAR_START, JANUARY_END)
    values: dict[str, tuple[Any, str]] = {
        "hsi_year_low_date": (low_day.isoformat(), "date"),
        "hstech_january_low_date": (tech_low_day.isoformat(), "date"),
        "hstech_january_low": (tech_low, "index points"),
    }
    for suffix, end in (("", article), ("__day-before", article - pd.Timedelta(days=1))):
        end_day, end_close = close_on_or_before(hsi, end)
        start_close = close_on_or_before(hsi, month_before(end_day))[1]
        values[f"hsi_month_change_pct{suffix}"] = (percent_change(start_close, end_close), "percent")
        values[f"hsi_rise_from_low_pct{suffix}"] = (percent_change(low, end_close), "percent")
        rise = percent_change(tech_low, close_on_or_before(tech, end)[1])
        values[f"hstech_rise_from_january_low_pct{suffix}"] = (rise, "percent")
    return values


def hang_seng_tech_day_values() -> dict[str, tuple[Any, str]]:
    """The Hang Seng TECH's change on Monday 27 January 2025, the report's day (and, as the other
    reading, on Friday 24 January), percent."""
    tech = hang_seng_tech()
    friday_before = close_on_or_before(tech, PRESS_REFERENCE - pd.Timedelta(days=1))[1]
    friday, monday = price_on(tech, PRESS_REFERENCE), price_on(tech, PRESS_EVENT)
    return {
        "hstech_day_change_pct": (percent_change(friday, monday), "percent"),
        "hstech_day_change_pct__day-before": (percent_change(friday_before, friday), "percent"),
    }


def world_values() -> dict[str, tuple[Any, str]]:
    """The articles' figures on markets outside the US: key -> (value, unit)."""
    stoxx50 = index_level("^STOXX50E")
    shanghai = world_close("000001.SS")
    csi300 = world_close("000300.SS")
    target = printed_figure(CSI_TARGET_CLAIM)
    crossing = first_close_at_or_above(shanghai, printed_figure(SHANGHAI_CLAIM), HOLIDAY_END)
    if crossing is None:
        raise UserError(f"000001.SS never closed at or above the printed level after {HOLIDAY_END}")
    hsi = index_level("^HSI")
    trough_day, trough = low_between(hsi, hsi.index[0].date(), CHINA_REPORT_DAY)
    return {
        "eurostoxx50_week_change_pct": (change(stoxx50, PRESS_REFERENCE, PRESS_WEEK_END), "percent"),
        "eurostoxx50_week_change_pct__to-thursday": (
            change(stoxx50, PRESS_REFERENCE, PRESS_WEEK_THURSDAY),
            "percent",
        ),
        "eurostoxx50_week_change_pct__broader-index": (
            change(index_level("^STOXX"), PRESS_REFERENCE, PRESS_WEEK_END),
            "percent",
        ),
        "shanghai_first_close_above_date": (crossing[0].isoformat(), "date"),
        "shanghai_low_after_crossing": (low_between(shanghai, crossing[0], SEASON_END)[1], "index points"),
        "csi300_upside_pct": (percent_change(price_on(csi300, GOLDMAN_NOTE_FRIDAY), target), "percent"),
        "csi300_upside_pct__note-day": (
            percent_change(price_on(csi300, GOLDMAN_NOTE_DAY), target),
            "percent",
        ),
        "hsi_trough_date": (trough_day.isoformat(), "date"),
        "hsi_trough_date__a-shares": (a_share_trough_date(), "date"),
        "hsi_trough": (trough, "index points"),
        "hsi_first_data_day": (f"{hsi.index[0]:%Y-%m-%d}", "date"),
        "hsi_worst_rank": (worst_rank("^HSI"), "rank"),
        "eurostoxx50_countries": (stated_figure(EUROSTOXX_FACT, "countries (eligible universe)"), "count"),
        "eurostoxx50_countries__constituents": (
            stated_figure(EUROSTOXX_FACT, "countries (constituents)"),
            "count",
        ),
        "major_indexes_compared": (len(MAJOR_INDEXES) + len(MAJOR_WORLD), "indexes"),
        "merit_close_pct_of_limit": (
            close_pct_of_limit(*stating(MERIT_CLOSES_FACT).figures, *stating(CHINEXT_LIMIT_FACT).figures),
            "percent",
        ),
        "yicai_article_date": (yicai_article_day().isoformat(), "date"),
        **hong_kong_values(yicai_article_day()),
        **hang_seng_tech_day_values(),
        "nasdaq100_companies": (company_count(nasdaq100_tickers()), "companies"),
        "nasdaq100_companies__securities": (len(nasdaq100_tickers()), "companies"),
    }


def nasdaq100_tickers() -> list[str]:
    """The Nasdaq-100's tickers on its latest list in the snapshot (a company's two classes: two lines)."""
    table = snapshot.shared_table("nasdaq100_members")
    latest = table["list_as_of"].max()
    return sorted(table[table["list_as_of"] == latest]["ticker"])


MAJOR_INDEXES = ("^GSPC", "^IXIC", "^NDX", "^RUT", "^STOXX50E", "^STOXX", "^HSI", "000001.SS", "000300.SS")
MAJOR_WORLD = ("^N225", "^GDAXI")  # the two in world_closes
LEADER_WINDOW = (date(2025, 2, 7), date(2025, 2, 28))  # the days seed 001 (undated) can have been written on
LEADER_WEEKS = ((date(2025, 1, 31), date(2025, 2, 7)), (date(2025, 2, 7), date(2025, 2, 14)))


def major_indexes() -> dict[str, pd.Series]:
    """The 11 major indexes in the data, by symbol (closes, index points)."""
    return {
        **{symbol: index_level(symbol) for symbol in MAJOR_INDEXES},
        **{symbol: world_close(symbol) for symbol in MAJOR_WORLD},
    }


def window_change(series: pd.Series, start: date, end: date) -> float:
    """Change from the last close on or before ``start`` to the last close on or before ``end``, percent."""
    return percent_change(close_on_or_before(series, start)[1], close_on_or_before(series, end)[1])


def rank_of(symbol: str, changes: dict[str, float]) -> int:
    """``symbol``'s rank among ``changes`` (1 for the largest)."""
    return sum(1 for value in changes.values() if value > changes[symbol]) + 1


def worst_rank(symbol: str) -> int:
    """``symbol``'s worst rank among the major indexes by one-month change to each of its trading days in
    ``LEADER_WINDOW`` and by change over each week of ``LEADER_WEEKS``."""
    indexes = major_indexes()
    own = indexes[symbol]
    ends = own[(own.index >= pd.Timestamp(LEADER_WINDOW[0])) & (own.index <= pd.Timestamp(LEADER_WINDOW[1]))]
    windows = [((end - pd.DateOffset(months=1)).date(), end.date()) for end in ends.index]
    ranks = [
        rank_of(symbol, {name: window_change(series, start, end) for name, series in indexes.items()})
        for start, end in [*windows, *LEADER_WEEKS]
    ]
    return max(ranks)


def a_share_trough_date() -> str:
    """The day of the Shanghai Composite's lowest close in the data up to the China report (ISO date)."""
    shanghai = index_level("000001.SS")
    return low_between(shanghai, shanghai.index[0].date(), CHINA_REPORT_DAY)[0].isoformat()
