"""Faults 1-20 of the catalog: parameter files that are not the flat UTF-8 YAML mapping they should be."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from tests.faults.conftest import Fault, refused

PARAMS = "params/training_cost.yaml"
BUILD = ("build",)  # what `make book` runs
RUN = ("run", "training_cost")


def replace_params(text: bytes | str, name: str = PARAMS) -> callable:
    """An injection that writes ``text`` over a parameters file."""

    def inject(root: Path) -> None:
        data = text.encode() if isinstance(text, str) else text
        (root / name).write_bytes(data)

    return inject


def params_as(encoding: str, bom: bytes = b"") -> callable:
    """An injection that saves the published parameters again in ``encoding``."""

    def inject(root: Path) -> None:
        path = root / PARAMS
        path.write_bytes(bom + path.read_text(encoding="utf-8").encode(encoding))

    return inject


def billion_laughs() -> str:
    """Nine levels of nine aliases each: 9**9 values if expanded."""
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return "\n".join([*lines, "price_per_gpu_hour: *a8", ""])


def params_replaced_by(make: callable) -> callable:
    """An injection that removes the parameters file and puts ``make(path)`` in its place."""

    def inject(root: Path) -> None:
        path = root / PARAMS
        path.unlink()
        make(path)

    return inject


def link_outside(root: Path) -> None:
    """The parameters file becomes a link to an identical file outside the project."""
    path = root / PARAMS
    outside = root.parent / "elsewhere.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)


FAULTS = {
    "params-not-utf8": Fault(
        BUILD,
        ("params/training_cost.yaml: line 2: byte 0xe9 is not UTF-8", "expected UTF-8 text"),
        replace_params(b"price_per_gpu_hour: 2.0\ncomparison_model: caf\xe9\n"),
    ),
    "params-utf16": Fault(
        BUILD, ("is saved as UTF-16", "expected UTF-8 text"), params_as("utf-16-le", codecs.BOM_UTF16_LE)
    ),
    "params-utf16-without-bom": Fault(
        RUN, ("holds NUL characters", "expected UTF-8"), params_as("utf-16-le")
    ),
    "params-duplicate-key": Fault(
        BUILD,
        ("line 3: 'price_per_gpu_hour' is given twice (first on line 1)", "expected each parameter once"),
        replace_params("price_per_gpu_hour: 2.0\nprice_grid_max: 6\nprice_per_gpu_hour: 3.0\n"),
    ),
    "params-not-a-mapping": Fault(
        BUILD, ("expected a mapping of parameter: value, got list",), replace_params("- 2.0\n- 3.0\n")
    ),
    "params-python-tag": Fault(
        RUN,
        ("the tag '!!python/object/apply:os.system' is not allowed", "expected plain values"),
        replace_params('price_per_gpu_hour: !!python/object/apply:os.system ["touch pwned"]\n'),
    ),
    "params-alias-bomb": Fault(
        BUILD,
        ("line 1: anchors and aliases (&name, *name) are not allowed", "expected each value written out"),
        replace_params(billion_laughs()),
    ),
    "params-enormous-file": Fault(
        RUN,
        ("is 20,971,541 bytes", "expected a parameters file of at most 1,048,576 bytes"),
        replace_params("comparison_model: '" + "x" * (20 << 20) + "'\n"),
    ),
    "params-deep-nesting": Fault(
        BUILD,
        ("nested more than 4 levels deep", "expected a mapping of parameter: value"),
        replace_params("price_per_gpu_hour: " + "[" * 50_000 + "]" * 50_000 + "\n"),
    ),
    "params-key-not-a-name": Fault(
        RUN, ("1 is not a parameter name", "expected a mapping"), replace_params("1: 2\nfoo: 3\n")
    ),
    "params-control-character": Fault(
        BUILD,
        ("malformed YAML", "special characters are not allowed", "expected a mapping"),
        replace_params("comparison_model: 'Llama\x07 3.1 405B'\n"),
    ),
    "params-line-break-in-text": Fault(
        RUN,
        ("comparison_model: a line break or control character is not allowed", "expected one line of text"),
        replace_params('comparison_model: "Llama\\n3.1 405B"\n'),
    ),
    "params-malformed-yaml": Fault(
        BUILD,
        ("malformed YAML at line 2 (mapping values are not allowed here)", "expected a mapping of"),
        replace_params("price_per_gpu_hour: 2.0\nprice_grid_max: : 6\n"),
    ),
    "params-not-a-number": Fault(
        RUN,
        ("price_per_gpu_hour: input should be a finite number, got nan", "USD per H800 GPU-hour"),
        replace_params("price_per_gpu_hour: .nan\n"),
    ),
    "params-unknown-key": Fault(
        BUILD,
        ("unknown parameter 'colour' for training_cost", "expected one of price_per_gpu_hour"),
        replace_params("colour: red\n"),
    ),
    "params-missing": Fault(
        BUILD,
        ("params/training_cost.yaml is missing", "every notebook needs its published parameters file"),
        lambda root: (root / PARAMS).unlink(),
    ),
    "params-a-folder": Fault(
        RUN,
        ("params/training_cost.yaml is a folder", "expected a regular file"),
        params_replaced_by(lambda path: path.mkdir()),
    ),
    "params-a-pipe": Fault(
        BUILD,
        ("params/training_cost.yaml is a pipe", "expected a regular file"),
        params_replaced_by(lambda path: os.mkfifo(path)),
    ),
    "params-link-outside": Fault(
        BUILD, ("params/training_cost.yaml leads outside the project", "expected a file inside"), link_outside
    ),
    "scenario-duplicate-key": Fault(
        ("build", "--scenario", "bear"),
        ("params/scenarios/bear/power_cagr.yaml: line 2:", "is given twice", "expected each parameter once"),
        lambda root: (root / "params/scenarios/bear/power_cagr.yaml").write_text(
            "central_rate_pct: 10\ncentral_rate_pct: 12\n"
        ),
    ),
}


@pytest.mark.parametrize("name", FAULTS)
def test_a_bad_parameters_file_is_refused_with_one_line(checkout: Path, name: str) -> None:
    refused(checkout, FAULTS[name])


def test_a_utf8_byte_order_mark_is_read_like_plain_utf8(checkout: Path) -> None:
    """Not a fault: Windows editors save UTF-8 with a byte-order mark, and the file means the same."""
    from tests.faults.conftest import cli

    plain = cli(checkout, "sweep", "training_cost", "--grid", "price_grid_min=1")
    assert plain.returncode == 0, plain.stderr
    params_as("utf-8", codecs.BOM_UTF8)(checkout)
    marked = cli(checkout, "sweep", "training_cost", "--grid", "price_grid_min=1")
    assert marked.returncode == 0, marked.stderr
    # The same parameters, so the same content address: the first sweep is reused.
    assert marked.stdout.splitlines()[1:] == plain.stdout.splitlines()[1:]
    assert "reused" in marked.stdout and "computed" in plain.stdout
