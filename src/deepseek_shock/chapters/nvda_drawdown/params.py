"""The NVIDIA-drawdown chapter's parameters: one ticker's move between two closes, its count and basis."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from deepseek_shock.chapters.market.prices import checked_window
from deepseek_shock.chapters.parameters import NotebookParams


class NvdaDrawdownParams(NotebookParams):
    """Parameters of ``notebooks/nvda_drawdown.ipynb``: one stock's close-to-close move on one day.

    Prices are in USD per share, share counts in shares. The ticker and both dates are checked against
    the data snapshot before anything runs. The articles' NVIDIA figures are always reproduced for the
    event they describe (24 to 27 January 2025), whatever ticker or dates are chosen.
    """

    tables: ClassVar[tuple[str, ...]] = (
        "prices",
        "adj_close_secondary",
        "shares_outstanding",
        "nvda_2023",
        "nvda_quarters",
        "usd_cny",
        "sp500_member_closes",
        "sp500_member_shares",
        "documents",
    )

    ticker: str = Field("NVDA", min_length=1, description="US ticker symbol, as in the data snapshot")
    event_date: date = Field(date(2025, 1, 27), description="Trading day whose close ends the move")
    reference_date: date | None = Field(
        None, description="Trading day whose close starts the move (empty: the previous trading day)"
    )
    share_count: Literal["in_force", "published", "next"] = Field(
        "in_force",
        description="Share count from the snapshot: in_force (latest dated on or before reference_date), "
        "published (latest filed by then) or next (first dated after event_date)",
    )
    shares_outstanding: float | None = Field(
        None, gt=0, description="Shares outstanding to use instead of the snapshot's (listed shares)"
    )
    price_basis: Literal["close", "adj_close", "adj_close_secondary"] = Field(
        "close",
        description="close (split-adjusted, not dividend-adjusted), adj_close (also dividend-adjusted) or "
        "adj_close_secondary (the secondary source's adjusted close)",
    )

    @field_validator("ticker", mode="before")
    @classmethod
    def _upper_case(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _days_in_snapshot(self) -> NvdaDrawdownParams:
        checked_window(self.ticker, self.price_basis, self.event_date, self.reference_date)
        return self
