"""Charts embed their spec and draw with the page's own Vega bundle."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from deepseek_shock.charts import chart_html, vega_bundle


def small_chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")


def test_chart_html_carries_spec_description_and_no_external_source():
    html = chart_html(small_chart(), "demo-chart", "Cost <rises> with price")
    assert 'id="vis-demo-chart"' in html
    assert 'aria-label="Cost &lt;rises&gt; with price"' in html
    spec = json.loads(re.search(r"var spec = (\{.*?\});function", html).group(1))
    assert spec["mark"]["type"] == "line"
    assert "http" not in html.replace(spec["$schema"], "")
    assert "<script src" not in html


def test_chart_name_must_be_a_safe_identifier():
    with pytest.raises(ValueError, match="chart name"):
        chart_html(small_chart(), "Bad Name", "x")


def test_vega_bundle_is_scoped_and_sets_vega_embed():
    bundle = vega_bundle()
    assert bundle.startswith("(function () {")
    assert bundle.rstrip().endswith("})();")
    assert "window.vegaEmbed" in bundle
