"""Parameter schemas: published values load, overrides are parsed and validated, bad input is one line."""

from __future__ import annotations

import pytest

from deepseek_shock.chapters.catalog import SCHEMAS, computations, published_path, resolve
from deepseek_shock.chapters.parameters import parse_overrides
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError


def test_every_schema_has_published_parameters_that_validate():
    for name in SCHEMAS:
        assert published_path(name).exists()
        assert isinstance(resolve(name), SCHEMAS[name])


def test_override_replaces_the_published_value():
    params = resolve("training_cost", ["price_per_gpu_hour=3.5", "comparison_model=Llama 3.1 70B"])
    assert params.price_per_gpu_hour == 3.5
    assert params.comparison_model == "Llama 3.1 70B"


def test_override_values_are_read_as_yaml_scalars_not_code():
    assert parse_overrides(["a=3.5", "b=null", "c=__import__('os')", "d="]) == {
        "a": 3.5,
        "b": None,
        "c": "__import__('os')",
        "d": None,
    }


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("price_per_gpu_hour=-1", "price_per_gpu_hour: input should be greater than 0"),
        ("price_per_gpu_hour=0", "price_per_gpu_hour: input should be greater than 0"),
        ("pretraining_gpu_hours=-5", "pretraining_gpu_hours: input should be greater than 0"),
        ("price_per_gpu_hour=cheap", "price_per_gpu_hour: input should be a valid number"),
        ("gpu_price=2", "unknown parameter 'gpu_price' for training_cost"),
        ("price_per_gpu_hour", "expected key=value"),
        ("price_per_gpu_hour=[1, 2]", "expected a single value"),
        ("price_grid_min=9", "price_grid_max must be greater than price_grid_min"),
    ],
)
def test_bad_overrides_are_refused_with_one_line(override, message):
    with pytest.raises(UserError, match=message) as caught:
        resolve("training_cost", [override])
    assert "\n" not in str(caught.value)


def test_unknown_notebook_lists_the_known_ones():
    with pytest.raises(UserError, match="unknown notebook 'nvda': expected one of .*training_cost"):
        resolve("nvda")


def test_malformed_yaml_names_the_file_and_line(project):
    (project / "params" / "training_cost.yaml").write_text("price_per_gpu_hour: [1,\n  oops: 2\n")
    with pytest.raises(UserError, match=r"params/training_cost.yaml: malformed YAML at line \d"):
        resolve("training_cost")


def test_published_file_that_is_not_a_mapping_is_refused(project):
    (project / "params" / "training_cost.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(UserError, match="expected a mapping"):
        resolve("training_cost")


def test_wrong_type_in_published_file_names_the_file(project):
    (project / "params" / "training_cost.yaml").write_text("price_per_gpu_hour: two dollars\n")
    with pytest.raises(UserError, match="params/training_cost.yaml: price_per_gpu_hour"):
        resolve("training_cost")


@pytest.mark.parametrize("notebook", sorted(SCHEMAS))
def test_schema_declares_every_table_its_computation_reads(notebook, monkeypatch):
    """A chapter's cached results are keyed on the tables its schema declares: one it reads without
    declaring would leave its cache stale when that table changes."""
    read: set[str] = set()
    entry = snapshot.table_entry

    def recorded(table, snapshot_id=None):
        read.add(table)
        return entry(table, snapshot_id)

    monkeypatch.setattr(snapshot, "table_entry", recorded)
    computations()[notebook](resolve(notebook))
    assert read, f"{notebook} read no table"
    assert read <= set(SCHEMAS[notebook].tables), (
        f"read but not declared: {sorted(read - set(SCHEMAS[notebook].tables))}"
    )
