"""Published parameters: one validated schema per notebook, loaded from ``params/<notebook>.yaml``.

Overrides arrive as ``key=value`` strings from the command line; each value is parsed as a YAML
scalar and the whole set is validated before papermill sees it, so no string becomes code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from deepseek_shock.errors import UserError
from deepseek_shock.paths import project_root


class NotebookParams(BaseModel):
    """Common base: unknown keys are refused, values are validated on assignment.

    ``tables`` names the snapshot tables the notebook reads, so the build cache can key on them.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    tables: ClassVar[tuple[str, ...]] = ()


class TrainingCostParams(NotebookParams):
    """Parameters of ``notebooks/training_cost.ipynb``.

    GPU-hour fields left empty (``null``) take the DeepSeek-V3 technical report's Table 1 values
    from the data snapshot; the price left empty takes the report's assumed rental price.
    """

    tables: ClassVar[tuple[str, ...]] = ("training_compute",)

    price_per_gpu_hour: float | None = Field(
        None, gt=0, le=1000, description="Rental price, USD per H800 GPU-hour (empty: the report's $2)"
    )
    pretraining_gpu_hours: float | None = Field(None, gt=0, description="Pre-training, H800 GPU-hours")
    context_extension_gpu_hours: float | None = Field(
        None, gt=0, description="Context extension, H800 GPU-hours"
    )
    post_training_gpu_hours: float | None = Field(None, gt=0, description="Post-training, H800 GPU-hours")
    comparison_model: str = Field(
        "Llama 3.1 405B", min_length=1, description="Model compared with, as named in the snapshot"
    )
    comparison_gpu_hours: float | None = Field(
        None, gt=0, description="GPU-hours of the comparison model (empty: from the snapshot)"
    )
    price_grid_min: float = Field(0.5, gt=0, le=1000, description="Chart's lowest price, USD per GPU-hour")
    price_grid_max: float = Field(6.0, gt=0, le=1000, description="Chart's highest price, USD per GPU-hour")

    @model_validator(mode="after")
    def _grid_is_ordered(self) -> TrainingCostParams:
        if self.price_grid_max <= self.price_grid_min:
            raise ValueError("price_grid_max must be greater than price_grid_min")
        return self


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
        from deepseek_shock.power import base_years  # the power library imports this module

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


def _capex_years(info: ValidationInfo) -> list[int] | None:
    """The fiscal years the chosen companies share in the snapshot, or ``None`` if ``companies`` failed."""
    from deepseek_shock.capex import fiscal_years  # lazily: it loads pandas and altair

    companies = info.data.get("companies")
    return fiscal_years(companies.split(",")) if companies else None


class CapexCutParams(NotebookParams):
    """Parameters of ``notebooks/capex_cut.ipynb``.

    Intensities, growth rates and cuts are in percent (15 means 15 %). Companies are tickers of the
    snapshot's ``hyperscaler_financials`` table, comma-separated. The base year's capital intensity
    (capex ÷ revenue) was a consensus forecast that is not public: give it, or leave it empty to
    project it from the latest fiscal year with the growth rates.
    """

    tables: ClassVar[tuple[str, ...]] = ("hyperscaler_financials",)

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
        from deepseek_shock.capex import known_tickers  # lazily: it loads pandas and altair

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


class NvdaDrawdownParams(NotebookParams):
    """Parameters of ``notebooks/nvda_drawdown.ipynb``: one stock's close-to-close move on one day.

    Prices are in USD per share, share counts in shares. The ticker and both dates are checked against
    the data snapshot before anything runs. The articles' NVIDIA figures are always reproduced for the
    event they describe (24 to 27 January 2025), whatever ticker or dates are chosen.
    """

    tables: ClassVar[tuple[str, ...]] = ("prices", "adj_close_secondary", "shares_outstanding")

    ticker: str = Field("NVDA", min_length=1, description="US ticker symbol, as in the data snapshot")
    event_date: date = Field(date(2025, 1, 27), description="Trading day whose close ends the move")
    reference_date: date | None = Field(
        None, description="Trading day whose close starts the move (empty: the previous trading day)"
    )
    share_count: Literal["in_force", "published", "next"] = Field(
        "in_force",
        description="Share count from the snapshot: in_force (latest dated on or before reference_date), "
        "published (latest filed by then) or next (first dated after event_date)",
    )
    shares_outstanding: float | None = Field(
        None, gt=0, description="Shares outstanding to use instead of the snapshot's (listed shares)"
    )
    price_basis: Literal["close", "adj_close", "adj_close_secondary"] = Field(
        "close",
        description="close (split-adjusted, not dividend-adjusted), adj_close (also dividend-adjusted) or "
        "adj_close_secondary (the secondary source's adjusted close)",
    )

    @field_validator("ticker", mode="before")
    @classmethod
    def _upper_case(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _days_in_snapshot(self) -> NvdaDrawdownParams:
        from deepseek_shock.drawdown import checked_window  # the drawdown library imports this module

        checked_window(self.ticker, self.price_basis, self.event_date, self.reference_date)
        return self


class MarketSelloffParams(NotebookParams):
    """Parameters of ``notebooks/market_selloff.ipynb``: the one-day moves across the market.

    Both dates must be days on which every series the chapter follows has a close in the snapshot.
    The articles' claims are always judged on the windows they name, whatever dates are chosen.
    """

    tables: ClassVar[tuple[str, ...]] = ("prices", "adj_close_secondary", "indexes", "shares_outstanding")

    event_date: date = Field(date(2025, 1, 27), description="Trading day whose close ends the one-day moves")
    reference_date: date | None = Field(
        None, description="Trading day whose close starts the moves (empty: the previous trading day)"
    )

    @model_validator(mode="after")
    def _days_in_snapshot(self) -> MarketSelloffParams:
        from deepseek_shock.selloff import checked_days  # the selloff library imports this module

        checked_days(self.event_date, self.reference_date)
        return self


PRICE_TIERS: dict[str, str] = {
    "cached_input": "seed 002's DeepSeek-vs-OpenAI pair, apparently both prices of cached input tokens",
    "output": "seed 001's DeepSeek-vs-Meta pair, printed as prices of output tokens",
}
MAX_PRICE_PER_M_TOKENS = 10_000.0  # USD per million tokens: anything dearer is taken for a typing error


class PricingParams(NotebookParams):
    """Parameters of ``notebooks/pricing.ipynb``: the articles' price arithmetic, with your own prices.

    Prices are in USD per million tokens. Left empty, each takes the figure the article printed (read
    from ``data/claims.yaml``); given, it replaces that figure in the comparison ``price_tier`` picks, so
    the ratios can be recomputed with current list prices. ``comparison_label`` names the model priced.
    """

    tables: ClassVar[tuple[str, ...]] = ("training_compute",)

    price_tier: Literal["cached_input", "output"] = Field(
        "cached_input",
        description="Comparison your prices replace: cached_input (" + PRICE_TIERS["cached_input"] + ") or "
        "output (" + PRICE_TIERS["output"] + ")",
    )
    deepseek_usd_per_m_tokens: float | None = Field(
        None,
        gt=0,
        le=MAX_PRICE_PER_M_TOKENS,
        allow_inf_nan=False,
        description="DeepSeek's price, USD per million tokens, above 0 and at most 10,000 (empty: the "
        "article's figure)",
    )
    comparison_usd_per_m_tokens: float | None = Field(
        None,
        gt=0,
        le=MAX_PRICE_PER_M_TOKENS,
        allow_inf_nan=False,
        description="The compared model's price, USD per million tokens, above 0 and at most 10,000 "
        "(empty: the article's figure)",
    )
    comparison_label: str | None = Field(
        None,
        min_length=1,
        max_length=60,
        description="Name of the compared model, for the chart and text (empty: as the article names it)",
    )


SCHEMAS: dict[str, type[NotebookParams]] = {
    "training_cost": TrainingCostParams,
    "power_cagr": PowerCagrParams,
    "capex_cut": CapexCutParams,
    "nvda_drawdown": NvdaDrawdownParams,
    "market_selloff": MarketSelloffParams,
    "pricing": PricingParams,
}


def schema_for(notebook: str) -> type[NotebookParams]:
    """The parameter schema of ``notebook``; an unknown name lists the known ones."""
    try:
        return SCHEMAS[notebook]
    except KeyError:
        raise UserError(
            f"unknown notebook {notebook!r}: expected one of {', '.join(sorted(SCHEMAS))}"
        ) from None


def validated(notebook: str, values: Mapping[str, Any], origin: str) -> NotebookParams:
    """``values`` checked against the notebook's schema; the first problem becomes one clear line."""
    schema = schema_for(notebook)
    unknown = sorted(set(values) - set(schema.model_fields))
    if unknown:
        raise UserError(
            f"{origin}: unknown parameter {unknown[0]!r} for {notebook}; "
            f"expected one of {', '.join(schema.model_fields)}"
        )
    try:
        return schema.model_validate(dict(values))
    except ValidationError as err:
        first = err.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "parameters"
        field = schema.model_fields.get(str(first["loc"][0])) if first["loc"] else None
        expected = f" ({field.description})" if field and field.description else ""
        message = first["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        got = "" if first["type"] == "value_error" else f", got {first.get('input')!r}"
        raise UserError(f"{origin}: {name}: {message}{got}{expected}") from None


def published_path(notebook: str) -> Path:
    """``params/<notebook>.yaml``."""
    return project_root() / "params" / f"{notebook}.yaml"


def published_values(notebook: str) -> dict[str, Any]:
    """The raw mapping in ``params/<notebook>.yaml`` (malformed YAML is one clear error)."""
    schema_for(notebook)
    path = published_path(notebook)
    if not path.exists():
        label = path.relative_to(project_root()).as_posix()
        raise UserError(f"{label} is missing: every notebook needs its published parameters file")
    return yaml_mapping(path)


def yaml_mapping(path: Path) -> dict[str, Any]:
    """The mapping of parameter: value in a YAML file (malformed YAML or a non-mapping: one clear error)."""
    label = path.relative_to(project_root()).as_posix()
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise UserError(f"{label}: malformed YAML{where}: expected a mapping of parameter: value") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise UserError(f"{label}: expected a mapping of parameter: value, got {type(loaded).__name__}")
    return loaded


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``["key=value", ...]`` from the command line; each value is read as a YAML scalar."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set {pair!r}: expected key=value, e.g. --set price_per_gpu_hour=3.5")
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError:
            raise UserError(
                f"--set {pair!r}: the value is not a number, string, true/false or null"
            ) from None
        if isinstance(value, (dict, list)):
            raise UserError(f"--set {pair!r}: expected a single value, not a list or mapping")
        overrides[key.strip()] = value
    return overrides


def resolve(notebook: str, overrides: list[str] | None = None) -> NotebookParams:
    """The published parameters of ``notebook`` with command-line overrides, validated."""
    values = published_values(notebook)
    label = published_path(notebook).relative_to(project_root()).as_posix()
    validated(notebook, values, label)
    if not overrides:
        return validated(notebook, values, label)
    return validated(notebook, {**values, **parse_overrides(overrides)}, "--set")


def from_namespace(notebook: str, namespace: Mapping[str, Any]) -> NotebookParams:
    """Inside a notebook: the schema's fields picked from the notebook's globals, validated."""
    fields = schema_for(notebook).model_fields
    return validated(notebook, {name: namespace[name] for name in fields if name in namespace}, notebook)
