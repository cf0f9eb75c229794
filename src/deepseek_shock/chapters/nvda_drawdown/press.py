"""The press's NVIDIA figures reconciled: the event of 27 January 2025, the losses and falls the printed
figures could stand for, and the largest one-day losses the snapshot can measure.

The articles' figures are about one fixed event, so they are always reproduced for it, whatever ticker
or dates a run of the chapter explores. Money in USD billions, falls in percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from deepseek_shock.chapters.checks import positive as _finite_positive
from deepseek_shock.chapters.market.event import (
    PRESS_BASIS,
    PRESS_EVENT,
    PRESS_REFERENCE,
    PRESS_TICKER,
    PRESS_WEEK_END,
)
from deepseek_shock.chapters.market.prices import (
    Move,
    open_move,
    price_frame,
    price_move,
    price_on,
    price_series,
)
from deepseek_shock.chapters.market.shares import (
    BILLION,
    ShareCount,
    market_value_usd,
    share_count,
    shares_per_listed_share,
    split_problem,
    value_change_usd,
)
from deepseek_shock.chapters.nvda_drawdown.drawdown import drawdown, run_values
from deepseek_shock.chapters.nvda_drawdown.history import history_values
from deepseek_shock.chapters.nvda_drawdown.params import NvdaDrawdownParams
from deepseek_shock.data import snapshot
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError

# Claims this chapter reconciles (ids in data/claims.yaml).
VALUE_CLAIMS = ("nvda-value-loss-590b", "nvda-value-loss-5927", "nvda-value-loss-nearly-600b")
DECLINE_CLAIMS = (
    "nvda-fall-16pct-last-week",
    "nvda-fall-17pct-jan-27",
    "nvda-fall-17pct-wsj",
    "nvda-premarket-fall-12pct",
)


def implied_share_count(loss_usd: float, move: Move) -> float:
    """Shares at which ``move``'s price fall gives a market-value loss of ``loss_usd`` USD."""
    if move.change >= 0:
        raise UserError(f"{move.ticker} did not fall from {move.start} to {move.end}: no share count implied")
    return _finite_positive("loss", loss_usd) / -move.change


def implied_end_price(start_price: float, decline_pct: float) -> float:
    """The price (USD per share) that is ``decline_pct`` percent below ``start_price``."""
    return _finite_positive("start price", start_price) * (1 - float(decline_pct) / 100)


def nearest_price(prices: pd.Series, price: float) -> tuple[str, float]:
    """The label and value of the entry of ``prices`` (labelled prices, USD per share) nearest ``price``."""
    if prices.empty:
        raise UserError("no prices to compare with")
    label = (prices - price).abs().idxmin()
    return str(label), float(prices.loc[label])


def months_between(earlier: date, later: date) -> int:
    """Calendar months from ``earlier``'s month to ``later``'s month (October 2024 to January 2025: 3)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def last_close_at_or_below(series: pd.Series, day: date) -> tuple[date, float] | None:
    """The latest trading day before ``day`` whose price is at or below ``day``'s, or ``None``."""
    level = price_on(series, day)
    earlier = series[(series.index < pd.Timestamp(day)) & (series <= level)]
    if earlier.empty:
        return None
    return earlier.index[-1].date(), float(earlier.iloc[-1])


@dataclass(frozen=True)
class PressEvent:
    """NVIDIA on 24, 27 and 31 January 2025, and the two share counts around the event."""

    one_day: Move
    week: Move
    opening: Move
    in_force: ShareCount
    next_count: ShareCount


def press_event() -> PressEvent:
    """The fixed event the articles describe, reproduced from the snapshot."""
    one_day = price_move(PRESS_TICKER, PRESS_BASIS, PRESS_REFERENCE, PRESS_EVENT)
    week = price_move(PRESS_TICKER, PRESS_BASIS, PRESS_REFERENCE, PRESS_WEEK_END)
    in_force = share_count(PRESS_TICKER, "in_force", PRESS_REFERENCE, PRESS_EVENT)
    next_count = share_count(PRESS_TICKER, "next", PRESS_REFERENCE, PRESS_EVENT)
    if in_force is None or next_count is None:
        raise UserError(
            f"shares_outstanding: the snapshot lacks {PRESS_TICKER}'s counts around {PRESS_EVENT}"
        )
    return PressEvent(
        one_day, week, open_move(PRESS_TICKER, PRESS_REFERENCE, PRESS_EVENT), in_force, next_count
    )


def value_candidates(event: PressEvent) -> dict[str, float]:
    """The market-value losses a dollar figure could stand for, USD billions (positive for a loss)."""
    return {
        f"Mon 24→27 Jan, {event.in_force.form} count": -value_change_usd(event.one_day, event.in_force)
        / BILLION,
        f"Mon 24→27 Jan, {event.next_count.form} count": -value_change_usd(event.one_day, event.next_count)
        / BILLION,
        f"Week 24→31 Jan, {event.in_force.form} count": -value_change_usd(event.week, event.in_force)
        / BILLION,
    }


def decline_candidates(event: PressEvent) -> dict[str, float]:
    """The falls a percentage figure could stand for, percent (positive for a fall)."""
    return {
        "Mon 24→27 Jan": event.one_day.decline_pct,
        "Week 24→31 Jan": event.week.decline_pct,
        "24 Jan close → 27 Jan open": event.opening.decline_pct,
    }


@dataclass(frozen=True)
class CitedLoss:
    """A one-day market-value loss reported by the press, cited (not reproduced from the snapshot)."""

    company: str
    day: date
    loss_usd_b: float
    source: str


# Press reports of earlier record one-day losses, cited for comparison (USD billions).
CITED_LOSSES: tuple[CitedLoss, ...] = (
    # "Meta ... lost more than $232 billion in value Feb. 3": https://san.com/cc/facebook-parent-meta-lost-232-billion-in-value-in-one-day/
    CitedLoss(
        "Meta Platforms",
        date(2022, 2, 3),
        232.0,
        "https://san.com/cc/facebook-parent-meta-lost-232-billion-in-value-in-one-day/",
    ),
    # "Nvidia shares plunged 9.5% on September 3 ... wiping out $279 billion" (Reuters, as reprinted)
    CitedLoss(
        "NVIDIA",
        date(2024, 9, 3),
        279.0,
        "https://businessnews.com.my/2024/09/04/nvidia-record-loss-market-value/",
    ),
)


@snapshot.memoized("prices", "adj_close_secondary", "shares_outstanding")
def daily_value_changes(basis: str = PRESS_BASIS) -> pd.DataFrame:
    """Every one-day market-value change the snapshot can measure, USD billions (computed once per state
    of the tables it reads: the chapter's values and its chart both use it).

    One row per ticker and trading day whose previous close has a usable share count in force (dated on
    or before it): ``ticker``, ``date``, ``previous``, ``change_pct`` (percent), ``change_usd_b`` and
    ``count_as_of``. Tickers without counts (funds) and days before a ticker's first usable count are
    left out.
    """
    prices = price_frame(basis)
    counts = snapshot.load_table("shares_outstanding")
    frames = []
    for ticker, rows in prices.groupby("ticker"):
        ticker_counts = counts[counts["ticker"] == ticker].sort_values("as_of")
        if ticker_counts.empty:
            continue
        rows = rows.sort_values("date").reset_index(drop=True)
        previous = rows["date"].shift(1)
        in_force = pd.merge_asof(
            pd.DataFrame({"previous": previous.dropna()}),
            ticker_counts.rename(columns={"as_of": "previous_as_of"}),
            left_on="previous",
            right_on="previous_as_of",
        )
        frame = pd.DataFrame(
            {
                "ticker": ticker,
                "date": rows["date"].iloc[1:].to_numpy(),
                "previous": previous.iloc[1:].to_numpy(),
                "start": rows["price"].iloc[:-1].to_numpy(),
                "end": rows["price"].iloc[1:].to_numpy(),
                "shares": in_force["shares"].to_numpy(),
                "note": in_force["share_class_note"].to_numpy(),
                "count_as_of": in_force["previous_as_of"].to_numpy(),
            }
        ).dropna(subset=["shares"])
        usable = frame["note"].map(lambda note: split_problem(str(note)) is None)
        frame = frame[usable]
        listed = frame["shares"] / frame["note"].map(lambda note: shares_per_listed_share(str(note)))
        frame = frame.assign(
            change_pct=100 * (frame["end"] / frame["start"] - 1),
            change_usd_b=(frame["end"] - frame["start"]) * listed / BILLION,
        )
        frames.append(frame[["ticker", "date", "previous", "change_pct", "change_usd_b", "count_as_of"]])
    return pd.concat(frames, ignore_index=True).sort_values(["date", "ticker"], ignore_index=True)


def largest_value_losses(changes: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` largest one-day losses in ``changes`` (a ``daily_value_changes`` frame), largest first."""
    return changes.nsmallest(n, "change_usd_b").reset_index(drop=True)


def coverage_text(changes: pd.DataFrame) -> str:
    """Which tickers and days the measurable losses cover, per ticker's first day."""
    firsts = changes.groupby("ticker")["date"].min().sort_values()
    earliest = firsts.iloc[0]
    others = firsts[firsts != earliest]
    earliest_names = ", ".join(firsts[firsts == earliest].index)
    text = f"{earliest_names} from {earliest:%Y-%m-%d}"
    if not others.empty:
        text += f"; {len(others)} other stocks from {others.min():%Y-%m-%d} or later"
    return text


def press_values(event: PressEvent, changes: pd.DataFrame) -> dict[str, tuple[Any, str]]:
    """The press event's numbers (NVIDIA, 24 → 27 and 24 → 31 January 2025): key -> (value, unit)."""
    series = price_series(PRESS_TICKER, PRESS_BASIS)
    lower = last_close_at_or_below(series, PRESS_EVENT)
    if lower is None:
        raise UserError(f"{PRESS_TICKER} never closed lower before {PRESS_EVENT} in the snapshot")
    largest = largest_value_losses(changes, 2)
    top, runner_up = largest.iloc[0], largest.iloc[1]
    losses = value_candidates(event)
    one_day_in_force, one_day_next, week_in_force = losses.values()
    values: dict[str, tuple[Any, str]] = {
        "press_reference_close": (event.one_day.start_price, "USD per share"),
        "press_event_close": (event.one_day.end_price, "USD per share"),
        "press_price_fall": (-event.one_day.change, "USD per share"),
        "press_event_open": (event.opening.end_price, "USD per share"),
        "press_week_end_close": (event.week.end_price, "USD per share"),
        "press_one_day_decline_pct": (event.one_day.decline_pct, "percent"),
        "press_week_decline_pct": (event.week.decline_pct, "percent"),
        "press_open_decline_pct": (event.opening.decline_pct, "percent"),
        "press_count_shares": (event.in_force.shares, "shares"),
        "press_count_as_of": (str(event.in_force.as_of), "date"),
        "press_count_filed": (str(event.in_force.filed), "date"),
        "press_count_form": (event.in_force.form, "text"),
        "press_next_count_shares": (event.next_count.shares, "shares"),
        "press_next_count_as_of": (str(event.next_count.as_of), "date"),
        "press_next_count_filed": (str(event.next_count.filed), "date"),
        "press_next_count_form": (event.next_count.form, "text"),
        "press_reference_value_usd_b": (
            market_value_usd(event.one_day.start_price, event.in_force) / BILLION,
            "USD billion",
        ),
        "press_one_day_loss_usd_b": (one_day_in_force, "USD billion"),
        "press_one_day_loss_next_count_usd_b": (one_day_next, "USD billion"),
        "press_one_day_loss_usd_b__next-count": (one_day_next, "USD billion"),
        "press_one_day_loss_usd_b__week": (week_in_force, "USD billion"),
        "press_week_decline_pct__day": (event.one_day.decline_pct, "percent"),
        "press_one_day_decline_pct__week": (event.week.decline_pct, "percent"),
        "press_week_loss_usd_b": (week_in_force, "USD billion"),
        "press_last_lower_close_date": (lower[0].isoformat(), "date"),
        "press_last_lower_close": (lower[1], "USD per share"),
        "press_months_since_lower_close": (months_between(lower[0], PRESS_EVENT), "months"),
        "record_loss_usd_b": (-float(top["change_usd_b"]), "USD billion"),
        "record_ticker": (str(top["ticker"]), "text"),
        "record_date": (f"{top['date']:%Y-%m-%d}", "date"),
        "runner_up_loss_usd_b": (-float(runner_up["change_usd_b"]), "USD billion"),
        "runner_up_ticker": (str(runner_up["ticker"]), "text"),
        "runner_up_date": (f"{runner_up['date']:%Y-%m-%d}", "date"),
        "runner_up_decline_pct": (-float(runner_up["change_pct"]), "percent"),
        "snapshot_stock_count": (int(changes["ticker"].nunique()), "stocks"),
        "record_ratio": (float(top["change_usd_b"] / runner_up["change_usd_b"]), "ratio"),
        "record_coverage": (coverage_text(changes), "text"),
    }
    for claim_id in VALUE_CLAIMS:
        reported = printed_figure(claim_id)
        stem = claim_id.removeprefix("nvda-value-loss-").replace("-", "_")
        values[f"printed_{stem}_usd_b"] = (reported, "USD billion")
        values[f"implied_shares_{stem}"] = (implied_share_count(reported * BILLION, event.one_day), "shares")
    for claim_id in DECLINE_CLAIMS:
        stem = claim_id.removeprefix("nvda-").replace("-", "_")
        values[f"implied_price_{stem}"] = (
            implied_end_price(event.one_day.start_price, printed_figure(claim_id)),
            "USD per share",
        )
    for loss in CITED_LOSSES:
        key = f"cited_{loss.company.split()[0].lower()}_{loss.day:%Y}_loss_usd_b"
        values[key] = (loss.loss_usd_b, "USD billion (cited)")
    return values


def chapter_values(params: NvdaDrawdownParams) -> dict[str, tuple[Any, str]]:
    """Every number the drawdown chapter publishes under ``params``: key -> (value, unit)."""
    changes = daily_value_changes()
    press = press_values(press_event(), changes)
    return {
        **run_values(drawdown(params)),
        **press,
        **history_values(changes, press["press_one_day_loss_usd_b"][0]),
    }
