"""Publishing editions: folder layout, refusal, atomicity and the "What changed" page.

The book itself is replaced by a small fake rendering here, so these tests run in a second; the
real build, published twice and checked in a browser, is in ``tests/browser/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from deepseek_shock.build import publish, site
from deepseek_shock.claims.registry import load_claims
from deepseek_shock.cli import main
from deepseek_shock.errors import UserError


def results_doc(
    price: float = 2.0, cost: float = 5.576, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A small ``results.json`` document."""
    results = {
        "total_cost_usd_m": {"value": cost, "unit": "USD million"},
        "total_gpu_hours": {"value": 2_788_000.0, "unit": "GPU-hours"},
        "comparison_model": {"value": "Llama 3.1 405B", "unit": "model name"},
        **(extra or {}),
    }
    return {
        "snapshot": "2026-11-22",
        "notebooks": {
            "training_cost": {"cache_key": "k", "parameters": {"price": price}, "results": results}
        },
    }


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (hidden ones included) by relative path -> sha256."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fake_book(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``publish`` with the notebooks and Jupyter Book replaced by a fake rendering of two pages.

    Set ``state["results"]`` to change what the next publish records, ``state["fail"]`` to make the
    rendering fail after writing part of its output.
    """
    state: dict[str, Any] = {"results": results_doc(), "fail": False, "rendered": []}

    def build_results(planned, jobs, progress):
        return {}, state["results"]

    def render_edition(notebooks, build, edition, output):
        output.mkdir(parents=True)
        (output / "index.html").write_text('<meta http-equiv="refresh" content="0; url=book/intro.html">')
        (output / "book").mkdir()
        (output / "book" / "intro.html").write_text(f"<p>{edition.version}</p>")
        (output / "book" / "changes.html").write_text(edition.changes)
        (output / "_static").mkdir()
        (output / "_static" / "theme.js").write_text("// theme")
        if state["fail"]:
            raise UserError("Jupyter Book failed: deliberate failure")
        state["rendered"].append(edition)

    monkeypatch.setattr(publish, "build_results", build_results)
    monkeypatch.setattr(site, "render_edition", render_edition)
    return state


def test_version_must_be_semantic():
    assert publish.version_key("v1.10.0") > publish.version_key("v1.9.3")
    for bad in ("1.0.0", "v1.0", "v01.0.0", "v1.0.0-rc1", "latest"):
        with pytest.raises(UserError, match="expected vMAJOR.MINOR.PATCH"):
            publish.version_key(bad)


def test_publish_lays_out_the_site_and_keeps_earlier_editions_byte_for_byte(fake_book, project, capsys):
    assert main(["publish", "v1.0.0"]) == 0
    root = project / "site"
    before = tree_digest(root / "v1.0.0")
    fake_book["results"] = results_doc(price=2.5, cost=6.97)
    assert main(["publish", "v1.1.0"]) == 0
    assert "Published v1.1.0 to site/v1.1.0" in capsys.readouterr().out

    assert tree_digest(root / "v1.0.0") == before
    assert sorted(path.name for path in root.iterdir()) == [
        ".nojekyll",
        "index.html",
        "latest",
        "v1.0.0",
        "v1.1.0",
        "versions.js",
        "versions.json",
    ]
    versions = json.loads((root / "versions.json").read_text())
    assert [(v["version"], v["url"], v["preferred"]) for v in versions] == [
        ("v1.1.0", "v1.1.0/", True),
        ("v1.0.0", "v1.0.0/", False),
    ]
    script = (root / "versions.js").read_text()
    editions = json.loads(script.removeprefix("window.DEEPSEEK_SHOCK_EDITIONS = ").rstrip().rstrip(";"))
    assert editions["latest"] == "v1.1.0"
    assert editions["editions"][0]["pages"] == ["book/changes.html", "book/intro.html", "index.html"]
    assert tree_digest(root / "latest") == tree_digest(root / "v1.1.0")
    assert 'content="0; url=v1.1.0/index.html"' in (root / "index.html").read_text()

    edition = json.loads((root / "v1.1.0" / "_data" / "edition.json").read_text())
    assert edition["version"] == "v1.1.0"
    assert edition["snapshot"] == "2026-11-22"
    assert edition["parameters_hash"] == publish.parameters_hash(fake_book["results"])
    assert json.loads((root / "v1.1.0" / "_data" / "results.json").read_text()) == fake_book["results"]
    verdicts = json.loads((root / "v1.1.0" / "_data" / "verdicts.json").read_text())
    assert {record["id"] for record in verdicts} >= {"v3-final-run-cost-5576k"}
    changes = (root / "v1.1.0" / "book" / "changes.html").read_text()
    assert "compares edition **v1.1.0** with the edition before it, **v1.0.0**" in changes
    assert not list(root.glob(".publish-*"))


def test_an_older_version_published_later_does_not_become_latest(fake_book, project):
    assert main(["publish", "v2.0.0"]) == 0
    latest = tree_digest(project / "site" / "latest")
    assert main(["publish", "v1.5.0"]) == 0
    assert tree_digest(project / "site" / "latest") == latest
    versions = json.loads((project / "site" / "versions.json").read_text())
    assert [v["version"] for v in versions] == ["v2.0.0", "v1.5.0"]
    first = fake_book["rendered"][-1]
    assert "first published edition" in first.changes  # nothing older than v1.5.0


def test_publishing_an_existing_version_is_refused_before_building(fake_book, project, capsys, monkeypatch):
    assert main(["publish", "v1.0.0"]) == 0
    capsys.readouterr()
    before = tree_digest(project / "site")

    def no_build(planned, jobs, progress):
        raise AssertionError("built although the version exists")

    monkeypatch.setattr(publish, "build_results", no_build)
    assert main(["publish", "v1.0.0"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("deepseek-shock: error: v1.0.0 is already published in site/v1.0.0")
    assert "--force" in err and "\n" not in err
    assert tree_digest(project / "site") == before


def test_force_replaces_an_edition(fake_book, project):
    assert main(["publish", "v1.0.0"]) == 0
    fake_book["results"] = results_doc(price=3.0, cost=8.364)
    assert main(["publish", "v1.0.0", "--force"]) == 0
    recorded = json.loads((project / "site" / "v1.0.0" / "_data" / "results.json").read_text())
    assert recorded == fake_book["results"]
    assert tree_digest(project / "site" / "latest") == tree_digest(project / "site" / "v1.0.0")


def test_a_failing_build_leaves_the_site_as_it_was(fake_book, project, capsys):
    assert main(["publish", "v1.0.0"]) == 0
    before = tree_digest(project / "site")
    fake_book["fail"] = True
    assert main(["publish", "v1.1.0"]) == 2
    assert "deliberate failure" in capsys.readouterr().err
    assert tree_digest(project / "site") == before
    assert not (project / "site" / "v1.1.0").exists()


@pytest.mark.parametrize("failing_move", [1, 2, 3, 6])
def test_a_failure_while_moving_into_place_puts_everything_back(
    fake_book, project, monkeypatch, failing_move
):
    assert main(["publish", "v1.0.0"]) == 0
    before = tree_digest(project / "site")
    real_replace = os.replace
    moves_into_site = {"count": 0}

    def flaky_replace(src, dst):
        if Path(dst).parent == project / "site" and Path(src).parent.name.startswith(".publish-"):
            moves_into_site["count"] += 1
            if moves_into_site["count"] == failing_move:
                raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(OSError, match="disk full"):
        publish.publish("v1.1.0", progress=lambda line: None)
    monkeypatch.setattr(os, "replace", real_replace)
    assert moves_into_site["count"] == failing_move
    assert tree_digest(project / "site") == before
    assert not list((project / "site").glob(".publish-*"))


def test_bad_version_is_one_line_and_writes_nothing(fake_book, project, capsys):
    assert main(["publish", "1.0"]) == 2
    assert capsys.readouterr().err.strip() == (
        "deepseek-shock: error: version '1.0': expected vMAJOR.MINOR.PATCH, e.g. v1.0.0"
    )
    assert not (project / "site").exists()


def test_leftovers_of_an_interrupted_publish_are_cleared(fake_book, project):
    leftover = project / "site" / ".publish-abc123" / "v9.9.9"
    leftover.mkdir(parents=True)
    assert main(["publish", "v1.0.0"]) == 0
    assert not leftover.parent.exists()
    assert publish.published_versions(project / "site") == ["v1.0.0"]


# --- The "What changed" page --------------------------------------------------------------------


def record(claim: str, verdict: str | None, computed: float | None = 1.0) -> dict[str, Any]:
    return {
        "id": claim,
        "claim_en": f"Claim {claim} | with a pipe",
        "notebook": "training_cost",
        "result": "x",
        "reported": 1.0,
        "unit": "USD million",
        "computed": computed,
        "verdict": verdict,
    }


def edition(version: str) -> dict[str, str]:
    return {
        "version": version,
        "commit": "abc1234",
        "snapshot": "2026-11-22",
        "parameters_hash": "0123456789ab",
        "published": "2026-11-23",
    }


def test_changes_page_lists_flipped_verdicts_added_and_removed_claims_parameters_and_values():
    before = {
        "edition": edition("v1.0.0"),
        "results": results_doc(price=2.0, cost=5.576, extra={"gone": {"value": 1.0, "unit": "ratio"}}),
        "verdicts": [
            record("kept-same", "holds"),
            record("flips", "holds", 5.576),
            record("dropped", "holds"),
        ],
    }
    after = {
        "edition": edition("v1.1.0"),
        "results": results_doc(price=2.5, cost=6.97),
        "verdicts": [
            record("kept-same", "holds"),
            record("flips", "contradicted", 6.97),
            record("new-one", None),
        ],
    }
    page = publish.changes_markdown(after, before)
    assert page.startswith("# What changed in this edition")
    section = {title: body for title, _, body in (part.partition("\n") for part in page.split("\n## "))}
    assert "`flips`" in section["Verdicts that changed"]
    assert "Holds (USD 5.576 million)" in section["Verdicts that changed"]
    assert "Contradicted (USD 6.97 million)" in section["Verdicts that changed"]
    assert "kept-same" not in section["Verdicts that changed"]
    assert "Claim new-one \\| with a pipe" in section["Claims added"]
    assert "no value recorded" in section["Claims added"]
    assert "`dropped`" in section["Claims removed"]
    assert "| `training_cost` | `price` | 2.0 | 2.5 |" in section["Parameters that changed"]
    values = section["Values that moved"]
    assert "`total_cost_usd_m` | USD 5.576 million | USD 6.97 million | +25.00% |" in values
    assert "`gone` | 1× | not recorded | — |" in values
    assert "total_gpu_hours" not in values and "comparison_model" not in values


def test_changes_page_of_the_first_edition_says_so():
    first = {"edition": edition("v1.0.0"), "results": results_doc(), "verdicts": [record("a", "holds")]}
    page = publish.changes_markdown(first, None)
    assert "first published edition" in page
    assert "It judges 1 claims (holds: 1)." in page


def test_unchanged_editions_say_nothing_moved():
    same = {"edition": edition("v1.0.0"), "results": results_doc(), "verdicts": [record("a", "holds")]}
    page = publish.changes_markdown({**same, "edition": edition("v1.0.1")}, same)
    for empty in (
        "No claim's verdict changed.",
        "No claim was added.",
        "No claim was removed.",
        "No published parameter changed.",
        "No recorded value moved.",
    ):
        assert empty in page


def test_verdict_records_judge_every_claim_against_the_recorded_values():
    records = publish.verdict_records(
        results_doc(cost=5.576, extra={"total_cost_usd": {"value": 5_576_000.0, "unit": "USD"}})
    )
    by_id = {item["id"]: item for item in records}
    assert by_id["v3-final-run-cost-5576k"]["verdict"] == "holds"
    assert by_id["v3-final-run-cost-5576k"]["computed"] == 5_576_000.0
    uncheckable = {claim.id for claim in load_claims() if not claim.checkable}
    not_checkable = [item for item in records if item["id"] in uncheckable]
    assert not_checkable and all(item["verdict"] == "not-checkable" for item in not_checkable)
    documented = [item for item in records if item["result"] is None and item["id"] not in uncheckable]
    assert documented and all(item["verdict"] in {"holds", "rounding", "contradicted"} for item in documented)
    unrecorded = [item for item in records if item["result"] and item["computed"] is None]
    assert all(item["verdict"] is None for item in unrecorded)


def test_parameters_hash_follows_the_parameters_only():
    base = publish.parameters_hash(results_doc(price=2.0, cost=1.0))
    assert publish.parameters_hash(results_doc(price=2.0, cost=9.0)) == base
    assert publish.parameters_hash(results_doc(price=2.5, cost=1.0)) != base
    assert len(base) == 12


def test_git_commit_names_the_commit_and_a_dirty_tree(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(tmp_path))
    assert publish.git_commit() == "unknown"

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    (tmp_path / "a.txt").write_text("a")
    git("add", "a.txt")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "a")
    head = git("rev-parse", "--short", "HEAD").strip()
    assert publish.git_commit() == head
    (tmp_path / "a.txt").write_text("b")
    assert publish.git_commit() == head + "+dirty"


# --- The edition's book configuration -----------------------------------------------------------


def sample_edition(changes: str = "# What changed in this edition\n") -> site.Edition:
    return site.Edition(
        version="v1.2.3",
        commit="abc1234+dirty",
        snapshot="2026-11-22",
        parameters_hash="0123456789ab",
        published="2026-11-23",
        changes=changes,
    )


def test_edition_config_sets_footer_version_and_site_versions_script(project):
    config = yaml.safe_load(site.edition_config((project / "_config.yml").read_bytes(), sample_edition()))
    footer = config["html"]["extra_footer"]
    for fact in ("v1.2.3", "abc1234+dirty", "2026-11-22", "0123456789ab", "2026-11-23"):
        assert f">{fact}</code>" in footer
    sphinx_config = config["sphinx"]["config"]
    assert sphinx_config["release"] == sphinx_config["version"] == "v1.2.3"
    assert sphinx_config["html_js_files"][-1] == "../../versions.js"
    assert sphinx_config["templates_path"] == ["_templates"]  # the rest of the config is kept


def test_edition_toc_lists_the_changes_page_once(project):
    toc = site.toc_with_changes((project / "_toc.yml").read_bytes())
    assert site.toc_files(yaml.safe_load(toc)).count(site.CHANGES_PAGE) == 1
    assert site.toc_with_changes(toc) == toc


def test_staged_edition_has_changes_page_and_the_book_has_the_templates(project, monkeypatch):
    assets = site.static_files()
    assert b"ds-edition-switcher" in assets["_templates/article-header-buttons.html"]
    assert b"fontawesome.js" not in assets["_templates/static/webpack-macros.html"]
    book = {name: (project / name).read_bytes() for name in ("_config.yml", "_toc.yml")}
    staged = site.as_edition(book, sample_edition("# What changed in this edition\n\nHello\n"))
    assert staged["book/changes.md"].endswith(b"Hello\n")
    assert b"v1.2.3" in staged["_config.yml"]
    assert site.CHANGES_PAGE in site.toc_files(yaml.safe_load(staged["_toc.yml"]))
