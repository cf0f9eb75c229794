"""Long windows behind the articles' words: records, worst days, years of gains, the week on ^NDX.

Closes in index points or USD per share; changes in percent; a record is judged within the data's
window, which each value's companion key states.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Any

import pandas as pd

from deepseek_shock.chapters.dates import period_end, years_between
from deepseek_shock.chapters.market.event import (
    PRESS_EVENT,
    PRESS_REFERENCE,
    PRESS_WEEK_END,
    PRESS_WEEK_THURSDAY,
)
from deepseek_shock.chapters.market.levels import (
    change,
    close_on_or_before,
    fund_close,
    index_level,
    largest_fall,
    last_fall_as_large,
    long_history,
    nvda_since_2022,
    record_closes,
    world_close,
)
from deepseek_shock.chapters.market.prices import percent_change, price_on, price_series
from deepseek_shock.data import snapshot
from deepseek_shock.data.documents import stated_day, stating
from deepseek_shock.errors import UserError

CHATGPT_RELEASE = date(2022, 11, 30)  # ChatGPT's public release (seed 000: "since ChatGPT")
YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))
POWER_AND_DATA_CENTRES = ("CEG", "VST", "ETN", "DLR")  # seeds 000 and 002 name them
HYPERSCALERS_AS_PRINTED = ("MSFT", "META", "GOOGL", "AMZN")  # seed 003: "微软、Meta、谷歌、亚马逊先后"
FILING_DOCUMENTS = {"META": "meta-10k-2024-filed"}  # filings the share-count table lacks, dated by a document
IT_PREVIOUS_FALL = "sp500-tech-previous-larger-fall"  # AP: the sector's last fall as large, a month
RECOVERY_END = date(2025, 3, 31)  # the last price in the snapshot's daily prices


def years_rising(series_closes: pd.Series, last_year: int) -> int:
    """Consecutive calendar years ending with ``last_year`` in which ``series_closes`` rose (year-end
    close over the previous year-end close)."""
    count = 0
    year = last_year
    while True:
        if series_closes.index[0] > pd.Timestamp(date(year - 1, 12, 31)):
            return count  # the data start: no earlier year-end to compare with
        start_day, start = close_on_or_before(series_closes, date(year - 1, 12, 31))
        end = close_on_or_before(series_closes, date(year, 12, 31))[1]
        if start_day.year != year - 1 or end <= start:
            return count
        count += 1
        year -= 1


def recovered_share_pct(column: str) -> float:
    """How much of NVIDIA's fall of 27 January 2025 its best later price (``high`` or ``close``, to the
    end of the snapshot) won back, percent of the fall (above 100: it passed Friday's close)."""
    prices = snapshot.shared_table("prices")
    rows = prices[(prices["ticker"] == "NVDA") & (prices["date"] > PRESS_EVENT.isoformat())]
    rows = rows[rows["date"] <= RECOVERY_END.isoformat()]
    closes = price_series("NVDA", "close")
    before, after = price_on(closes, PRESS_REFERENCE), price_on(closes, PRESS_EVENT)
    return 100 * (float(rows[column].max()) - after) / (before - after)


def first_filing_after(ticker: str, day: date) -> date:
    """The filing date of ``ticker``'s first SEC report (10-Q or 10-K) filed after ``day``, from the
    share-count table's filing dates."""
    counts = snapshot.shared_table("shares_outstanding")
    rows = counts[(counts["ticker"] == ticker) & (counts["filed"] > pd.Timestamp(day))]
    if rows.empty:
        raise UserError(f"shares_outstanding: no {ticker} filing after {day}")
    return rows["filed"].min().date()


def results_filed(ticker: str) -> date:
    """The date ``ticker`` filed its first SEC report after 24 January 2025, the one that carries its
    December-quarter results: from the share-count table, or from a document for a filing it lacks."""
    if ticker in FILING_DOCUMENTS:
        return stated_day(FILING_DOCUMENTS[ticker])
    return first_filing_after(ticker, PRESS_REFERENCE)


def out_of_order(days: Sequence[date]) -> int:
    """How many of ``days`` fall before the day listed just ahead of them (0: in order; ties count as
    in order)."""
    return sum(later < earlier for earlier, later in pairwise(days))


def history_values() -> dict[str, tuple[Any, str]]:
    """Records, worst days and long windows: key -> (value, unit)."""
    ndx, ixic, gspc = index_level("^NDX"), index_level("^IXIC"), index_level("^GSPC")
    nvda = nvda_since_2022()
    nvdl = long_history("NVDL")
    xlk = fund_close("XLK", "adj_close")
    day_changes = {
        symbol: percent_change(
            price_on(price_series(symbol, "close"), PRESS_REFERENCE),
            price_on(price_series(symbol, "close"), PRESS_EVENT),
        )
        for symbol in POWER_AND_DATA_CENTRES
    }
    prices = snapshot.shared_table("prices")
    asml = prices[(prices["ticker"] == "ASML") & (prices["date"] == PRESS_EVENT.isoformat())]
    return {
        "ndx_week_decline_pct": (-change(ndx, PRESS_REFERENCE, PRESS_WEEK_END), "percent"),
        "ndx_week_decline_pct__composite": (-change(ixic, PRESS_REFERENCE, PRESS_WEEK_END), "percent"),
        "ndx_week_decline_pct__to-thursday": (-change(ndx, PRESS_REFERENCE, PRESS_WEEK_THURSDAY), "percent"),
        "apple_microsoft_results_filed": (
            max(first_filing_after(ticker, PRESS_REFERENCE) for ticker in ("AAPL", "MSFT")).isoformat(),
            "date",
        ),
        "microsoft_meta_results_filed": (
            max(results_filed(ticker) for ticker in ("MSFT", "META")).isoformat(),
            "date",
        ),
        "hyperscaler_results_out_of_order": (
            out_of_order([results_filed(ticker) for ticker in HYPERSCALERS_AS_PRINTED]),
            "count",
        ),
        "it_sector_years_since_larger_fall": (
            years_between(period_end(str(stating(IT_PREVIOUS_FALL, "date").date)), PRESS_EVENT),
            "years",
        ),
        "it_sector_years_since_larger_fall__fund-record": (
            years_between(last_fall_as_large(world_close("XLK", "adj_close"), PRESS_EVENT), PRESS_EVENT),
            "years",
        ),
        "ixic_record_closes_2024": (len(record_closes(ixic, *YEAR_2024)), "days"),
        "ixic_first_data_day": (f"{ixic.index[0]:%Y-%m-%d}", "date"),
        "sp500_years_rising": (years_rising(gspc, 2024), "years"),
        "ai_worst_day_since_chatgpt": (
            largest_fall(nvda, CHATGPT_RELEASE, PRESS_EVENT)[0].isoformat(),
            "date",
        ),
        "ai_worst_day_since_chatgpt__stand-in": (
            largest_fall(xlk, CHATGPT_RELEASE, PRESS_EVENT)[0].isoformat(),
            "date",
        ),
        "nvda_first_data_day": (f"{nvda.index[0]:%Y-%m-%d}", "date"),
        "nvdl_worst_day": (largest_fall(nvdl, nvdl.index[0].date(), PRESS_EVENT)[0].isoformat(), "date"),
        "nvdl_first_data_day": (f"{nvdl.index[0]:%Y-%m-%d}", "date"),
        "power_largest_change_pct": (max(day_changes.values()), "percent"),
        "asml_open_decline_pct": (
            -percent_change(
                price_on(price_series("ASML", "close"), PRESS_REFERENCE), float(asml["open"].iloc[0])
            ),
            "percent",
        ),
        "nvda_recovered_share_pct": (recovered_share_pct("high"), "percent"),
        "nvda_recovered_share_pct__close": (recovered_share_pct("close"), "percent"),
    }
