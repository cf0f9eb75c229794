"""The drawdown chapter's charts, tables and paragraphs: the run's price and value, the record chart."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
from IPython.display import HTML, display
from pandas.io.formats.style import Styler

from deepseek_shock.chapters.charts import show_chart
from deepseek_shock.chapters.lazy import altair as alt
from deepseek_shock.chapters.market.event import PRESS_BASIS, PRESS_EVENT, PRESS_TICKER, PRESS_WEEK_END
from deepseek_shock.chapters.market.prices import PRICE_LABELS, price_series
from deepseek_shock.chapters.market.shares import (
    BILLION,
    ShareCount,
    market_value_usd,
    share_count_rows,
    split_problem,
    value_change_usd,
)
from deepseek_shock.chapters.nvda_drawdown.drawdown import Drawdown, value_text
from deepseek_shock.chapters.nvda_drawdown.press import (
    CITED_LOSSES,
    PressEvent,
    implied_end_price,
    implied_share_count,
    largest_value_losses,
    nearest_price,
)
from deepseek_shock.chapters.tables import styled
from deepseek_shock.errors import UserError


def share_count_table(ticker: str, used: ShareCount | None) -> Styler | None:
    """The snapshot's counts for ``ticker``, the one in use marked; ``None`` when there are none."""
    rows = share_count_rows(ticker)
    if rows.empty:
        return None

    def mark(row: Any) -> str:
        chosen = used is not None and used.origin != "given" and row.as_of.date() == used.as_of
        unusable = split_problem(row.share_class_note) is not None
        if chosen:
            return "selected, not usable (split)" if unusable else "✔ used"
        return "not usable (split)" if unusable else ""

    marked = [mark(row) for row in rows.itertuples()]
    table = pd.DataFrame(
        {
            "As of": rows["as_of"].dt.strftime("%Y-%m-%d"),
            "Shares": rows["shares"].map("{:,.0f}".format),
            "Form": rows["form"],
            "Filed": rows["filed"].dt.strftime("%Y-%m-%d").fillna("not recorded"),
            "Note (from the snapshot)": rows["share_class_note"],
            "In this run": marked,
        }
    )
    caption = f"Share counts for {ticker} in the snapshot (SEC filings)"
    return styled(table, caption, f"share-counts-{ticker.lower()}")


def record_chart(changes: pd.DataFrame, n: int = 6) -> alt.Chart:
    """Horizontal bars: the snapshot's largest one-day losses beside the press's cited earlier records."""
    largest = largest_value_losses(changes, n)
    computed = pd.DataFrame(
        {
            "label": [f"{row.ticker}, {row.date:%-d %b %Y}" for row in largest.itertuples()],
            "loss_usd_b": -largest["change_usd_b"],
            "origin": "Computed from the snapshot",
        }
    )
    cited = pd.DataFrame(
        {
            "label": [f"{loss.company}, {loss.day:%-d %b %Y} (press report)" for loss in CITED_LOSSES],
            "loss_usd_b": [loss.loss_usd_b for loss in CITED_LOSSES],
            "origin": "Cited from press reports",
        }
    )
    data = pd.concat([computed, cited], ignore_index=True)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("loss_usd_b:Q", title="One-day fall in market value (USD billions)"),
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "origin:N",
                title=None,
                scale=alt.Scale(
                    domain=["Computed from the snapshot", "Cited from press reports"],
                    range=["#1f4e79", "#9ca3af"],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Stock and day"),
                alt.Tooltip("loss_usd_b:Q", title="Loss, USD billions", format=",.1f"),
                alt.Tooltip("origin:N", title="Source"),
            ],
        )
        .properties(
            width=420,
            height=alt.Step(24),
            title="Largest one-day losses of market value: measured, and cited",
        )
    )


def chart_window(series: pd.Series, reference: date, event: date) -> pd.Series:
    """``series`` from the first day of the event's month (or the reference day, if earlier) to the end
    of the following month."""
    start = min(pd.Timestamp(reference), pd.Timestamp(event.year, event.month, 1))
    end = pd.Timestamp(event.year, event.month, 1) + pd.offsets.MonthEnd(2)
    return series.loc[start:end]


def price_value_chart(result: Drawdown) -> alt.LayerChart:
    """The price (left axis, USD per share) and, at the run's constant count, market value (right
    axis, USD billions) around the event, with the reference and event closes marked."""
    move = result.move
    series = chart_window(price_series(move.ticker, move.basis), move.start, move.end)
    listed = result.count.listed_shares if result.valued and result.count else None
    data = pd.DataFrame({"date": series.index, "price": series.to_numpy()})
    if listed is not None:
        data["value_usd_b"] = data["price"] * listed / BILLION
    low, high = float(series.min()) * 0.97, float(series.max()) * 1.03
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%-d %b", labelAngle=0))
    tooltip = [
        alt.Tooltip("date:T", title="Day", format="%Y-%m-%d"),
        alt.Tooltip("price:Q", title="USD per share", format=",.2f"),
    ]
    if listed is not None:
        tooltip.append(alt.Tooltip("value_usd_b:Q", title="Market value, USD billions", format=",.1f"))
    price_title = f"{move.ticker} {'close' if move.basis == 'close' else 'adjusted close'} (USD per share)"
    price = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18), color="#1f4e79")
        .encode(
            x=x,
            y=alt.Y("price:Q", title=price_title, scale=alt.Scale(domain=[low, high], zero=False)),
            tooltip=tooltip,
        )
    )
    marks = pd.DataFrame(
        {
            "date": [pd.Timestamp(move.start), pd.Timestamp(move.end)],
            "price": [move.start_price, move.end_price],
            "label": [
                f"{move.start:%-d %b}: {move.start_price:,.2f}",
                f"{move.end:%-d %b}: {move.end_price:,.2f}",
            ],
            # the lower of the two labels goes below its point, the higher above
            "dy": [
                14 if move.start_price < move.end_price else -10,
                14 if move.end_price <= move.start_price else -10,
            ],
        }
    )
    y_marks = alt.Y("price:Q", scale=alt.Scale(domain=[low, high], zero=False))
    rule = alt.Chart(marks.tail(1)).mark_rule(color="#b03a2e", strokeDash=[4, 3]).encode(x=x)
    points = alt.Chart(marks).mark_point(filled=True, size=70, color="#b03a2e").encode(x=x, y=y_marks)
    labels = (
        alt.Chart(marks)
        .mark_text(align="left", dx=7, dy=alt.expr("datum.dy"), color="#b03a2e")
        .encode(x=x, y=y_marks, text="label:N")
    )
    chart = alt.layer(price, rule, points, labels)
    if listed is not None:
        value = (
            alt.Chart(data)
            .mark_line(opacity=0)
            .encode(
                x=x,
                y=alt.Y(
                    "value_usd_b:Q",
                    title="Market value (USD billions)",
                    scale=alt.Scale(domain=[low * listed / BILLION, high * listed / BILLION], zero=False),
                    axis=alt.Axis(orient="right", grid=False),
                ),
            )
        )
        chart = alt.layer(chart, value).resolve_scale(y="independent")
    return chart.properties(width=560, height=300, title=f"{move.ticker} around {move.end:%-d %B %Y}")


def waterfall_data(result: Drawdown) -> pd.DataFrame:
    """Bars of a market-value waterfall (USD billions): value before, the change, value after."""
    values = result.values_usd_b()
    if values is None:
        raise UserError(f"no usable share count for {result.move.ticker}: no market value to chart")
    before, after, change = values
    move = result.move
    return pd.DataFrame(
        {
            "step": [
                f"Close {move.start:%-d %b}",
                f"Change on {move.end:%-d %b}",
                f"Close {move.end:%-d %b}",
            ],
            "low": [0.0, min(before, after), 0.0],
            "high": [before, max(before, after), after],
            "amount": [before, change, after],
            "kind": ["Market value", "Loss" if change < 0 else "Gain", "Market value"],
        }
    )


def waterfall_chart(result: Drawdown) -> alt.LayerChart:
    """The market value at the reference close, the change, and the value at the event close."""
    data = waterfall_data(result)
    order = list(data["step"])
    move = result.move
    bars = (
        alt.Chart(data)
        .mark_bar(size=70)
        .encode(
            x=alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("low:Q", title=f"{move.ticker} market value (USD billions)"),
            y2="high:Q",
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(
                    domain=["Market value", "Loss", "Gain"], range=["#1f4e79", "#b03a2e", "#15803d"]
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("amount:Q", title="USD billions", format="+,.1f"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(dy=-8)
        .encode(x=alt.X("step:N", sort=order), y="high:Q", text=alt.Text("amount:Q", format=",.1f"))
    )
    return alt.layer(bars, text).properties(
        width=420,
        height=300,
        title=f"{move.ticker}'s market value, {move.start:%-d %b} to {move.end:%-d %b %Y}",
    )


def price_value_description(result: Drawdown) -> str:
    """A screen-reader description of ``price_value_chart``, with the run's figures."""
    move = result.move
    text = (
        f"Line chart of {move.ticker}'s daily {PRICE_LABELS[move.basis]} around {move.end:%-d %B %Y}. "
        f"The price goes from USD {move.start_price:,.2f} at the close of {move.start:%-d %B} to USD "
        f"{move.end_price:,.2f} at the close of {move.end:%-d %B}, marked in red, a change of "
        f"{move.change_pct:+.1f}%."
    )
    if result.valued and result.count is not None:
        text += (
            f" A right-hand axis reads the same line as market value at a constant "
            f"{result.count.listed_shares:,.0f} shares."
        )
    return text


def waterfall_description(result: Drawdown) -> str:
    """A screen-reader description of ``waterfall_chart``, with the run's figures."""
    values = result.values_usd_b()
    if values is None:
        raise UserError(f"no usable share count for {result.move.ticker}: no market value to describe")
    before, after, change = values
    move = result.move
    return (
        f"Bar chart of {move.ticker}'s market value: USD {before:,.1f} billion at the close of "
        f"{move.start:%-d %B %Y}, a change of USD {change:+,.1f} billion on {move.end:%-d %B}, and USD "
        f"{after:,.1f} billion at that day's close."
    )


def value_paragraph_html(result: Drawdown) -> str:
    """``value_text`` as an HTML paragraph."""
    return f"<p>{html.escape(value_text(result))}</p>"


def show_value_charts(result: Drawdown) -> None:
    """Display the price-and-value chart and, when a usable count exists, the waterfall (else a note)."""
    show_chart(price_value_chart(result), "drawdown-price-value", price_value_description(result))
    if result.valued:
        show_chart(waterfall_chart(result), "drawdown-waterfall", waterfall_description(result))
    else:
        display(
            HTML(
                '<p class="ds-note">No chart of the market value: this run has no usable share count '
                "(see above).</p>"
            )
        )


def record_description(changes: pd.DataFrame, n: int = 6) -> str:
    """A screen-reader description of ``record_chart``."""
    largest = largest_value_losses(changes, n)
    computed = "; ".join(
        f"{row.ticker} on {row.date:%-d %B %Y}, USD {-row.change_usd_b:,.1f} billion"
        for row in largest.itertuples()
    )
    cited = "; ".join(
        f"{loss.company} on {loss.day:%-d %B %Y}, USD {loss.loss_usd_b:,.0f} billion" for loss in CITED_LOSSES
    )
    return (
        f"Horizontal bar chart of one-day losses of market value. Computed from the snapshot, largest first: "
        f"{computed}. Cited from press reports: {cited}."
    )


def cited_losses_html() -> str:
    """The cited earlier records as an HTML list with their sources."""
    items = "".join(
        f"<li>{html.escape(loss.company)}, {loss.day:%-d %B %Y}: USD {loss.loss_usd_b:,.0f} billion "
        f'(<a href="{html.escape(loss.source)}">{html.escape(loss.source)}</a>)</li>'
        for loss in CITED_LOSSES
    )
    return f'<ul class="ds-cited">{items}</ul>'


def loss_readings(event: PressEvent, printed_usd_b: float) -> dict[str, str]:
    """What a printed one-day loss (USD billions) implies: the share count that gives it on 24→27 Jan."""
    shares = implied_share_count(printed_usd_b * BILLION, event.one_day)
    return {"Shares implied by Mon 24→27 Jan": f"{shares:,.0f}"}


def fall_readings(event: PressEvent, printed_pct: float) -> dict[str, str]:
    """What a printed fall (percent) implies: the end price, and the nearest price traded 27–31 Jan."""
    week = price_series(PRESS_TICKER, PRESS_BASIS).loc[
        pd.Timestamp(PRESS_EVENT) : pd.Timestamp(PRESS_WEEK_END)
    ]
    prices = pd.concat(
        [
            pd.Series([event.opening.end_price], index=[f"open {PRESS_EVENT:%-d %b}"]),
            pd.Series(week.to_numpy(), index=[f"close {day:%-d %b}" for day in week.index]),
        ]
    )
    price = implied_end_price(event.one_day.start_price, printed_pct)
    label, nearest = nearest_price(prices, price)
    return {"Price implied (USD)": f"{price:.2f}", "Nearest price 27–31 Jan (USD)": f"{nearest:.2f}, {label}"}


def billions_text(values: Iterable[float]) -> str:
    """USD billions as a list in words, each to at most one decimal: ``590, 592.7 and 600``."""
    texts = [f"{value:,.1f}".removesuffix(".0") for value in values]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"


def week_value_chart(event: PressEvent, values: pd.DataFrame, marks: pd.DataFrame) -> alt.LayerChart:
    """NVIDIA's market value at each close of ``values`` (USD billions, a ``week_values`` frame), with
    each printed one-day loss of ``marks`` (a ``printed_loss_marks`` frame) drawn at the value it implies
    on the sell-off day."""
    data = values.assign(label=[f"{day:%-d %b}" for day in values["date"]])
    low = min(data["value_usd_b"].min(), marks["implied_value_usd_b"].min()) * 0.97
    high = data["value_usd_b"].max() * 1.02
    y_scale = alt.Scale(domain=[low, high], zero=False)
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%-d %b", labelAngle=0, tickCount="day"))
    y = alt.Y("value_usd_b:Q", title="Market value (USD billions)", scale=y_scale)
    line = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=40, filled=True), color="#1f4e79")
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("date:T", title="Close of", format="%-d %B %Y"),
                alt.Tooltip("close:Q", title="USD per share", format=",.2f"),
                alt.Tooltip("value_usd_b:Q", title="Market value, USD billions", format=",.1f"),
            ],
        )
    )
    printed = marks.assign(date=pd.Timestamp(event.one_day.end))
    ticks = (
        alt.Chart(printed)
        .mark_tick(orient="horizontal", color="#b45309", thickness=3, size=30)
        .encode(
            x=x,
            y=alt.Y("implied_value_usd_b:Q", scale=y_scale),
            tooltip=[
                alt.Tooltip("claim:N", title="Claim"),
                alt.Tooltip("printed_loss_usd_b:Q", title="Printed loss, USD billions", format=",.1f"),
                alt.Tooltip("implied_value_usd_b:Q", title="Value it implies, USD billions", format=",.1f"),
            ],
        )
    )
    loss = -value_change_usd(event.one_day, event.in_force) / BILLION
    top = high - (high - low) * 0.04
    notes = pd.DataFrame(
        {
            "date": [values["date"].iloc[-1]] * 2,
            "value_usd_b": [top, top - (high - low) * 0.07],
            "text": [
                f"Printed one-day losses: {billions_text(marks['printed_loss_usd_b'])}",
                f"Reproduced, {event.one_day.start:%-d} → {event.one_day.end:%-d %b}: "
                f"{billions_text([loss])} (USD billions)",
            ],
            "colour": ["#92400e", "#1f4e79"],
        }
    )
    labels = (
        alt.Chart(notes)
        .mark_text(align="right", baseline="middle")
        .encode(
            x=x,
            y=alt.Y("value_usd_b:Q", scale=y_scale),
            text="text:N",
            color=alt.Color("colour:N", scale=None),
        )
    )
    return alt.layer(line, ticks, labels).properties(
        width=560,
        height=300,
        title=f"{PRESS_TICKER}'s market value at each close, {values['date'].iloc[0]:%-d %b} to "
        f"{values['date'].iloc[-1]:%-d %b %Y}",
    )


def week_value_description(event: PressEvent, values: pd.DataFrame, marks: pd.DataFrame) -> str:
    """A screen-reader description of ``week_value_chart``, with its figures."""
    before = market_value_usd(event.one_day.start_price, event.in_force) / BILLION
    after = market_value_usd(event.one_day.end_price, event.in_force) / BILLION
    first, last = values.iloc[0], values.iloc[-1]
    return (
        f"Line chart of {PRESS_TICKER}'s market value at each close from {first['date']:%-d %B} to "
        f"{last['date']:%-d %B %Y}, at the {event.in_force.form} share count of "
        f"{event.in_force.listed_shares:,.0f}; the value axis does not start at zero. The value is USD "
        f"{before:,.1f} billion at the close of {event.one_day.start:%-d %B} and USD {after:,.1f} billion "
        f"at the close of {event.one_day.end:%-d %B}, a loss of USD {before - after:,.1f} billion; it ends "
        f"the week at USD {last['value_usd_b']:,.1f} billion. The one-day losses the articles printed, USD "
        f"{billions_text(marks['printed_loss_usd_b'])} billion, are marked in orange on "
        f"{event.one_day.end:%-d %B} at the values they imply."
    )
