"""The power chapter's charts and tables: LBNL and EIA series, doubling times, scenario fans."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock.chapters.checks import finite as _finite
from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.chapters.lazy import altair as alt
from deepseek_shock.chapters.power_cagr.growth import (
    doubling_time_years,
    implied_total,
    rate_for_doubling_time_pct,
)
from deepseek_shock.chapters.power_cagr.params import PowerCagrParams
from deepseek_shock.chapters.power_cagr.projections import (
    CLAIM_DOUBLING,
    CLAIM_HIGH_RATE,
    CLAIM_US_DEMAND,
    base_twh,
    params_projection,
    scenario_table,
    scenarios,
)
from deepseek_shock.chapters.power_cagr.series import (
    ESTIMATE,
    MEASURE_LABELS,
    PROJECTION_HIGH,
    PROJECTION_LOW,
    demand_windows,
    eia_series,
    eia_twh,
    eia_years,
    lbnl_cagr_pct,
    lbnl_estimate_years,
    lbnl_growth_table,
    lbnl_periods,
    lbnl_projection_year,
    lbnl_series,
    lbnl_share_pct,
    lbnl_twh,
)
from deepseek_shock.chapters.tables import styled
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError

LEFT, RIGHT = "left", "right"  # which side of its point a marker's label sits
SLIDER_PARAM = "cagr"
SLIDER_STEP_PCT = 0.1
MAX_CURVE_POINTS = 200
DOUBLING_CHART_MIN_PCT = 5.0  # the doubling-time chart spans at least 5-40 % a year
DOUBLING_CHART_MAX_PCT = 40.0


def styled_lbnl_growth_table() -> Styler:
    """``lbnl_growth_table`` for display."""
    table = lbnl_growth_table()[["period", "start_twh", "end_twh", "years", "cagr_pct", "doubling_years"]]
    table = table.rename(
        columns={
            "period": "Period",
            "start_twh": "Start (TWh)",
            "end_twh": "End (TWh)",
            "years": "Years",
            "cagr_pct": "CAGR (% a year)",
            "doubling_years": "Doubling time (years)",
        }
    )
    caption = "US data-center electricity growth between LBNL's estimates and projections"
    return styled(table, caption, "power-lbnl-growth").format(
        {
            "Start (TWh)": "{:,.0f}",
            "End (TWh)": "{:,.0f}",
            "CAGR (% a year)": "{:.2f}",
            "Doubling time (years)": "{:.2f}",
        }
    )


def styled_lbnl_table() -> Styler:
    """LBNL's rows as printed in the snapshot: year, TWh, kind, share of US electricity and source grade."""
    table = lbnl_series().rename(
        columns={
            "year": "Year",
            "value_type": "Kind",
            "value_twh": "Data centers (TWh)",
            "share_of_us_electricity_pct": "Share of US electricity (%)",
            "source_grade": "Source",
        }
    )
    table["Kind"] = table["Kind"].str.replace("_", " ")
    return styled(table, "LBNL 2024 report: US data-center electricity use", "power-lbnl-series").format(
        {"Data centers (TWh)": "{:,.0f}", "Share of US electricity (%)": "{:.1f}"}, na_rep="—"
    )


def styled_demand_windows() -> Styler:
    """``demand_windows`` with their CAGRs, for display."""
    rows = [
        {
            "Series": MEASURE_LABELS[window.measure],
            "Window": f"{window.start_year}–{window.end_year}",
            "Years": window.years,
            "Start (TWh)": eia_twh(window.start_year, window.measure),
            "End (TWh)": eia_twh(window.end_year, window.measure),
            "CAGR (% a year)": window.cagr(),
        }
        for window in demand_windows()
    ]
    caption = "Growth of total US electricity demand over the windows the EIA data cover"
    return styled(pd.DataFrame(rows), caption, "power-demand-windows").format(
        {"Start (TWh)": "{:,.0f}", "End (TWh)": "{:,.0f}", "CAGR (% a year)": "{:.2f}"}
    )


def styled_eia_table() -> Styler:
    """EIA's US totals by year, TWh, with a dash where the snapshot has no value."""
    table = eia_series().rename(
        columns={
            "year": "Year",
            "retail_sales_twh": "Retail sales (TWh)",
            "direct_use_twh": "Direct use (TWh)",
            "total_end_use_twh": "Total end use (TWh)",
        }
    )
    return styled(table, "EIA: US electricity consumption", "power-eia-series").format(
        {column: "{:,.0f}" for column in table.columns if column != "Year"}, na_rep="—"
    )


def styled_scenario_table(params: PowerCagrParams) -> Styler:
    """``scenario_table`` for display, headed by the horizon year."""
    horizon = params.horizon
    table = scenario_table(params).rename(
        columns={
            "scenario": "Scenario",
            "rate_pct": "Growth (% a year)",
            "doubling_years": "Doubling time (years)",
            "twh": f"Data centers in {horizon} (TWh)",
            "multiple": f"Multiple of {params.base_year}",
            "share_pct": f"Share of US demand in {horizon} (%)",
        }
    )
    caption = (
        f"Scenarios from {params.base_year} to {horizon}, with total US demand growing "
        f"{params.total_growth_pct:g}% a year"
    )
    return styled(table, caption, "power-scenarios").format(
        {
            "Growth (% a year)": "{:g}",
            "Doubling time (years)": "{:.2f}",
            f"Data centers in {horizon} (TWh)": "{:,.0f}",
            f"Multiple of {params.base_year}": "{:.2f}×",
            f"Share of US demand in {horizon} (%)": "{:.1f}",
        },
        na_rep="never",
    )


def history_fan_chart(params: PowerCagrParams) -> alt.LayerChart:
    """LBNL's estimates and 2028 range, with each scenario fanning out from the base year to the horizon.

    The TWh axis is logarithmic when ``params.log_scale`` is set, so that constant growth draws a
    straight line.
    """
    history = lbnl_series()
    estimates = history[history["value_type"] == ESTIMATE].assign(series="LBNL estimates")
    target = lbnl_projection_year()
    projection = pd.DataFrame(
        {
            "year": [target],
            "low": [lbnl_twh(target, PROJECTION_LOW)],
            "high": [lbnl_twh(target, PROJECTION_HIGH)],
            "series": [f"LBNL {target} projection range"],
        }
    )
    fan = params_projection(params)
    labels = [s.label for s in scenarios(params)]
    series_names = ["LBNL estimates", f"LBNL {target} projection range", *labels]
    palette = [
        "#111827", "#6b7280", "#2563eb", "#16a34a", "#b91c1c",
        "#9333ea", "#ea580c", "#0891b2", "#be185d", "#4d7c0f", "#92400e",
    ]  # fmt: skip
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=series_names, range=palette[: len(series_names)]),
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320),
    )
    low_year = int(min(estimates["year"].min(), params.base_year))
    high_year = max(params.horizon, target)
    step = max(1, math.ceil((high_year - low_year) / 10))
    x = alt.X(
        "year:Q",
        title="Year",
        scale=alt.Scale(domain=[low_year, high_year], padding=10),
        axis=alt.Axis(format="d", values=list(range(low_year, high_year + 1, step))),
    )
    y_scale = alt.Scale(type="log") if params.log_scale else alt.Scale(zero=True)
    y_title = "Data-center electricity (TWh" + (", log scale)" if params.log_scale else ")")
    twh_tip = alt.Tooltip("twh:Q", title="TWh", format=",.0f")

    history_line = (
        alt.Chart(estimates.rename(columns={"value_twh": "twh"}))
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=70))
        .encode(
            x=x,
            y=alt.Y("twh:Q", title=y_title, scale=y_scale),
            color=colour,
            tooltip=[alt.Tooltip("year:Q", title="Year", format="d"), twh_tip],
        )
    )
    range_rule = (
        alt.Chart(projection)
        .mark_rule(strokeWidth=3)
        .encode(
            x=x,
            y="low:Q",
            y2="high:Q",
            color=colour,
            tooltip=[alt.Tooltip("low:Q", title="Low, TWh"), alt.Tooltip("high:Q", title="High, TWh")],
        )
    )
    range_ends = (
        alt.Chart(projection)
        .transform_fold(["low", "high"], as_=["end", "twh"])
        .mark_tick(thickness=3, size=14, orient="horizontal")
        .encode(x=x, y="twh:Q", color=colour)
    )
    fan_lines = (
        alt.Chart(fan.rename(columns={"scenario": "series"}))
        .mark_line(strokeDash=[6, 3])
        .encode(
            x=x,
            y="twh:Q",
            color=colour,
            detail="series:N",
            tooltip=[
                alt.Tooltip("series:N", title="Scenario"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                twh_tip,
                alt.Tooltip("share_pct:Q", title="Share of US demand, %", format=".1f"),
            ],
        )
    )
    return alt.layer(history_line, range_rule, range_ends, fan_lines).properties(
        width=560,
        height=340,
        title=f"US data-center electricity: LBNL's estimates and growth scenarios to {params.horizon}",
        description=history_fan_description(params),
    )


def history_fan_description(params: PowerCagrParams) -> str:
    """A screen-reader description of ``history_fan_chart``."""
    first, *_, last = lbnl_estimate_years()
    target = lbnl_projection_year()
    table = scenario_table(params)
    ends = "; ".join(f"{row.scenario}: {row.twh:,.0f} TWh" for row in table.itertuples())
    scale = "a logarithmic" if params.log_scale else "a linear"
    return (
        f"Line chart on {scale} scale of US data-center electricity use. LBNL's estimates rise from "
        f"{lbnl_twh(first):,.0f} TWh in {first} to {lbnl_twh(last):,.0f} TWh in {last}; its {target} "
        f"projection spans {lbnl_twh(target, PROJECTION_LOW):,.0f} to "
        f"{lbnl_twh(target, PROJECTION_HIGH):,.0f} TWh. Dashed scenario lines start from "
        f"{base_twh(params):,.0f} TWh in {params.base_year} and reach, in {params.horizon}, {ends}."
    )


def slider_doubling_expression() -> str:
    """Vega expression of the doubling time, years, at the slider's growth rate (percent per year)."""
    return f"log(2) / log(1 + {SLIDER_PARAM} / 100)"


def slider_twh_expression(base: float, years: int) -> str:
    """Vega expression of ``base`` TWh grown for ``years`` years at the slider's rate, TWh."""
    return f"{_finite('base', base)!r} * pow(1 + {SLIDER_PARAM} / 100, {int(years)})"


def doubling_curve(low_pct: float, high_pct: float) -> pd.DataFrame:
    """Doubling time (years) at growth rates from ``low_pct`` to ``high_pct`` percent per year (both > 0)."""
    low, high = _positive("low_pct", low_pct), _positive("high_pct", high_pct)
    if low >= high:
        raise UserError(f"doubling curve: low_pct ({low}) must be below high_pct ({high})")
    count = min(MAX_CURVE_POINTS, math.floor(round((high - low) / 0.5, 9)) + 1)
    rates = np.linspace(low, high, max(count, 2))
    return pd.DataFrame({"rate_pct": rates, "doubling_years": [doubling_time_years(r) for r in rates]})


def doubling_markers(params: PowerCagrParams) -> pd.DataFrame:
    """The points the doubling-time chart marks: each scenario with a positive rate, LBNL's high
    projection, the article's claim (its printed rate and doubling time) and the rate that claim needs.

    Columns: label, kind, side (of the point its label sits on: the empty region below-left of the
    curve or above-right of it), rate_pct (percent per year), doubling_years (years).
    """
    rows = [
        {
            "label": s.label,
            "kind": "Scenario",
            "side": LEFT,
            "rate_pct": s.rate_pct,
            "doubling_years": doubling_time_years(s.rate_pct),
        }
        for s in scenarios(params)
        if s.rate_pct > 0
    ]
    start, end, end_type = lbnl_periods()[-1]
    high = lbnl_cagr_pct(start, end, end_type)
    article_rate, claimed = printed_figure(CLAIM_HIGH_RATE), printed_figure(CLAIM_DOUBLING)
    rows += [
        {
            "label": f"LBNL high case, {start}–{end}",
            "kind": "Computed",
            "side": RIGHT,
            "rate_pct": high,
            "doubling_years": doubling_time_years(high),
        },
        {
            "label": f"Article: {article_rate:g}% doubles in {claimed:g} years",
            "kind": "Article's claim",
            "side": LEFT,
            "rate_pct": article_rate,
            "doubling_years": claimed,
        },
        {
            "label": f"Doubling in {claimed:g} years needs this rate",
            "kind": "Computed",
            "side": RIGHT,
            "rate_pct": rate_for_doubling_time_pct(claimed),
            "doubling_years": claimed,
        },
    ]
    return pd.DataFrame(rows)


def doubling_time_chart(params: PowerCagrParams) -> alt.LayerChart:
    """Doubling time (years, log axis) against growth (percent per year), claims marked, with a slider.

    The slider is a Vega parameter named ``cagr`` starting at the high-case rate; the doubling time at
    its value, and the data-center use it implies at the horizon, are computed in the page by Vega
    expressions, so it works without a kernel.
    """
    markers = doubling_markers(params)
    positive = [s.rate_pct for s in scenarios(params) if s.rate_pct > 0]
    low = min([DOUBLING_CHART_MIN_PCT, *positive])
    high = max([DOUBLING_CHART_MAX_PCT, *markers["rate_pct"]])
    curve = doubling_curve(low, high)
    x = alt.X("rate_pct:Q", title="Growth (percent per year)", scale=alt.Scale(domain=[low, high]))
    y_domain = [curve["doubling_years"].min() * 0.9, curve["doubling_years"].max() * 1.1]
    y = alt.Y(
        "doubling_years:Q",
        title="Doubling time (years, log scale)",
        scale=alt.Scale(type="log", domain=y_domain, nice=False),
    )
    tips = [
        alt.Tooltip("label:N", title="Point"),
        alt.Tooltip("rate_pct:Q", title="% a year", format=".2f"),
        alt.Tooltip("doubling_years:Q", title="Doubling time, years", format=".2f"),
    ]
    line = (
        alt.Chart(curve)
        .mark_line(color="#374151")
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("rate_pct:Q", title="% a year", format=".1f"),
                alt.Tooltip("doubling_years:Q", title="Doubling time, years", format=".2f"),
            ],
        )
    )
    kinds = ["Scenario", "Computed", "Article's claim"]
    colour = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=kinds, range=["#2563eb", "#111827", "#b91c1c"]),
        legend=alt.Legend(orient="bottom"),
    )
    points = (
        alt.Chart(markers)
        .mark_point(filled=True, size=90)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "kind:N", title=None, scale=alt.Scale(domain=kinds, range=["circle", "square", "diamond"])
            ),
            color=colour,
            tooltip=tips,
        )
    )
    labels = [
        alt.Chart(markers)
        .transform_filter(alt.datum.side == side)
        .mark_text(align=align, dx=dx, dy=dy, fontSize=11)
        .encode(x=x, y=y, text="label:N", color=colour)
        for side, align, dx, dy in ((LEFT, "right", -9, 13), (RIGHT, "left", 9, -9))
    ]

    years = params.horizon - params.base_year
    slider = alt.param(
        name=SLIDER_PARAM,
        value=params.high_rate_pct,
        bind=alt.binding_range(min=low, max=high, step=SLIDER_STEP_PCT, name="Growth, percent per year "),
    )
    at_slider = (
        alt.Chart(alt.Data(values=[{}]))
        .transform_calculate(
            rate_pct=SLIDER_PARAM,
            doubling_years=slider_doubling_expression(),
            twh=slider_twh_expression(base_twh(params), years),
        )
        .transform_calculate(
            label="'At ' + format(datum.rate_pct, '.1f') + '% a year: doubles every '"
            " + format(datum.doubling_years, '.2f') + ' years; '"
            f" + format(datum.twh, ',.0f') + ' TWh by {params.horizon}'"
        )
    )
    slider_rule = at_slider.mark_rule(color="#b45309").encode(x=x)
    slider_point = at_slider.mark_point(filled=True, size=120, color="#b45309", shape="triangle-up").encode(
        x=x, y=y
    )
    slider_text = at_slider.mark_text(align="right", dx=-4, color="#b45309", fontWeight="bold").encode(
        x=alt.value(560), y=alt.value(10), text="label:N"
    )
    return (
        alt.layer(line, points, *labels, slider_rule, slider_point, slider_text)
        .add_params(slider)
        .properties(
            width=560,
            height=340,
            title="How long data-center electricity use takes to double at a constant growth rate",
            description=doubling_description(params),
        )
    )


def doubling_description(params: PowerCagrParams) -> str:
    """A screen-reader description of ``doubling_time_chart``."""
    article_rate, claimed = printed_figure(CLAIM_HIGH_RATE), printed_figure(CLAIM_DOUBLING)
    exact = doubling_time_years(article_rate)
    side = "below" if claimed < exact else "above" if claimed > exact else "on"
    return (
        "Line chart of doubling time in years, on a logarithmic axis, falling as the growth rate rises. "
        f"At the article's {article_rate:g}% a year the curve gives {exact:.2f} years; the article's "
        f"{claimed:g} years is marked {side} the curve, and doubling in {claimed:g} years needs "
        f"{rate_for_doubling_time_pct(claimed):.1f}% a year. The scenarios are marked on the curve. A slider "
        f"moves a marker along it and reads out the doubling time and the data-center use in "
        f"{params.horizon} at the chosen rate."
    )


def demand_history_chart() -> alt.LayerChart:
    """EIA's US retail sales and total end use by year (TWh), LBNL's implied denominator for its latest
    estimate, and the article's figure for that year."""
    eia = (
        eia_series()
        .melt(
            id_vars="year",
            value_vars=["retail_sales_twh", "total_end_use_twh"],
            var_name="measure",
            value_name="twh",
        )
        .dropna()
    )
    names = {
        "retail_sales_twh": MEASURE_LABELS["retail_sales"],
        "total_end_use_twh": MEASURE_LABELS["total_end_use"],
    }
    eia["series"] = eia["measure"].map(names)
    last = lbnl_estimate_years()[-1]
    markers = pd.DataFrame(
        {
            "year": [last, last],
            "twh": [implied_total(lbnl_twh(last), lbnl_share_pct(last)), printed_figure(CLAIM_US_DEMAND)],
            "series": [f"LBNL's implied total ({lbnl_share_pct(last):g}% share)", "The article's figure"],
        }
    )
    domain = [*names.values(), *markers["series"]]
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=domain, range=["#2563eb", "#16a34a", "#6b7280", "#b91c1c"]),
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=320),
    )
    everything = pd.concat([eia["twh"], markers["twh"]])
    y = alt.Y(
        "twh:Q",
        title="US electricity (TWh)",
        scale=alt.Scale(
            domain=[math.floor(everything.min() / 100) * 100, math.ceil(everything.max() / 100) * 100]
        ),
    )
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    tips = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("year:Q", format="d", title="Year"),
        alt.Tooltip("twh:Q", title="TWh", format=",.0f"),
    ]
    lines = alt.Chart(eia).mark_line(point=True).encode(x=x, y=y, color=colour, tooltip=tips)
    points = (
        alt.Chart(markers)
        .mark_point(filled=True, size=110, shape="diamond")
        .encode(x=x, y=y, color=colour, tooltip=tips)
    )
    return alt.layer(lines, points).properties(
        width=560,
        height=300,
        title="US electricity consumption (EIA) and the article's figure",
        description=demand_history_description(),
    )


def demand_history_description() -> str:
    """A screen-reader description of ``demand_history_chart``."""
    eia = eia_series()
    retail = eia_years("retail_sales")
    end_use = eia_years("total_end_use")
    last = lbnl_estimate_years()[-1]
    implied = implied_total(lbnl_twh(last), lbnl_share_pct(last))
    article = printed_figure(CLAIM_US_DEMAND)
    highest = max(eia["retail_sales_twh"].max(), eia["total_end_use_twh"].max(), implied)
    where = "above every other value" if article > highest else "within the range of the data"
    return (
        f"Line chart of US electricity consumption. EIA retail sales move between "
        f"{eia['retail_sales_twh'].min():,.0f} and {eia['retail_sales_twh'].max():,.0f} TWh from "
        f"{retail[0]} to {retail[-1]}; total end use, available {end_use[0]}-{end_use[-1]}, runs about "
        f"{eia_twh(end_use[-1], 'direct_use'):,.0f} TWh higher. For {last}, LBNL's share implies "
        f"{implied:,.0f} TWh; the article's figure of {article:,.0f} TWh sits {where}."
    )
