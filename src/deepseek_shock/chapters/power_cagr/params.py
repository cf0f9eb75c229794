"""The power chapter's parameters: growth rates (percent per year), base year and TWh, horizon."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, ValidationInfo, field_validator

from deepseek_shock.chapters.parameters import NotebookParams
from deepseek_shock.chapters.power_cagr.series import base_years

MAX_EXTRA_RATES = 6


def _rate_pct(value: Any) -> float:
    """One growth rate in percent per year, above -100 and at most 1000 (else ``ValueError``)."""
    try:
        if isinstance(value, bool):
            raise TypeError(value)
        rate = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"expected numbers separated by commas, e.g. 15,30; not {value!r}") from None
    if not -100 < rate <= 1000:
        raise ValueError(f"each rate must be above -100 and at most 1000 percent per year, not {value!r}")
    return rate


class PowerCagrParams(NotebookParams):
    """Parameters of ``notebooks/power_cagr.ipynb``.

    Growth rates are in percent per year (13 means 13 % a year), never fractions. Electricity is in
    TWh a year. Empty TWh fields take the snapshot's value for ``base_year``: LBNL's data-center
    estimate and EIA's US retail sales.
    """

    tables: ClassVar[tuple[str, ...]] = ("datacenter_electricity", "us_electricity")

    base_year: int = Field(
        2023,
        description="Year the projections start from (one with LBNL and EIA data in the snapshot)",
    )
    base_twh: float | None = Field(
        None, gt=0, le=100_000, description="Data-center electricity in base_year, TWh (empty: LBNL)"
    )
    base_total_twh: float | None = Field(
        None, gt=0, le=100_000, description="US electricity demand in base_year, TWh (empty: EIA retail)"
    )
    bear_rate_pct: float = Field(
        13, gt=-100, le=1000, description="Bear-case data-center growth, percent per year (-100 < g <= 1000)"
    )
    central_rate_pct: float = Field(
        20, gt=-100, le=1000, description="Central data-center growth, percent per year (-100 < g <= 1000)"
    )
    high_rate_pct: float = Field(
        26, gt=0, le=1000, description="High-case data-center growth, percent per year (0 < g <= 1000)"
    )
    extra_rates: tuple[float, ...] = Field(
        (),
        description=f"Extra data-center growth rates, percent per year, comma-separated, e.g. 15,30 (up to "
        f"{MAX_EXTRA_RATES})",
    )
    horizon: int = Field(2030, le=2100, description="Last year projected: after base_year, at most 2100")
    total_growth_pct: float = Field(
        2.5, gt=-100, le=1000, description="Growth of total US electricity demand, percent per year"
    )
    log_scale: bool = Field(False, description="Draw the scenario chart on a logarithmic TWh axis")

    @field_validator("base_year")
    @classmethod
    def _base_year_has_data(cls, year: int) -> int:
        known = base_years()
        if year not in known:
            raise ValueError(
                f"expected a year with a data-center estimate and retail sales: {', '.join(map(str, known))}"
            )
        return year

    @field_validator("extra_rates", mode="before")
    @classmethod
    def _split_rates(cls, value: Any) -> tuple[float, ...]:
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            items: list[Any] = [part.strip() for part in value.split(",")]
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            items = [value]
        if len(items) > MAX_EXTRA_RATES:
            raise ValueError(f"expected at most {MAX_EXTRA_RATES} rates")
        return tuple(_rate_pct(item) for item in items)

    @field_validator("horizon")
    @classmethod
    def _horizon_after_base_year(cls, horizon: int, info: ValidationInfo) -> int:
        base_year = info.data.get("base_year")
        if base_year is not None and horizon <= base_year:
            raise ValueError(f"must be a year after base_year ({base_year})")
        return horizon
