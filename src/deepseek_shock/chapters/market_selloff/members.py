"""The articles' S&P 500 figures rebuilt from the index's members: sector moves, weights, contributions.

Every figure uses the method of ``deepseek_shock.chapters.market.sp500`` (IVV weights rolled with each
member's adjusted close to the window's first day). Percent, percentage points or index points.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from deepseek_shock.chapters.market import sp500
from deepseek_shock.chapters.market.event import (
    PRESS_EVENT,
    PRESS_REFERENCE,
    PRESS_WEEK_END,
    PRESS_WEEK_THURSDAY,
)
from deepseek_shock.chapters.market.levels import fund_close, index_level
from deepseek_shock.chapters.market.prices import percent_change, price_on
from deepseek_shock.data.printed import printed_figure

SECTORS = {  # GICS sector -> (key stem, its SPDR sector fund)
    "Information Technology": ("it", "XLK"),
    "Utilities": ("utilities", "XLU"),
    "Industrials": ("industrials", "XLI"),
}
NVIDIA = ("NVDA",)
NVIDIA_AND_FOUR = ("NVDA", "MSFT", "GOOGL", "GOOG", "AMZN", "META")  # seed 002: NVIDIA and its four customers
MAGNIFICENT_SEVEN = ("AAPL", "MSFT", "GOOGL", "GOOG", "AMZN", "META", "NVDA", "TSLA")
BLUE_CHIPS = ("JNJ", "AAPL", "KO", "NKE")  # seed 004's risers
END_2022 = date(2022, 12, 30)  # the last close of 2022 ("since the end of 2022")
TWO_YEARS_BEFORE = date(2023, 1, 24)  # two years before the Friday before seed 002's report
END_2023 = date(2023, 12, 29)
END_2024 = date(2024, 12, 31)
FIVE_POINTS_CLAIM = "nvda-and-four-customers-700-points"  # the article's own 700 points


def points_contributed(tickers: tuple[str, ...], start: date, end: date) -> float:
    """Index points ``tickers`` added to the S&P 500 from ``start``'s close to ``end``'s: the index level
    at ``start`` times their buy-and-hold contribution (weights as of ``start``, total returns)."""
    weights = sp500.index_weights(start, restrict_to=None)
    moves = sp500.returns(sp500.member_closes(), start, end)
    share = sp500.contributions(weights, moves).reindex(list(tickers)).fillna(0).sum() / 100
    return float(price_on(index_level("^GSPC"), start) * share)


def share_of_return(tickers: tuple[str, ...], start: date, end: date, whole: float | None = None) -> float:
    """``tickers``' contribution as a percentage of the index's return from ``start`` to ``end``; the
    index's return is the rebuilt one, or ``whole`` (percent) when given."""
    weights = sp500.index_weights(start, restrict_to=None)
    moves = sp500.returns(sp500.member_closes(), start, end)
    parts = sp500.contributions(weights, moves)
    total = sp500.rebuilt_return(weights, moves) if whole is None else whole
    return 100 * float(parts.reindex(list(tickers)).fillna(0).sum()) / total


def member_values() -> dict[str, tuple[Any, str]]:
    """The articles' S&P 500 figures on the windows they name: key -> (value, unit)."""
    closes = sp500.member_closes()
    day_moves = sp500.returns(closes, PRESS_REFERENCE, PRESS_EVENT)
    on_friday = sp500.index_weights(PRESS_REFERENCE)
    unrolled = sp500.index_weights(sp500.holdings_for(PRESS_REFERENCE))
    gspc = index_level("^GSPC")
    friday_level = price_on(gspc, PRESS_REFERENCE)
    rising, risen, priced = sp500.share_rising(PRESS_REFERENCE, PRESS_EVENT)
    five = points_contributed(NVIDIA_AND_FOUR, END_2022, PRESS_REFERENCE)
    listed = sp500.members()
    values: dict[str, tuple[Any, str]] = {
        "sp500_it_day_decline_pct": (
            -sp500.sector_return("Information Technology", PRESS_REFERENCE, PRESS_EVENT),
            "percent",
        ),
        "sp500_it_day_decline_pct__secondary": (
            -sp500.sector_return("Information Technology", PRESS_REFERENCE, PRESS_EVENT, secondary=True),
            "percent",
        ),
        "sp500_rebuilt_day_change_pct": (
            sp500.rebuilt_return(on_friday, day_moves),
            "percent",
        ),
        "sp500_share_rising_pct": (rising, "percent"),
        "sp500_share_rising_pct__secondary": (
            sp500.share_rising(PRESS_REFERENCE, PRESS_EVENT, secondary=True)[0],
            "percent",
        ),
        "sp500_members_risen": (risen, "stocks"),
        "sp500_members_priced": (priced, "stocks"),
        "sp500_weight_covered_pct": (on_friday.covered_pct, "percent"),
        "nvda_weight_pct": (on_friday.of(NVIDIA), "percent"),
        "nvda_weight_pct__holdings-date": (unrolled.of(NVIDIA), "percent"),
        "top_seven_weight_pct": (float(on_friday.largest_companies(7).sum()), "percent"),
        "top_seven_weight_pct__holdings-date": (float(unrolled.largest_companies(7).sum()), "percent"),
        "top_seven_companies": (", ".join(on_friday.largest_companies(7).index), "text"),
        "nvda_weight_end_2022_pct": (sp500.index_weights(END_2022, restrict_to=None).of(NVIDIA), "percent"),
        "nvda_share_of_ytd_return_pct": (share_of_return(NVIDIA, END_2024, PRESS_REFERENCE), "percent"),
        "nvda_share_of_ytd_return_pct__index-level": (
            share_of_return(
                NVIDIA, END_2024, PRESS_REFERENCE, percent_change(price_on(gspc, END_2024), friday_level)
            ),
            "percent",
        ),
        "five_points_since_2022": (five, "index points"),
        "five_points_since_2022__two-years": (
            points_contributed(NVIDIA_AND_FOUR, TWO_YEARS_BEFORE, PRESS_REFERENCE),
            "index points",
        ),
        "printed_ex_five_fall_pct": (100 * printed_figure(FIVE_POINTS_CLAIM) / friday_level, "percent"),
        "printed_ex_five_fall_pct__measured": (100 * five / friday_level, "percent"),
        "nvda_points_share_of_level_pct": (
            100 * points_contributed(NVIDIA, END_2022, PRESS_REFERENCE) / friday_level,
            "percent",
        ),
        "nvda_points_share_of_level_pct__monday": (
            100 * points_contributed(NVIDIA, END_2022, PRESS_EVENT) / price_on(gspc, PRESS_EVENT),
            "percent",
        ),
        "seven_share_of_2024_return_pct": (share_of_return(MAGNIFICENT_SEVEN, END_2023, END_2024), "percent"),
        "seven_share_of_2024_return_pct__fund": (
            share_of_return(
                MAGNIFICENT_SEVEN,
                END_2023,
                END_2024,
                percent_change(
                    price_on(fund_close("SPY", "adj_close"), END_2023),
                    price_on(fund_close("SPY", "adj_close"), END_2024),
                ),
            ),
            "percent",
        ),
        "sp500_securities": (len(listed), "count"),
        "sp500_securities__companies": (sp500.company_count(listed.index), "count"),
        "blue_chips_smallest_rise_pct": (float(day_moves[list(BLUE_CHIPS)].min()), "percent"),
        "worst_fallers_share_pct": (
            100 * float((day_moves < day_moves[["NVDA", "AVGO"]].max()).sum()) / len(day_moves),
            "percent",
        ),
    }
    for sector, (stem, fund) in SECTORS.items():
        week = sp500.sector_return(sector, PRESS_REFERENCE, PRESS_WEEK_END)
        values[f"sp500_{stem}_week_change_pct"] = (week, "percent")
        values[f"sp500_{stem}_week_change_pct__to-thursday"] = (
            sp500.sector_return(sector, PRESS_REFERENCE, PRESS_WEEK_THURSDAY),
            "percent",
        )
        values[f"sp500_{stem}_week_change_pct__secondary"] = (
            sp500.sector_return(sector, PRESS_REFERENCE, PRESS_WEEK_END, secondary=True),
            "percent",
        )
        closes_of_fund = fund_close(fund)
        values[f"sp500_{stem}_week_change_pct__fund"] = (
            percent_change(
                price_on(closes_of_fund, PRESS_REFERENCE), price_on(closes_of_fund, PRESS_WEEK_END)
            ),
            "percent",
        )
    return values
