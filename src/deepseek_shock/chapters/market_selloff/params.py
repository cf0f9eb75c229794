"""The sell-off chapter's parameters: the two closes the one-day moves run between."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from deepseek_shock.chapters.market_selloff.moves import checked_days
from deepseek_shock.chapters.parameters import NotebookParams


class MarketSelloffParams(NotebookParams):
    """Parameters of ``notebooks/market_selloff.ipynb``: the one-day moves across the market.

    Both dates must be days on which every series the chapter follows has a close in the snapshot.
    The articles' claims are always judged on the windows they name, whatever dates are chosen.
    """

    tables: ClassVar[tuple[str, ...]] = (
        "prices",
        "adj_close_secondary",
        "indexes",
        "shares_outstanding",
        "index_levels",
        "fund_closes",
        "long_histories",
        "nvda_2023",
        "world_closes",
        "hstech_closes",
        "sp500_constituents",
        "sp500_member_closes",
        "sp500_member_closes_secondary",
        "sp500_weights",
        "nasdaq100_members",
        "documents",
    )

    event_date: date = Field(date(2025, 1, 27), description="Trading day whose close ends the one-day moves")
    reference_date: date | None = Field(
        None, description="Trading day whose close starts the moves (empty: the previous trading day)"
    )

    @model_validator(mode="after")
    def _days_in_snapshot(self) -> MarketSelloffParams:
        checked_days(self.event_date, self.reference_date)
        return self
