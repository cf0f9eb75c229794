"""Data-center electricity: growth rates, doubling times, projections and shares of US demand.

Units throughout: electricity in TWh a year; growth rates in percent per year (``13`` means 13 % a
year, never the fraction 0.13); durations in years.

Data come from the snapshot: ``datacenter_electricity`` holds the LBNL 2024 United States Data Center
Energy Usage Report series (estimates for 2014, 2018 and 2023, a 2028 projection range), and
``us_electricity`` holds EIA's US totals (retail sales 2013-2023; direct use and total end use
2013-2021).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock import snapshot
from deepseek_shock.checks import finite as _finite
from deepseek_shock.checks import positive as _positive
from deepseek_shock.claims import VERDICT_LABELS, Claim, claims_path, judged, load_claims
from deepseek_shock.errors import UserError
from deepseek_shock.lazy import altair as alt
from deepseek_shock.params import PowerCagrParams

LBNL_TABLE = "datacenter_electricity"
EIA_TABLE = "us_electricity"
ESTIMATE = "estimate"
PROJECTION_LOW = "projection_low"
PROJECTION_HIGH = "projection_high"
MEASURES: dict[str, str] = {
    "retail_sales": "retail_sales_twh",
    "direct_use": "direct_use_twh",
    "total_end_use": "total_end_use_twh",
}
MEASURE_LABELS: dict[str, str] = {
    "retail_sales": "EIA retail sales",
    "direct_use": "EIA direct use",
    "total_end_use": "EIA total end use (retail sales + direct use)",
}
MIN_RATE_PCT = -100.0  # exclusive: a fall of 100 % a year or more leaves nothing to compound
MAX_RATE_PCT = 1000.0  # inclusive: anything faster is treated as a typing error
DECADE_YEARS = 10
SHARE_HALF_STEP_PCT = 0.05  # a share printed to one decimal (4.4 %) stands for anything within ±0.05
SLIDER_PARAM = "cagr"
SLIDER_STEP_PCT = 0.1
MAX_CURVE_POINTS = 200
DOUBLING_CHART_MIN_PCT = 5.0  # the doubling-time chart spans at least 5-40 % a year
DOUBLING_CHART_MAX_PCT = 40.0
LEFT, RIGHT = "left", "right"  # which side of its point a marker's label sits

# Claims whose printed figures the chapter takes as inputs (read from data/claims.yaml, never typed).
CLAIM_US_DEMAND = "us-electricity-demand-2023-4200twh"
CLAIM_DC_2023 = "datacenter-electricity-2023-200twh"
CLAIM_DOUBLING = "datacenter-doubling-2-5-years"
CLAIM_HIGH_RATE = "datacenter-cagr-doe-high-26pct"
CLAIM_BEAR_RATE = "datacenter-cagr-2014-2023-13pct"
CLAIM_CENTRAL_RATE = "datacenter-cagr-jpm-view-20pct"
CLAIM_TOTAL_GROWTH = "us-electricity-demand-growth-2-5pct"
CLAIM_PAST_DECADE = "us-electricity-demand-past-decade-0-7pct"

# What the chapter publishes: key -> (value, unit), as report.record takes them.
Published = dict[str, tuple[float | int | str | None, str]]
_REPORTED: dict[str, dict[str, float | None]] = {}  # sha256 of claims.yaml -> each claim's reported figure

SCENARIO_LABELS: dict[str, str] = {
    "bear": "Bear case",
    "central": "J.P. Morgan view",
    "high": "DOE high case",
}


# --- arithmetic ---------------------------------------------------------------------------------------


def growth_rate_pct(rate_pct: float, name: str = "rate") -> float:
    """A growth rate in percent per year, checked to lie above -100 (a fall of 100 % leaves nothing)."""
    rate = _finite(name, rate_pct)
    if rate <= MIN_RATE_PCT:
        raise UserError(f"{name}: expected a growth rate above -100 percent per year, got {rate_pct!r}")
    return rate


def scenario_rate_pct(rate_pct: float, name: str = "rate") -> float:
    """A scenario's growth rate in percent per year: above -100 and, as anything faster is taken for a
    typing error, at most 1000."""
    rate = growth_rate_pct(rate_pct, name)
    if rate > MAX_RATE_PCT:
        raise UserError(f"{name}: expected a growth rate of at most 1000 percent per year, got {rate_pct!r}")
    return rate


def growth_factor(rate_pct: float) -> float:
    """``1 + rate_pct / 100``: what one year of growth at ``rate_pct`` percent per year multiplies by."""
    return 1 + growth_rate_pct(rate_pct) / 100


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate, percent per year, taking ``start`` to ``end`` in ``years`` years.

    ``(end / start) ** (1 / years) - 1``, times 100. ``start`` and ``end`` are in the same unit.
    """
    ratio = _positive("end", end) / _positive("start", start)
    return (ratio ** (1 / _positive("years", years)) - 1) * 100


def doubling_time_years(rate_pct: float) -> float:
    """Years to double at ``rate_pct`` percent per year, exactly: ``ln 2 ÷ ln(1 + g)``.

    Only a positive rate doubles anything, so zero or negative rates are refused.
    """
    rate = growth_rate_pct(rate_pct)
    if rate <= 0:
        raise UserError(f"rate: a doubling time needs a positive growth rate, got {rate_pct!r}")
    return math.log(2) / math.log1p(rate / 100)


def rate_for_doubling_time_pct(years: float) -> float:
    """Growth rate, percent per year, that doubles a quantity in ``years`` years: ``2 ** (1 / years) - 1``."""
    return (2 ** (1 / _positive("years", years)) - 1) * 100


def rule_of_70_years(rate_pct: float) -> float:
    """The rule-of-thumb doubling time ``70 ÷ rate_pct``, years (rate in percent per year, positive)."""
    return 70 / _positive("rate", rate_pct)


def projected_value(base: float, rate_pct: float, years: float) -> float:
    """``base`` grown at ``rate_pct`` percent per year for ``years`` years, in ``base``'s unit."""
    return _finite("base", base) * growth_factor(rate_pct) ** _finite("years", years)


def share_pct(part: float, total: float) -> float:
    """``part`` as a percentage of ``total`` (same unit)."""
    return _finite("part", part) / _positive("total", total) * 100


def implied_total(part: float, share: float) -> float:
    """The total of which ``part`` is ``share`` percent, in ``part``'s unit: ``part ÷ share × 100``."""
    return _finite("part", part) / _positive("share", share) * 100


def implied_total_range(
    part: float, share: float, half_step: float = SHARE_HALF_STEP_PCT
) -> tuple[float, float]:
    """Smallest and largest totals consistent with a share printed as ``share`` ± ``half_step`` percent."""
    return implied_total(part, share + half_step), implied_total(part, share - half_step)


# --- the data -----------------------------------------------------------------------------------------


def lbnl_series() -> pd.DataFrame:
    """LBNL's data-center electricity rows: year, value_twh (TWh), value_type, share (percent), grade."""
    table = snapshot.shared_table(LBNL_TABLE)
    return table[["year", "value_type", "value_twh", "share_of_us_electricity_pct", "source_grade"]]


@snapshot.memoized(LBNL_TABLE)
def lbnl_twh(year: int, value_type: str = ESTIMATE) -> float:
    """LBNL's data-center electricity use in ``year``, TWh (``value_type``: estimate or a projection)."""
    return float(_lbnl_row(year, value_type)["value_twh"])


@snapshot.memoized(LBNL_TABLE)
def lbnl_share_pct(year: int, value_type: str = ESTIMATE) -> float:
    """LBNL's share of total US electricity used by data centers in ``year``, percent."""
    share = float(_lbnl_row(year, value_type)["share_of_us_electricity_pct"])
    if math.isnan(share):
        raise UserError(f"{LBNL_TABLE}: no share of US electricity given for {year} ({value_type})")
    return share


def _lbnl_row(year: int, value_type: str) -> pd.Series:
    table = lbnl_series()
    rows = table[(table["year"] == year) & (table["value_type"] == value_type)]
    if rows.empty:
        years = ", ".join(str(y) for y in table.loc[table["value_type"] == value_type, "year"])
        raise UserError(f"{LBNL_TABLE}: no {value_type} for {year}; the snapshot has {years or 'none'}")
    return rows.iloc[0]


@snapshot.memoized(LBNL_TABLE)
def lbnl_estimate_years() -> list[int]:
    """Years with an LBNL estimate (not a projection), ascending."""
    table = lbnl_series()
    return sorted(int(year) for year in table.loc[table["value_type"] == ESTIMATE, "year"])


@snapshot.memoized(LBNL_TABLE)
def lbnl_projection_year() -> int:
    """The year of LBNL's projection range (the year of its ``projection_high`` row)."""
    table = lbnl_series()
    years = table.loc[table["value_type"] == PROJECTION_HIGH, "year"]
    if years.empty:
        raise UserError(f"{LBNL_TABLE}: no {PROJECTION_HIGH} row in the snapshot")
    return int(years.iloc[0])


def eia_series() -> pd.DataFrame:
    """EIA's US electricity by year: retail sales, direct use and total end use, TWh (NaN where missing)."""
    return snapshot.shared_table(EIA_TABLE)[["year", *MEASURES.values()]]


def _measure_column(measure: str) -> str:
    try:
        return MEASURES[measure]
    except KeyError:
        raise UserError(f"measure {measure!r}: expected one of {', '.join(MEASURES)}") from None


@snapshot.memoized(EIA_TABLE)
def eia_years(measure: str = "retail_sales") -> list[int]:
    """Years in which EIA's ``measure`` has a value in the snapshot, ascending."""
    table = eia_series()
    column = _measure_column(measure)
    return sorted(int(year) for year in table.loc[table[column].notna(), "year"])


@snapshot.memoized(EIA_TABLE)
def eia_twh(year: int, measure: str = "retail_sales") -> float:
    """EIA's US ``measure`` (retail_sales, direct_use or total_end_use) in ``year``, TWh."""
    if year not in eia_years(measure):
        years = eia_years(measure)
        span = f"{years[0]}-{years[-1]}" if years else "no years"
        raise UserError(f"{EIA_TABLE}: no {measure} for {year}; the snapshot has {span}")
    table = eia_series()
    return float(table.loc[table["year"] == year, _measure_column(measure)].iloc[0])


@snapshot.memoized(LBNL_TABLE, EIA_TABLE)
def base_years() -> list[int]:
    """Years a projection can start from: those with both an LBNL estimate and EIA retail sales."""
    return sorted(set(lbnl_estimate_years()) & set(eia_years("retail_sales")))


def annual_growth_pct(measure: str = "retail_sales") -> pd.Series:
    """Year-on-year growth of EIA's ``measure``, percent, indexed by the later year of each pair."""
    table = eia_series().set_index("year")[_measure_column(measure)].dropna()
    growth = (table / table.shift(1) - 1) * 100
    return growth[growth.index.to_series().diff() == 1]


def reported_figures() -> dict[str, float | None]:
    """Every claim's printed figure keyed by claim id, from ``data/claims.yaml``.

    Parsed once per content of the registry (parsing it is slow and the chapter asks often).
    """
    digest = hashlib.sha256(claims_path().read_bytes()).hexdigest()
    if digest not in _REPORTED:
        _REPORTED[digest] = {claim.id: claim.reported for claim in load_claims()}
    return dict(_REPORTED[digest])


def claimed_figure(claim_id: str) -> float:
    """The figure an article printed, as recorded in ``data/claims.yaml`` under ``claim_id``."""
    figures = reported_figures()
    if claim_id not in figures:
        raise UserError(f"claim {claim_id!r}: not in the claims registry")
    figure = figures[claim_id]
    if figure is None:
        raise UserError(f"claim {claim_id!r}: no reported figure in the claims registry")
    return figure


# --- growth over history ----------------------------------------------------------------------------


def lbnl_cagr_pct(start_year: int, end_year: int, end_type: str = ESTIMATE) -> float:
    """CAGR of LBNL's data-center use from its ``start_year`` estimate to ``end_year``, percent per year.

    ``end_type`` picks the end point: an estimate, or the low or high projection.
    """
    if end_year <= start_year:
        raise UserError(f"LBNL growth: end year {end_year} must come after start year {start_year}")
    return cagr_pct(lbnl_twh(start_year), lbnl_twh(end_year, end_type), end_year - start_year)


def lbnl_periods() -> list[tuple[int, int, str]]:
    """LBNL's periods as ``(start_year, end_year, end_type)``: each pair of consecutive estimates, the
    whole estimate span, and the latest estimate to each end of the projection range."""
    years = lbnl_estimate_years()
    last, target = years[-1], lbnl_projection_year()
    periods = [(a, b, ESTIMATE) for a, b in zip(years, years[1:], strict=False)]
    periods.append((years[0], last, ESTIMATE))
    return [*periods, (last, target, PROJECTION_LOW), (last, target, PROJECTION_HIGH)]


def lbnl_growth_table() -> pd.DataFrame:
    """``lbnl_periods`` with their growth.

    Columns: period, start_twh, end_twh (TWh), years, cagr_pct (percent per year), doubling_years
    (years; NaN if the rate is not positive).
    """
    suffix = {ESTIMATE: "", PROJECTION_LOW: " (low projection)", PROJECTION_HIGH: " (high projection)"}
    rows = []
    for start, end, end_type in lbnl_periods():
        rate = lbnl_cagr_pct(start, end, end_type)
        rows.append(
            {
                "period": f"{start}–{end}{suffix[end_type]}",
                "start_twh": lbnl_twh(start),
                "end_twh": lbnl_twh(end, end_type),
                "years": end - start,
                "cagr_pct": rate,
                "doubling_years": doubling_time_years(rate) if rate > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows)


def styled_lbnl_growth_table() -> Styler:
    """``lbnl_growth_table`` for display."""
    table = lbnl_growth_table()[["period", "start_twh", "end_twh", "years", "cagr_pct", "doubling_years"]]
    return (
        table.rename(
            columns={
                "period": "Period",
                "start_twh": "Start (TWh)",
                "end_twh": "End (TWh)",
                "years": "Years",
                "cagr_pct": "CAGR (% a year)",
                "doubling_years": "Doubling time (years)",
            }
        )
        .style.format(
            {
                "Start (TWh)": "{:,.0f}",
                "End (TWh)": "{:,.0f}",
                "CAGR (% a year)": "{:.2f}",
                "Doubling time (years)": "{:.2f}",
            }
        )
        .hide(axis="index")
        .set_caption("US data-center electricity growth between LBNL's estimates and projections")
        .set_uuid("power-lbnl-growth")
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
    return (
        table.style.format(
            {"Data centers (TWh)": "{:,.0f}", "Share of US electricity (%)": "{:.1f}"}, na_rep="—"
        )
        .hide(axis="index")
        .set_caption("LBNL 2024 report: US data-center electricity use")
        .set_uuid("power-lbnl-series")
    )


@dataclass(frozen=True)
class DemandWindow:
    """A span of EIA data over which total US demand growth is measured."""

    measure: str
    start_year: int
    end_year: int

    @property
    def years(self) -> int:
        """Length of the window, years."""
        return self.end_year - self.start_year

    def cagr(self) -> float:
        """CAGR of the measure over the window, percent per year."""
        return cagr_pct(
            eia_twh(self.start_year, self.measure), eia_twh(self.end_year, self.measure), self.years
        )


def past_decade_window(measure: str = "retail_sales") -> DemandWindow:
    """The latest ten-year window EIA's ``measure`` covers in the snapshot (ending in its last year)."""
    years = eia_years(measure)
    end = years[-1]
    if end - DECADE_YEARS not in years:
        raise UserError(f"{EIA_TABLE}: no {measure} for {end - DECADE_YEARS}, ten years before {end}")
    return DemandWindow(measure, end - DECADE_YEARS, end)


def demand_windows() -> list[DemandWindow]:
    """Windows over which total demand growth can be measured: the latest decade of retail sales, the
    article's 2014-to-latest span of retail sales, and the longest span of total end use."""
    retail = eia_years("retail_sales")
    end_use = eia_years("total_end_use")
    lbnl_start = lbnl_estimate_years()[0]
    return [
        past_decade_window("retail_sales"),
        DemandWindow("retail_sales", lbnl_start, retail[-1]),
        DemandWindow("total_end_use", end_use[0], end_use[-1]),
    ]


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
    return (
        pd.DataFrame(rows)
        .style.format({"Start (TWh)": "{:,.0f}", "End (TWh)": "{:,.0f}", "CAGR (% a year)": "{:.2f}"})
        .hide(axis="index")
        .set_caption("Growth of total US electricity demand over the windows the EIA data cover")
        .set_uuid("power-demand-windows")
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
    return (
        table.style.format({column: "{:,.0f}" for column in table.columns if column != "Year"}, na_rep="—")
        .hide(axis="index")
        .set_caption("EIA: US electricity consumption")
        .set_uuid("power-eia-series")
    )


# --- scenarios and projections ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A constant growth rate for data-center electricity use, percent per year."""

    label: str
    rate_pct: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate_pct", scenario_rate_pct(self.rate_pct, self.label))


def scenarios(params: PowerCagrParams) -> list[Scenario]:
    """The article's three scenarios (with the parameters' rates) and any extra rates."""
    named = [
        Scenario(f"{SCENARIO_LABELS['bear']}, {params.bear_rate_pct:g}%", params.bear_rate_pct),
        Scenario(f"{SCENARIO_LABELS['central']}, {params.central_rate_pct:g}%", params.central_rate_pct),
        Scenario(f"{SCENARIO_LABELS['high']}, {params.high_rate_pct:g}%", params.high_rate_pct),
    ]
    extra = [Scenario(f"Extra scenario, {rate:g}%", rate) for rate in params.extra_rates]
    return named + extra


def base_twh(params: PowerCagrParams) -> float:
    """Data-center use in the base year, TWh: the parameter, or LBNL's estimate when empty."""
    if params.base_twh is not None:
        return _positive("base_twh", params.base_twh)
    return lbnl_twh(params.base_year)


def base_total_twh(params: PowerCagrParams) -> float:
    """Total US demand in the base year, TWh: the parameter, or EIA retail sales when empty."""
    if params.base_total_twh is not None:
        return _positive("base_total_twh", params.base_total_twh)
    return eia_twh(params.base_year, "retail_sales")


def projection_years(base_year: int, horizon: int) -> list[int]:
    """Every year from ``base_year`` to ``horizon``, inclusive; the horizon must come later."""
    if horizon <= base_year:
        raise UserError(f"horizon: expected a year after base_year ({base_year}), got {horizon}")
    return list(range(base_year, horizon + 1))


def projection_frame(
    base_year: int,
    base: float,
    rates: Iterable[Scenario],
    horizon: int,
    total_base: float,
    total_rate_pct: float,
) -> pd.DataFrame:
    """Data-center use under each scenario and its share of a growing US total, year by year.

    Columns: scenario, rate_pct (percent per year), year, twh (TWh), total_twh (TWh), share_pct (percent).
    """
    rows = []
    for scenario in rates:
        for year in projection_years(base_year, horizon):
            twh = projected_value(base, scenario.rate_pct, year - base_year)
            total = projected_value(total_base, total_rate_pct, year - base_year)
            rows.append(
                {
                    "scenario": scenario.label,
                    "rate_pct": scenario.rate_pct,
                    "year": year,
                    "twh": twh,
                    "total_twh": total,
                    "share_pct": share_pct(twh, total),
                }
            )
    return pd.DataFrame(rows)


def params_projection(params: PowerCagrParams) -> pd.DataFrame:
    """``projection_frame`` under the chapter's parameters."""
    return projection_frame(
        params.base_year,
        base_twh(params),
        scenarios(params),
        params.horizon,
        base_total_twh(params),
        params.total_growth_pct,
    )


def scenario_table(params: PowerCagrParams) -> pd.DataFrame:
    """One row per scenario at the horizon: rate (percent per year), doubling time (years; NaN when the
    rate is not positive), data-center use (TWh), multiple of the base year, and share of US demand
    (percent)."""
    frame = params_projection(params)
    at_horizon = frame[frame["year"] == params.horizon].reset_index(drop=True)
    base = base_twh(params)
    return pd.DataFrame(
        {
            "scenario": at_horizon["scenario"],
            "rate_pct": at_horizon["rate_pct"],
            "doubling_years": [doubling_time_years(r) if r > 0 else math.nan for r in at_horizon["rate_pct"]],
            "twh": at_horizon["twh"],
            "multiple": at_horizon["twh"] / base,
            "share_pct": at_horizon["share_pct"],
        }
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
    return (
        table.style.format(
            {
                "Growth (% a year)": "{:g}",
                "Doubling time (years)": "{:.2f}",
                f"Data centers in {horizon} (TWh)": "{:,.0f}",
                f"Multiple of {params.base_year}": "{:.2f}×",
                f"Share of US demand in {horizon} (%)": "{:.1f}",
            },
            na_rep="never",
        )
        .hide(axis="index")
        .set_caption(
            f"Scenarios from {params.base_year} to {horizon}, with total US demand growing "
            f"{params.total_growth_pct:g}% a year"
        )
        .set_uuid("power-scenarios")
    )


# --- what the chapter publishes -------------------------------------------------------------------------


def lbnl_values() -> Published:
    """LBNL's series and its growth: TWh, shares (percent), CAGRs (percent per year), doubling times."""
    years = lbnl_estimate_years()
    target = lbnl_projection_year()
    values: Published = {}
    for year in years:
        values[f"dc_{year}_twh"] = (lbnl_twh(year), "TWh")
    for end_type, name in ((PROJECTION_LOW, "low"), (PROJECTION_HIGH, "high")):
        values[f"dc_{target}_{name}_twh"] = (lbnl_twh(target, end_type), "TWh")
        values[f"lbnl_share_{target}_{name}_pct"] = (lbnl_share_pct(target, end_type), "percent")
    shares = lbnl_series()
    shares = shares[(shares["value_type"] == ESTIMATE) & shares["share_of_us_electricity_pct"].notna()]
    for year in shares["year"]:
        values[f"lbnl_share_{year}_pct"] = (lbnl_share_pct(year), "percent")
    for start, end, end_type in lbnl_periods():
        name = {ESTIMATE: "", PROJECTION_LOW: "_low", PROJECTION_HIGH: "_high"}[end_type]
        rate = lbnl_cagr_pct(start, end, end_type)
        values[f"dc_cagr_{start}_{end}{name}_pct"] = (rate, "percent per year")
        if rate > 0:
            values[f"doubling_time_{start}_{end}{name}_years"] = (doubling_time_years(rate), "years")
        values[f"dc_multiple_{start}_{end}{name}"] = (lbnl_twh(end, end_type) / lbnl_twh(start), "ratio")
    return values


def doubling_values(params: PowerCagrParams) -> Published:
    """Doubling times (years): of each scenario (``None`` when its rate is not positive), of the article's
    own high-case rate, and the rate (percent per year) that the article's doubling time needs."""
    values: Published = {}
    for key in SCENARIO_LABELS:
        rate = getattr(params, f"{key}_rate_pct")
        values[f"{key}_rate_pct"] = (rate, "percent per year")
        values[f"doubling_time_{key}_years"] = (doubling_time_years(rate) if rate > 0 else None, "years")
    article_rate = claimed_figure(CLAIM_HIGH_RATE)
    claimed = claimed_figure(CLAIM_DOUBLING)
    values.update(
        {
            "article_bear_rate_pct": (claimed_figure(CLAIM_BEAR_RATE), "percent per year"),
            "article_central_rate_pct": (claimed_figure(CLAIM_CENTRAL_RATE), "percent per year"),
            "article_high_rate_pct": (article_rate, "percent per year"),
            "doubling_time_article_high_years": (doubling_time_years(article_rate), "years"),
            "rule_of_70_article_high_years": (rule_of_70_years(article_rate), "years"),
            "article_doubling_years": (claimed, "years"),
            "rate_for_article_doubling_pct": (rate_for_doubling_time_pct(claimed), "percent per year"),
        }
    )
    return values


def demand_values() -> Published:
    """US totals (TWh), the data centers' share of them (percent) and the growth of total demand
    (percent per year), set beside the article's figures."""
    last = lbnl_estimate_years()[-1]
    retail_last = eia_years("retail_sales")[-1]
    end_use_last = eia_years("total_end_use")[-1]
    direct_last = eia_years("direct_use")[-1]
    retail = eia_twh(retail_last)
    direct = eia_twh(direct_last, "direct_use")
    implied = implied_total(lbnl_twh(last), lbnl_share_pct(last))
    implied_low, implied_high = implied_total_range(lbnl_twh(last), lbnl_share_pct(last))
    article_total, article_dc = claimed_figure(CLAIM_US_DEMAND), claimed_figure(CLAIM_DC_2023)
    values: Published = {
        f"us_retail_sales_{retail_last}_twh": (retail, "TWh"),
        f"us_total_end_use_{end_use_last}_twh": (eia_twh(end_use_last, "total_end_use"), "TWh"),
        f"us_direct_use_{direct_last}_twh": (direct, "TWh"),
        f"us_retail_sales_{retail_last}_plus_direct_use_{direct_last}_twh": (retail + direct, "TWh"),
        f"lbnl_implied_total_{last}_twh": (implied, "TWh"),
        f"lbnl_implied_total_{last}_low_twh": (implied_low, "TWh"),
        f"lbnl_implied_total_{last}_high_twh": (implied_high, "TWh"),
        f"dc_share_of_retail_{last}_pct": (share_pct(lbnl_twh(last), eia_twh(last)), "percent"),
        "article_us_demand_twh": (article_total, "TWh"),
        "article_dc_twh": (article_dc, "TWh"),
        "article_implied_share_pct": (share_pct(article_dc, article_total), "percent"),
        "article_over_retail_pct": ((article_total / retail - 1) * 100, "percent"),
        "article_over_lbnl_implied_pct": ((article_total / implied - 1) * 100, "percent"),
        "article_dc_over_lbnl_pct": ((article_dc / lbnl_twh(last) - 1) * 100, "percent"),
    }
    for window in demand_windows():
        key = f"us_{window.measure}_cagr_{window.start_year}_{window.end_year}_pct"
        values[key] = (window.cagr(), "percent per year")
        values[f"us_{window.measure}_{window.start_year}_twh"] = (
            eia_twh(window.start_year, window.measure),
            "TWh",
        )

    # What the year after the data would need for the decade ending then to grow as the article says.
    claimed = claimed_figure(CLAIM_PAST_DECADE)
    decade = past_decade_window()
    next_end = decade.end_year + 1
    needed = projected_value(eia_twh(decade.start_year + 1), claimed, DECADE_YEARS)
    yearly = annual_growth_pct("retail_sales")
    values.update(
        {
            "article_past_decade_growth_pct": (claimed, "percent per year"),
            "article_total_growth_pct": (claimed_figure(CLAIM_TOTAL_GROWTH), "percent per year"),
            "article_past_decade_over_data": (claimed / decade.cagr(), "ratio"),
            f"us_retail_sales_{next_end}_needed_twh": (needed, "TWh"),
            f"us_retail_sales_{next_end}_needed_growth_pct": ((needed / retail - 1) * 100, "percent"),
            "max_annual_retail_growth_pct": (float(yearly.max()), "percent"),
            "max_annual_retail_growth_year": (int(yearly.idxmax()), "year"),
        }
    )
    return values


def projection_values(params: PowerCagrParams) -> Published:
    """The projections to the horizon: base values, totals (TWh) and each named scenario's data-center
    use (TWh), multiple of the base year (ratio) and share of US demand (percent)."""
    base, total = base_twh(params), base_total_twh(params)
    years = params.horizon - params.base_year
    values: Published = {
        "base_year": (params.base_year, "year"),
        "horizon": (params.horizon, "year"),
        "projection_years": (years, "years"),
        "base_twh": (base, "TWh"),
        "base_total_twh": (total, "TWh"),
        "base_share_pct": (share_pct(base, total), "percent"),
        "base_twh_source": (
            "LBNL's estimate" if params.base_twh is None else "the base_twh parameter",
            "source",
        ),
        "base_total_source": (
            "EIA retail sales" if params.base_total_twh is None else "the base_total_twh parameter",
            "source",
        ),
        "total_growth_pct": (params.total_growth_pct, "percent per year"),
        "total_twh_at_horizon": (projected_value(total, params.total_growth_pct, years), "TWh"),
    }
    named = scenario_table(params).head(len(SCENARIO_LABELS))
    for key, row in zip(SCENARIO_LABELS, named.itertuples(), strict=True):
        values[f"{key}_twh_at_horizon"] = (row.twh, "TWh")
        values[f"{key}_multiple_at_horizon"] = (row.multiple, "ratio")
        values[f"{key}_share_at_horizon_pct"] = (row.share_pct, "percent")
    return values


def chapter_values(params: PowerCagrParams) -> Published:
    """Every number the power chapter publishes under ``params``: key -> (value, unit)."""
    return {**lbnl_values(), **doubling_values(params), **demand_values(), **projection_values(params)}


def verdict_labels(shown: Iterable[Claim], results: Mapping[str, float | None]) -> dict[str, str]:
    """Each claim's verdict in words, keyed ``verdict_<claim id with underscores>``, for the prose."""
    labels = {}
    for claim in shown:
        outcome, _ = judged(claim, results.get(claim.result) if claim.result else None)
        labels[f"verdict_{claim.id.replace('-', '_')}"] = VERDICT_LABELS[outcome].lower()
    return labels


# --- charts -----------------------------------------------------------------------------------------------


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
    article_rate, claimed = claimed_figure(CLAIM_HIGH_RATE), claimed_figure(CLAIM_DOUBLING)
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
    article_rate, claimed = claimed_figure(CLAIM_HIGH_RATE), claimed_figure(CLAIM_DOUBLING)
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
            "twh": [implied_total(lbnl_twh(last), lbnl_share_pct(last)), claimed_figure(CLAIM_US_DEMAND)],
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
    article = claimed_figure(CLAIM_US_DEMAND)
    highest = max(eia["retail_sales_twh"].max(), eia["total_end_use_twh"].max(), implied)
    where = "above every other value" if article > highest else "within the range of the data"
    return (
        f"Line chart of US electricity consumption. EIA retail sales move between "
        f"{eia['retail_sales_twh'].min():,.0f} and {eia['retail_sales_twh'].max():,.0f} TWh from "
        f"{retail[0]} to {retail[-1]}; total end use, available {end_use[0]}-{end_use[-1]}, runs about "
        f"{eia_twh(end_use[-1], 'direct_use'):,.0f} TWh higher. For {last}, LBNL's share implies "
        f"{implied:,.0f} TWh; the article's figure of {article:,.0f} TWh sits {where}."
    )
