"""The chapters by notebook name: each one's parameter schema and published parameters, validated.

``params/<notebook>.yaml`` holds a notebook's published parameters; ``resolve`` adds command-line
overrides and validates the whole set against the chapter's schema, so the first problem is one line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from deepseek_shock.chapters.capex_cut.params import CapexCutParams
from deepseek_shock.chapters.market_selloff.params import MarketSelloffParams
from deepseek_shock.chapters.nvda_drawdown.params import NvdaDrawdownParams
from deepseek_shock.chapters.parameters import NotebookParams, parse_overrides, yaml_mapping
from deepseek_shock.chapters.power_cagr.params import PowerCagrParams
from deepseek_shock.chapters.pricing.params import PricingParams
from deepseek_shock.chapters.training_cost.params import TrainingCostParams
from deepseek_shock.errors import UserError, quoted
from deepseek_shock.paths import project_root

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
            f"unknown notebook {quoted(notebook)}: expected one of {', '.join(sorted(SCHEMAS))}"
        ) from None


def validated(notebook: str, values: Mapping[str, Any], origin: str) -> NotebookParams:
    """``values`` checked against the notebook's schema; the first problem becomes one clear line."""
    schema = schema_for(notebook)
    unknown = sorted(set(values) - set(schema.model_fields))
    if unknown:
        raise UserError(
            f"{origin}: unknown parameter {quoted(unknown[0])} for {notebook}; "
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
        got = "" if first["type"] == "value_error" else f", got {quoted(first.get('input'))}"
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


def resolve(notebook: str, overrides: list[str] | None = None) -> NotebookParams:
    """The published parameters of ``notebook`` with command-line overrides, validated."""
    values = published_values(notebook)
    label = published_path(notebook).relative_to(project_root()).as_posix()
    published = validated(notebook, values, label)
    if not overrides:
        return published
    return validated(notebook, {**values, **parse_overrides(overrides)}, "--set")


def from_namespace(notebook: str, namespace: Mapping[str, Any]) -> NotebookParams:
    """Inside a notebook: the schema's fields picked from the notebook's globals, validated."""
    fields = schema_for(notebook).model_fields
    return validated(notebook, {name: namespace[name] for name in fields if name in namespace}, notebook)


Values = dict[str, tuple[Any, str]]


def computations() -> dict[str, Callable[[Any], Values]]:
    """Each notebook's kernel-free computation: params → {result key: (value, unit)}.

    Imported on first use, so resolving parameters loads no chapter's arithmetic.
    """
    from deepseek_shock.chapters.capex_cut import intensity
    from deepseek_shock.chapters.market_selloff import windows
    from deepseek_shock.chapters.nvda_drawdown import press
    from deepseek_shock.chapters.power_cagr import projections
    from deepseek_shock.chapters.pricing import prices
    from deepseek_shock.chapters.training_cost import cost

    return {
        "training_cost": cost.chapter_values,
        "nvda_drawdown": press.chapter_values,
        "market_selloff": windows.chapter_values,
        "capex_cut": intensity.chapter_values,
        "power_cagr": projections.chapter_values,
        "pricing": prices.chapter_values,
    }
