"""The articles' market figures, reproduced on the windows they name, and the run's own day.

The claims are judged on the windows the articles name (e.g. 24 → 27 January 2025, the week to 31
January 2025, calendar 2024), whatever dates a run of the chapter explores. Changes in percent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from deepseek_shock.chapters.market.event import PRESS_EVENT, PRESS_REFERENCE, PRESS_WEEK_END
from deepseek_shock.chapters.market.levels import largest_fall
from deepseek_shock.chapters.market_selloff.histories import history_values
from deepseek_shock.chapters.market_selloff.macro import macro_values
from deepseek_shock.chapters.market_selloff.members import member_values
from deepseek_shock.chapters.market_selloff.moves import (
    BIG_FIVE,
    LEVERAGED,
    OTHERS,
    PREMARKET,
    adjusted,
    average_change,
    change_over,
    change_pct,
    change_points,
    checked_days,
    closes,
    first_close_on_or_after,
    last_close_before,
    one_day_moves,
    open_change_pct,
    series_by_symbol,
)
from deepseek_shock.chapters.market_selloff.overnight import overnight_values
from deepseek_shock.chapters.market_selloff.params import MarketSelloffParams
from deepseek_shock.chapters.market_selloff.volumes import volume_values
from deepseek_shock.chapters.market_selloff.world import world_values

YEAR_2024 = (date(2024, 1, 1), date(2025, 1, 1))  # seed 003's "2024"
FEBRUARY_2025 = (date(2025, 2, 1), date(2025, 3, 1))  # seed 003's "all of February"
START_OF_2024 = date(2024, 1, 1)  # seed 002's "since the start of 2024"


def named_stocks_value_change(start: date, end: date) -> tuple[float, int]:
    """Net market-value change of the followed stocks with a usable count, USD billions, and how many."""
    moves = one_day_moves(start, end)
    valued = moves["value_change_usd_b"].dropna()
    return float(valued.sum()), int(valued.size)


def press_values() -> dict[str, tuple[Any, str]]:
    """The articles' market figures reproduced on the windows they name: key -> (value, unit)."""

    def day(symbol: str) -> float:
        return change_pct(series_by_symbol(symbol), PRESS_REFERENCE, PRESS_EVENT)

    def week(symbol: str) -> float:
        return change_pct(series_by_symbol(symbol), PRESS_REFERENCE, PRESS_WEEK_END)

    nvda, nasdaq, soxl, nvdl = (series_by_symbol(s) for s in ("NVDA", "NASDAQCOM", "SOXL", "NVDL"))
    first_2024 = first_close_on_or_after(nvda, START_OF_2024)
    last_2023 = last_close_before(nvda, START_OF_2024)
    nvdl_closes = closes(nvdl)
    nvdl_day, nvdl_fall = largest_fall(nvdl_closes, nvdl_closes.index[0].date(), nvdl_closes.index[-1].date())
    net, valued = named_stocks_value_change(PRESS_REFERENCE, PRESS_EVENT)
    values: dict[str, tuple[Any, str]] = {
        "press_avgo_decline_pct": (-day("AVGO"), "percent"),
        "press_mu_decline_pct": (-day("MU"), "percent"),
        "press_djia_change_pct": (day("DJIA"), "percent"),
        "press_djia_change_points": (
            change_points(series_by_symbol("DJIA"), PRESS_REFERENCE, PRESS_EVENT),
            "index points",
        ),
        "press_sp500_decline_pct": (-day("SP500"), "percent"),
        "press_xlk_decline_pct": (-day("XLK"), "percent"),
        "press_soxl_decline_pct": (-day("SOXL"), "percent"),
        "press_nvdl_decline_pct": (-day("NVDL"), "percent"),
        "press_soxl_since_2023_pct": (
            change_pct(soxl, last_close_before(soxl, START_OF_2024), PRESS_EVENT),
            "percent",
        ),
        "press_nvdl_largest_fall_date": (nvdl_day.isoformat(), "date"),
        "press_nvdl_largest_fall_pct": (nvdl_fall, "percent"),
        "press_nvdl_first_date": (f"{nvdl_closes.index[0]:%Y-%m-%d}", "date"),
        "press_week_nasdaq_decline_pct": (-week("NASDAQCOM"), "percent"),
        "press_week_sp500_change_pct": (week("SP500"), "percent"),
        "press_week_xlk_decline_pct": (-week("XLK"), "percent"),
        "press_since_2024_first_close": (first_2024.isoformat(), "date"),
        "press_since_2024_nvda_pct": (change_pct(nvda, first_2024, PRESS_REFERENCE), "percent"),
        "press_since_2024_nasdaq_pct": (change_pct(nasdaq, first_2024, PRESS_REFERENCE), "percent"),
        "press_since_2023_close_nvda_pct": (change_pct(nvda, last_2023, PRESS_REFERENCE), "percent"),
        "press_since_2024_nvda_pct__year-end-base": (change_pct(nvda, last_2023, PRESS_REFERENCE), "percent"),
        "press_since_2024_nasdaq_pct__year-end-base": (
            change_pct(nasdaq, last_2023, PRESS_REFERENCE),
            "percent",
        ),
        "press_since_2023_close_nasdaq_pct": (change_pct(nasdaq, last_2023, PRESS_REFERENCE), "percent"),
        "press_2024_nvda_pct": (change_over(nvda, *YEAR_2024), "percent"),
        "press_2024_big_five_pct": (average_change(map(adjusted, BIG_FIVE), *YEAR_2024), "percent"),
        "press_2024_spy_total_return_pct": (change_over(adjusted("SPY"), *YEAR_2024), "percent"),
        "press_2024_sp500_price_pct": (change_over(series_by_symbol("SP500"), *YEAR_2024), "percent"),
        "press_named_net_value_loss_usd_b": (-net, "USD billion"),
        "press_named_valued_stocks": (valued, "stocks"),
    }
    for symbol in BIG_FIVE:
        values[f"press_2024_{symbol.lower()}_pct"] = (change_over(adjusted(symbol), *YEAR_2024), "percent")
    for symbol in ("MSFT", "GOOGL", "AMZN"):
        values[f"press_feb_{symbol.lower()}_decline_pct"] = (
            -change_over(series_by_symbol(symbol), *FEBRUARY_2025),
            "percent",
        )
    for symbol in PREMARKET:
        opening = open_change_pct(symbol, PRESS_REFERENCE, PRESS_EVENT)
        values[f"press_open_{symbol.lower()}_decline_pct"] = (
            None if opening is None else -opening,
            "percent",
        )
        values[f"press_close_{symbol.lower()}_decline_pct"] = (-day(symbol), "percent")
    return values


def run_values(params: MarketSelloffParams) -> dict[str, tuple[Any, str]]:
    """The run's one-day moves (its own dates) for every followed series: key -> (value, unit)."""
    start, end = checked_days(params.event_date, params.reference_date)
    moves = one_day_moves(start, end)
    values: dict[str, tuple[Any, str]] = {
        "reference_date": (start.isoformat(), "date"),
        "event_date": (end.isoformat(), "date"),
        "djia_change_points": (change_points(series_by_symbol("DJIA"), start, end), "index points"),
    }
    for row in moves.itertuples():
        values[f"move_pct_{row.symbol.lower()}"] = (row.change_pct, "percent")
    falls = moves[(moves["group"] != LEVERAGED) & (moves["group"] != OTHERS)].sort_values("change_pct")
    values["weakest_symbol"] = (falls.iloc[0]["symbol"], "text")
    values["weakest_change_pct"] = (falls.iloc[0]["change_pct"], "percent")
    values["stocks_down"] = (int((falls["change_pct"] < 0).sum()), "stocks")
    values["stocks_followed"] = (int(len(falls)), "stocks")
    return values


def chapter_values(params: MarketSelloffParams) -> dict[str, tuple[Any, str]]:
    """Every number the sell-off chapter publishes under ``params``: key -> (value, unit)."""
    return {
        **run_values(params),
        **press_values(),
        **member_values(),
        **world_values(),
        **overnight_values(),
        **volume_values(),
        **history_values(),
        **macro_values(),
    }
