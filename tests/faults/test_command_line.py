"""Faults 21-35 of the catalog: values given with --set, and command lines argparse refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.conftest import Fault, refused


def run(*settings: str, notebook: str = "training_cost") -> tuple[str, ...]:
    """``run NOTEBOOK --set S`` for each setting."""
    return ("run", notebook, *(arg for setting in settings for arg in ("--set", setting)))


FAULTS = {
    "set-code-in-a-number": Fault(
        run('price_per_gpu_hour=__import__("os").system("touch pwned")'),
        ("price_per_gpu_hour: input should be a valid number", "USD per H800 GPU-hour"),
    ),
    "set-unbalanced-quote": Fault(
        run('comparison_model="Llama 3.1 405B'),
        ("--set 'comparison_model=\"Llama 3.1 405B'", "not a number, string, true/false or null"),
    ),
    "set-line-break": Fault(
        run("comparison_model=Llama\n3.1 405B"),
        ("a line break or control character is not allowed", "expected one line"),
    ),
    "set-html": Fault(
        run("comparison_model=<script>alert(1)</script>"),
        ("comparison_model '<script>alert(1)</script>'", "expected one of Llama"),
    ),
    "set-python-tag": Fault(
        run('price_per_gpu_hour=!!python/object/apply:os.system ["touch pwned"]'),
        ("the tag '!!python/object/apply:os.system' is not allowed", "expected plain values"),
    ),
    "set-given-twice": Fault(
        run("price_per_gpu_hour=3", "price_per_gpu_hour=4"),
        ("--set 'price_per_gpu_hour' is given twice", "expected each parameter once"),
    ),
    "set-without-equals": Fault(
        run("price_per_gpu_hour"), ("--set 'price_per_gpu_hour'", "expected key=value")
    ),
    "set-a-list": Fault(
        run("price_per_gpu_hour=[1, 2]"), ("expected a single value, not a list or mapping",)
    ),
    "set-overflowing-number": Fault(
        run("price_per_gpu_hour=1e400"), ("price_per_gpu_hour: input should be a finite number",)
    ),
    "set-text-of-100-kb": Fault(
        run("comparison_model=" + "x" * 100_000),
        ("comparison_model 'xxxx", "(100,000 characters)", "expected one of Llama"),
    ),
    "set-unknown-parameter": Fault(
        run("colour=red"), ("--set: unknown parameter 'colour' for training_cost", "expected one of")
    ),
    "cli-unknown-command": Fault(
        ("frobnicate",), ("invalid choice: 'frobnicate'", "choose from", "see deepseek-shock --help")
    ),
    "cli-missing-argument": Fault(
        ("run",), ("the following arguments are required: NOTEBOOK", "see deepseek-shock run --help")
    ),
    "cli-count-zero": Fault(("build", "--jobs", "0"), ("--jobs", "expected a whole number of 1 or more")),
    "cli-count-negative": Fault(
        ("sweep", "training_cost", "--grid", "price_per_gpu_hour=1,2", "--max-points", "-1"),
        ("--max-points", "expected a whole number of 1 or more, got '-1'"),
    ),
    "cli-count-not-a-number": Fault(("build", "--jobs", "two"), ("expected a whole number of 1 or more",)),
    "cli-unknown-force": Fault(
        ("build", "--force", "nope"), ("--force 'nope'", "expected one of training_cost")
    ),
}


@pytest.mark.parametrize("name", FAULTS)
def test_a_bad_command_line_is_refused_with_one_line(checkout: Path, name: str) -> None:
    refused(checkout, FAULTS[name])
    assert not (checkout / "pwned").exists()
