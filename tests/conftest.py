"""Shared fixtures: a private copy of the project, so a test can change files without touching the repo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deepseek_shock.paths import project_root

PROJECT_FILES = ("_config.yml", "_toc.yml", "requirements.lock")
PROJECT_DIRS = ("data", "params", "notebooks", "book", "_static")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's inputs in ``tmp_path``, made the active project root."""
    root = project_root()
    copy = tmp_path / "project"
    copy.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(root / name, copy / name)
    for name in PROJECT_DIRS:
        shutil.copytree(root / name, copy / name)
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(copy))
    return copy
