"""The capex chapter's tables and charts: filings, intensities, the cut slider, the chipmakers' readings."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock.chapters.capex_cut.filings import BIG_SIX, company_names, selected
from deepseek_shock.chapters.capex_cut.intensity import (
    BIG_SIX_YEARS,
    CHIP_END_YEAR,
    DEFINITIONS,
    by_year,
    implied_cut_pct,
    window_intensity_pct,
    with_intensity,
)
from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.chapters.lazy import altair as alt
from deepseek_shock.chapters.tables import styled

SLIDER_PARAM = "base_intensity"
SLIDER_STEP = 0.1  # percent of revenue
CURVE_STEP = 0.25  # percent of revenue, spacing of the cut curves
_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
POOLED_LABEL = "Pooled"
AVERAGE_LABEL = "Simple average"


def styled_sources_table(frame: pd.DataFrame) -> Styler:
    """Per company: the last day of its latest fiscal year, and the cash-flow line read as capex (the
    XBRL concept in the snapshot's ``capex_definition`` is left out)."""
    latest = frame.sort_values("fiscal_year").groupby("ticker", sort=False).tail(1)
    table = pd.DataFrame(
        {
            "Company": latest["company"],
            "Ticker": latest["ticker"],
            "Latest fiscal year ended": latest["fiscal_year_end"].dt.strftime("%d %b %Y"),
            "Capex line in the cash-flow statement": latest["capex_definition"].str.replace(
                r"\s*\([^()]*\)$", "", regex=True
            ),
        }
    )
    return styled(table, "Fiscal years and the capex line read from each company's 10-K", "capex-sources")


def styled_capex_table(frame: pd.DataFrame) -> Styler:
    """Capex by company and fiscal year, with the total, USD billions."""
    table = frame.pivot(index="fiscal_year", columns="company", values="capex_usd_bn")[company_names(frame)]
    table["Total"] = table.sum(axis=1)
    table.index.name = "Fiscal year"
    table.columns.name = None
    caption = "Capex (cash purchases of property and equipment), USD billions"
    return styled(table, caption, "capex-by-company", index=True).format("{:,.1f}")


def styled_intensity_table(frame: pd.DataFrame, start: int, end: int) -> Styler:
    """Capital intensity by company and fiscal year, with the pooled and simple-average figures, percent."""
    rows = with_intensity(frame)
    table = rows.pivot(index="fiscal_year", columns="company", values="intensity_pct")[company_names(frame)]
    yearly = by_year(frame).set_index("fiscal_year")
    table[POOLED_LABEL] = yearly["pooled_pct"]
    table[AVERAGE_LABEL] = yearly["average_pct"]
    table["Reference window"] = ["yes" if start <= year <= end else "" for year in table.index]
    table.index.name = "Fiscal year"
    table.columns.name = None
    numbers = [column for column in table.columns if column != "Reference window"]
    caption = "Capital intensity (capex ÷ revenue), percent"
    return styled(table, caption, "capex-intensity", index=True).format("{:.1f}", subset=numbers)


def styled_big_six_table(frame: pd.DataFrame) -> Styler:
    """Capex of the six companies seed 001 names in each of ``BIG_SIX_YEARS``, with the month each
    company's fiscal year ended, and the totals; USD billions."""
    rows = frame[frame["ticker"].isin(BIG_SIX) & frame["fiscal_year"].isin(BIG_SIX_YEARS)]
    names = company_names(selected(frame, BIG_SIX))
    shown = pd.DataFrame(index=pd.Index(names, name="Company"))
    for year in BIG_SIX_YEARS:
        in_year = rows[rows["fiscal_year"] == year].set_index("company")
        shown[f"FY{year} ended"] = in_year["fiscal_year_end"].dt.strftime("%b %Y")
        shown[f"FY{year} capex"] = in_year["capex_usd_bn"]
    shown.loc["Total"] = {
        column: shown[column].sum() if column.endswith("capex") else "" for column in shown.columns
    }
    caption = "Capex of the six companies seed 001 names, each in its own fiscal year, USD billions"
    return styled(shown, caption, "capex-big-six", index=True).format(
        "{:,.1f}", subset=[f"FY{year} capex" for year in BIG_SIX_YEARS]
    )


def styled_chip_table(readings: pd.DataFrame, at_risk_usd_bn: float, cut_points: float) -> Styler:
    """``chip_readings`` for display, captioned with the at-risk sum (USD billions) and the points."""
    table = readings.drop(columns="start_year").rename(
        columns={
            "reading": "Reading of '27% growth to 2028'",
            "start_usd_bn": "Start-year revenue needed (USD bn)",
            "end_usd_bn": f"{CHIP_END_YEAR} revenue before the cut (USD bn)",
            "at_risk_pct": f"At risk, share of {CHIP_END_YEAR} revenue (%)",
        }
    )
    caption = (
        f"Chipmakers' data-centre revenue at which USD {at_risk_usd_bn:g} billion is {cut_points:g} "
        "percentage points of growth"
    )
    return styled(table, caption, "capex-chip-readings").format(
        {column: "{:,.1f}" for column in table.columns[1:]}
    )


def _colour_scale(names: list[str]) -> alt.Scale:
    """Company colours, then black for the pooled line and grey for the simple average."""
    palette = [_COLOURS[i % len(_COLOURS)] for i in range(len(names))]
    return alt.Scale(domain=[*names, POOLED_LABEL, AVERAGE_LABEL], range=[*palette, "#111111", "#6b7280"])


def intensity_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """Long table of intensity (percent) by fiscal year: each company, the pooled ratio and the average.

    Columns: fiscal_year, series (company name, ``POOLED_LABEL`` or ``AVERAGE_LABEL``), kind
    (``company``, ``pooled`` or ``average``), intensity_pct.
    """
    columns = ["fiscal_year", "series", "kind", "intensity_pct"]
    companies = with_intensity(frame).assign(series=frame["company"], kind="company")
    yearly = by_year(frame)
    pooled = yearly.assign(series=POOLED_LABEL, kind="pooled", intensity_pct=yearly["pooled_pct"])
    average = yearly.assign(series=AVERAGE_LABEL, kind="average", intensity_pct=yearly["average_pct"])
    return pd.concat([companies[columns], pooled[columns], average[columns]], ignore_index=True)


def capex_intensity_chart(frame: pd.DataFrame, start: int, end: int, definition: str) -> alt.VConcatChart:
    """Capex (stacked bars, USD billions) above capital intensity (lines, percent) by fiscal year.

    Lines: each company, the pooled ratio (thick) and the simple average (dashed). The reference window
    ``start``-``end`` is shaded in both panels and the ``definition``'s reference level is a dotted rule.
    """
    names = company_names(frame)
    colour = alt.Color("series:N", title=None, scale=_colour_scale(names), legend=alt.Legend(orient="top"))
    years = sorted(int(year) for year in frame["fiscal_year"].unique())
    year_scale = alt.Scale(domain=[years[0] - 0.5, years[-1] + 0.5], nice=False)
    x = alt.X("fiscal_year:Q", title="Fiscal year", scale=year_scale, axis=alt.Axis(format="d", values=years))
    band = alt.Data(
        values=[{"from": start - 0.5, "to": end + 0.5, "label": f"Reference window {start}-{str(end)[-2:]}"}]
    )
    shaded = (
        alt.Chart(band)
        .mark_rect(color="#e5e7eb", opacity=0.7)
        .encode(x=alt.X("from:Q", scale=year_scale), x2="to:Q")
    )
    band_label = (
        alt.Chart(band)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color="#374151")
        .encode(x=alt.X("from:Q", scale=year_scale), y=alt.value(0), text="label:N")
    )
    bars = (
        alt.Chart(frame.assign(series=frame["company"])[["fiscal_year", "series", "capex_usd_bn"]])
        .mark_bar(size=28)
        .encode(
            x=x,
            y=alt.Y("capex_usd_bn:Q", title="Capex, USD billions", stack="zero"),
            color=colour,
            tooltip=[
                alt.Tooltip("series:N", title="Company"),
                alt.Tooltip("fiscal_year:Q", title="Fiscal year", format="d"),
                alt.Tooltip("capex_usd_bn:Q", title="Capex, USD bn", format=",.1f"),
            ],
        )
    )
    top = alt.layer(shaded, bars, band_label).properties(width=560, height=220, title="Capex by company")

    kinds = ["company", "pooled", "average"]
    lines = (
        alt.Chart(intensity_lines(frame))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("intensity_pct:Q", title="Capex ÷ revenue, percent"),
            color=colour,
            strokeWidth=alt.StrokeWidth(
                "kind:O", scale=alt.Scale(domain=kinds, range=[1.5, 3.5, 2.5]), sort=kinds, legend=None
            ),
            strokeDash=alt.StrokeDash(
                "kind:O",
                scale=alt.Scale(domain=kinds, range=[[1, 0], [1, 0], [6, 4]]),
                sort=kinds,
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("fiscal_year:Q", title="Fiscal year", format="d"),
                alt.Tooltip("intensity_pct:Q", title="Capex ÷ revenue, %", format=".1f"),
            ],
        )
    )
    level = window_intensity_pct(frame, start, end, definition)
    rule = (
        alt.Chart(alt.Data(values=[{"level": level}]))
        .mark_rule(strokeDash=[2, 3], color="#111111")
        .encode(y="level:Q")
    )
    subtitle = f"Dotted line: the {start}-{str(end)[-2:]} level ({DEFINITIONS[definition]}), {level:.1f}%"
    bottom = alt.layer(shaded, lines, rule).properties(
        width=560, height=260, title=alt.TitleParams("Capital intensity", subtitle=subtitle)
    )
    return alt.vconcat(top, bottom).properties(
        title=f"Capex and capital intensity, fiscal {years[0]}-{years[-1]}",
        description=(
            "Two panels sharing the fiscal-year axis. Top: stacked bars of each company's capex in USD "
            "billions. Bottom: each company's capex as a percentage of revenue, with the pooled ratio and "
            "the simple average; the reference window is shaded and its level drawn as a dotted line."
        ),
    )


def slider_cut_expression(reference_pct: float) -> str:
    """Vega expression of the implied cut (percent) at the slider's base-year intensity (percent)."""
    return f"100 * (1 - {_positive('reference intensity', reference_pct)!r} / {SLIDER_PARAM})"


def cut_range(values: Mapping[str, float]) -> tuple[float, float]:
    """The base-intensity span (percent) the slider and curves cover: from the lower reference (or the
    base, if lower) to past twice the higher reference (or the latest or base intensity, if higher).
    """
    references = (values["reference_pooled_pct"], values["reference_average_pct"])
    bases = (values["base_pooled_pct"], values["base_average_pct"])
    latest = (values["latest_pooled_pct"], values["latest_average_pct"])
    low = max(SLIDER_STEP, math.floor(min(*references, *bases)))
    high = min(99.9, math.ceil(max(2 * max(references), *latest, *bases)) + 2)
    return float(low), float(high)


def cut_curves(values: Mapping[str, float]) -> pd.DataFrame:
    """The implied cut (percent) across ``cut_range``, every ``CURVE_STEP`` points of base intensity,
    against each reference level. Columns: base_pct, cut_pct, reference (a label naming the level)."""
    low, high = cut_range(values)
    rows = []
    for definition in DEFINITIONS:
        reference = values[f"reference_{definition}_pct"]
        label = f"{DEFINITIONS[definition].capitalize()} reference, {reference:.1f}%"
        for base in np.arange(low, high + CURVE_STEP / 2, CURVE_STEP):
            rows.append((float(base), implied_cut_pct(reference, float(base)), label))
    return pd.DataFrame(rows, columns=["base_pct", "cut_pct", "reference"])


def cut_slider_chart(values: Mapping[str, float], definition: str) -> alt.LayerChart:
    """Implied capex cut (percent) against base-year intensity (percent), one curve per reference
    definition, with the reported cut and the latest fiscal year's intensities marked, and a slider.

    ``values`` are the chapter's recorded values (``chapter_values``, value only). The slider is a Vega
    parameter named ``base_intensity``, starting at the base intensity in use under ``definition``; the
    cuts at its value are computed in the page by Vega expressions, without a kernel.
    """
    low, high = cut_range(values)
    curves = cut_curves(values)
    labels = list(dict.fromkeys(curves["reference"]))
    x = alt.X(
        "base_pct:Q",
        title="Base-year capex ÷ revenue, percent",
        scale=alt.Scale(domain=[low, high], nice=False),
    )
    y = alt.Y("cut_pct:Q", title="Implied capex cut, percent")
    lines = (
        alt.Chart(curves)
        .mark_line()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "reference:N",
                title=None,
                scale=alt.Scale(domain=labels, range=["#111111", "#6b7280"]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "reference:N",
                title=None,
                scale=alt.Scale(domain=labels, range=[[1, 0], [6, 4]]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("reference:N", title="Reference"),
                alt.Tooltip("base_pct:Q", title="Base intensity, %", format=".2f"),
                alt.Tooltip("cut_pct:Q", title="Cut, %", format=".1f"),
            ],
        )
    )
    reported_cut = values["reported_cut_pct"]
    reported = alt.Chart(
        alt.Data(values=[{"cut_pct": reported_cut, "label": f"J.P. Morgan: about {reported_cut:g}%"}])
    )
    reported_rule = reported.mark_rule(color="#b45309", strokeDash=[4, 4]).encode(y="cut_pct:Q")
    reported_text = reported.mark_text(align="left", dx=4, dy=-6, color="#b45309").encode(
        x=alt.value(2), y="cut_pct:Q", text="label:N"
    )
    year = int(values["latest_fiscal_year"])
    latest = pd.DataFrame(
        [
            {
                "base_pct": values[f"latest_{d}_pct"],
                "cut_pct": values[f"cut_at_latest_{d}_pct"],
                "label": f"FY{year} {DEFINITIONS[d]}: {values[f'latest_{d}_pct']:.1f}%",
                "definition": d,
            }
            for d in DEFINITIONS
        ]
    )
    latest_points = (
        alt.Chart(latest).mark_point(shape="diamond", size=90, filled=True, color="#111111").encode(x=x, y=y)
    )
    # The pooled curve lies above the simple-average one: label its diamond above-left, the other below.
    latest_above = (
        alt.Chart(latest)
        .transform_filter(alt.datum.definition == "pooled")
        .mark_text(align="right", dx=-8, dy=-8, color="#111111")
        .encode(x=x, y=y, text="label:N")
    )
    latest_below = (
        alt.Chart(latest)
        .transform_filter(alt.datum.definition == "average")
        .mark_text(align="left", dx=8, dy=12, color="#111111")
        .encode(x=x, y=y, text="label:N")
    )

    slider = alt.param(
        name=SLIDER_PARAM,
        value=values[f"base_{definition}_pct"],
        bind=alt.binding_range(
            min=low, max=high, step=SLIDER_STEP, name="Base-year capex ÷ revenue, percent "
        ),
    )
    at_slider = (
        alt.Chart(alt.Data(values=[{}]))
        .transform_calculate(
            base_pct=SLIDER_PARAM,
            cut_pooled_pct=slider_cut_expression(values["reference_pooled_pct"]),
            cut_average_pct=slider_cut_expression(values["reference_average_pct"]),
        )
        .transform_calculate(
            label="'At ' + format(datum.base_pct, '.1f') + '%: cut ' + format(datum.cut_pooled_pct, '.1f')"
            " + '% (pooled reference), ' + format(datum.cut_average_pct, '.1f') + '% (simple average)'"
        )
    )
    slider_rule = at_slider.mark_rule(color="#b03a2e").encode(x=x)
    slider_pooled = at_slider.mark_point(filled=True, size=80, color="#b03a2e").encode(
        x=x, y=alt.Y("cut_pooled_pct:Q")
    )
    slider_average = at_slider.mark_point(filled=False, size=80, color="#b03a2e").encode(
        x=x, y=alt.Y("cut_average_pct:Q")
    )
    left_half = f"{SLIDER_PARAM} < {(low + high) / 2!r}"
    slider_text = at_slider.mark_text(
        align=alt.expr(f"{left_half} ? 'left' : 'right'"),
        dx=alt.expr(f"{left_half} ? 6 : -6"),
        color="#b03a2e",
        fontWeight="bold",
    ).encode(x=x, y=alt.value(12), text="label:N")
    zero = alt.Chart(alt.Data(values=[{"cut_pct": 0.0}])).mark_rule(color="#9ca3af").encode(y="cut_pct:Q")

    return (
        alt.layer(
            zero,
            lines,
            reported_rule,
            reported_text,
            latest_points,
            latest_above,
            latest_below,
            slider_rule,
            slider_pooled,
            slider_average,
            slider_text,
        )
        .add_params(slider)
        .properties(
            width=560,
            height=340,
            title="How deep the cut is depends on the base year's capital intensity",
            description=(
                "Two rising curves: the capex cut in percent implied by falling back to the reference "
                "intensity, against the base-year intensity, for the pooled and the simple-average "
                "reference. A dashed line marks the reported cut, diamonds mark the latest fiscal year's "
                "intensities, and a slider moves markers showing the cut at any base intensity."
            ),
        )
    )
