"""Shared fixtures: a private copy of the project, so a test can change files without touching the repo;
Debian's Chromium, for the tests that open pages (where it is absent they skip with a message,
except in CI, ``$CI`` set, where they fail). Commands run by the tests keep no preview server.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deepseek_shock.build.kept_server import KEEP_ENV
from deepseek_shock.paths import project_root

# No command under test keeps a preview server running after it (tests of that set it back).
os.environ[KEEP_ENV] = "0"

PROJECT_FILES = ("_config.yml", "_toc.yml", "requirements.lock")
PROJECT_DIRS = ("data", "params", "notebooks", "book", "_static")
CHROMIUM = Path("/usr/bin/chromium")


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (skips locally without it; fails in CI)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        yield chromium
        chromium.close()
