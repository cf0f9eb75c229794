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
    return styled(shown, caption, "selloff-moves", index=True).hide(axis="index", names=True)


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
    """The funds and sums shown beside claims (never deciding a verdict): what each measures and its value."""
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
        rows, columns=["The claim is about", "Shown beside it (not used for the verdict)", "Value"]
    )
    return styled(table, "Funds and sums shown beside the claims", "selloff-stand-ins")


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


def rebuilt_index_table(results: Mapping[str, Any]) -> Styler:
    """The S&P 500 figures rebuilt from the index's members, each with its window and the fund, copy or
    other reading beside it (changes signed, weights and shares in percent)."""
    rows = [
        (
            "Information technology, 27 Jan",
            "24 → 27 Jan",
            f"{-results['sp500_it_day_decline_pct']:+.2f}",
            f"secondary copy {-results['sp500_it_day_decline_pct__secondary']:+.2f}%",
        ),
    ]
    for stem, name, fund in (
        ("it", "Information technology", "XLK"),
        ("utilities", "Utilities", "XLU"),
        ("industrials", "Industrials", "XLI"),
    ):
        rows.append(
            (
                f"{name}, the week",
                "24 → 31 Jan",
                f"{results[f'sp500_{stem}_week_change_pct']:+.2f}",
                f"to Thursday 30 Jan {results[f'sp500_{stem}_week_change_pct__to-thursday']:+.2f}%; "
                f"{fund} {results[f'sp500_{stem}_week_change_pct__fund']:+.2f}%",
            )
        )
    rows += [
        (
            "The whole index, 27 Jan",
            "24 → 27 Jan",
            f"{results['sp500_rebuilt_day_change_pct']:+.2f}",
            f"FRED's S&P 500 {-results['press_sp500_decline_pct']:+.2f}%",
        ),
        (
            "NVIDIA's weight",
            "close of 24 Jan",
            f"{results['nvda_weight_pct']:.2f}",
            f"IVV file's own date {results['nvda_weight_pct__holdings-date']:.2f}%",
        ),
        (
            "Seven largest companies' weight",
            "close of 24 Jan",
            f"{results['top_seven_weight_pct']:.2f}",
            results["top_seven_companies"],
        ),
        (
            "NVIDIA's weight at the end of 2022",
            "close of 30 Dec 2022",
            f"{results['nvda_weight_end_2022_pct']:.2f}",
            "IVV's March 2023 weights rolled back",
        ),
        (
            "NVIDIA's share of the index's return",
            "31 Dec 2024 → 24 Jan",
            f"{results['nvda_share_of_ytd_return_pct']:.2f}",
            f"with FRED's change as the whole {results['nvda_share_of_ytd_return_pct__index-level']:.2f}%",
        ),
        (
            "The seven's share of the 2024 total return",
            "29 Dec 2023 → 31 Dec 2024",
            f"{results['seven_share_of_2024_return_pct']:.2f}",
            f"with SPY's total return as the whole {results['seven_share_of_2024_return_pct__fund']:.2f}%",
        ),
        (
            "Members that rose on 27 Jan",
            "24 → 27 Jan",
            f"{results['sp500_share_rising_pct']:.2f}",
            f"{results['sp500_members_risen']} of {results['sp500_members_priced']} members with both closes",
        ),
    ]
    table = pd.DataFrame(
        rows, columns=["Figure", "Window", "Rebuilt value, %", "Cross-check or other reading"]
    )
    return styled(table, "The S&P 500 rebuilt from its members", "selloff-rebuilt-index")


def points_table(results: Mapping[str, Any]) -> Styler:
    """Seed 002's index points and their shares of the index level, rebuilt from the members."""
    rows = [
        (
            "NVIDIA, Microsoft, Alphabet, Amazon, Meta",
            "30 Dec 2022 → 24 Jan 2025",
            f"{results['five_points_since_2022']:,.0f} points",
            f"from 24 Jan 2023: {results['five_points_since_2022__two-years']:,.0f} points",
        ),
        (
            "The article's 700 points over the 24 Jan level",
            "24 Jan 2025",
            f"{results['printed_ex_five_fall_pct']:.2f}%",
            f"measured points instead: {results['printed_ex_five_fall_pct__measured']:.2f}%",
        ),
        (
            "NVIDIA's points over the 24 Jan level",
            "30 Dec 2022 → 24 Jan 2025",
            f"{results['nvda_points_share_of_level_pct']:.2f}%",
            f"to Monday 27 Jan: {results['nvda_points_share_of_level_pct__monday']:.2f}%",
        ),
    ]
    table = pd.DataFrame(rows, columns=["Companies", "Window", "Rebuilt value", "Other reading"])
    return styled(table, "Points the largest companies added to the S&P 500", "selloff-points")


def world_table(results: Mapping[str, Any]) -> Styler:
    """The figures on markets outside the US that the data settle."""
    rows = [
        (
            "Euro Stoxx 50, the week",
            "24 → 31 Jan 2025",
            f"{results['eurostoxx50_week_change_pct']:+.2f}%",
            f"to Thursday {results['eurostoxx50_week_change_pct__to-thursday']:+.2f}%; STOXX Europe 600 "
            f"{results['eurostoxx50_week_change_pct__broader-index']:+.2f}%",
        ),
        (
            "Hang Seng's worst rank among the major indexes",
            "month to each day 7-28 Feb; weeks to 7 and 14 Feb",
            f"{results['hsi_worst_rank']} of {results['major_indexes_compared']}",
            "",
        ),
        (
            "Shanghai Composite's lowest close after first closing above 3,300",
            f"{results['shanghai_first_close_above_date']} → 31 Mar 2025",
            f"{results['shanghai_low_after_crossing']:,.2f}",
            "",
        ),
        (
            "CSI 300 upside to the printed 4,700",
            "close of 14 Feb 2025",
            f"{results['csi300_upside_pct']:.2f}%",
            f"from 17 Feb: {results['csi300_upside_pct__note-day']:.2f}%",
        ),
        (
            "Hang Seng's lowest close before 5 Feb 2025",
            f"data from {results['hsi_first_data_day']}",
            results["hsi_trough_date"],
            f"Shanghai Composite: {results['hsi_trough_date__a-shares']}",
        ),
    ]
    table = pd.DataFrame(rows, columns=["Figure", "Window", "Value", "Other reading"])
    return styled(table, "Markets outside the US", "selloff-world")
