"""The published site in a real browser (Chromium via Playwright): served from a subfolder and opened
from disk, with no console error and no request to another host; charts, sliders, downloads, the
edition switcher, search, accessibility (axe-core), the landing page's scoreboard, Chinese quotes in a
browser without a Chinese font, the page-weight and transfer budgets and a 390-px-wide screen.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from deepseek_shock.cli import main
from tests.browser.conftest import NEW_PRICE, NEWER, OLDER, Published
from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.build, pytest.mark.browser]

PAGE_BUDGET = 1_500_000  # bytes: any page with everything it loads, uncompressed, in a fresh browser
FIRST_VISIT_BUDGET = 1_500_000  # bytes: a first visit to a chapter, Vega included, as transferred
LATER_PAGE_BUDGET = 150_000  # bytes: each page after that, with the browser's cache warm
FIRST_CHAPTER = "notebooks/training_cost.html"
CHARTS_DRAWN = (
    "() => document.querySelectorAll('.ds-chart-canvas').length === Object.keys(window.dsCharts || {}).length"
)
MARKS = "svg .role-mark:not(.mark-text) > *"


def is_redirect(path: Path) -> bool:
    """Whether a page only sends the reader on (an ``http-equiv="refresh"`` page)."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


def watch(page: Any, origin: str) -> list[str]:
    """Everything wrong that a page does: console errors, script errors, failed or foreign requests."""
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_request(request: Any) -> None:
        if not request.url.startswith((origin, "data:", "blob:", "about:")):
            problems.append(f"request to another host: {request.url}")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    def on_failure(request: Any) -> None:
        if request.failure != "net::ERR_ABORTED":  # cancelled by a navigation (a redirect page), not missing
            problems.append(f"failed: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("request", on_request)
    page.on("requestfailed", on_failure)
    page.on("response", on_response)
    return problems


def settle(page: Any, path: Path) -> None:
    """Wait until a page (or the page it redirects to) has loaded and drawn its charts."""
    if is_redirect(path):
        page.wait_for_url(re.compile(r".*/book/intro\.html$"))
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN, timeout=15_000)


@contextmanager
def opened(context: Any, url: str, path: Path, origin: str) -> Iterator[tuple[Any, list[str]]]:
    """A new tab on ``url`` (the file ``path``), settled; yields the page and its problems."""
    page = context.new_page()
    problems = watch(page, origin)
    try:
        page.goto(url)
        settle(page, path)
        yield page, problems
    finally:
        page.close()


def edition_urls(published: Published, base: str, folders: list[str]) -> list[tuple[str, Path]]:
    """Every page of the given edition folders (and the site's own index), as (URL, file)."""
    urls = [(base + "index.html", published.site / "index.html")]
    for folder in folders:
        version = NEWER if folder == "latest" else folder
        for page in published.pages(version):
            urls.append((f"{base}{folder}/{page}", published.site / folder / page))
    return urls


@pytest.fixture(scope="module")
def context(browser: Any) -> Iterator[Any]:
    """One browser context (shared cache) with downloads allowed."""
    ctx = browser.new_context(accept_downloads=True)
    yield ctx
    ctx.close()


def check_pages(context: Any, urls: list[tuple[str, Path]], origin: str) -> dict[str, list[str]]:
    """Open every page; the problems of those that have any."""
    found = {}
    for url, path in urls:
        with opened(context, url, path, origin) as (page, problems):
            assert page.title(), url
        if problems:
            found[url] = problems
    return found


def test_every_page_served_from_a_subfolder_loads_cleanly(published, server, context, capsys):
    urls = edition_urls(published, server, [NEWER, OLDER, "latest"])
    problems = check_pages(context, urls, server)
    with capsys.disabled():
        print(f"\n[pages] {len(urls)} pages over http from /site/: {len(problems)} with problems")
    assert len(urls) > 20
    assert problems == {}


def test_every_page_opened_from_disk_loads_cleanly(published, context, capsys):
    base = published.site.as_uri() + "/"
    urls = edition_urls(published, base, [NEWER, "latest"])
    problems = check_pages(context, urls, "file://")
    with capsys.disabled():
        print(f"\n[pages] {len(urls)} pages from file://: {len(problems)} with problems")
    assert problems == {}


def chapter_urls(published: Published, base: str) -> list[tuple[str, Path]]:
    """The newest edition's pages that hold a chart."""
    return [
        (f"{base}{NEWER}/{page}", published.site / NEWER / page)
        for page in published.pages(NEWER)
        if 'class="ds-chart"' in (published.site / NEWER / page).read_text(encoding="utf-8")
    ]


def test_every_chart_draws_marks_and_is_described(published, server, context, capsys):
    drawn = {}
    for url, path in chapter_urls(published, server):
        with opened(context, url, path, server) as (page, problems):
            for figure in page.locator("figure.ds-chart").all():
                name = figure.get_attribute("id").removeprefix("fig-")
                caption = figure.locator("figcaption")
                svg = figure.locator(".ds-chart-canvas svg").first
                drawn[name] = figure.locator(MARKS).count()
                assert caption.inner_text().strip(), f"{name}: no description"
                assert svg.get_attribute("aria-labelledby") == caption.get_attribute("id"), name
            assert problems == []
    with capsys.disabled():
        print(f"\n[charts] marks drawn per chart: {drawn}")
    assert "training-cost-vs-price" in drawn
    assert all(count > 0 for count in drawn.values()), drawn


def svg_texts(page: Any, chart: str) -> list[str]:
    """The text marks a chart shows."""
    return page.locator(f"#vis-{chart} svg .mark-text text").all_text_contents()


def readout(page: Any, chart: str) -> str:
    """The chart's slider readout: its one text mark that starts with "At "."""
    matches = [text for text in svg_texts(page, chart) if text.startswith("At ")]
    assert len(matches) == 1, svg_texts(page, chart)
    return matches[0]


def numbers_in(text: str) -> list[str]:
    """The numbers a text shows, as written (thousands separators dropped)."""
    return [number.replace(",", "") for number in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)]


def shows(text: str, expected: list[float]) -> bool:
    """Whether ``text`` shows exactly ``expected``, each to the precision it is written with."""
    shown = numbers_in(text)
    if len(shown) != len(expected):
        return False
    for written, value in zip(shown, expected, strict=True):
        decimals = len(written.partition(".")[2])
        if abs(float(written) - value) > 0.5 * 10**-decimals + 1e-9:
            return False
    return True


def results_of(published: Published, notebook: str) -> dict[str, Any]:
    """The values ``notebook`` recorded in the newest edition."""
    results = json.loads((published.site / NEWER / "_data" / "results.json").read_text())
    return {key: entry["value"] for key, entry in results["notebooks"][notebook]["results"].items()}


def training_cost_slider(published: Published) -> tuple[float, Callable[[float], list[float]]]:
    """The price slider's default, and what it shows at a price: price, cost in USD millions."""
    from deepseek_shock.chapters.catalog import resolve
    from deepseek_shock.chapters.training_cost import cost as tc

    breakdown = tc.breakdown_from_snapshot(resolve("training_cost"))
    return NEW_PRICE, lambda price: [price, tc.training_cost(breakdown, price) / 1e6]


def capex_cut_slider(published: Published) -> tuple[float, Callable[[float], list[float]]]:
    """The base-intensity slider's default, and what it shows: base, cut (pooled), cut (average)."""
    from deepseek_shock.chapters.capex_cut import intensity as capex
    from deepseek_shock.chapters.catalog import resolve

    values = results_of(published, "capex_cut")
    definition = resolve("capex_cut").intensity_definition
    pooled, average = values["reference_pooled_pct"], values["reference_average_pct"]
    return values[f"base_{definition}_pct"], lambda base: [
        base,
        capex.implied_cut_pct(pooled, base),
        capex.implied_cut_pct(average, base),
    ]


def doubling_time_slider(published: Published) -> tuple[float, Callable[[float], list[float]]]:
    """The growth slider's default, and what it shows: rate, doubling time, TWh at the horizon, horizon."""
    from deepseek_shock.chapters.catalog import resolve
    from deepseek_shock.chapters.power_cagr import growth as pg
    from deepseek_shock.chapters.power_cagr import projections as pw

    params = resolve("power_cagr")
    years = params.horizon - params.base_year
    return params.high_rate_pct, lambda rate: [
        rate,
        pg.doubling_time_years(rate),
        pg.projected_value(pw.base_twh(params), rate, years),
        params.horizon,
    ]


SLIDERS = {
    "training-cost-vs-price": ("notebooks/training_cost.html", training_cost_slider),
    "capex-cut-slider": ("notebooks/capex_cut.html", capex_cut_slider),
    "power-doubling-time": ("notebooks/power_cagr.html", doubling_time_slider),
}


@pytest.mark.parametrize("chart", list(SLIDERS))
def test_what_if_slider_starts_at_the_library_value_and_follows_it(
    published, server, context, monkeypatch, chart
):
    """The slider's default readout is what the Python library computes; moved, it still agrees."""
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(published.project))
    page_path, expectations = SLIDERS[chart]
    default, expected = expectations(published)
    url, path = f"{server}{NEWER}/{page_path}", published.site / NEWER / page_path
    with opened(context, url, path, server) as (page, problems):
        slider = page.locator(f"#vis-{chart} input[type=range]")
        signal = slider.get_attribute("name")  # Vega binds each slider to the parameter of its name

        def value() -> float:
            return page.evaluate("([chart, name]) => window.dsCharts[chart].signal(name)", [chart, signal])

        assert value() == pytest.approx(default)
        shown = readout(page, chart)
        assert shows(shown, expected(default)), (shown, expected(default))
        slider.focus()
        page.keyboard.press("ArrowRight")
        assert value() > default
        page.wait_for_function(
            "([chart, before]) => [...document.querySelectorAll(`#vis-${chart} svg .mark-text text`)]"
            ".every(t => t.textContent !== before)",
            arg=[chart, shown],
            timeout=5_000,
        )
        assert shows(readout(page, chart), expected(value())), (readout(page, chart), expected(value()))
        assert problems == []


def test_every_slider_changes_what_its_chart_shows(published, server, context, capsys):
    moved = []
    for url, path in chapter_urls(published, server):
        with opened(context, url, path, server) as (page, problems):
            for slider in page.locator(".ds-chart-canvas input[type=range]").all():
                chart = slider.locator("xpath=ancestor::div[contains(@class, 'ds-chart-canvas')]")
                before_value, before_text = slider.input_value(), chart.locator("svg").text_content()
                slider.focus()
                at_max = float(before_value) >= float(slider.get_attribute("max"))
                page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
                assert slider.input_value() != before_value
                page.wait_for_function(
                    "([el, before]) => el.querySelector('svg').textContent !== before",
                    arg=[chart.element_handle(), before_text],
                    timeout=5_000,
                )
                moved.append(chart.get_attribute("id"))
            assert problems == []
    with capsys.disabled():
        print(f"\n[sliders] moved and redrawn: {moved}")
    assert "vis-training-cost-vs-price" in moved


@pytest.mark.parametrize("where", ["http", "file"])
def test_switcher_lands_on_the_same_page_of_the_other_edition(published, server, context, where):
    base = server if where == "http" else published.site.as_uri() + "/"
    origin = server if where == "http" else "file://"
    for start, goal in [(NEWER, OLDER), (OLDER, NEWER), ("latest", OLDER)]:
        url = f"{base}{start}/{FIRST_CHAPTER}"
        with opened(context, url, published.site / start / FIRST_CHAPTER, origin) as (page, problems):
            switcher = page.locator("#ds-edition-select")
            assert switcher.is_visible()
            assert switcher.input_value() == (NEWER if start == "latest" else start)
            options = page.locator("#ds-edition-select option").all_inner_texts()
            assert options == [f"{NEWER} (latest)", OLDER]
            with page.expect_navigation():
                switcher.select_option(goal)
            assert page.url == f"{base}{goal}/{FIRST_CHAPTER}"
            settle(page, published.site / goal / FIRST_CHAPTER)
            assert page.locator(".ds-edition-version").inner_text() == goal
            assert page.locator("#ds-edition-select").input_value() == goal
            assert problems == []


@pytest.mark.parametrize("where", ["http", "file"])
def test_chart_data_downloads_as_csv_that_parses(published, server, context, where, tmp_path):
    base = server if where == "http" else published.site.as_uri() + "/"
    origin = server if where == "http" else "file://"
    url = f"{base}{NEWER}/{FIRST_CHAPTER}"
    with opened(context, url, published.site / NEWER / FIRST_CHAPTER, origin) as (page, problems):
        links = page.locator("#fig-training-cost-vs-price a[download]")
        names = [link.get_attribute("download") for link in links.all()]
        assert any(name.endswith(".csv") for name in names) and "training-cost-vs-price.vg.json" in names
        spec_text = page.locator("#fig-training-cost-vs-price script.ds-chart-spec").text_content()
        tables = {
            entry["name"]: entry["values"] for entry in json.loads(spec_text)["data"] if "values" in entry
        }
        for link in links.all():
            with page.expect_download() as info:
                link.click()
            saved = tmp_path / info.value.suggested_filename
            info.value.save_as(saved)
            text = saved.read_text(encoding="utf-8")
            if saved.suffix == ".json":
                spec = json.loads(text)
                assert spec["$schema"].startswith("https://vega.github.io/schema/vega/")
                assert spec == json.loads(spec_text)  # the spec the chart is drawn from
                continue
            rows = list(csv.DictReader(io.StringIO(text)))
            count = int(re.search(r"(\d+) rows?\)", link.inner_text()).group(1))
            assert len(rows) == count > 0
            source = tables[link.get_attribute("data-ds-table")]
            assert [float(row["cost_usd_m"]) for row in rows] == [item["cost_usd_m"] for item in source]
            assert float(rows[0]["price_usd_per_gpu_hour"]) > 0
            assert float(rows[0]["cost_usd_m"]) > 0
        assert problems == []


@pytest.mark.parametrize("where", ["http", "file"])
def test_search_finds_pages(published, server, context, where):
    base = server if where == "http" else published.site.as_uri() + "/"
    origin = server if where == "http" else "file://"
    url = f"{base}{NEWER}/search.html?q=rental"
    with opened(context, url, published.site / NEWER / "search.html", origin) as (page, problems):
        results = page.locator("#search-results li a")
        results.first.wait_for(timeout=10_000)
        hits = [link.get_attribute("href").partition("?")[0].removeprefix("./") for link in results.all()]
        assert FIRST_CHAPTER in hits, hits
        assert problems == []


def axe_violations(page: Any, axe: Path) -> list[dict[str, Any]]:
    """axe-core's violations on the page: rule, impact, how many nodes, the first node's HTML."""
    page.add_script_tag(path=str(axe))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, nodes: v.nodes.length, html: v.nodes[0].html.slice(0, 200)}))"""
    )


def test_no_page_has_serious_or_critical_accessibility_violations(
    published, server, context, axe_script, capsys
):
    urls = [(server + "index.html", published.site / "index.html")]
    urls += [(f"{server}{NEWER}/{page}", published.site / NEWER / page) for page in published.pages(NEWER)]
    serious: dict[str, list[dict[str, Any]]] = {}
    tally: dict[str, int] = {}
    for url, path in urls:
        with opened(context, url, path, server) as (page, _):
            for violation in axe_violations(page, axe_script):
                rule = f"{violation['id']} ({violation['impact']})"
                tally[rule] = tally.get(rule, 0) + 1
                if violation["impact"] in ("serious", "critical"):
                    serious.setdefault(url, []).append(violation)
    with capsys.disabled():
        print(f"\n[axe] {len(urls)} pages; pages with each violation: {tally or 'none'}")
    assert serious == {}


def transferred_bytes(context: Any, url: str, path: Path, origin: str) -> tuple[int, int]:
    """One page view: bytes over the network (headers and compressed bodies), and the decoded size
    of the responses that came over the network (not from the browser's cache)."""
    page = context.new_page()
    problems = watch(page, origin)
    session = context.new_cdp_session(page)
    wire: dict[str, int] = {}
    decoded: dict[str, int] = {}

    def finished(event: dict[str, Any]) -> None:
        wire[event["requestId"]] = int(event["encodedDataLength"])

    def received(event: dict[str, Any]) -> None:
        decoded[event["requestId"]] = decoded.get(event["requestId"], 0) + int(event["dataLength"])

    session.on("Network.loadingFinished", finished)
    session.on("Network.dataReceived", received)
    session.send("Network.enable")
    page.goto(url)
    settle(page, path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
    page.close()
    assert problems == [], problems
    fetched = [request for request, size in wire.items() if size > 0]
    return sum(wire.values()), sum(decoded.get(request, 0) for request in fetched)


def kb(size: int) -> str:
    return f"{size / 1000:.1f} kB"


def test_transfer_budget_first_chapter_visit_and_later_pages(published, server, browser, capsys):
    """Measured over a server that compresses and caches like GitHub Pages, in a fresh browser."""
    context = browser.new_context()
    try:
        first = f"{server}{NEWER}/{FIRST_CHAPTER}"
        first_wire, first_decoded = transferred_bytes(
            context, first, published.site / NEWER / FIRST_CHAPTER, server
        )
        later: dict[str, tuple[int, int]] = {}
        for page in published.pages(NEWER):
            if page != FIRST_CHAPTER:
                url, path = f"{server}{NEWER}/{page}", published.site / NEWER / page
                later[page] = transferred_bytes(context, url, path, server)
    finally:
        context.close()
    with capsys.disabled():
        print(
            f"\n[budget] first visit to {FIRST_CHAPTER}: {kb(first_wire)} transferred, {kb(first_decoded)} "
            f"uncompressed (budget {kb(FIRST_VISIT_BUDGET)} transferred)"
        )
        for page, (wire, decoded) in sorted(later.items(), key=lambda item: -item[1][0]):
            print(
                f"[budget] then {page}: {kb(wire)} transferred, {kb(decoded)} uncompressed "
                f"(budget {kb(LATER_PAGE_BUDGET)})"
            )
    assert 0 < first_wire <= FIRST_VISIT_BUDGET
    assert later and all(wire <= LATER_PAGE_BUDGET for wire, _ in later.values()), later


def test_chart_downloads_are_made_in_the_page(published, server, context):
    """Every chart's data and spec are in the page once, and its links offer them as files made there,
    so they work offline and from disk (checked in every page with a chart)."""
    pages = chapter_urls(published, server)
    assert len(pages) >= 6
    for url, path in pages:
        text = path.read_text(encoding="utf-8")
        figures = text.count('<figure class="ds-chart"')
        assert text.count('class="ds-chart-spec"') == figures
        assert "data:text/csv" not in text
        with opened(context, url, path, server) as (page, problems):
            hrefs = page.locator("figure.ds-chart a[download]").evaluate_all(
                "links => links.map(a => a.href)"
            )
            assert len(hrefs) >= 2 * figures
            assert all(href.startswith("blob:") for href in hrefs), hrefs
            assert problems == []


def test_every_page_with_its_assets_is_at_most_the_budget(published, server, browser, capsys):
    """Every byte a page loads, uncompressed, in a fresh browser (nothing cached): page, styles,
    scripts, Vega where a chart is, fonts."""
    weights = {}
    for page in published.pages(NEWER):
        context = browser.new_context()
        try:
            url, path = f"{server}{NEWER}/{page}", published.site / NEWER / page
            weights[page] = transferred_bytes(context, url, path, server)[1]
        finally:
            context.close()
    with capsys.disabled():
        heaviest = sorted(weights.items(), key=lambda item: -item[1])
        print(
            f"\n[weight] heaviest pages with their assets (budget {kb(PAGE_BUDGET)}): "
            + ", ".join(f"{page} {kb(size)}" for page, size in heaviest[:4])
        )
    assert len(weights) > 10
    assert all(0 < size <= PAGE_BUDGET for size in weights.values()), weights


def overflowing_cards(page: Any) -> list[str]:
    """The claim cards (every one opened) wider than the column that holds them."""
    return page.evaluate(
        """() => {
          document.querySelectorAll("details").forEach((details) => { details.open = true; });
          return [...document.querySelectorAll(".ds-claim")]
            .filter((card) => card.getBoundingClientRect().width > card.parentElement.clientWidth + 1)
            .map((card) => card.id);
        }"""
    )


def test_claim_cards_fit_their_column(published, server, context):
    pages = [
        page
        for page in published.pages(NEWER)
        if 'class="ds-claim ' in (published.site / NEWER / page).read_text(encoding="utf-8")
    ]
    assert len(pages) >= 6
    for page_name in pages:
        url, path = f"{server}{NEWER}/{page_name}", published.site / NEWER / page_name
        with opened(context, url, path, server) as (page, problems):
            assert overflowing_cards(page) == [], page_name
            assert problems == []


def test_no_page_is_wider_than_a_390px_screen_and_charts_fit(published, server, browser, capsys):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    charts = 0
    try:
        for page_name in published.pages(NEWER):
            url, path = f"{server}{NEWER}/{page_name}", published.site / NEWER / page_name
            with opened(context, url, path, server) as (page, problems):
                width = page.evaluate("() => document.documentElement.scrollWidth")
                assert width <= 390, f"{page_name} is {width}px wide at 390px"
                assert overflowing_cards(page) == [], page_name
                for figure in page.locator("figure.ds-chart").all():
                    box = figure.locator(".ds-chart-canvas svg").first.bounding_box()
                    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, page_name
                    charts += 1
                assert problems == []
    finally:
        context.close()
    with capsys.disabled():
        print(f"\n[390px] {len(published.pages(NEWER))} pages, {charts} charts resized to fit")
    assert charts >= 10


def test_landing_page_scoreboard_counts_the_ledgers_verdicts(published, server, context, monkeypatch, capsys):
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(published.project))
    assert main(["ledger", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    path = published.site / NEWER / "book" / "intro.html"
    with opened(context, f"{server}{NEWER}/book/intro.html", path, server) as (page, problems):
        tiles = page.locator(".ds-scores .ds-score")
        shown = {}
        for tile in tiles.all():
            verdict = tile.get_attribute("data-verdict")
            shown[verdict] = int(tile.locator(".ds-score-count").inner_text().replace(",", ""))
            badge = tile.locator(".ds-verdict")
            assert badge.inner_text().strip(), verdict  # the verdict in a word, not by colour alone
            assert tile.locator(".ds-score-words").inner_text().strip()
        total = int(page.locator(".ds-scoreboard-count").inner_text().replace(",", ""))
        assert page.locator("#fig-nvda-week-value " + MARKS).count() > 0
        headlines = page.locator(".ds-headline")
        assert 5 <= headlines.count() <= 6
        for headline in headlines.all():
            assert (
                headline.locator(".ds-headline-chapter a").get_attribute("href").startswith("../notebooks/")
            )
        assert problems == []
    assert shown == {verdict: sum(row["verdict"] == verdict for row in rows) for verdict in shown}
    assert set(shown) == {"holds", "rounding", "contradicted", "not-checkable"}
    assert total == len(rows) == sum(shown.values())


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core: no Chinese glyphs
QUOTE_WIDTHS = """async (selector) => {
  const quote = document.querySelector(selector);
  const text = [...quote.textContent].filter(c => /[\u3400-\u9fff]/.test(c)).join("");
  const probe = (family) => {
    const span = document.createElement("span");
    span.textContent = text;
    span.style.cssText = "position:absolute;white-space:nowrap;font-size:20px;font-family:" + family;
    document.body.appendChild(span);
    return span;
  };
  const page = probe(getComputedStyle(quote).fontFamily), bare = probe('"DejaVu Sans"');
  await new Promise(resolve => requestAnimationFrame(resolve));
  await document.fonts.ready;
  return {characters: text.length, page: page.getBoundingClientRect().width,
          bare: bare.getBoundingClientRect().width};
}"""


@pytest.fixture(scope="module")
def browser_without_chinese_fonts(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A second Chromium that sees no Chinese font (fontconfig limited to DejaVu), like a reader's
    browser without one."""
    assert DEJAVU.is_dir(), f"{DEJAVU} is missing: install Debian's fonts-dejavu-core (.ci/run does)"
    folder = tmp_path_factory.mktemp("fontconfig")
    (folder / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{DEJAVU}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>"
    )
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox"],
        headless=True,
        env={**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")},
    )
    yield chromium
    chromium.close()


@pytest.mark.parametrize(
    ("page_name", "selector"),
    [
        ("notebooks/training_cost.html", ".ds-claim-quote blockquote[lang=zh]"),
        ("book/ledger.html", "#ds-ledger td[lang=zh]"),
    ],
)
def test_chinese_quotes_render_in_a_browser_without_a_chinese_font(
    published, server, browser_without_chinese_fonts, page_name, selector
):
    """A quote is as wide as its characters in a full-width font (1 em each), not as wide as the boxes
    of missing glyphs: the width the same text takes in DejaVu Sans, which has no Chinese glyphs."""
    url, path = f"{server}{NEWER}/{page_name}", published.site / NEWER / page_name
    context = browser_without_chinese_fonts.new_context()
    try:
        with opened(context, url, path, server) as (page, problems):
            widths = page.evaluate(QUOTE_WIDTHS, selector)
            faces = page.evaluate("() => [...document.fonts].map(face => [face.family, face.status])")
            assert problems == []
    finally:
        context.close()
    full_width = widths["characters"] * 20
    assert widths["characters"] >= 5, widths
    assert widths["bare"] < 0.8 * full_width, f"this browser still has a Chinese font: {widths}"
    assert widths["page"] == pytest.approx(full_width, rel=0.05), f"missing glyphs in {page_name}: {widths}"
    assert ["DS Noto Sans CJK SC", "loaded"] in faces


def test_ledger_filters_rows_in_the_browser(published, server, context):
    url = f"{server}{NEWER}/book/ledger.html"
    with opened(context, url, published.site / NEWER / "book" / "ledger.html", server) as (page, problems):
        rows = page.locator("#ds-ledger tbody tr")
        total = rows.count()
        verdicts = rows.evaluate_all("rows => rows.map(row => row.dataset.verdict)")
        assert total == len(verdicts) > 0
        page.select_option("select[data-filter='verdict']", "contradicted")
        shown = page.locator("#ds-ledger tbody tr:not([hidden])").count()
        assert shown == verdicts.count("contradicted") < total
        assert page.locator(".ds-ledger-count").inner_text() == f"{shown} claims shown"
        page.select_option("select[data-filter='verdict']", "")
        assert page.locator("#ds-ledger tbody tr:not([hidden])").count() == total
        assert problems == []
