"""Recording values: what a notebook publishes is what the pipeline collects, with units."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell

from deepseek_shock.chapters.record import (
    GLUE_PREFIX,
    RESULT_KEY,
    parameters_html,
    plain,
    record,
    recorded_results,
)
from deepseek_shock.chapters.training_cost.params import TrainingCostParams


def test_plain_turns_numpy_scalars_into_python_ones():
    assert type(plain(np.float64(2.5))) is float
    assert type(plain(np.int64(3))) is int
    assert plain("H800") == "H800"
    with pytest.raises(TypeError, match="takes a number"):
        plain([1, 2])


def test_record_output_is_glue_and_a_result(monkeypatch):
    shown = []
    monkeypatch.setattr(
        "deepseek_shock.chapters.record.display", lambda data, raw, metadata: shown.append((data, metadata))
    )
    InteractiveShell.instance()
    assert record("total_cost_usd_m", np.float64(5.576), "USD million") == 5.576
    [(data, metadata)] = shown
    assert data == {GLUE_PREFIX + "text/plain": "5.576"}
    assert metadata["scrapbook"] == {"name": "total_cost_usd_m", "mime_prefix": GLUE_PREFIX}
    assert metadata[RESULT_KEY] == {"key": "total_cost_usd_m", "value": 5.576, "unit": "USD million"}


def test_recorded_results_reads_every_tagged_output_and_nothing_else():
    tagged = nbformat.v4.new_output(
        "display_data",
        data={"text/plain": "1"},
        metadata={RESULT_KEY: {"key": "a", "value": 1.5, "unit": "TWh"}},
    )
    untagged = nbformat.v4.new_output("display_data", data={"text/plain": "2"})
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("text"),
            nbformat.v4.new_code_cell("x", outputs=[tagged, untagged]),
        ]
    )
    assert recorded_results(nb) == {"a": {"value": 1.5, "unit": "TWh"}}


def test_parameters_block_lists_every_field_escaped():
    block = parameters_html(
        TrainingCostParams(comparison_model="<b>model</b>", comparison_gpu_hours=1e6, price_per_gpu_hour=3.5)
    )
    for name in TrainingCostParams.model_fields:
        assert f"<code>{name}</code>" in block
    assert "&lt;b&gt;model&lt;/b&gt;" in block
    assert "<code>3.5</code>" in block
    assert "<em>empty</em>" in block
