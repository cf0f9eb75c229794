"""The power chapter's numbers: growth over history, the articles' rates and their projections.

Electricity in TWh a year; growth rates in percent per year; durations in years. The articles' printed
rates are read from the claims registry file, never typed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.chapters.power_cagr.growth import (
    doubling_time_years,
    implied_total,
    implied_total_range,
    projected_value,
    rate_for_doubling_time_pct,
    rule_of_70_years,
    scenario_rate_pct,
    share_pct,
)
from deepseek_shock.chapters.power_cagr.params import PowerCagrParams
from deepseek_shock.chapters.power_cagr.series import (
    DECADE_YEARS,
    ESTIMATE,
    PROJECTION_HIGH,
    PROJECTION_LOW,
    annual_growth_pct,
    demand_windows,
    eia_twh,
    eia_years,
    lbnl_cagr_pct,
    lbnl_estimate_years,
    lbnl_periods,
    lbnl_projection_year,
    lbnl_release_date,
    lbnl_series,
    lbnl_share_pct,
    lbnl_twh,
    past_decade_window,
)
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError

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
SCENARIO_LABELS: dict[str, str] = {
    "bear": "Bear case",
    "central": "J.P. Morgan view",
    "high": "DOE high case",
}


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


def lbnl_values() -> Published:
    """LBNL's series and its growth: TWh, shares (percent), CAGRs (percent per year), doubling times."""
    years = lbnl_estimate_years()
    target = lbnl_projection_year()
    values: Published = {"lbnl_release_date": (lbnl_release_date(), "date")}
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
    article_rate = printed_figure(CLAIM_HIGH_RATE)
    claimed = printed_figure(CLAIM_DOUBLING)
    values.update(
        {
            "article_bear_rate_pct": (printed_figure(CLAIM_BEAR_RATE), "percent per year"),
            "article_central_rate_pct": (printed_figure(CLAIM_CENTRAL_RATE), "percent per year"),
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
    article_total, article_dc = printed_figure(CLAIM_US_DEMAND), printed_figure(CLAIM_DC_2023)
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
    claimed = printed_figure(CLAIM_PAST_DECADE)
    decade = past_decade_window()
    next_end = decade.end_year + 1
    needed = projected_value(eia_twh(decade.start_year + 1), claimed, DECADE_YEARS)
    yearly = annual_growth_pct("retail_sales")
    values.update(
        {
            "article_past_decade_growth_pct": (claimed, "percent per year"),
            "article_total_growth_pct": (printed_figure(CLAIM_TOTAL_GROWTH), "percent per year"),
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


def alternative_values(values: Published) -> Published:
    """The claims' results under their alternative readings (``<result>__<kind>``; the kinds are declared
    in the claims registry), taken from the chapter's ``values``: the rule of 70 for the exact doubling
    time, LBNL's implied total and EIA's total end use for retail sales."""
    retail_last = eia_years("retail_sales")[-1]
    end_use_last = eia_years("total_end_use")[-1]
    lbnl_last = lbnl_estimate_years()[-1]
    decade = past_decade_window()
    end_use = demand_windows()[-1]
    retail_key = f"us_retail_sales_{retail_last}_twh"
    decade_key = f"us_retail_sales_cagr_{decade.start_year}_{decade.end_year}_pct"
    return {
        "doubling_time_article_high_years__rule-of-thumb": values["rule_of_70_article_high_years"],
        f"{retail_key}__implied-total": values[f"lbnl_implied_total_{lbnl_last}_twh"],
        f"{retail_key}__total-end-use": values[f"us_total_end_use_{end_use_last}_twh"],
        f"{decade_key}__total-end-use": values[
            f"us_total_end_use_cagr_{end_use.start_year}_{end_use.end_year}_pct"
        ],
    }


def chapter_values(params: PowerCagrParams) -> Published:
    """Every number the power chapter publishes under ``params``: key -> (value, unit)."""
    values = {**lbnl_values(), **doubling_values(params), **demand_values(), **projection_values(params)}
    return {**values, **alternative_values(values)}
