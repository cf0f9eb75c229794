"""Charts carry their Vega spec once, are drawn by the site's own Vega and offer their data for download."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from deepseek_shock.build.vega import VEGA_BUNDLE_PATH, vega_files, vega_version
from deepseek_shock.chapters.charts import chart_html, inline_tables
from deepseek_shock.paths import project_root


def small_chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")


def embedded_spec(html: str) -> dict:
    """The Vega spec a chart's figure holds."""
    payload = re.search(r'<script type="application/json" class="ds-chart-spec">(.*?)</script>', html, re.S)
    return json.loads(payload.group(1))


def download_links(html: str) -> dict[str, str]:
    """Every download link of a chart: file name -> the dataset it offers (``spec`` for the spec)."""
    links = re.findall(r'<a download="([^"]+)" data-ds-(table|spec)="([^"]*)">', html)
    return {name: dataset if kind == "table" else "spec" for name, kind, dataset in links}


def test_chart_html_carries_a_vega_spec_its_description_and_no_external_source():
    html = chart_html(small_chart(), "demo-chart", "Cost <rises> with price")
    assert 'id="vis-demo-chart"' in html
    assert "<figcaption" in html and "Cost &lt;rises&gt; with price</figcaption>" in html
    spec = embedded_spec(html)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega/")
    assert spec["description"] == "Cost <rises> with price"
    assert [mark["type"] for mark in spec["marks"]] == ["line"]
    assert "http" not in html.replace(spec["$schema"], "")
    assert "<script src" not in html and "vegaEmbed" not in html


def test_the_data_is_in_the_page_once_and_each_table_is_offered_as_csv():
    html = chart_html(small_chart(), "demo-chart", "A line")
    links = download_links(html)
    assert list(links) == ["demo-chart.csv", "demo-chart.vg.json"]
    (dataset,) = [entry for entry in embedded_spec(html)["data"] if "values" in entry]
    assert links["demo-chart.csv"] == dataset["name"]
    assert dataset["values"] == [{"x": 1, "y": 3}, {"x": 2, "y": 4}]
    assert html.count('"x":2') == 1  # no second copy of the data (no data: links)
    assert "data (CSV, 2 rows)" in html


def test_layered_chart_offers_one_csv_per_table():
    label = 'say "hi", & go </script> #1 at 50% ÷ 2'
    other = alt.Chart(pd.DataFrame({"x": [5], "label": [label]})).mark_text().encode(x="x", text="label")
    html = chart_html(alt.layer(small_chart(), other), "two-tables", "Two layers")
    links = download_links(html)
    assert list(links) == ["two-tables-1.csv", "two-tables-2.csv", "two-tables.vg.json"]
    tables = {entry["name"]: entry["values"] for entry in embedded_spec(html)["data"] if "values" in entry}
    assert tables[links["two-tables-2.csv"]] == [{"x": 5, "label": label}]
    assert "</script> #1" not in html  # the label cannot end the spec's script element


def test_inline_tables_skip_empty_datasets():
    spec = {"datasets": {"a": [{}], "b": [{"x": 1}], "c": "not rows"}}
    assert inline_tables(spec) == {"b": [{"x": 1}]}


@pytest.mark.parametrize(("name", "description"), [("Bad Name", "x"), ("ok-name", "  ")])
def test_chart_needs_a_safe_name_and_a_description(name, description):
    with pytest.raises(ValueError, match="chart"):
        chart_html(small_chart(), name, description)


def test_the_vendored_vega_is_the_version_the_specs_are_compiled_for():
    assert vega_version() == vl_convert.get_vega_version()
    script = vega_files()[VEGA_BUNDLE_PATH].decode()
    assert f'version="{vega_version()}"' in script
    assert (
        ".vega={}" in script[:400]
    )  # the UMD build sets window.vega, and declares nothing else at top level


def test_the_page_script_loads_vega_from_where_the_site_serves_it():
    charts_js = (project_root() / "_static" / "charts.js").read_text()
    assert f'"{VEGA_BUNDLE_PATH}"' in charts_js
