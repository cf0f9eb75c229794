"""Notebook sweeps on a Dask cluster: a local scheduler and worker, submitted to by address."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from distributed import LocalCluster

from deepseek_shock.build import pipeline, sweep
from deepseek_shock.build.kernels import WorkerKernel
from deepseek_shock.chapters.record import RESULT_KEY
from deepseek_shock.errors import UserError


@pytest.fixture
def recorded_runs(project, monkeypatch) -> list[float]:
    """Replace the kernel with a recorder: each 'execution' records its price as a result."""
    prices: list[float] = []

    def fake_execute(job: pipeline.Job, destination: Path, kernel: WorkerKernel | None = None) -> None:
        price = job.params.price_per_gpu_hour
        prices.append(price)
        output = nbformat.v4.new_output(
            "display_data",
            data={"text/plain": str(price)},
            metadata={RESULT_KEY: {"key": "price_seen", "value": price, "unit": "USD per GPU-hour"}},
        )
        nbformat.write(
            nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[output])]), destination
        )

    monkeypatch.setattr(pipeline, "execute", fake_execute)
    return prices


def test_notebook_sweep_runs_every_point_on_the_cluster_in_grid_order(recorded_runs):
    grid = sweep.parse_grid("training_cost", ["price_per_gpu_hour=1.5,2.5,3.5"])
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        frame = sweep.notebook_frame(
            "training_cost",
            grid,
            None,
            lambda line: None,
            executor="dask",
            scheduler=cluster.scheduler_address,
        )
    assert sorted(recorded_runs) == [1.5, 2.5, 3.5]
    assert list(frame["price_per_gpu_hour"]) == [1.5, 2.5, 3.5]
    assert list(frame["value"]) == [1.5, 2.5, 3.5]


def test_dask_needs_a_reachable_scheduler(recorded_runs):
    grid = sweep.parse_grid("training_cost", ["price_per_gpu_hour=2"])
    with pytest.raises(UserError, match="--executor dask needs --scheduler"):
        sweep.notebook_frame("training_cost", grid, None, print, executor="dask", scheduler=None)
    with pytest.raises(UserError, match="cannot connect to the Dask scheduler"):
        sweep.notebook_frame(
            "training_cost", grid, None, print, executor="dask", scheduler="tcp://127.0.0.1:9"
        )
