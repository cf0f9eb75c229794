"""Parameters: the schema every chapter's Params extends, and how values arrive from YAML files and --set.

Overrides arrive as ``key=value`` strings from the command line; each value is parsed as a YAML
scalar and the whole set is validated before papermill sees it, so no string becomes code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import yaml
from pydantic import BaseModel, ConfigDict

from deepseek_shock.errors import UserError
from deepseek_shock.paths import project_root


class NotebookParams(BaseModel):
    """Common base: unknown keys are refused, values are validated on assignment.

    ``tables`` names the snapshot tables the notebook reads, so the build cache can key on them.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    tables: ClassVar[tuple[str, ...]] = ()


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
