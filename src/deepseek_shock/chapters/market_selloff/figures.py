"""The sell-off chapter's charts and tables: the day's moves by group, stand-ins and pre-market figures."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock.chapters.lazy import altair as alt
from deepseek_shock.chapters.market_selloff.moves import (
    GROUPS,
    LEVERAGED,
    PREMARKET,
    SOURCE_LABELS,
    series_by_symbol,
)
from deepseek_shock.chapters.tables import styled

GROUP_COLOURS = ("#1f4e79", "#b03a2e", "#a16207", "#6b7280")
SOURCE_MARKS = {"close": "", "adj_close_secondary": " ²", "index": " ¹"}


def styled_moves(moves: pd.DataFrame, start: date, end: date) -> Styler:
    """``one_day_moves`` for display, grouped, largest fall first within each group."""
    order = {group: i for i, group in enumerate((*GROUPS, LEVERAGED))}
    table = moves.assign(order=moves["group"].map(order)).sort_values(["order", "change_pct"])

    def optional(value: float | None, fmt: str) -> str:
        return "—" if value is None or pd.isna(value) else format(value, fmt)

    shown = pd.DataFrame(
        {
            "Group": table["group"].to_numpy(),
            "Series": (
                table["name"] + " · " + table["symbol"] + table["source"].map(SOURCE_MARKS)
            ).to_numpy(),
            f"Close {start:%-d %b}": table["start"].map("{:,.2f}".format).to_numpy(),
            f"Close {end:%-d %b}": table["end"].map("{:,.2f}".format).to_numpy(),
            "Change, %": table["change_pct"].map("{:+.2f}".format).to_numpy(),
            "Open vs prior close, %": [optional(v, "+.2f") for v in table["open_change_pct"]],
            "Value change, USD bn": [optional(v, "+,.1f") for v in table["value_change_usd_b"]],
        }
    ).set_index(["Group", "Series"])
    caption = (
        f"Close-to-close moves, {start:%-d %b %Y} to {end:%-d %b %Y}. Unmarked: unadjusted closes. "
        "¹ Index close (FRED). ² Adjusted close from the secondary source (includes dividends)."
    )
    return shown.style.hide(axis="index", names=True).set_caption(caption).set_uuid("selloff-moves")


def moves_chart(moves: pd.DataFrame, start: date, end: date) -> alt.VConcatChart:
    """Ranked bars of the one-day moves, one panel per group on a common scale (leveraged funds left out)."""
    data = (
        moves[moves["group"] != LEVERAGED]
        .assign(label=lambda frame: frame["name"] + " · " + frame["symbol"])
        .sort_values("change_pct")[["group", "label", "change_pct", "source"]]
        .assign(basis=lambda frame: frame["source"].map(SOURCE_LABELS))
    )
    low, high = min(float(data["change_pct"].min()), 0.0), max(float(data["change_pct"].max()), 0.0)
    pad = (high - low) * 0.08
    scale = alt.Scale(domain=[low - pad, high + pad], nice=False)
    axis_title = f"Change from the close of {start:%-d %b} to the close of {end:%-d %b %Y} (%)"
    panels = []
    for group, colour in zip(GROUPS, GROUP_COLOURS, strict=True):
        rows = data[data["group"] == group]
        x = alt.X("change_pct:Q", scale=scale, title=axis_title if group == GROUPS[-1] else None)
        y = alt.Y("label:N", sort=list(rows["label"]), title=None, axis=alt.Axis(labelLimit=220))
        in_group = alt.datum.group == group
        bars = (
            alt.Chart(data)
            .transform_filter(in_group)
            .mark_bar(color=colour)
            .encode(
                x=x,
                y=y,
                tooltip=[
                    alt.Tooltip("label:N", title="Series"),
                    alt.Tooltip("change_pct:Q", title="Change, %", format="+.2f"),
                    alt.Tooltip("basis:N", title="Prices"),
                ],
            )
        )
        text = (
            alt.Chart(data)
            .transform_filter(in_group)
            .mark_text(
                align=alt.expr("datum.change_pct < 0 ? 'right' : 'left'"),
                dx=alt.expr("datum.change_pct < 0 ? -3 : 3"),
                fontSize=10,
            )
            .encode(x=x, y=y, text=alt.Text("change_pct:Q", format="+.1f"))
        )
        title = alt.TitleParams(group, anchor="start", fontSize=12, color=colour)
        panels.append(alt.layer(bars, text).properties(width=380, height=alt.Step(16), title=title))
    return alt.vconcat(*panels, spacing=14).properties(
        title=f"One-day moves on {end:%-d %B %Y}, by the article's AI phases"
    )


def moves_description(moves: pd.DataFrame, start: date, end: date) -> str:
    """A screen-reader description of ``moves_chart``: each group's moves, largest fall first."""
    parts = []
    for group in GROUPS:
        rows = moves[moves["group"] == group].sort_values("change_pct")
        listed = ", ".join(f"{row.name} {row.change_pct:+.1f}%" for row in rows.itertuples())
        parts.append(f"{group}: {listed}")
    return (
        f"Bar charts of close-to-close moves from {start:%-d %B} to {end:%-d %B %Y}, one panel per group, "
        f"largest fall first. " + ". ".join(parts) + "."
    )


def stand_ins_table(results: Mapping[str, Any]) -> Styler:
    """The stand-ins shown beside claims the snapshot cannot check: what each measures and its value."""
    rows = [
        (
            "S&P 500 information-technology sector, 27 Jan (seed 004)",
            "XLK, a fund of the S&P technology stocks with capped weights",
            f"{-results['press_xlk_decline_pct']:+.2f}%",
        ),
        (
            "US technology sector, week to 31 Jan (seed 000)",
            "XLK over the same week",
            f"{-results['press_week_xlk_decline_pct']:+.2f}%",
        ),
        (
            "Stock-market value lost on 27 Jan (seed 004)",
            f"Net loss of the {results['press_named_valued_stocks']} followed stocks that have a share count",
            f"USD {results['press_named_net_value_loss_usd_b']:,.1f} billion",
        ),
    ]
    table = pd.DataFrame(
        rows, columns=["The claim needs", "Stand-in shown (not used for the verdict)", "Value"]
    )
    return styled(table, "Stand-ins for series the snapshot lacks", "selloff-stand-ins")


def premarket_table(results: Mapping[str, Any]) -> Styler:
    """Seed 002's pre-market figures beside the day's opening and closing moves (percent falls)."""
    rows = []
    for symbol in PREMARKET:
        key = symbol.lower()
        opening, closing = results[f"press_open_{key}_decline_pct"], results[f"press_close_{key}_decline_pct"]
        rows.append(
            {
                "Stock": f"{series_by_symbol(symbol).name} · {symbol}",
                "Fall from the 24 Jan close to the 27 Jan open, %": f"{opening:.2f}",
                "Fall from the 24 Jan close to the 27 Jan close, %": f"{closing:.2f}",
            }
        )
    caption = "Opening and closing falls of the stocks seed 002 quotes before the open (negative: a rise)"
    return styled(pd.DataFrame(rows), caption, "selloff-premarket")
