"""Hyperscaler capital intensity and J.P. Morgan's "capex about 24% lower in 2027", rebuilt from 10-Ks.

Capital intensity is capex ÷ revenue, in percent. Capex is the cash "purchases of property and
equipment" line of each company's cash-flow statement, so assets acquired under finance leases are not
in it. Fiscal years are as the companies label them: Microsoft's ends on 30 June, Apple's in late
September and Oracle's on 31 May; Alphabet, Amazon and Meta use the calendar year.

The scenario: if intensity falls back to a reference level (the 2015-19 average), capex in the base
year is lower by ``1 - reference ÷ base-year intensity``. The base-year intensity was a consensus
forecast that J.P. Morgan did not publish, so here it is a parameter: given directly, or projected
from the latest fiscal year with growth rates for revenue and capex.

Money is in USD billions unless a name says otherwise; intensities, cuts and growth rates in percent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from deepseek_shock import claims, snapshot
from deepseek_shock.checks import finite as _finite
from deepseek_shock.checks import positive as _positive
from deepseek_shock.errors import UserError
from deepseek_shock.lazy import altair as alt

if TYPE_CHECKING:
    from deepseek_shock.params import CapexCutParams

TABLE = "hyperscaler_financials"
HYPERSCALERS: tuple[str, ...] = (
    "MSFT",
    "GOOGL",
    "AMZN",
    "META",
)  # the hyperscalers; AAPL, ORCL complete the six
BIG_SIX: tuple[str, ...] = ("GOOGL", "META", "AMZN", "MSFT", "AAPL", "ORCL")  # as seed 001 lists them
SCENARIO_WINDOW: tuple[int, int] = (2015, 2019)  # the reference window seed 000 names
BIG_SIX_YEARS: tuple[int, int] = (2023, 2024)  # the years seed 001 gives totals for
GUIDANCE_BASE_YEAR = 2024  # the fiscal year before the 2025 guidance of seeds 001 and 003
TREND_YEARS = 5  # fiscal years over which the default revenue growth rate is measured
CHIP_END_YEAR = 2028  # the year seed 000's chipmaker growth runs to
DEFINITIONS: dict[str, str] = {"pooled": "pooled", "average": "simple average"}
SLIDER_PARAM = "base_intensity"
SLIDER_STEP = 0.1  # percent of revenue
CURVE_STEP = 0.25  # percent of revenue, spacing of the cut curves

CLAIM_CUT = "jpm-capex-cut-24pct"
CLAIM_CHIP_GROWTH = "chip-dc-revenue-growth-27pct"
CLAIM_AT_RISK = "chip-revenue-at-risk-37-5b"
CLAIM_POINTS = "chip-dc-growth-minus-7-points"
CLAIM_MSFT_GUIDANCE = "msft-capex-80b-this-year"
CLAIM_AMAZON_GUIDANCE = "amazon-capex-2025-100b"
CLAIM_AMAZON_2024 = "amazon-capex-2024-83b"
CLAIM_BIG_SIX = {2023: "big-six-capex-2023-160b", 2024: "big-six-capex-2024-200b"}

LEASE_NOTE_RE = re.compile(r"supplemental non-cash disclosure: ([\d,]+) USD m")
PROCEEDS_NOTE_RE = re.compile(
    r'Proceeds from property and equipment sales and incentives" \(([\d,]+) USD m\)'
)
_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
_REPORTED: dict[tuple[str, int, int], dict[str, float | None]] = {}
POOLED_LABEL = "Pooled"
AVERAGE_LABEL = "Simple average"


# --- the data ----------------------------------------------------------------------------------------


def amount_in_note(note: str, pattern: re.Pattern[str]) -> float | None:
    """The USD-millions figure ``pattern`` finds in a snapshot note, in USD billions; ``None`` if absent."""
    found = pattern.search(note or "")
    return int(found.group(1).replace(",", "")) / 1000 if found else None


def financials() -> pd.DataFrame:
    """The snapshot's hyperscaler table, one row per company and fiscal year, money in USD billions.

    Columns: ticker, company, fiscal_year, fiscal_year_end, revenue_usd_bn, capex_usd_bn,
    finance_lease_usd_bn (property acquired under finance leases, where the snapshot gives it, else NaN),
    proceeds_usd_bn (Amazon's proceeds from property sales and incentives, else NaN), capex_definition.
    """
    table = snapshot.load_table(TABLE)
    frame = pd.DataFrame(
        {
            "ticker": table["ticker"],
            "company": table["company"],
            "fiscal_year": table["fiscal_year"].astype(int),
            "fiscal_year_end": table["fiscal_year_end"],
            "revenue_usd_bn": table["revenue_usd"] / 1e9,
            "capex_usd_bn": table["capex_usd"] / 1e9,
            "finance_lease_usd_bn": [amount_in_note(n, LEASE_NOTE_RE) for n in table["finance_lease_note"]],
            "proceeds_usd_bn": [amount_in_note(n, PROCEEDS_NOTE_RE) for n in table["notes"]],
            "capex_definition": table["capex_definition"],
        }
    )
    return frame.astype({"finance_lease_usd_bn": float, "proceeds_usd_bn": float})


def known_tickers() -> tuple[str, ...]:
    """The tickers the snapshot's hyperscaler table covers, sorted."""
    return tuple(sorted(snapshot.load_table(TABLE)["ticker"].unique()))


def fiscal_years(tickers: Iterable[str]) -> list[int]:
    """The fiscal years for which every one of ``tickers`` has a row in the snapshot, ascending."""
    table = snapshot.load_table(TABLE)
    wanted = list(tickers)
    unknown = [ticker for ticker in wanted if ticker not in set(table["ticker"])]
    if unknown or not wanted:
        raise UserError(
            f"companies: unknown ticker {unknown[0]!r}" if unknown else "companies: expected at least one"
        )
    years = [set(table.loc[table["ticker"] == ticker, "fiscal_year"]) for ticker in wanted]
    return sorted(int(year) for year in set.intersection(*years))


def selected(frame: pd.DataFrame, tickers: Iterable[str]) -> pd.DataFrame:
    """The rows of ``frame`` for ``tickers``, in the order given, over the years they all share."""
    tickers = list(tickers)
    years = fiscal_years(tickers)
    rows = frame[frame["ticker"].isin(tickers) & frame["fiscal_year"].isin(years)].copy()
    rows["order"] = rows["ticker"].map({ticker: i for i, ticker in enumerate(tickers)})
    return rows.sort_values(["order", "fiscal_year"]).drop(columns="order").reset_index(drop=True)


def company_names(frame: pd.DataFrame) -> list[str]:
    """Company names in ``frame``, in order of first appearance."""
    return list(dict.fromkeys(frame["company"]))


def names_text(names: list[str]) -> str:
    """``["A", "B", "C"]`` as ``"A, B and C"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- capital intensity -------------------------------------------------------------------------------


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
        capex_growth = 100 * ((1 + revenue_growth / 100) * factor ** (1 / years_ahead) - 1)
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


# --- the chipmakers' USD 37.5 billion and 7 points -----------------------------------------------------


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


# --- the chapter's numbers ---------------------------------------------------------------------------


def reported_values(ids: Iterable[str]) -> dict[str, float]:
    """The printed figures of the claims ``ids`` from the claims registry, in each claim's unit.

    The registry is parsed once per state of ``data/claims.yaml`` (path, modification time, size).
    """
    path = claims.claims_path()
    stat = path.stat() if path.exists() else None
    key = (str(path), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)
    if key not in _REPORTED:
        _REPORTED[key] = {claim.id: claim.reported for claim in claims.load_claims()}
    registry = _REPORTED[key]
    values = {}
    for claim_id in ids:
        reported = registry.get(claim_id)
        if reported is None:
            raise UserError(f"data/claims.yaml: claim {claim_id!r} with a reported figure is missing")
        values[claim_id] = reported
    return values


def capex_total_usd_bn(frame: pd.DataFrame, tickers: Iterable[str], year: int) -> float:
    """Summed capex of ``tickers`` in fiscal ``year`` (each company's own fiscal year), USD billions."""
    tickers = list(tickers)
    rows = frame[frame["ticker"].isin(tickers) & (frame["fiscal_year"] == year)]
    if len(rows) != len(tickers):
        missing = sorted(set(tickers) - set(rows["ticker"]))
        raise UserError(f"hyperscaler_financials: no fiscal {year} row for {', '.join(missing)}")
    return float(rows["capex_usd_bn"].sum())


def company_value(frame: pd.DataFrame, ticker: str, year: int, column: str) -> float:
    """One company-year value of ``frame`` (USD billions for money columns)."""
    rows = frame.loc[(frame["ticker"] == ticker) & (frame["fiscal_year"] == year), column]
    if rows.empty:
        raise UserError(f"hyperscaler_financials: no fiscal {year} row for {ticker}")
    return float(rows.iloc[0])


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
    reported = reported_values(
        [
            CLAIM_CUT,
            CLAIM_CHIP_GROWTH,
            CLAIM_AT_RISK,
            CLAIM_POINTS,
            CLAIM_MSFT_GUIDANCE,
            CLAIM_AMAZON_GUIDANCE,
            CLAIM_AMAZON_2024,
            *CLAIM_BIG_SIX.values(),
        ]
    )
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
    values.update(lease_values(frame))
    return values


# --- tables ------------------------------------------------------------------------------------------


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
    return (
        table.style.hide(axis="index")
        .set_uuid("capex-sources")
        .set_caption("Fiscal years and the capex line read from each company's 10-K")
    )


def styled_capex_table(frame: pd.DataFrame) -> Styler:
    """Capex by company and fiscal year, with the total, USD billions."""
    table = frame.pivot(index="fiscal_year", columns="company", values="capex_usd_bn")[company_names(frame)]
    table["Total"] = table.sum(axis=1)
    table.index.name = "Fiscal year"
    table.columns.name = None
    return (
        table.style.format("{:,.1f}")
        .set_uuid("capex-by-company")
        .set_caption("Capex (cash purchases of property and equipment), USD billions")
    )


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
    return (
        table.style.format("{:.1f}", subset=numbers)
        .set_uuid("capex-intensity")
        .set_caption("Capital intensity (capex ÷ revenue), percent")
    )


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
    return (
        shown.style.format("{:,.1f}", subset=[f"FY{year} capex" for year in BIG_SIX_YEARS])
        .set_uuid("capex-big-six")
        .set_caption("Capex of the six companies seed 001 names, each in its own fiscal year, USD billions")
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
    return (
        table.style.format({column: "{:,.1f}" for column in table.columns[1:]})
        .hide(axis="index")
        .set_uuid("capex-chip-readings")
        .set_caption(
            f"Chipmakers' data-centre revenue at which USD {at_risk_usd_bn:g} billion is {cut_points:g} "
            "percentage points of growth"
        )
    )


# --- charts ------------------------------------------------------------------------------------------


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
