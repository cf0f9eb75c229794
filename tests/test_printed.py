"""The claims registry file as the data stage reads it: a bad file is one clear line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deepseek_shock.data.printed import printed_figure, registry_document
from deepseek_shock.errors import UserError


@pytest.fixture
def claims_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where ``data/claims.yaml`` lies in an empty project root under ``tmp_path``."""
    (tmp_path / "project" / "data").mkdir(parents=True)
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(tmp_path / "project"))
    return tmp_path / "project" / "data" / "claims.yaml"


def test_a_figure_is_read_from_the_file(claims_file: Path) -> None:
    claims_file.write_text("claims:\n- id: cost\n  reported: 5.576\n", encoding="utf-8")
    assert printed_figure("cost") == 5.576
    with pytest.raises(UserError, match=r"^claim 'other': not in the claims registry$"):
        printed_figure("other")


def test_a_byte_that_is_not_utf8_is_one_line(claims_file: Path) -> None:
    claims_file.write_bytes(b"claims:\n- id: caf\xe9\n")
    with pytest.raises(UserError, match=r"^data/claims.yaml: byte 0xe9 is not UTF-8: expected UTF-8 text$"):
        registry_document()


def test_a_link_out_of_the_project_is_refused(claims_file: Path) -> None:
    outside = claims_file.parents[2] / "claims.yaml"
    outside.write_text("claims: []\n", encoding="utf-8")
    claims_file.symlink_to(outside)
    with pytest.raises(UserError, match=r"^data/claims.yaml leads outside the project"):
        registry_document()


def test_a_pipe_is_refused_before_it_is_opened(claims_file: Path) -> None:
    os.mkfifo(claims_file)
    with pytest.raises(UserError, match=r"^data/claims.yaml is a pipe: expected a regular file$"):
        registry_document()
