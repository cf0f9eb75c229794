"""Sweeps: grids parse and validate, the library path matches the chapter arithmetic, runs are reused."""

from __future__ import annotations

import pandas as pd
import pytest

from deepseek_shock.build import sweep
from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.chapters.training_cost.cost import chapter_values
from deepseek_shock.cli import main
from deepseek_shock.errors import UserError


def test_grid_is_the_cartesian_product_of_its_axes():
    grid = sweep.parse_grid("training_cost", ["price_per_gpu_hour=1,2,3", "comparison_model=A,B"])
    assert grid.size == 6
    assert grid.points()[:2] == [
        {"price_per_gpu_hour": 1, "comparison_model": "A"},
        {"price_per_gpu_hour": 1, "comparison_model": "B"},
    ]


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        ([], "at least one --grid"),
        (["price_per_gpu_hour"], "expected key=v1,v2"),
        (["colour=1,2"], "unknown parameter 'colour'"),
        (["price_per_gpu_hour=1", "price_per_gpu_hour=2"], "given twice"),
        (["price_per_gpu_hour=[1, 2]"], "is not a number"),
    ],
)
def test_bad_grids_are_one_line(specs, message):
    with pytest.raises(UserError, match=message):
        sweep.parse_grid("training_cost", specs)


def test_a_grid_over_the_limit_needs_confirmation():
    grid = sweep.parse_grid(
        "training_cost", ["price_per_gpu_hour=" + ",".join(str(i + 1) for i in range(20))]
    )
    with pytest.raises(UserError, match="20 points, more than the limit of 10; add --yes"):
        sweep.checked_size(grid, 10, confirmed=False)
    sweep.checked_size(grid, 10, confirmed=True)


def test_library_sweep_equals_the_chapter_arithmetic_at_every_point():
    grid = sweep.parse_grid("training_cost", ["price_per_gpu_hour=1.5,2,3.5"])
    frame = sweep.library_frame("training_cost", grid)
    totals = frame[frame["result"] == "total_cost_usd"].set_index("price_per_gpu_hour")["value"]
    for price in (1.5, 2, 3.5):
        expected = chapter_values(resolve("training_cost", [f"price_per_gpu_hour={price}"]))[
            "total_cost_usd"
        ][0]
        assert totals[price] == pytest.approx(expected)


def test_an_invalid_point_is_refused_before_anything_is_computed():
    grid = sweep.parse_grid("training_cost", ["price_per_gpu_hour=2,-1"])
    with pytest.raises(UserError, match="price_per_gpu_hour: input should be greater than 0"):
        sweep.library_frame("training_cost", grid)


def test_sweep_command_writes_a_table_and_reuses_it(project, capsys):
    argv = ["sweep", "training_cost", "--grid", "price_per_gpu_hour=1,2", "--result", "total_cost_usd_m"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert "2 points, computed" in first
    table = project / first.split("Table: ")[1].split()[0]
    frame = pd.read_csv(table)
    assert set(frame.columns) == {"point", "price_per_gpu_hour", "result", "value", "unit"}
    assert main(argv) == 0
    assert "reused" in capsys.readouterr().out


def test_sweep_command_bad_input_is_exit_2(project, capsys):
    assert main(["sweep", "training_cost", "--grid", "nope=1"]) == 2
    assert "unknown parameter 'nope'" in capsys.readouterr().err
