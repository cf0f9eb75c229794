"""Electricity series from the snapshot: LBNL's data-center estimates and EIA's US totals, in TWh a year.

``datacenter_electricity`` holds the LBNL 2024 United States Data Center Energy Usage Report series
(estimates for 2014, 2018 and 2023, a 2028 projection range); ``us_electricity`` holds EIA's US totals
(retail sales 2013-2023; direct use and total end use 2013-2021).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from deepseek_shock.chapters.power_cagr.growth import cagr_pct, doubling_time_years
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

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
DECADE_YEARS = 10
RELEASE_RE = re.compile(r"DOE press release (\d{4}-\d{2}-\d{2})")  # in the table's source column


def lbnl_series() -> pd.DataFrame:
    """LBNL's data-center electricity rows: year, value_twh (TWh), value_type, share (percent), grade."""
    table = snapshot.shared_table(LBNL_TABLE)
    return table[["year", "value_type", "value_twh", "share_of_us_electricity_pct", "source_grade"]]


@snapshot.memoized(LBNL_TABLE)
def lbnl_release_date() -> str:
    """The date DOE released LBNL's report (``YYYY-MM-DD``), as the table's source column gives it."""
    sources = snapshot.shared_table(LBNL_TABLE)["source"]
    dates = {found.group(1) for found in (RELEASE_RE.search(str(source)) for source in sources) if found}
    if len(dates) != 1:
        raise UserError(
            f"{LBNL_TABLE}: expected one 'DOE press release YYYY-MM-DD' in the sources, found {len(dates)}"
        )
    return dates.pop()


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
