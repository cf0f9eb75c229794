"""The pip lock and the conda environment describe the same packages at the same versions."""

from __future__ import annotations

import pytest
import yaml

from deepseek_shock.build.environment import environment_yml, lock_pins
from deepseek_shock.paths import project_root


def test_environment_yml_pins_exactly_the_lock():
    root = project_root()
    pins = lock_pins((root / "requirements.lock").read_text())
    env = yaml.safe_load((root / "environment.yml").read_text())
    pip_section = next(item for item in env["dependencies"] if isinstance(item, dict))["pip"]
    conda_pins = dict(line.split("==") for line in pip_section if "==" in line)
    assert conda_pins == pins
    assert (root / "environment.yml").read_text() == environment_yml(pins)


def test_lock_pins_the_stack_the_design_requires():
    pins = lock_pins((project_root() / "requirements.lock").read_text())
    assert pins["jupyter-book"].startswith("1.")
    for package in ("papermill", "myst-nb", "altair", "vl-convert-python", "yfinance", "pydantic", "pyyaml"):
        assert package in pins


def test_unpinned_lock_line_is_refused():
    with pytest.raises(ValueError, match="not pinned"):
        lock_pins("pandas>=2\n")
