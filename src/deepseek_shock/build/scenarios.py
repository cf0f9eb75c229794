"""Alternate parameter sets: ``params/scenarios/<name>/``.

A scenario folder holds ``scenario.yaml`` (its ``title`` and ``description``) and, for each
notebook it changes, ``<notebook>.yaml`` with only the parameters that differ from the published
ones. Notebooks without a file run with their published parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deepseek_shock.chapters.catalog import SCHEMAS, published_values, validated
from deepseek_shock.chapters.parameters import NotebookParams, yaml_mapping
from deepseek_shock.errors import UserError
from deepseek_shock.paths import project_root

DESCRIPTION_FILE = "scenario.yaml"


@dataclass(frozen=True)
class Scenario:
    """A named alternate edition: its title, description and per-notebook parameters."""

    name: str
    title: str
    description: str
    params: dict[str, NotebookParams]
    changed: tuple[str, ...]


def scenarios_dir() -> Path:
    """``params/scenarios/``."""
    return project_root() / "params" / "scenarios"


def available_scenarios() -> list[str]:
    """Scenario names: the folders under ``params/scenarios/`` that hold a ``scenario.yaml``."""
    folder = scenarios_dir()
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir() if (path / DESCRIPTION_FILE).is_file())


def load_scenario(name: str) -> Scenario:
    """Scenario ``name`` with every notebook's parameters validated; an unknown name lists the known ones."""
    if name not in available_scenarios():
        known = ", ".join(available_scenarios()) or "none"
        raise UserError(f"unknown scenario {name!r}: expected one of {known} (folders in params/scenarios/)")
    folder = scenarios_dir() / name
    about = yaml_mapping(folder / DESCRIPTION_FILE)
    for key in ("title", "description"):
        if not isinstance(about.get(key), str) or not about[key].strip():
            raise UserError(f"params/scenarios/{name}/{DESCRIPTION_FILE}: expected a text {key!r}")
    files = [path for path in folder.glob("*.yaml") if path.name != DESCRIPTION_FILE]
    extra = sorted(path.stem for path in files if path.stem not in SCHEMAS)
    if extra:
        raise UserError(
            f"params/scenarios/{name}/{extra[0]}.yaml: no notebook is called {extra[0]!r}; "
            f"expected one of {', '.join(sorted(SCHEMAS))}"
        )
    params: dict[str, NotebookParams] = {}
    changed = []
    for notebook in SCHEMAS:
        path = folder / f"{notebook}.yaml"
        overrides = yaml_mapping(path) if path.exists() else {}
        label = f"params/scenarios/{name}/{notebook}.yaml"
        params[notebook] = validated(notebook, {**published_values(notebook), **overrides}, label)
        if overrides:
            changed.append(notebook)
    description = " ".join(about["description"].split())
    return Scenario(name, about["title"].strip(), description, params, tuple(changed))
