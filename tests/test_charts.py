"""Charts embed their spec, draw with the page's own Vega bundle and offer their data for download."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import unquote

import altair as alt
import pandas as pd
import pytest

from deepseek_shock.build.vega import vega_bundle
from deepseek_shock.chapters.charts import chart_html, csv_text


def small_chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")


def downloads(html: str) -> dict[str, str]:
    """Every ``<a download>`` of a chart: file name -> decoded content."""
    links = re.findall(r"<a href='data:[^;]+;charset=utf-8,([^']*)' download=\"([^\"]+)\">", html)
    return {name: unquote(payload) for payload, name in links}


def test_chart_html_carries_spec_description_and_no_external_source():
    html = chart_html(small_chart(), "demo-chart", "Cost <rises> with price")
    assert 'id="vis-demo-chart"' in html
    assert "<figcaption" in html and "Cost &lt;rises&gt; with price</figcaption>" in html
    spec = json.loads(re.search(r"var spec = (\{.*?\});function", html).group(1))
    assert spec["mark"]["type"] == "line"
    assert spec["description"] == "Cost <rises> with price"  # the SVG's accessible name
    assert "http" not in html.replace(spec["$schema"], "")
    assert "<script src" not in html


def test_chart_offers_its_data_as_csv_and_its_spec_as_json():
    files = downloads(chart_html(small_chart(), "demo-chart", "A line"))
    assert set(files) == {"demo-chart.csv", "demo-chart.vl.json"}
    rows = list(csv.DictReader(io.StringIO(files["demo-chart.csv"])))
    assert rows == [{"x": "1", "y": "3"}, {"x": "2", "y": "4"}]
    assert json.loads(files["demo-chart.vl.json"])["mark"]["type"] == "line"


def test_layered_chart_offers_one_csv_per_table():
    label = "say \"hi\", & go #1 at 50% <b>'n'</b> ÷ 2"
    other = alt.Chart(pd.DataFrame({"x": [5], "label": [label]})).mark_text().encode(x="x")
    files = downloads(chart_html(alt.layer(small_chart(), other), "two-tables", "Two layers"))
    assert set(files) == {"two-tables-1.csv", "two-tables-2.csv", "two-tables.vl.json"}
    assert list(csv.DictReader(io.StringIO(files["two-tables-2.csv"]))) == [{"x": "5", "label": label}]


def test_data_links_escape_what_would_end_the_attribute_or_the_url():
    html = chart_html(small_chart().properties(title="it's #1 & 100%"), "quoted", "A line")
    hrefs = re.findall(r"href='([^']*)'", html)
    assert len(hrefs) == 2
    for href in hrefs:
        assert not re.search(r"[#&'<>\s\\]", href), href
    assert json.loads(downloads(html)["quoted.vl.json"])["title"] == "it's #1 & 100%"


def test_csv_text_unions_columns_and_leaves_missing_cells_empty():
    assert csv_text([{"a": 1}, {"b": 2, "a": 3}]) == "a,b\n1,\n3,2\n"


@pytest.mark.parametrize(("name", "description"), [("Bad Name", "x"), ("ok-name", "  ")])
def test_chart_needs_a_safe_name_and_a_description(name, description):
    with pytest.raises(ValueError, match="chart"):
        chart_html(small_chart(), name, description)


def test_vega_bundle_is_scoped_and_sets_vega_embed():
    bundle = vega_bundle()
    assert bundle.startswith("(function () {")
    assert bundle.rstrip().endswith("})();")
    assert "window.vegaEmbed" in bundle


def test_the_bundle_is_cached_once_and_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    from deepseek_shock.build import vega

    calls: list[int] = []
    monkeypatch.setattr(vega, "vega_bundle", lambda: calls.append(1) or "// bundle")
    assert vega.vega_bundle_cached(tmp_path / "cache") == b"// bundle"
    assert vega.vega_bundle_cached(tmp_path / "cache") == b"// bundle"
    assert len(calls) == 1
    (tmp_path / "a-file").write_text("not a folder")
    assert vega.vega_bundle_cached(tmp_path / "a-file" / "cache") == b"// bundle"
    assert len(calls) == 2
