"""The capex chapter's parameters: companies, reference window, base year and intensity, growth rates."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator

from deepseek_shock.chapters.capex_cut.filings import fiscal_years, known_tickers
from deepseek_shock.chapters.parameters import NotebookParams


def _capex_years(info: ValidationInfo) -> list[int] | None:
    """The fiscal years the chosen companies share in the snapshot, or ``None`` if ``companies`` failed."""
    companies = info.data.get("companies")
    return fiscal_years(companies.split(",")) if companies else None


class CapexCutParams(NotebookParams):
    """Parameters of ``notebooks/capex_cut.ipynb``.

    Intensities, growth rates and cuts are in percent (15 means 15 %). Companies are tickers of the
    snapshot's ``hyperscaler_financials`` table, comma-separated. The base year's capital intensity
    (capex ÷ revenue) was a consensus forecast that is not public: give it, or leave it empty to
    project it from the latest fiscal year with the growth rates.
    """

    tables: ClassVar[tuple[str, ...]] = ("hyperscaler_financials", "cash_flows")

    companies: str = Field(
        "MSFT,GOOGL,AMZN,META", description="Companies pooled: tickers from the snapshot, comma-separated"
    )
    reference_start: int = Field(2015, description="First fiscal year of the reference window")
    reference_end: int = Field(
        2019, description="Last fiscal year of the reference window, before the latest fiscal year"
    )
    intensity_definition: Literal["pooled", "average"] = Field(
        "pooled",
        description="pooled: total capex ÷ total revenue; average: mean of the companies' own ratios",
    )
    base_year: int = Field(
        2027, le=2040, description="Year the cut applies to: after the latest fiscal year, at most 2040"
    )
    base_intensity_pct: float | None = Field(
        None,
        gt=0,
        lt=100,
        description="Base-year capex ÷ revenue, percent, above 0 and below 100 (empty: projected with "
        "the growth rates)",
    )
    revenue_growth_pct: float | None = Field(
        None,
        gt=-100,
        le=100,
        description="Revenue growth from the latest fiscal year to base_year, percent a year (empty: the "
        "last five years' compound rate)",
    )
    capex_growth_pct: float | None = Field(
        None,
        gt=-100,
        le=200,
        description="Capex growth from the latest fiscal year to base_year, percent a year (empty: as "
        "revenue, so intensity stays at the latest year's); leave empty when base_intensity_pct is given",
    )
    chip_start_year: int = Field(
        2024, description="First year of the chipmakers' growth period to 2028: a fiscal year in the data"
    )

    @property
    def tickers(self) -> tuple[str, ...]:
        """The chosen companies' tickers, in the order given."""
        return tuple(self.companies.split(","))

    @field_validator("companies", mode="before")
    @classmethod
    def _known_companies(cls, value: Any) -> str:
        parts = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value or "").split(",")
        tickers = list(dict.fromkeys(part.strip().upper() for part in parts if part.strip()))
        if not tickers:
            raise ValueError("expected at least one ticker, e.g. MSFT,GOOGL,AMZN,META")
        known = known_tickers()
        unknown = [ticker for ticker in tickers if ticker not in known]
        if unknown:
            raise ValueError(f"unknown ticker {unknown[0]!r}; expected tickers among {', '.join(known)}")
        return ",".join(tickers)

    @field_validator("reference_start", "reference_end", "chip_start_year")
    @classmethod
    def _year_in_data(cls, year: int, info: ValidationInfo) -> int:
        years = _capex_years(info)
        if years is None:
            return year
        window = info.field_name != "chip_start_year"
        last = years[-1] - 1 if window else years[-1]
        if not years[0] <= year <= last:
            why = "; the window must end before the latest year, to compare later years" if window else ""
            span = f"the data runs {years[0]}-{years[-1]}{why}"
            raise ValueError(f"expected a fiscal year from {years[0]} to {last} ({span})")
        start = info.data.get("reference_start")
        if info.field_name == "reference_end" and start is not None and year < start:
            raise ValueError(f"the window is reversed: expected a year not before reference_start ({start})")
        return year

    @field_validator("base_year")
    @classmethod
    def _base_year_after_data(cls, year: int, info: ValidationInfo) -> int:
        years = _capex_years(info)
        if years is not None and year <= years[-1]:
            raise ValueError(f"expected a year after the latest fiscal year in the data ({years[-1]})")
        return year

    @field_validator("capex_growth_pct")
    @classmethod
    def _growth_or_intensity(cls, growth: float | None, info: ValidationInfo) -> float | None:
        if growth is not None and info.data.get("base_intensity_pct") is not None:
            raise ValueError("leave empty when base_intensity_pct is given: the intensity then fixes capex")
        return growth
