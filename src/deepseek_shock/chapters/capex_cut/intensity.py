"""Capital intensity and J.P. Morgan's "capex about 24% lower in 2027", rebuilt from the filings.

Capital intensity is capex ÷ revenue, in percent. The scenario: if intensity falls back to a reference
level (the 2015-19 average), capex in the base year is lower by ``1 - reference ÷ base-year intensity``.
The base-year intensity was a consensus forecast that J.P. Morgan did not publish, so here it is a
parameter: given directly, or projected from the latest fiscal year with growth rates for revenue and
capex. Money in USD billions; intensities, cuts and growth rates in percent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from deepseek_shock.chapters.capex_cut.cash_flows import cash_flow_values
from deepseek_shock.chapters.capex_cut.filings import (
    BIG_SIX,
    HYPERSCALERS,
    capex_total_usd_bn,
    company_names,
    company_value,
    financials,
    names_text,
    selected,
)
from deepseek_shock.chapters.capex_cut.params import CapexCutParams
from deepseek_shock.chapters.checks import finite as _finite
from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError

SCENARIO_WINDOW: tuple[int, int] = (2015, 2019)  # the reference window seed 000 names
BIG_SIX_YEARS: tuple[int, int] = (2023, 2024)  # the years seed 001 gives totals for
GUIDANCE_BASE_YEAR = 2024  # the fiscal year before the 2025 guidance of seeds 001 and 003
TREND_YEARS = 5  # fiscal years over which the default revenue growth rate is measured
CHIP_END_YEAR = 2028  # the year seed 000's chipmaker growth runs to
DEFINITIONS: dict[str, str] = {"pooled": "pooled", "average": "simple average"}
CLAIM_CUT = "jpm-capex-cut-24pct"
CLAIM_CHIP_GROWTH = "chip-dc-revenue-growth-27pct"
CLAIM_AT_RISK = "chip-revenue-at-risk-37-5b"
CLAIM_POINTS = "chip-dc-growth-minus-7-points"
CLAIM_MSFT_GUIDANCE = "msft-capex-80b-this-year"
CLAIM_AMAZON_GUIDANCE = "amazon-capex-2025-100b"
CLAIM_AMAZON_2024 = "amazon-capex-2024-83b"
CLAIM_BIG_SIX = {2023: "big-six-capex-2023-160b", 2024: "big-six-capex-2024-200b"}


def intensity_pct(capex: float, revenue: float) -> float:
    """Capex ÷ revenue, percent (both in the same currency unit)."""
    return 100 * _finite("capex", capex) / _positive("revenue", revenue)


def with_intensity(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an ``intensity_pct`` column: each company-year's capex ÷ revenue, percent."""
    return frame.assign(intensity_pct=100 * frame["capex_usd_bn"] / frame["revenue_usd_bn"])


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Per fiscal year: summed capex and revenue (USD billions), pooled and simple-average intensity (%).

    Pooled is the sum of capex over the sum of revenue, so large companies weigh more; the simple average
    is the mean of the companies' own ratios, each company counting once.
    """
    rows = with_intensity(frame)
    years = rows.groupby("fiscal_year")
    table = years[["capex_usd_bn", "revenue_usd_bn"]].sum()
    table["pooled_pct"] = 100 * table["capex_usd_bn"] / table["revenue_usd_bn"]
    table["average_pct"] = years["intensity_pct"].mean()
    return table.reset_index()


def window_intensity_pct(frame: pd.DataFrame, start: int, end: int, definition: str) -> float:
    """Capital intensity over fiscal years ``start``-``end`` inclusive, percent.

    ``pooled``: all capex over all revenue in the window. ``average``: the mean of the company-year
    ratios, so each company and each year counts equally.
    """
    if end < start:
        raise UserError(f"reference window: end ({end}) is before start ({start})")
    rows = with_intensity(frame[frame["fiscal_year"].between(start, end)])
    if rows.empty:
        raise UserError(f"reference window {start}-{end}: no fiscal years in the data")
    if definition == "pooled":
        return intensity_pct(rows["capex_usd_bn"].sum(), rows["revenue_usd_bn"].sum())
    if definition == "average":
        return float(rows["intensity_pct"].mean())
    raise UserError(f"intensity_definition {definition!r}: expected one of {', '.join(DEFINITIONS)}")


def implied_cut_pct(reference_pct: float, base_pct: float) -> float:
    """How much lower base-year capex is if intensity falls from ``base_pct`` to ``reference_pct``, %.

    ``100 × (1 − reference ÷ base)``: revenue is unchanged, so capex falls in proportion to intensity.
    Negative when the reference is above the base (capex would rise).
    """
    return 100 * (1 - _positive("reference intensity", reference_pct) / _positive("base intensity", base_pct))


def breakeven_base_pct(reference_pct: float, cut_pct: float) -> float:
    """The base-year intensity (%) at which falling back to ``reference_pct`` cuts capex by ``cut_pct``."""
    cut = _finite("cut", cut_pct)
    if cut >= 100:
        raise UserError(f"cut: expected less than 100 percent, got {cut_pct!r}")
    return _positive("reference intensity", reference_pct) / (1 - cut / 100)


def compound_growth_pct(first: float, last: float, years: int) -> float:
    """Compound annual growth from ``first`` to ``last`` over ``years`` years, percent a year."""
    if years < 1:
        raise UserError(f"growth period: expected at least one year, got {years}")
    return 100 * ((_positive("last value", last) / _positive("first value", first)) ** (1 / years) - 1)


def grown(value: float, growth_pct: float, years: int) -> float:
    """``value`` after ``years`` years of ``growth_pct`` percent a year (same unit as ``value``)."""
    growth = _finite("growth", growth_pct)
    if growth <= -100:
        raise UserError(f"growth: expected more than -100 percent, got {growth_pct!r}")
    return _finite("value", value) * (1 + growth / 100) ** years


@dataclass(frozen=True)
class BaseCase:
    """The base year's (2027's) assumed capex and revenue for the companies pooled.

    ``intensity_factor`` is base-year intensity over the latest fiscal year's: the same for the pooled
    and the simple-average definition, because every company's revenue and capex grow at the same rates.
    """

    year: int
    years_ahead: int
    revenue_growth_pct: float
    capex_growth_pct: float
    intensity_factor: float
    revenue_usd_bn: float
    capex_usd_bn: float


def base_case(params: CapexCutParams, yearly: pd.DataFrame) -> BaseCase:
    """The base case under ``params``, projected from the last row of ``by_year`` output ``yearly``.

    Revenue grows at ``revenue_growth_pct`` a year (empty: its compound rate over the last
    ``TREND_YEARS`` fiscal years). Intensity is ``base_intensity_pct`` if given (under the chosen
    definition); else capex grows at ``capex_growth_pct`` (empty: as fast as revenue, so intensity stays
    at the latest year's).
    """
    latest = yearly.iloc[-1]
    years_ahead = params.base_year - int(latest["fiscal_year"])
    if years_ahead < 1:
        raise UserError(f"base_year: expected after the latest fiscal year ({int(latest['fiscal_year'])})")
    revenue_growth = params.revenue_growth_pct
    if revenue_growth is None:
        trend = yearly.iloc[-1 - TREND_YEARS :] if len(yearly) > TREND_YEARS else yearly
        revenue_growth = compound_growth_pct(
            trend["revenue_usd_bn"].iloc[0], trend["revenue_usd_bn"].iloc[-1], len(trend) - 1
        )
    revenue = grown(latest["revenue_usd_bn"], revenue_growth, years_ahead)
    if params.base_intensity_pct is not None:
        factor = _positive("base_intensity_pct", params.base_intensity_pct) / float(
            latest[f"{params.intensity_definition}_pct"]
        )
        capex_growth = capex_growth_for_factor_pct(revenue_growth, factor, years_ahead)
    else:
        capex_growth = revenue_growth if params.capex_growth_pct is None else params.capex_growth_pct
        factor = ((1 + capex_growth / 100) / (1 + revenue_growth / 100)) ** years_ahead
    capex = grown(latest["capex_usd_bn"], capex_growth, years_ahead)
    return BaseCase(params.base_year, years_ahead, revenue_growth, capex_growth, factor, revenue, capex)


def capex_growth_for_factor_pct(revenue_growth_pct: float, factor: float, years: int) -> float:
    """Capex growth, percent a year, that with revenue growing ``revenue_growth_pct`` percent a year
    multiplies intensity by ``factor`` over ``years`` years."""
    if years < 1:
        raise UserError(f"growth period: expected at least one year, got {years}")
    return 100 * (
        (1 + _finite("revenue growth", revenue_growth_pct) / 100) * _positive("factor", factor) ** (1 / years)
        - 1
    )


def chip_base_annual_usd_bn(at_risk_usd_bn: float, growth_pct: float, cut_points: float, years: int) -> float:
    """Start-year data-centre revenue (USD billions) at which losing ``at_risk_usd_bn`` in the end year
    lowers the compound annual growth rate from ``growth_pct`` by ``cut_points`` percentage points.

    ``B × ((1 + g)^n − (1 + g − p)^n) = at risk``, solved for ``B``.
    """
    g, p = _finite("growth", growth_pct) / 100, _positive("cut in points", cut_points) / 100
    if years < 1:
        raise UserError(f"growth period: expected at least one year, got {years}")
    return _positive("revenue at risk", at_risk_usd_bn) / ((1 + g) ** years - (1 + g - p) ** years)


def chip_base_cumulative_usd_bn(at_risk_usd_bn: float, cut_points: float) -> float:
    """Start-year data-centre revenue (USD billions) at which losing ``at_risk_usd_bn`` lowers growth over
    the whole period (however long) by ``cut_points`` percentage points: ``at risk ÷ points``.
    """
    return _positive("revenue at risk", at_risk_usd_bn) / (_positive("cut in points", cut_points) / 100)


def chip_readings(
    at_risk_usd_bn: float, growth_pct: float, cut_points: float, start_years: Iterable[int]
) -> pd.DataFrame:
    """The start-year revenue each reading of "27% growth to 2028, 7 points lower" needs, USD billions.

    One row per start year under the compound-annual reading (with the end-year revenue it implies and
    the share of it at risk, percent), and one row for the whole-period reading.
    """
    rows = []
    for start in start_years:
        years = CHIP_END_YEAR - start
        base = chip_base_annual_usd_bn(at_risk_usd_bn, growth_pct, cut_points, years)
        end = grown(base, growth_pct, years)
        rows.append(
            (
                f"{growth_pct:g}% a year, {start} to {CHIP_END_YEAR}",
                start,
                base,
                end,
                100 * at_risk_usd_bn / end,
            )
        )
    base = chip_base_cumulative_usd_bn(at_risk_usd_bn, cut_points)
    end = base * (1 + growth_pct / 100)
    rows.append(
        (
            f"{growth_pct:g}% over the whole period to {CHIP_END_YEAR}",
            None,
            base,
            end,
            100 * at_risk_usd_bn / end,
        )
    )
    return pd.DataFrame(rows, columns=["reading", "start_year", "start_usd_bn", "end_usd_bn", "at_risk_pct"])


def lease_values(frame: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """What excluding finance leases does to the 2015-19 reference: Amazon's figures and the four pooled.

    Fixed to the article's window and the four hyperscalers, the only span in which the snapshot gives
    Amazon's finance-lease additions for every year (it gives none for the other companies).
    """
    start, end = SCENARIO_WINDOW
    four = selected(frame, HYPERSCALERS)
    window = four[four["fiscal_year"].between(start, end)]
    amazon = window[window["ticker"] == "AMZN"]
    leases = float(amazon["finance_lease_usd_bn"].sum())
    capex, revenue = float(amazon["capex_usd_bn"].sum()), float(amazon["revenue_usd_bn"].sum())
    later = frame[
        (frame["ticker"] == "AMZN") & frame["finance_lease_usd_bn"].notna() & (frame["fiscal_year"] > end)
    ]
    later_leases, later_capex = float(later["finance_lease_usd_bn"].sum()), float(later["capex_usd_bn"].sum())
    pooled = window_intensity_pct(four, start, end, "pooled")
    pooled_with = intensity_pct(window["capex_usd_bn"].sum() + leases, window["revenue_usd_bn"].sum())
    return {
        "amazon_window_leases_usd_bn": (leases, "USD billion"),
        "amazon_window_capex_usd_bn": (capex, "USD billion"),
        "amazon_window_intensity_pct": (intensity_pct(capex, revenue), "percent"),
        "amazon_window_intensity_with_leases_pct": (intensity_pct(capex + leases, revenue), "percent"),
        "amazon_window_lease_share_pct": (100 * leases / (capex + leases), "percent"),
        "amazon_later_lease_share_pct": (100 * later_leases / (later_capex + later_leases), "percent"),
        "amazon_later_first_year": (int(later["fiscal_year"].min()), "year"),
        "amazon_later_last_year": (int(later["fiscal_year"].max()), "year"),
        "four_window_intensity_pct": (pooled, "percent"),
        "four_window_intensity_with_amazon_leases_pct": (pooled_with, "percent"),
    }


def chapter_values(params: CapexCutParams) -> dict[str, tuple[float | int | str, str]]:
    """Every number the capex chapter publishes under ``params``: key -> (value, unit)."""
    frame = financials()
    chosen = selected(frame, params.tickers)
    yearly = by_year(chosen)
    latest = yearly.iloc[-1]
    latest_year = int(latest["fiscal_year"])
    start, end = params.reference_start, params.reference_end
    definition = params.intensity_definition
    reference = {d: window_intensity_pct(chosen, start, end, d) for d in DEFINITIONS}
    latest_pct = {d: float(latest[f"{d}_pct"]) for d in DEFINITIONS}
    base = base_case(params, yearly)
    base_pct = {d: latest_pct[d] * base.intensity_factor for d in DEFINITIONS}
    cut = {d: implied_cut_pct(reference[d], base_pct[d]) for d in DEFINITIONS}
    printed = (
        CLAIM_CUT,
        CLAIM_CHIP_GROWTH,
        CLAIM_AT_RISK,
        CLAIM_POINTS,
        CLAIM_MSFT_GUIDANCE,
        CLAIM_AMAZON_GUIDANCE,
        CLAIM_AMAZON_2024,
        *CLAIM_BIG_SIX.values(),
    )
    reported = {claim_id: printed_figure(claim_id) for claim_id in printed}
    breakeven = {d: breakeven_base_pct(reference[d], reported[CLAIM_CUT]) for d in DEFINITIONS}
    breakeven_factor = breakeven[definition] / latest_pct[definition]
    later = yearly[yearly["fiscal_year"] > end]
    low, high = later.loc[later[f"{definition}_pct"].idxmin()], later.loc[later[f"{definition}_pct"].idxmax()]
    capex_cut_usd_bn = base.capex_usd_bn * cut["pooled"] / 100
    at_risk = reported[CLAIM_AT_RISK]
    chip_years = CHIP_END_YEAR - params.chip_start_year
    chip_annual = chip_base_annual_usd_bn(
        at_risk, reported[CLAIM_CHIP_GROWTH], reported[CLAIM_POINTS], chip_years
    )
    chip_cumulative = chip_base_cumulative_usd_bn(at_risk, reported[CLAIM_POINTS])
    chip_start_capex = capex_total_usd_bn(chosen, params.tickers, params.chip_start_year)
    first, second = BIG_SIX_YEARS
    big_six = {year: capex_total_usd_bn(frame, BIG_SIX, year) for year in BIG_SIX_YEARS}
    amazon_capex = company_value(frame, "AMZN", GUIDANCE_BASE_YEAR, "capex_usd_bn")
    amazon_proceeds = company_value(frame, "AMZN", GUIDANCE_BASE_YEAR, "proceeds_usd_bn")
    msft_capex = company_value(frame, "MSFT", GUIDANCE_BASE_YEAR, "capex_usd_bn")

    values: dict[str, tuple[float | int | str, str]] = {
        "companies_named": (names_text(company_names(chosen)), "text"),
        "company_count": (len(params.tickers), "companies"),
        "definition_name": (DEFINITIONS[definition], "text"),
        "first_fiscal_year": (int(yearly["fiscal_year"].iloc[0]), "year"),
        "latest_fiscal_year": (latest_year, "year"),
        "reference_start": (start, "year"),
        "reference_end": (end, "year"),
        "base_year": (base.year, "year"),
        "base_years_ahead": (base.years_ahead, "years"),
        "reference_pooled_pct": (reference["pooled"], "percent"),
        "reference_average_pct": (reference["average"], "percent"),
        "reference_intensity_pct": (reference[definition], "percent"),
        "latest_pooled_pct": (latest_pct["pooled"], "percent"),
        "latest_average_pct": (latest_pct["average"], "percent"),
        "latest_intensity_pct": (latest_pct[definition], "percent"),
        "latest_capex_usd_bn": (float(latest["capex_usd_bn"]), "USD billion"),
        "latest_revenue_usd_bn": (float(latest["revenue_usd_bn"]), "USD billion"),
        "cut_at_latest_pooled_pct": (implied_cut_pct(reference["pooled"], latest_pct["pooled"]), "percent"),
        "cut_at_latest_average_pct": (
            implied_cut_pct(reference["average"], latest_pct["average"]),
            "percent",
        ),
        "later_low_pct": (float(low[f"{definition}_pct"]), "percent"),
        "later_low_year": (int(low["fiscal_year"]), "year"),
        "later_high_pct": (float(high[f"{definition}_pct"]), "percent"),
        "later_high_year": (int(high["fiscal_year"]), "year"),
        "revenue_growth_pct": (base.revenue_growth_pct, "percent a year"),
        "capex_growth_pct": (base.capex_growth_pct, "percent a year"),
        "base_revenue_usd_bn": (base.revenue_usd_bn, "USD billion"),
        "base_capex_usd_bn": (base.capex_usd_bn, "USD billion"),
        "base_pooled_pct": (base_pct["pooled"], "percent"),
        "base_average_pct": (base_pct["average"], "percent"),
        "base_intensity_pct": (base_pct[definition], "percent"),
        "capex_cut_pooled_pct": (cut["pooled"], "percent"),
        "capex_cut_average_pct": (cut["average"], "percent"),
        "capex_cut_pct": (cut[definition], "percent"),
        "capex_cut_usd_bn": (capex_cut_usd_bn, "USD billion"),
        "reported_cut_pct": (reported[CLAIM_CUT], "percent"),
        "breakeven_pooled_pct": (breakeven["pooled"], "percent"),
        "breakeven_average_pct": (breakeven["average"], "percent"),
        "breakeven_intensity_pct": (breakeven[definition], "percent"),
        "breakeven_vs_latest_pct": (100 * (breakeven_factor - 1), "percent"),
        "breakeven_capex_usd_bn": (base.revenue_usd_bn * breakeven[definition] / 100, "USD billion"),
        "breakeven_capex_growth_pct": (
            capex_growth_for_factor_pct(base.revenue_growth_pct, breakeven_factor, base.years_ahead),
            "percent a year",
        ),
        "chip_growth_pct": (reported[CLAIM_CHIP_GROWTH], "percent"),
        "chip_at_risk_usd_bn": (at_risk, "USD billion"),
        "chip_cut_points": (reported[CLAIM_POINTS], "percentage points"),
        "chip_start_year": (params.chip_start_year, "year"),
        "chip_base_annual_usd_bn": (chip_annual, "USD billion"),
        "chip_end_annual_usd_bn": (
            grown(chip_annual, reported[CLAIM_CHIP_GROWTH], chip_years),
            "USD billion",
        ),
        "chip_base_cumulative_usd_bn": (chip_cumulative, "USD billion"),
        "chip_start_capex_usd_bn": (chip_start_capex, "USD billion"),
        "chip_annual_vs_capex_ratio": (chip_annual / chip_start_capex, "ratio"),
        "chip_cumulative_vs_capex_ratio": (chip_cumulative / chip_start_capex, "ratio"),
        "at_risk_share_of_cut_pct": (100 * at_risk / capex_cut_usd_bn, "percent"),
        "big_six_capex_2023_usd_bn": (big_six[first], "USD billion"),
        "big_six_capex_2024_usd_bn": (big_six[second], "USD billion"),
        "big_six_growth_pct": (100 * (big_six[second] / big_six[first] - 1), "percent"),
        "amazon_capex_2024_usd_bn": (amazon_capex, "USD billion"),
        "amazon_proceeds_2024_usd_bn": (amazon_proceeds, "USD billion"),
        "amazon_capex_2024_net_usd_bn": (amazon_capex - amazon_proceeds, "USD billion"),
        "big_six_capex_2024_amazon_net_usd_bn": (big_six[second] - amazon_proceeds, "USD billion"),
        "big_six_2024_amazon_net_vs_reported_pct": (
            100 * ((big_six[second] - amazon_proceeds) / reported[CLAIM_BIG_SIX[second]] - 1),
            "percent",
        ),
        "reported_big_six_2023_usd_bn": (reported[CLAIM_BIG_SIX[first]], "USD billion"),
        "reported_big_six_2024_usd_bn": (reported[CLAIM_BIG_SIX[second]], "USD billion"),
        "reported_amazon_2024_usd_bn": (reported[CLAIM_AMAZON_2024], "USD billion"),
        "reported_amazon_2025_usd_bn": (reported[CLAIM_AMAZON_GUIDANCE], "USD billion"),
        "reported_msft_fy2025_usd_bn": (reported[CLAIM_MSFT_GUIDANCE], "USD billion"),
        "amazon_guidance_growth_pct": (100 * (reported[CLAIM_AMAZON_GUIDANCE] / amazon_capex - 1), "percent"),
        "msft_capex_fy2024_usd_bn": (msft_capex, "USD billion"),
        "msft_guidance_vs_fy2024_ratio": (reported[CLAIM_MSFT_GUIDANCE] / msft_capex, "ratio"),
    }
    # Alternative readings (``<result>__<kind>``): capex net of Amazon's proceeds from property sales.
    values.update(
        {
            "big_six_capex_2023_usd_bn__net-capex": (
                big_six[first] - company_value(frame, "AMZN", first, "proceeds_usd_bn"),
                "USD billion",
            ),
            "big_six_capex_2024_usd_bn__net-capex": (big_six[second] - amazon_proceeds, "USD billion"),
            "amazon_capex_2024_usd_bn__net-capex": (amazon_capex - amazon_proceeds, "USD billion"),
        }
    )
    values.update(lease_values(frame))
    values.update(cash_flow_values(frame, BIG_SIX_YEARS, GUIDANCE_BASE_YEAR + 1))
    return values
