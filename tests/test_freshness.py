"""The no-op check: any change to a file a build reads changes the digest; build output does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from deepseek_shock.build import freshness
from deepseek_shock.paths import SNAPSHOT_ENV

# One file of each kind the build reads, relative to the project root.
INPUTS = (
    "notebooks/training_cost.ipynb",
    "params/capex_cut.yaml",
    "params/scenarios/bear/scenario.yaml",
    "data/claims.yaml",
    "data/snapshots/2026-11-22/manifest.json",
    "book/intro.md",
    "_static/report.css",
    "_config.yml",
    "_toc.yml",
    "requirements.lock",
)


@pytest.mark.parametrize("name", INPUTS)
def test_changing_any_input_changes_the_digest(project, name):
    before = freshness.inputs_digest(None)
    path = project / name
    path.write_bytes(path.read_bytes() + b"\n")
    assert freshness.inputs_digest(None) != before


def test_a_new_file_in_an_input_folder_changes_the_digest(project):
    before = freshness.inputs_digest(None)
    (project / "data" / "snapshots" / "live-2026-11-23").mkdir()
    (project / "data" / "snapshots" / "live-2026-11-23" / "manifest.json").write_text("{}")
    assert freshness.inputs_digest(None) != before


def test_the_library_source_is_an_input():
    assert Path(freshness.__file__).resolve() in freshness.input_files()
    assert any(path.suffix == ".html" for path in freshness.input_files())  # theme templates


def test_build_output_scenario_and_snapshot(project, monkeypatch):
    before = freshness.inputs_digest(None)
    (project / "_build" / "html").mkdir(parents=True)
    (project / "_build" / "html" / "index.html").write_text("built")
    assert freshness.inputs_digest(None) == before
    assert freshness.inputs_digest("bear") != before
    monkeypatch.setenv(SNAPSHOT_ENV, "live-2026-11-23")
    assert freshness.inputs_digest(None) != before


def test_a_site_is_current_only_for_the_digest_stamped_into_it(tmp_path):
    site = tmp_path / "html"
    site.mkdir()
    assert not freshness.is_current(site, "abc")
    freshness.stamp(site, "abc")
    assert freshness.is_current(site, "abc")
    assert not freshness.is_current(site, "abd")
    assert not freshness.is_current(tmp_path / "missing", "abc")
