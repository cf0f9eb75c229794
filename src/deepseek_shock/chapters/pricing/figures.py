"""The pricing chapter's tables and chart: the two price comparisons, GPU fleets, the price slider."""

from __future__ import annotations

import math

import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.chapters.lazy import altair as alt
from deepseek_shock.chapters.pricing.params import PricingParams
from deepseek_shock.chapters.pricing.prices import (
    CLAIM_DISCOUNT,
    CLAIM_OUTPUT_RATIO,
    TIER_SOURCES,
    TIERS,
    USD_PER_BILLION,
    USD_PER_MILLION,
    article_comparison,
    gpu_values,
    implied_price_per_gpu,
    price_fall_values,
    selected_comparison,
    usd_text,
)
from deepseek_shock.chapters.tables import styled
from deepseek_shock.data.printed import printed_figure

DEEPSEEK_LABEL = "DeepSeek"
OTHER_SIDE = "Other model"
SLIDER_PARAM = "deepseek_price"
DEEPSEEK_COLOUR = "#2563eb"
OTHER_COLOUR = "#c2410c"


def _printed_claim_text(tier: str) -> str:
    """The derived figure the article printed for ``tier``, in its own form ("98% cheaper", "1/200")."""
    if tier == "cached_input":
        return f"{printed_figure(CLAIM_DISCOUNT):g}% cheaper"
    return f"1/{1 / printed_figure(CLAIM_OUTPUT_RATIO):g}"


def price_table(params: PricingParams) -> pd.DataFrame:
    """One row per comparison as printed, and one for the parameters' prices when any is given.

    Prices in USD per million tokens; ``times_cheaper`` is the N of "1/N"; ``discount_pct`` in percent.
    """
    rows = []
    for tier in TIERS:
        source = TIER_SOURCES[tier]
        label = f"Seed {source['seed']} ({source['tier_label']})"
        rows.append((article_comparison(tier), label, _printed_claim_text(tier)))
    selected = selected_comparison(params)
    if not selected.as_printed:
        rows.append((selected, f"Your prices ({TIER_SOURCES[selected.tier]['tier_label']})", "—"))
    return pd.DataFrame(
        [
            {
                "comparison": label,
                "deepseek_usd": comparison.deepseek,
                "other": comparison.other_label,
                "other_usd": comparison.other,
                "price_ratio": comparison.ratio,
                "times_cheaper": comparison.times_cheaper,
                "discount_pct": comparison.discount_pct,
                "printed": printed,
            }
            for comparison, label, printed in rows
        ]
    )


def styled_price_table(params: PricingParams) -> Styler:
    """``price_table`` for display: labelled columns, prices as ``usd_text``, no index."""
    table = (
        price_table(params)
        .drop(columns="price_ratio")
        .rename(
            columns={
                "comparison": "Prices",
                "deepseek_usd": "DeepSeek",
                "other": "Compared with",
                "other_usd": "Its price",
                "times_cheaper": "DeepSeek's is 1/N: N",
                "discount_pct": "Cheaper by (%)",
                "printed": "Article printed",
            }
        )
    )
    caption = "Prices in USD per million tokens, and what they imply"
    return styled(table, caption, "pricing-token-prices").format(
        {
            "DeepSeek": usd_text,
            "Its price": usd_text,
            "DeepSeek's is 1/N: N": "{:,.1f}",
            "Cheaper by (%)": "{:.2f}",
        }
    )


def gpu_table() -> pd.DataFrame:
    """Seed 003's two fleets: GPUs and price per GPU as printed, their product, the printed value and the
    price per GPU the printed value implies."""
    values = gpu_values()
    price = values["article_gpu_price_usd"][0]
    rows = [
        (
            "GPT-4 (A100s)",
            values["article_gpt4_gpus"][0],
            values["gpt4_gpu_value_usd_m"][0],
            values["article_gpt4_gpu_value_usd_m"][0],
        ),
        (
            "GPT-5 (in training, 2023)",
            values["article_gpt5_gpus"][0],
            values["gpt5_gpu_value_usd_m"][0],
            values["article_gpt5_gpu_value_usd_b"][0] * USD_PER_BILLION / USD_PER_MILLION,
        ),
    ]
    return pd.DataFrame(
        [
            {
                "model": model,
                "gpus": gpus,
                "usd_per_gpu": price,
                "computed_usd_m": computed,
                "printed_usd_m": printed,
                "implied_usd_per_gpu": implied_price_per_gpu(printed * USD_PER_MILLION, gpus),
            }
            for model, gpus, computed, printed in rows
        ]
    )


def styled_gpu_table() -> Styler:
    """``gpu_table`` for display."""
    table = gpu_table().rename(
        columns={
            "model": "Model",
            "gpus": "GPUs (printed)",
            "usd_per_gpu": "USD per GPU (printed)",
            "computed_usd_m": "GPUs × price (USD millions)",
            "printed_usd_m": "Value printed (USD millions)",
            "implied_usd_per_gpu": "USD per GPU the printed value implies",
        }
    )
    return styled(table, "Seed 003's GPU arithmetic", "pricing-gpu-arithmetic").format(
        {
            "GPUs (printed)": "{:,.0f}",
            "USD per GPU (printed)": "{:,.0f}",
            "GPUs × price (USD millions)": "{:,.0f}",
            "Value printed (USD millions)": "{:,.0f}",
            "USD per GPU the printed value implies": "{:,.0f}",
        }
    )


def _decade_floor(value: float) -> float:
    return 10 ** math.floor(math.log10(value))


def _decade_ceil(value: float) -> float:
    return 10 ** math.ceil(math.log10(value))


def chart_rows(params: PricingParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chart's data: one point per price, and one segment per pair with its label.

    Rows: seed 002's and seed 001's comparisons as printed, Kass's two OpenAI prices, and the
    parameters' comparison when any price is given.
    """
    points, pairs = [], []
    for tier in TIERS:
        comparison = article_comparison(tier)
        name = f"Seed {TIER_SOURCES[tier]['seed']}: DeepSeek vs {comparison.other_label}"
        label = (
            f"printed {_printed_claim_text(tier)}; computed {comparison.discount_pct:.1f}% cheaper, "
            f"1/{comparison.times_cheaper:,.0f}"
        )
        points += [
            (name, DEEPSEEK_LABEL, DEEPSEEK_LABEL, comparison.deepseek),
            (name, OTHER_SIDE, comparison.other_label, comparison.other),
        ]
        pairs.append((name, comparison.deepseek, comparison.other, label))
    fall = price_fall_values()
    start, end = fall["article_first_model_usd"][0], fall["article_gpt4_now_usd"][0]
    name = "Seed 001: OpenAI's first model vs GPT-4 now"
    points += [
        (name, OTHER_SIDE, "OpenAI's first model", start),
        (name, OTHER_SIDE, "GPT-4 now", end),
    ]
    pairs.append(
        (
            name,
            end,
            start,
            f"{fall['price_fall_factor'][0]:.0f}× lower; in {fall['article_fall_years'][0]:g} years that is "
            f"{fall['price_annual_fall_pct'][0]:.0f}% a year",
        )
    )
    selected = selected_comparison(params)
    if not selected.as_printed:
        name = f"Your prices: DeepSeek vs {selected.other_label}"
        points += [
            (name, DEEPSEEK_LABEL, DEEPSEEK_LABEL, selected.deepseek),
            (name, OTHER_SIDE, selected.other_label, selected.other),
        ]
        pairs.append(
            (
                name,
                min(selected.deepseek, selected.other),
                max(selected.deepseek, selected.other),
                f"computed {selected.discount_pct:.1f}% cheaper, 1/{selected.times_cheaper:,.1f}",
            )
        )
    point_frame = pd.DataFrame(points, columns=["comparison", "side", "model", "usd_per_m_tokens"])
    pair_frame = pd.DataFrame(pairs, columns=["comparison", "low", "high", "label"])
    pair_frame["middle"] = (pair_frame["low"] * pair_frame["high"]) ** 0.5
    return point_frame, pair_frame


def slider_step(price: float) -> float:
    """The slider's step: the power of ten one digit below ``price``'s first significant digit.

    USD 0.14 gives 0.01 and USD 0.014 gives 0.001, so the printed price sits on a step.
    """
    return _decade_floor(_positive("price", price)) / 10


def slider_readout_expression(other: float, other_label: str) -> str:
    """Vega expression of the slider's readout: DeepSeek's price at the slider against ``other``."""
    other = _positive("other price", other)
    name = other_label.replace("\\", "\\\\").replace("'", "\\'")
    d = SLIDER_PARAM
    return (
        f"'At USD ' + format({d}, '.3f') + ' per million tokens: ' + "
        f"({d} <= {other!r} ? format((1 - {d} / {other!r}) * 100, '.1f') + '% cheaper than ' "
        f": format(({d} / {other!r} - 1) * 100, '.1f') + '% dearer than ') + "
        f"'{name} at USD ' + format({other!r}, '.2f') + ', 1/' + format({other!r} / {d}, ',.1f')"
    )


def price_chart(params: PricingParams) -> alt.LayerChart:
    """The printed prices per million tokens on a log scale, each pair joined and labelled with the
    printed and computed figures; a slider sets a DeepSeek price against the selected comparison."""
    points, pairs = chart_rows(params)
    order = list(pairs["comparison"])
    low = _decade_floor(points["usd_per_m_tokens"].min())
    high = _decade_ceil(points["usd_per_m_tokens"].max())
    scale = alt.Scale(type="log", domain=[low, high])
    x = alt.X(
        "usd_per_m_tokens:Q",
        title="Price, USD per million tokens (log scale)",
        scale=scale,
        axis=alt.Axis(format="~g", grid=True),
    )
    y = alt.Y("comparison:N", sort=order, title=None, axis=None)
    rules = (
        alt.Chart(pairs)
        .mark_rule(color="#6b7280", strokeWidth=2)
        .encode(x=alt.X("low:Q", scale=scale), x2="high:Q", y=y)
    )
    names = (
        alt.Chart(pairs)
        .mark_text(align="left", dy=-30, fontSize=12, fontWeight="bold", color="#111827")
        .encode(x=alt.value(0), y=y, text="comparison:N")
    )
    labels = (
        alt.Chart(pairs)
        .mark_text(dy=-14, fontSize=11, color="#374151")
        .encode(x=alt.X("middle:Q", scale=scale), y=y, text="label:N")
    )
    colour = alt.Color(
        "side:N",
        title=None,
        scale=alt.Scale(domain=[DEEPSEEK_LABEL, OTHER_SIDE], range=[DEEPSEEK_COLOUR, OTHER_COLOUR]),
        legend=alt.Legend(orient="bottom"),
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("comparison:N", title="Comparison"),
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("usd_per_m_tokens:Q", title="USD per million tokens", format=".4~g"),
            ],
        )
    )
    selected = selected_comparison(params)
    step = slider_step(selected.deepseek)
    slider = alt.param(
        name=SLIDER_PARAM,
        value=selected.deepseek,
        bind=alt.binding_range(
            min=step,
            max=max(selected.other, selected.deepseek),
            step=step,
            name="DeepSeek's price, USD per million tokens ",
        ),
    )
    at_slider = alt.Chart(alt.Data(values=[{}])).transform_calculate(
        usd_per_m_tokens=SLIDER_PARAM,
        label=slider_readout_expression(selected.other, selected.other_label),
    )
    slider_rule = at_slider.mark_rule(color="#b03a2e", strokeDash=[4, 3]).encode(x=x)
    slider_text = at_slider.mark_text(align="left", x=0, y=-14, color="#b03a2e", fontWeight="bold").encode(
        text="label:N"
    )
    return (
        alt.layer(rules, names, labels, dots, slider_rule, slider_text)
        .add_params(slider)
        .properties(
            width=600,
            height=85 * len(order),
            title=alt.TitleParams("Prices per million tokens the articles printed", offset=28),
        )
    )


def price_chart_description(params: PricingParams) -> str:
    """A screen-reader description of ``price_chart``, with the prices and ratios it shows."""
    _, pairs = chart_rows(params)
    parts = []
    for tier in TIERS:
        comparison = article_comparison(tier)
        parts.append(
            f"seed {TIER_SOURCES[tier]['seed']} sets DeepSeek at USD {usd_text(comparison.deepseek)} "
            f"against {comparison.other_label} at USD {usd_text(comparison.other)}, "
            f"{comparison.discount_pct:.1f}% cheaper or 1/{comparison.times_cheaper:,.0f}, "
            f"where the article printed {_printed_claim_text(tier)}"
        )
    fall = price_fall_values()
    parts.append(
        f"Kass's OpenAI prices fall from USD {usd_text(fall['article_first_model_usd'][0])} to USD "
        f"{usd_text(fall['article_gpt4_now_usd'][0])}, {fall['price_fall_factor'][0]:.0f} times lower"
    )
    selected = selected_comparison(params)
    if not selected.as_printed:
        parts.append(
            f"your prices set DeepSeek at USD {usd_text(selected.deepseek)} against {selected.other_label} "
            f"at USD {usd_text(selected.other)}, {selected.discount_pct:.1f}% cheaper"
        )
    return (
        f"Dot chart of prices per million tokens on a logarithmic axis, {len(pairs)} pairs joined by lines: "
        + "; ".join(parts)
        + ". A slider sets a DeepSeek price and reads out how much cheaper it is than "
        f"{selected.other_label} at USD {usd_text(selected.other)}."
    )
