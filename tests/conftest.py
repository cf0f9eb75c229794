"""Shared fixtures: a private copy of the project, so a test can change files without touching the repo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deepseek_shock.paths import project_root

PROJECT_FILES = ("_config.yml", "_toc.yml", "requirements.lock")
PROJECT_DIRS = ("data", "params", "notebooks", "book", "_static")


def copy_project(destination: Path) -> Path:
    """A copy of the project's inputs at ``destination``."""
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(project_root() / name, destination / name)
    for name in PROJECT_DIRS:
        shutil.copytree(project_root() / name, destination / name)
    return destination


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's inputs in ``tmp_path``, made the active project root."""
    copy = copy_project(tmp_path / "project")
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(copy))
    return copy
