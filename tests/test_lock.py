"""The build lock: one writer per checkout, released with its holder; a folder it cannot write is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from deepseek_shock.build.lock import build_lock
from deepseek_shock.errors import UserError


def test_a_second_holder_is_refused_with_the_first_named_and_the_lock_is_released(project: Path) -> None:
    with build_lock("build"):
        with pytest.raises(UserError, match=r"deepseek-shock build \(process \d+\) is writing") as caught:
            build_lock("run").__enter__()
        assert "expected one build, run or publish at a time" in str(caught.value)
    with build_lock("run"):
        assert "deepseek-shock run" in (project / "_build" / ".lock").read_text()


def test_a_file_where_the_build_folder_belongs_is_one_line(project: Path) -> None:
    (project / "_build").write_text("")
    with pytest.raises(UserError, match="_build is a file: expected the build folder"):
        build_lock("build").__enter__()
