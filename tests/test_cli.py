"""The command line: every bad input is one line on stderr, exit status 2, nothing written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from deepseek_shock.cli import main
from deepseek_shock.data.snapshot import DEFAULT_SNAPSHOT


def error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "nvda"], "unknown notebook 'nvda'"),
        (
            ["run", "training_cost", "--set", "price_per_gpu_hour=-2"],
            "price_per_gpu_hour: input should be greater than 0",
        ),
        (["run", "training_cost", "--set", "pretraining_gpu_hours=0"], "pretraining_gpu_hours"),
        (["run", "training_cost", "--set", "colour=red"], "unknown parameter 'colour'"),
        (["run", "training_cost", "--set", "price_per_gpu_hour=two"], "valid number"),
        (["data", "verify", "--snapshot", "1999-01-01"], "1999-01-01"),
        (["build", "--snapshot", "1999-01-01"], "unknown data snapshot '1999-01-01' (from --snapshot"),
        (["run", "training_cost", "--snapshot", "1999-01-01"], "unknown data snapshot '1999-01-01'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project, capsys, argv, message):
    assert main(argv) == 2
    line = error_line(capsys)
    assert line.startswith("deepseek-shock: error: ")
    assert message in line
    assert not (project / "_build" / "runs").exists()
    assert "DEEPSEEK_SHOCK_SNAPSHOT" not in os.environ  # --snapshot holds for the command only


def test_snapshot_option_selects_the_snapshot_a_run_reads(project, capsys):
    embedded = project / "data" / "snapshots" / DEFAULT_SNAPSHOT
    copy = embedded.with_name("copy-of-embedded")
    shutil.copytree(embedded, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "snapshot_id": copy.name}))
    assert main(["run", "training_cost", "--snapshot", "copy-of-embedded", "--json"]) == 0
    [run] = (project / "_build" / "runs").iterdir()
    executed = json.loads((run / "training_cost.ipynb").read_text())
    assert executed["metadata"]["deepseek_shock"]["snapshot"] == "copy-of-embedded"


def test_malformed_yaml_fails_the_build_before_anything_runs(project, capsys):
    (project / "params" / "training_cost.yaml").write_text("price_per_gpu_hour: : 2\n")
    assert main(["build"]) == 2
    assert "params/training_cost.yaml: malformed YAML" in error_line(capsys)
    assert not (project / "_build" / "html").exists()


def test_altered_data_file_fails_with_its_name(project, capsys):
    prices = project / "data" / "snapshots" / DEFAULT_SNAPSHOT / "training_compute.csv"
    prices.write_bytes(prices.read_bytes().replace(b"2664000", b"2664001"))
    assert main(["build"]) == 2
    line = error_line(capsys)
    assert "training_compute.csv" in line and "manifest" in line
    assert not (project / "_build" / "html").exists()


def test_missing_data_file_fails_with_its_name(project, capsys):
    (project / "data" / "snapshots" / DEFAULT_SNAPSHOT / "training_compute.csv").unlink()
    assert main(["data", "verify"]) == 2
    assert "training_compute.csv" in error_line(capsys)


def test_data_verify_passes_on_the_embedded_snapshot(capsys):
    assert main(["data", "verify"]) == 0
    assert "matches its manifest" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command", [[], ["build"], ["run"], ["data"], ["data", "verify"], ["data", "build-snapshot"]]
)
def test_every_command_has_help(command):
    completed = subprocess.run(
        [sys.executable, "-m", "deepseek_shock.cli", *command, "--help"], capture_output=True, text=True
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("usage: deepseek-shock")


@pytest.mark.parametrize("value", ["70000", "-5", "eighty"])
def test_a_port_out_of_range_is_one_line_and_exit_2_before_any_socket(project, capsys, value):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--port", value])
    assert stopped.value.code == 2
    line = error_line(capsys)
    assert f"--port: expected a port number from 0 to 65535, got '{value}'" in line
    assert not (project / "_build").exists()
