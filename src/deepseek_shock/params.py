"""Published parameters: one validated schema per notebook, loaded from ``params/<notebook>.yaml``.

Overrides arrive as ``key=value`` strings from the command line; each value is parsed as a YAML
scalar and the whole set is validated before papermill sees it, so no string becomes code.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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


SCHEMAS: dict[str, type[NotebookParams]] = {
    "training_cost": TrainingCostParams,
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
        raise UserError(
            f"{origin}: {name}: {first['msg'].lower()}, got {first.get('input')!r}{expected}"
        ) from None


def published_path(notebook: str) -> Path:
    """``params/<notebook>.yaml``."""
    return project_root() / "params" / f"{notebook}.yaml"


def published_values(notebook: str) -> dict[str, Any]:
    """The raw mapping in ``params/<notebook>.yaml`` (malformed YAML is one clear error)."""
    schema_for(notebook)
    path = published_path(notebook)
    label = path.relative_to(project_root()).as_posix()
    if not path.exists():
        raise UserError(f"{label} is missing: every notebook needs its published parameters file")
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
