"""Scenarios: alternate parameter sets are validated like published ones."""

from __future__ import annotations

import pytest

from deepseek_shock.build.scenarios import available_scenarios, load_scenario
from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.errors import UserError


def test_shipped_scenarios_load_and_change_what_they_say():
    assert {"bear", "bull"} <= set(available_scenarios())
    for name in ("bear", "bull"):
        scenario = load_scenario(name)
        assert scenario.title and scenario.description
        for notebook, params in scenario.params.items():
            if notebook in scenario.changed:
                assert params != resolve(notebook)
            else:
                assert params == resolve(notebook)


def test_unknown_scenario_lists_the_known_ones():
    with pytest.raises(UserError, match="unknown scenario 'sideways': expected one of bear, bull"):
        load_scenario("sideways")


def test_a_scenario_file_for_no_notebook_is_refused(project):
    (project / "params" / "scenarios" / "bear" / "crypto.yaml").write_text("x: 1\n")
    with pytest.raises(UserError, match="no notebook is called 'crypto'"):
        load_scenario("bear")


def test_a_bad_value_in_a_scenario_names_its_file(project):
    (project / "params" / "scenarios" / "bull" / "power_cagr.yaml").write_text("horizon: 1990\n")
    with pytest.raises(UserError, match="params/scenarios/bull/power_cagr.yaml: horizon"):
        load_scenario("bull")
