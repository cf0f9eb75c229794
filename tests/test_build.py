"""The real pipeline end to end: papermill executes, Jupyter Book renders, the cache holds.

One cold build in a private copy of the project is shared by the tests of this module.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deepseek_shock.claims.registry import load_claims
from deepseek_shock.cli import main
from deepseek_shock.paths import build_dir, project_root
from tests.conftest import PROJECT_DIRS, PROJECT_FILES
from tests.test_ledger import REQUIRED

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project copy with a completed cold build."""
    copy = tmp_path_factory.mktemp("built") / "project"
    copy.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(project_root() / name, copy / name)
    for name in PROJECT_DIRS:
        shutil.copytree(project_root() / name, copy / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEEPSEEK_SHOCK_ROOT", str(copy))
        assert main(["build"]) == 0
    return copy


@pytest.fixture
def in_built(built, monkeypatch) -> Path:
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(built))
    return built


class References(HTMLParser):
    """Every script src and stylesheet/link href in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])
        if tag in ("img", "iframe") and attributes.get("src"):
            self.urls.append(attributes["src"])


def test_site_has_the_pages_and_says_where_it_is(built):
    html = built / "_build" / "html"
    for page in (
        "index.html",
        "book/intro.html",
        "book/methodology.html",
        "book/data_sources.html",
        "notebooks/training_cost.html",
    ):
        assert (html / page).exists(), page


def test_rendered_chapter_holds_the_computed_numbers(built):
    results = json.loads((built / "_build" / "results.json").read_text())["notebooks"]["training_cost"][
        "results"
    ]
    page = (built / "_build" / "html" / "notebooks" / "training_cost.html").read_text()
    text = re.sub(r"<[^>]+>", "", page)
    assert f"{results['total_cost_usd_m']['value']:.3f}" in text
    assert f"{results['total_gpu_hours']['value']:,.0f}" in text
    assert "price_per_gpu_hour" in text  # the parameters block
    assert "injected-parameters" not in page


def test_every_claim_has_its_card_on_its_chapters_page_after_the_findings(built):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEEPSEEK_SHOCK_ROOT", str(built))
        claims = load_claims()
    for notebook in {claim.notebook for claim in claims if claim.notebook}:
        page = (built / "_build" / "html" / "notebooks" / f"{notebook}.html").read_text()
        missing = [
            claim.id
            for claim in claims
            if claim.notebook == notebook and f'id="claim-{claim.id}"' not in page
        ]
        assert not missing, f"{notebook}.html has no card for {missing}"
        assert page.index('class="ds-findings"') < page.index('class="ds-claim ')


def test_no_page_references_another_host(built):
    html = built / "_build" / "html"
    pages = list(html.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        parser = References()
        parser.feed(page.read_text())
        external = [url for url in parser.urls if re.match(r"^(https?:)?//", url)]
        assert external == [], f"{page.relative_to(html)} loads {external}"


def test_vega_is_served_once_by_the_site_and_loaded_only_where_a_chart_is(built):
    from deepseek_shock.build.vega import VEGA_BUNDLE_PATH

    html = built / "_build" / "html"
    assert (html / VEGA_BUNDLE_PATH).stat().st_size > 400_000
    assert not list((html / "_static").glob("vega*.js"))
    for page in html.rglob("*.html"):
        assert VEGA_BUNDLE_PATH not in page.read_text()  # _static/charts.js loads it where a chart is
    chapter = (html / "notebooks" / "training_cost.html").read_text()
    assert 'class="ds-chart-spec"' in chapter and "charts.js" in chapter
    assert "vegaEmbed(" not in chapter


def test_landing_page_counts_the_ledgers_verdicts_and_shows_a_chart(built, in_built, capsys):
    assert main(["ledger", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    page = (built / "_build" / "html" / "book" / "intro.html").read_text()
    shown = dict(re.findall(r'data-verdict="([a-z-]+)"><span class="ds-score-count">([\d,]+)</span>', page))
    counted = {verdict: sum(row["verdict"] == verdict for row in rows) for verdict in shown}
    assert set(shown) == {"holds", "rounding", "contradicted", "not-checkable"}
    assert {verdict: int(count.replace(",", "")) for verdict, count in shown.items()} == counted
    assert f'<span class="ds-scoreboard-count">{len(rows):,}</span>' in page
    assert 'id="fig-nvda-week-value"' in page
    assert page.count('class="ds-headline"') >= 5


def test_the_chinese_font_holds_every_character_the_pages_show(built):
    import io

    from fontTools.ttLib import TTFont

    from deepseek_shock.build.cjk_font import FONT_PATH, LICENCE_PATH, cjk_characters

    html = built / "_build" / "html"
    shown = {
        ord(c) for page in html.rglob("*.html") for c in cjk_characters(page.read_text(encoding="utf-8"))
    }
    assert len(shown) > 100
    covered = set(TTFont(io.BytesIO((html / FONT_PATH).read_bytes())).getBestCmap())
    assert shown <= covered
    assert "SIL OPEN FONT LICENSE" in (html / LICENCE_PATH).read_text()


def test_second_build_with_nothing_changed_stops_before_planning(in_built, capsys, monkeypatch):
    from deepseek_shock.build import pipeline

    def no_plan(*args, **kwargs):
        raise AssertionError("the build planned notebooks although nothing changed")

    monkeypatch.setattr(pipeline, "plan", no_plan)
    assert main(["build"]) == 0
    assert "Nothing changed since the last build" in capsys.readouterr().out


def test_a_change_the_site_does_not_read_starts_no_kernel_and_renders_nothing(in_built, capsys, monkeypatch):
    import papermill

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    scenario = in_built / "params" / "scenarios" / "bear" / "scenario.yaml"
    original = scenario.read_text()
    scenario.write_text(original + "# a comment only the bear scenario's build reads\n")
    try:
        assert main(["build"]) == 0
    finally:
        scenario.write_text(original)
    out = capsys.readouterr().out
    assert "Nothing changed" not in out
    assert "cached, no kernel started" in out
    assert "already up to date" in out


def test_run_with_new_parameters_leaves_the_published_build_untouched(in_built, capsys):
    index = in_built / "_build" / "html" / "index.html"
    before = index.read_bytes(), json.loads((in_built / "_build" / "results.json").read_text())
    assert main(["run", "training_cost", "--set", "price_per_gpu_hour=3.5", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    gpu_hours = report["results"]["total_gpu_hours"]["value"]
    assert report["results"]["total_cost_usd"]["value"] == pytest.approx(gpu_hours * 3.5)
    assert (index.read_bytes(), json.loads((in_built / "_build" / "results.json").read_text())) == before
    runs = list((in_built / "_build" / "runs").glob("training_cost-*/html/training_cost.html"))
    assert len(runs) == 1


def test_failing_notebook_is_named_and_the_previous_site_survives(in_built, capsys):
    notebook = in_built / "notebooks" / "training_cost.ipynb"
    original = notebook.read_text()
    index = in_built / "_build" / "html" / "index.html"
    before = index.read_bytes()
    nb = json.loads(original)
    nb["cells"].append(
        {
            "cell_type": "code",
            "id": "deliberate-failure",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "raise ValueError('deliberate failure')",
        }
    )
    notebook.write_text(json.dumps(nb))
    try:
        assert main(["build"]) == 2
    finally:
        notebook.write_text(original)
    line = capsys.readouterr().err.strip()
    assert "notebook training_cost failed in cell" in line
    assert "ValueError: deliberate failure" in line
    assert index.read_bytes() == before
    assert (build_dir() / "failed" / "training_cost.ipynb").exists()


def test_a_sphinx_warning_fails_the_render_and_the_previous_site_and_results_survive(in_built, capsys):
    """A new parameter value with a broken page: the notebook runs, the render fails, nothing is published."""
    page, published = in_built / "book" / "intro.md", in_built / "params" / "training_cost.yaml"
    originals = page.read_text(), published.read_text()
    rendered = in_built / "_build" / "html" / "book" / "intro.html"
    results = in_built / "_build" / "results.json"
    before = rendered.read_bytes(), results.read_bytes()
    page.write_text(originals[0] + "\nSee {doc}`no-such-page`.\n")
    published.write_text(originals[1].replace("price_per_gpu_hour: null", "price_per_gpu_hour: 2.75"))
    try:
        assert main(["build"]) == 2
    finally:
        page.write_text(originals[0])
        published.write_text(originals[1])
    line = capsys.readouterr().err.strip()
    assert line.startswith("deepseek-shock: error: Jupyter Book failed:")
    assert "no-such-page" in line
    assert (rendered.read_bytes(), results.read_bytes()) == before


def test_scenario_edition_is_labelled_and_leaves_the_published_build_alone(in_built, capsys):
    index = in_built / "_build" / "html" / "index.html"
    before = index.read_bytes()
    assert main(["build", "--scenario", "bull"]) == 0
    assert "Scenario bull" in capsys.readouterr().out
    html = in_built / "_build" / "scenarios" / "bull" / "html"
    for page in ("book/intro.html", "notebooks/power_cagr.html", "notebooks/training_cost.html"):
        assert "Scenario edition: Bull case" in (html / page).read_text()
    results = json.loads((in_built / "_build" / "scenarios" / "bull" / "results.json").read_text())
    published = json.loads((in_built / "_build" / "results.json").read_text())
    assert (
        results["notebooks"]["power_cagr"]["parameters"] != published["notebooks"]["power_cagr"]["parameters"]
    )
    assert index.read_bytes() == before


def test_ledger_command_prints_every_claim_judged(in_built, capsys):
    from deepseek_shock.claims.registry import load_claims

    assert main(["ledger", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == [claim.id for claim in load_claims()]
    assert all(set(row) >= REQUIRED for row in rows)
    assert {row["verdict"] for row in rows} <= {"holds", "rounding", "contradicted", "not-checkable"}
    assert main(["ledger", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("id,seed,category,quote")


def test_unknown_scenario_is_one_line(in_built, capsys):
    assert main(["build", "--scenario", "sideways"]) == 2
    assert "unknown scenario 'sideways'" in capsys.readouterr().err
