"""One stock's fall on one day, in price and in market value: the run a reader's parameters choose.

Prices are daily closes from the snapshot in USD per share; a market value is a close times a share
count from an SEC filing, in USD; values are published in USD billions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deepseek_shock.chapters.market.prices import PRICE_LABELS, Move, checked_window, price_move
from deepseek_shock.chapters.market.shares import (
    BILLION,
    ShareCount,
    market_value_usd,
    share_count,
    share_count_text,
)
from deepseek_shock.chapters.nvda_drawdown.params import NvdaDrawdownParams


@dataclass(frozen=True)
class Drawdown:
    """A run's move and, when a usable count exists, its market values."""

    move: Move
    count: ShareCount | None

    @property
    def valued(self) -> bool:
        """Whether market values are computed (a usable count exists)."""
        return self.count is not None and self.count.usable

    def values_usd_b(self) -> tuple[float, float, float] | None:
        """(value at the reference close, value at the event close, change), USD billions; or ``None``."""
        if not self.valued:
            return None
        assert self.count is not None
        before = market_value_usd(self.move.start_price, self.count) / BILLION
        after = market_value_usd(self.move.end_price, self.count) / BILLION
        return before, after, after - before


def drawdown(params: NvdaDrawdownParams) -> Drawdown:
    """The run's move from the reference close to the event close, and the share count it uses."""
    reference, event = checked_window(
        params.ticker, params.price_basis, params.event_date, params.reference_date
    )
    move = price_move(params.ticker, params.price_basis, reference, event)
    count = share_count(params.ticker, params.share_count, reference, event, params.shares_outstanding)
    return Drawdown(move, count)


def value_text(result: Drawdown) -> str:
    """One or two sentences on the market value: the values and the change, or why there are none."""
    move, count = result.move, result.count
    source_text = share_count_text(count, move.ticker, count.origin if count else "in_force")
    values = result.values_usd_b()
    if values is None:
        return source_text
    before, after, change = values
    verb, noun = ("fell", "a loss") if change < 0 else ("rose", "a gain")
    basis_note = (
        " On an adjusted price basis the values sit slightly off the traded market value."
        if move.basis != "close"
        else ""
    )
    return (
        f"{source_text} At that count {move.ticker}'s market value {verb} from USD {before:,.1f} billion at "
        f"the close of {move.start} to USD {after:,.1f} billion at the close of {move.end}, {noun} of "
        f"USD {abs(change):,.1f} billion.{basis_note}"
    )


def run_values(result: Drawdown) -> dict[str, tuple[Any, str]]:
    """The run's own numbers (its ticker, dates, count): key -> (value, unit)."""
    move, count = result.move, result.count
    values = result.values_usd_b()
    before, after, change = values if values is not None else (None, None, None)
    return {
        "ticker": (move.ticker, "text"),
        "reference_date": (move.start.isoformat(), "date"),
        "event_date": (move.end.isoformat(), "date"),
        "price_basis": (move.basis, "text"),
        "price_basis_label": (PRICE_LABELS[move.basis], "text"),
        "reference_price": (move.start_price, "USD per share"),
        "event_price": (move.end_price, "USD per share"),
        "price_change": (move.change, "USD per share"),
        "move_pct": (move.change_pct, "percent"),
        "share_count_origin": (count.origin if count else None, "text"),
        "share_count_as_of": (count.as_of.isoformat() if count and count.as_of else None, "date"),
        "shares_used": (count.listed_shares if result.valued and count else None, "shares"),
        "reference_value_usd_b": (before, "USD billion"),
        "event_value_usd_b": (after, "USD billion"),
        "value_change_usd_b": (change, "USD billion"),
        "value_text": (value_text(result), "text"),
    }
