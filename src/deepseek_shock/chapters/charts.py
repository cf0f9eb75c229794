"""Chart specs that render anywhere: drawn by the site's own Vega, described, data downloadable.

A chart reaches the page as a Vega spec compiled from its Vega-Lite spec (so the site ships Vega alone),
held once in the figure as JSON. The site's ``_static/charts.js`` draws it (loading Vega once, only on
pages with a chart) and builds the downloads from that same JSON in the page: every inline table as CSV
and the spec as JSON, so downloads work offline and opened from disk without a second copy of the data.
Every chart carries its description (visible caption and the SVG's accessible name).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from IPython.display import HTML, display

if TYPE_CHECKING:
    import altair as alt


def inline_tables(spec: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The chart's named inline datasets that hold data, in the spec's order (empty rows skipped)."""
    tables = {}
    for name, rows in spec.get("datasets", {}).items():
        if isinstance(rows, list) and any(isinstance(row, dict) and row for row in rows):
            tables[name] = [row for row in rows if isinstance(row, dict)]
    return tables


def rows_label(count: int) -> str:
    """``1 row`` / ``12 rows``."""
    return f"{count} row" if count == 1 else f"{count} rows"


def downloads_html(spec: Mapping[str, Any], name: str) -> str:
    """Links offering the chart's data (one CSV per inline table) and its Vega spec (JSON).

    Each link names the dataset it offers; ``_static/charts.js`` gives it its content from the figure's
    spec when the page loads.
    """
    tables = inline_tables(spec)
    links = []
    for number, (dataset, rows) in enumerate(tables.items(), start=1):
        filename = f"{name}.csv" if len(tables) == 1 else f"{name}-{number}.csv"
        which = "data" if len(tables) == 1 else f"data, table {number} of {len(tables)}"
        links.append(
            f'<a download="{filename}" data-ds-table="{html.escape(dataset)}">'
            f"{which} (CSV, {rows_label(len(rows))})</a>"
        )
    links.append(f'<a download="{name}.vg.json" data-ds-spec="">chart spec (Vega JSON)</a>')
    return f'<p class="ds-chart-downloads">Download: {" · ".join(links)}</p>'


def vega_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The Vega spec a Vega-Lite spec compiles to (vl-convert; about 0.4 s for the first in a process)."""
    import vl_convert

    return vl_convert.vegalite_to_vega(dict(spec))


def script_json(value: Any) -> str:
    """``value`` as JSON that can sit inside a ``<script>`` element (``</`` written ``<\\/``)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def chart_html(chart: alt.TopLevelMixin, name: str, description: str) -> str:
    """HTML that the site draws as ``chart``: described, with its Vega spec and its data to download.

    ``description`` is the figure's visible caption and the drawn SVG's accessible name (and the
    spec's ``description`` when it has none of its own).
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"chart name {name!r}: expected lower-case letters, digits and hyphens")
    if not description.strip():
        raise ValueError(f"chart {name!r}: a description for screen readers is required")
    spec = chart.to_dict(validate=False)  # the tests validate every chart against the schema
    spec.setdefault("description", description)
    return (
        f'<figure class="ds-chart" id="fig-{name}">'
        f'<div id="vis-{name}" class="ds-chart-canvas"></div>'
        f'<figcaption id="desc-{name}">{html.escape(description)}</figcaption>'
        f"{downloads_html(spec, name)}"
        f'<script type="application/json" class="ds-chart-spec">{script_json(vega_spec(spec))}</script>'
        "</figure>"
    )


def show_chart(chart: alt.TopLevelMixin, name: str, description: str) -> None:
    """Display ``chart`` in the notebook (and so on its page)."""
    display(HTML(chart_html(chart, name, description)))
