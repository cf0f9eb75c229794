"""NVIDIA's market value through the week of 27 January 2025, and where each printed loss would put it.

The landing page's chart. Values are closes (USD per share) times the share count in force before the
event, the count the press figures are judged at, in USD billions; the printed losses are read from the
claims registry, never typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import pandas as pd

from deepseek_shock.chapters.market.event import PRESS_BASIS, PRESS_REFERENCE, PRESS_TICKER, PRESS_WEEK_END
from deepseek_shock.chapters.market.prices import price_series
from deepseek_shock.chapters.market.shares import BILLION, market_value_usd
from deepseek_shock.chapters.nvda_drawdown.press import VALUE_CLAIMS, PressEvent
from deepseek_shock.data.printed import printed_figure

LEAD_IN = timedelta(days=7)  # how far before the last close before the sell-off the chart starts


def week_values(event: PressEvent) -> pd.DataFrame:
    """NVIDIA at every close from a week before 24 January 2025 to the end of the sell-off's week.

    Columns ``date``, ``close`` (USD per share) and ``value_usd_b`` (the close times the count in force,
    USD billions), oldest first.
    """
    series = price_series(PRESS_TICKER, PRESS_BASIS)
    window = series.loc[pd.Timestamp(PRESS_REFERENCE - LEAD_IN) : pd.Timestamp(PRESS_WEEK_END)]
    return pd.DataFrame(
        {
            "date": window.index,
            "close": window.to_numpy(),
            "value_usd_b": [market_value_usd(price, event.in_force) / BILLION for price in window],
        }
    )


def printed_loss_marks(event: PressEvent, claim_ids: Iterable[str] = VALUE_CLAIMS) -> pd.DataFrame:
    """Each printed one-day loss and the value at the 27 January close it implies.

    Columns ``claim``, ``printed_loss_usd_b`` (as the registry records it) and ``implied_value_usd_b``:
    the value at the 24 January close minus the printed loss (USD billions). Sorted by the loss.
    """
    before = market_value_usd(event.one_day.start_price, event.in_force) / BILLION
    rows = [(claim_id, printed_figure(claim_id)) for claim_id in claim_ids]
    marks = pd.DataFrame(rows, columns=["claim", "printed_loss_usd_b"])
    marks["implied_value_usd_b"] = before - marks["printed_loss_usd_b"]
    return marks.sort_values("printed_loss_usd_b", ignore_index=True)
