"""The wider sell-off: one-day moves of the stocks, funds and indexes the articles name, and longer windows.

Every move is close to close, in percent of the first close. Stocks and funds use the snapshot's
unadjusted close (USD per share) where it has one, else the secondary source's adjusted close, which
includes dividends; indexes use FRED's daily closes (index points). Each row says which it is.

The articles' claims are judged on the windows they name (e.g. 24 → 27 January 2025, the week to 31
January 2025, calendar 2024), whatever dates a run of the chapter explores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock import drawdown as dd
from deepseek_shock import snapshot
from deepseek_shock.errors import UserError
from deepseek_shock.lazy import altair as alt

if TYPE_CHECKING:
    from deepseek_shock.params import MarketSelloffParams

HYPERSCALERS = "Hyperscalers"
COMPUTE = "Data-centre compute and infrastructure"
POWER = "Power"
OTHERS = "Other stocks, funds and indexes"
LEVERAGED = "Leveraged funds"
GROUPS = (HYPERSCALERS, COMPUTE, POWER, OTHERS)
GROUP_COLOURS = ("#1f4e79", "#b03a2e", "#a16207", "#6b7280")

SOURCE_LABELS = {
    "close": "close",
    "adj_close_secondary": "adjusted close (secondary source; includes dividends)",
    "index": "index close (FRED)",
}


@dataclass(frozen=True)
class Series:
    """One price series the chapter follows: its name, where its closes come from, and its group."""

    symbol: str  # ticker, or FRED series id for an index
    name: str
    source: str  # "close", "adj_close_secondary" or "index"
    group: str

    @property
    def key(self) -> str:
        """The stem of its result keys, e.g. ``avgo`` or ``sp500``."""
        return self.symbol.lower()


# The grouping follows the AI "phases" of seed 000 (J.P. Morgan); the article defines the phases but
# names only some members, so assigning each stock to one is this report's reading of its definitions:
# phase 1, hyperscalers (cloud computing); phase 2, data-centre hardware (chips) and electrical
# equipment; phase 3, companies that supply and transmit power to data centres.
UNIVERSE: tuple[Series, ...] = (
    Series("MSFT", "Microsoft", "close", HYPERSCALERS),
    Series("GOOGL", "Alphabet", "close", HYPERSCALERS),
    Series("AMZN", "Amazon", "close", HYPERSCALERS),
    Series("META", "Meta Platforms", "close", HYPERSCALERS),
    Series("ORCL", "Oracle", "close", HYPERSCALERS),
    Series("NVDA", "NVIDIA", "close", COMPUTE),
    Series("AVGO", "Broadcom", "close", COMPUTE),
    Series("MU", "Micron Technology", "close", COMPUTE),
    Series("TSM", "TSMC (ADS)", "close", COMPUTE),
    Series("ARM", "Arm Holdings (ADS)", "close", COMPUTE),
    Series("AMD", "AMD", "close", COMPUTE),
    Series("SMCI", "Super Micro Computer", "close", COMPUTE),
    Series("ASML", "ASML", "close", COMPUTE),
    Series("ETN", "Eaton", "close", COMPUTE),
    Series("DLR", "Digital Realty", "close", COMPUTE),
    Series("VST", "Vistra", "close", POWER),
    Series("CEG", "Constellation Energy", "close", POWER),
    Series("AAPL", "Apple", "adj_close_secondary", OTHERS),
    Series("SP500", "S&P 500 index", "index", OTHERS),
    Series("NASDAQCOM", "Nasdaq Composite index", "index", OTHERS),
    Series("DJIA", "Dow Jones Industrial Average", "index", OTHERS),
    Series("SPY", "SPY (S&P 500 fund)", "close", OTHERS),
    Series("DIA", "DIA (Dow fund)", "adj_close_secondary", OTHERS),
    Series("QQQ", "QQQ (Nasdaq-100 fund)", "close", OTHERS),
    Series("XLK", "XLK (technology sector fund)", "adj_close_secondary", OTHERS),
    Series("SMH", "SMH (semiconductor fund)", "close", OTHERS),
    Series("SOXX", "SOXX (semiconductor fund)", "adj_close_secondary", OTHERS),
    Series("SOXL", "SOXL (3× semiconductor fund)", "adj_close_secondary", LEVERAGED),
    Series("NVDL", "NVDL (2× NVIDIA fund)", "adj_close_secondary", LEVERAGED),
)
BIG_FIVE = ("AAPL", "MSFT", "GOOGL", "AMZN", "META")  # seed 003's "Big Five": the US tech platforms
PREMARKET = ("AVGO", "SMCI", "TSM", "MU", "ARM", "AMD", "AMZN", "META")  # seed 002's pre-market list


def series_by_symbol(symbol: str) -> Series:
    """The followed series with ``symbol``."""
    for series in UNIVERSE:
        if series.symbol == symbol:
            return series
    raise UserError(f"{symbol!r} is not a series the sell-off chapter follows")


def closes(series: Series) -> pd.Series:
    """Daily closes of ``series`` (USD per share, or index points), indexed by day, oldest first."""
    if series.source == "index":
        table = snapshot.shared_table("indexes")
        rows = table[table["series"] == series.symbol].sort_values("date")
        if rows.empty:
            raise UserError(f"the snapshot has no index series {series.symbol!r}")
        return pd.Series(rows["value"].to_numpy(), index=pd.DatetimeIndex(rows["date"]), name=series.symbol)
    return dd.price_series(series.symbol, series.source)


def common_days() -> pd.Series:
    """The days on which every followed series has a close, as a series of day numbers named for them."""
    days = None
    for series in UNIVERSE:
        index = closes(series).index
        days = index if days is None else days.intersection(index)
    assert days is not None
    return pd.Series(range(len(days)), index=days, name="sell-off")


def checked_days(event: date, reference: date | None) -> tuple[date, date]:
    """(reference, event) as days every followed series has a close on; reference defaults to the day before.

    Every problem is one ``UserError`` naming the parameter.
    """
    days = common_days()
    what = "closes common to every stock, fund and index of the chapter"
    dd.checked_trading_day("event_date", event, days, what)
    if reference is None:
        reference = dd.previous_trading_day(days, event)
        if reference is None:
            raise UserError(
                f"event_date: {event} is the first day of the chapter's common closes, so there is no "
                "earlier close to compare with; choose a later event_date"
            )
        return reference, event
    if reference >= event:
        raise UserError(f"reference_date: {reference} must be before event_date {event}")
    return dd.checked_trading_day("reference_date", reference, days, what), event


def change_pct(series: Series, start: date, end: date) -> float:
    """``series``' close-to-close change from ``start`` to ``end``, percent (negative for a fall)."""
    prices = closes(series)
    return dd.percent_change(dd.price_on(prices, start), dd.price_on(prices, end))


def change_points(series: Series, start: date, end: date) -> float:
    """``series``' close-to-close change from ``start`` to ``end`` in its own units (index points)."""
    prices = closes(series)
    return dd.price_on(prices, end) - dd.price_on(prices, start)


def last_close_before(series: Series, day: date) -> date:
    """The last day before ``day`` on which ``series`` has a close."""
    found = dd.previous_trading_day(closes(series), day)
    if found is None:
        raise UserError(f"the snapshot has no {series.symbol} close before {day}")
    return found


def first_close_on_or_after(series: Series, day: date) -> date:
    """The first day on or after ``day`` on which ``series`` has a close."""
    prices = closes(series)
    later = prices.index[prices.index >= pd.Timestamp(day)]
    if not len(later):
        raise UserError(f"the snapshot has no {series.symbol} close on or after {day}")
    return later[0].date()


def calendar_window(series: Series, first: date, after: date) -> tuple[date, date]:
    """From the last close before ``first`` to the last close before ``after`` (e.g. a year or a month)."""
    return last_close_before(series, first), last_close_before(series, after)


def change_over(series: Series, first: date, after: date) -> float:
    """``series``' change over the calendar period ``[first, after)``, percent."""
    return change_pct(series, *calendar_window(series, first, after))


def adjusted(symbol: str) -> Series:
    """The followed series ``symbol`` on the secondary source's adjusted closes, which start in 2023."""
    series = series_by_symbol(symbol)
    return Series(series.symbol, series.name, "adj_close_secondary", series.group)


def average_change(series: Iterable[Series], first: date, after: date) -> float:
    """Unweighted mean of the series' changes over ``[first, after)``, percent."""
    changes = [change_over(one, first, after) for one in series]
    if not changes:
        raise UserError("an average change needs at least one series")
    return sum(changes) / len(changes)


def open_change_pct(symbol: str, start: date, end: date) -> float | None:
    """From ``start``'s close to ``end``'s opening price, percent; ``None`` without an opening price."""
    prices = snapshot.shared_table("prices")
    if symbol not in set(prices["ticker"]):
        return None
    return dd.open_move(symbol, start, end).change_pct


def largest_daily_fall(series: Series) -> tuple[date, float]:
    """The day of ``series``' largest one-day fall in the snapshot and its size, percent (positive)."""
    prices = closes(series)
    changes = 100 * (prices / prices.shift(1) - 1)
    day = changes.idxmin()
    return day.date(), -float(changes.loc[day])


# --- the run's day ----------------------------------------------------------------------------------------


@snapshot.memoized("prices", "adj_close_secondary", "indexes", "shares_outstanding")
def one_day_moves(start: date, end: date) -> pd.DataFrame:
    """Every followed series' move from ``start``'s close to ``end``'s, and its market-value change.

    Columns: ``group``, ``symbol``, ``name``, ``source``, ``start`` and ``end`` (closes), ``change_pct``
    (percent), ``open_change_pct`` (percent, where an opening price exists) and ``value_change_usd_b``
    (USD billions, for stocks with a usable share count in force on ``start``).
    """
    rows = []
    for series in UNIVERSE:
        prices = closes(series)
        value_change = None
        if series.source == "close":
            count = dd.share_count(series.symbol, "in_force", start, end)
            if count is not None and count.usable:
                move = dd.price_move(series.symbol, "close", start, end)
                value_change = dd.value_change_usd(move, count) / dd.BILLION
        rows.append(
            {
                "group": series.group,
                "symbol": series.symbol,
                "name": series.name,
                "source": series.source,
                "start": dd.price_on(prices, start),
                "end": dd.price_on(prices, end),
                "change_pct": change_pct(series, start, end),
                "open_change_pct": open_change_pct(series.symbol, start, end)
                if series.source == "close"
                else None,
                "value_change_usd_b": value_change,
            }
        )
    return pd.DataFrame(rows)


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


# --- the articles' windows ----------------------------------------------------------------------------------

PRESS_REFERENCE = dd.PRESS_REFERENCE
PRESS_EVENT = dd.PRESS_EVENT
PRESS_WEEK_END = dd.PRESS_WEEK_END
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
    nvdl_day, nvdl_fall = largest_daily_fall(nvdl)
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
        "press_nvdl_first_date": (f"{closes(nvdl).index[0]:%Y-%m-%d}", "date"),
        "press_week_qqq_decline_pct": (-week("QQQ"), "percent"),
        "press_week_nasdaq_decline_pct": (-week("NASDAQCOM"), "percent"),
        "press_week_sp500_change_pct": (week("SP500"), "percent"),
        "press_week_xlk_decline_pct": (-week("XLK"), "percent"),
        "press_since_2024_first_close": (first_2024.isoformat(), "date"),
        "press_since_2024_nvda_pct": (change_pct(nvda, first_2024, PRESS_REFERENCE), "percent"),
        "press_since_2024_nasdaq_pct": (change_pct(nasdaq, first_2024, PRESS_REFERENCE), "percent"),
        "press_since_2023_close_nvda_pct": (change_pct(nvda, last_2023, PRESS_REFERENCE), "percent"),
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
    return {**run_values(params), **press_values()}


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
    return dd.styled(table, "Stand-ins for series the snapshot lacks", "selloff-stand-ins")


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
    return dd.styled(pd.DataFrame(rows), caption, "selloff-premarket")
