"""The benchmark's own arithmetic: medians, spreads and the cold build's split by phase."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location("bench_run", Path(__file__).parents[1] / "bench" / "run.py")
assert SPEC and SPEC.loader
bench = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = bench  # dataclasses look their module up there
SPEC.loader.exec_module(bench)


def test_median_and_relative_spread():
    assert bench.median_and_spread([10.0, 12.0, 11.0]) == (11.0, pytest.approx(2 / 11))


def test_cold_phases_split_the_wall_time_by_the_builds_own_lines():
    output = (
        "Notebooks: 2 (snapshot 2026-11-22)\n"
        "[1/2] a: ran in 2.5 s\n"
        "[2/2] b: ran in 1.5 s\n"
        "Notebooks done in 3.0 s (2 executed).\n"
        "Site rendered in 4.0 s.\n"
    )
    phases = bench.cold_phases(output, total=8.5)
    assert phases == {
        "start_up_imports_validation_s": pytest.approx(1.5),
        "notebooks_wall_s": 3.0,
        "notebooks_summed_s": 4.0,
        "render_s": 4.0,
    }


def test_timed_sees_a_kernel_in_the_process_tree_and_none_when_there_is_none(tmp_path):
    start_kernel = (
        "from jupyter_client.manager import start_new_kernel\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.stop_channels(); km.shutdown_kernel(now=True)\n"
    )
    assert bench.timed([sys.executable, "-c", start_kernel], dict(os.environ), tmp_path).kernels == 1
    quiet = bench.timed([sys.executable, "-c", "print('no kernel')"], dict(os.environ), tmp_path)
    assert (quiet.kernels, quiet.output.strip()) == (0, "no kernel")
