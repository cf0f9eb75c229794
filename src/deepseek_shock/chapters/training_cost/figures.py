"""The training-cost chapter's table, source quote and chart of cost against the GPU-hour price."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.chapters.lazy import altair as alt
from deepseek_shock.chapters.tables import styled
from deepseek_shock.chapters.training_cost.cost import (
    Breakdown,
    cost_table,
    price_per_gpu_hour,
    report_quote,
    training_cost,
)
from deepseek_shock.chapters.training_cost.params import TrainingCostParams
from deepseek_shock.errors import UserError

PRICE_STEP = 0.05  # USD per GPU-hour: the slider's step and the cost curve's spacing
MAX_CURVE_POINTS = 200  # keeps the chart's inline data small
SLIDER_PARAM = "price"


def styled_cost_table(breakdown: Breakdown, price: float) -> Styler:
    """``cost_table`` for display: labelled columns, thousands separators, no index."""
    table = cost_table(breakdown, price).rename(
        columns={"stage": "Stage", "h800_gpu_hours": "H800 GPU-hours", "cost_usd_m": "Cost (USD millions)"}
    )
    caption = f"Training cost by stage at USD {price:.2f} per H800 GPU-hour"
    return styled(table, caption, "training-cost-table").format(
        {"H800 GPU-hours": "{:,.0f}", "Cost (USD millions)": "{:,.3f}"}
    )


def report_quote_html(metric: str) -> str:
    """``report_quote(metric)`` as an HTML blockquote citing the technical report."""
    text = html.escape(report_quote(metric))
    return (
        f'<blockquote class="ds-source-quote" lang="en"><p>{text}</p>'
        "<footer>DeepSeek-V3 Technical Report (arXiv:2412.19437)</footer></blockquote>"
    )


def price_grid(low: float, high: float, step: float = PRICE_STEP) -> np.ndarray:
    """Prices from ``low`` to ``high`` USD per GPU-hour, ``step`` apart, at most 200 of them."""
    low, high = _positive("price_grid_min", low), _positive("price_grid_max", high)
    if low >= high:
        raise UserError(f"price_grid_min ({low}) must be below price_grid_max ({high})")
    count = min(MAX_CURVE_POINTS, math.floor(round((high - low) / _positive("step", step), 9)) + 1)
    return np.linspace(low, high, max(count, 2))


def cost_curve(breakdown: Breakdown, prices: Iterable[float]) -> pd.DataFrame:
    """Total cost (USD millions) at each price (USD per GPU-hour)."""
    prices = [float(price) for price in prices]
    return pd.DataFrame(
        {
            "price_usd_per_gpu_hour": prices,
            "cost_usd_m": [training_cost(breakdown, price) / 1e6 for price in prices],
        }
    )


def slider_cost_expression(gpu_hours: float) -> str:
    """Vega expression of the run's cost in USD millions at the slider's price."""
    return f"{SLIDER_PARAM} * {_positive('gpu_hours', gpu_hours)!r} / 1000000"


def cost_vs_price_chart(
    breakdown: Breakdown, params: TrainingCostParams, reported_price: float
) -> alt.LayerChart:
    """Total cost (USD millions) against rental price, with the report's price marked and a price slider.

    The slider is a Vega parameter named ``price``; the cost at its value is computed in the page by
    a Vega expression, so it works without a kernel. The price axis spans the parameters' grid,
    widened if needed to include the price in use and the report's price.
    """
    price = price_per_gpu_hour(params)
    reported_price = _positive("reported_price", reported_price)
    low = min(params.price_grid_min, price, reported_price)
    high = max(params.price_grid_max, price, reported_price)
    curve = cost_curve(breakdown, price_grid(low, high))
    x_scale = alt.Scale(domain=[low, high])
    x = alt.X("price_usd_per_gpu_hour:Q", title="Rental price (USD per H800 GPU-hour)", scale=x_scale)
    y = alt.Y("cost_usd_m:Q", title="Training cost (USD millions)")

    line = (
        alt.Chart(curve)
        .mark_line()
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("price_usd_per_gpu_hour:Q", title="USD per GPU-hour", format=".2f"),
                alt.Tooltip("cost_usd_m:Q", title="Cost, USD millions", format=",.3f"),
            ],
        )
    )
    reported = pd.DataFrame(
        {
            "price_usd_per_gpu_hour": [reported_price],
            "cost_usd_m": [training_cost(breakdown, reported_price) / 1e6],
            "label": [f"Report's assumption: USD {reported_price:.2f}/GPU-hour"],
        }
    )
    reported_rule = alt.Chart(reported).mark_rule(strokeDash=[4, 4], color="gray").encode(x=x)
    reported_point = alt.Chart(reported).mark_point(filled=True, size=60, color="black").encode(x=x, y=y)
    reported_text = (
        alt.Chart(reported)
        .mark_text(align="left", dx=8, dy=14, color="black")
        .encode(x=x, y=y, text="label:N")
    )

    slider = alt.param(
        name=SLIDER_PARAM,
        value=price,
        bind=alt.binding_range(min=low, max=high, step=PRICE_STEP, name="Rental price, USD per GPU-hour "),
    )
    at_slider = (
        alt.Chart(alt.Data(values=[{}]))
        .transform_calculate(
            price_usd_per_gpu_hour=SLIDER_PARAM,
            cost_usd_m=slider_cost_expression(breakdown.total),
        )
        .transform_calculate(
            label="'At USD ' + format(datum.price_usd_per_gpu_hour, '.2f') + '/GPU-hour: USD '"
            " + format(datum.cost_usd_m, ',.3f') + ' million'"
        )
    )
    left_half = f"{SLIDER_PARAM} < {(low + high) / 2!r}"
    slider_rule = at_slider.mark_rule(color="#b03a2e").encode(x=x)
    slider_point = at_slider.mark_point(filled=True, size=80, color="#b03a2e").encode(x=x, y=y)
    slider_text = at_slider.mark_text(
        align=alt.expr(f"{left_half} ? 'left' : 'right'"),
        dx=alt.expr(f"{left_half} ? 6 : -6"),
        color="#b03a2e",
        fontWeight="bold",
    ).encode(x=x, y=alt.value(10), text="label:N")

    return (
        alt.layer(line, reported_rule, reported_point, reported_text, slider_rule, slider_point, slider_text)
        .add_params(slider)
        .properties(
            width=560,
            height=320,
            title="DeepSeek-V3's training cost at different GPU rental prices",
            description=(
                "Line chart: the training run's rental cost in USD millions rises in proportion to the "
                "price per GPU-hour; the report's assumed price is marked, and a slider moves a marker "
                "showing the cost at any price."
            ),
        )
    )
