"""Chart specs that render anywhere: drawn by the site's own Vega bundle, described, data downloadable.

A chart is embedded as its spec plus a call to the page's ``vegaEmbed``; the bundle itself
(Vega, Vega-Lite, vega-embed) is written once per site by ``build.vega`` and never fetched
from another host. Every chart carries its description (visible caption and the SVG's accessible
name) and offers its data as CSV and its spec as JSON through ``data:`` links, so the downloads
work offline and opened from disk.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from IPython.display import HTML, display

if TYPE_CHECKING:
    import altair as alt

# Left as is in a data: link written in a single-quoted attribute; everything else (space, %, #, &,
# ', <, >, backslash, control and non-ASCII characters) is percent-encoded.
URI_SAFE = '!$()*+,-./:;=?@[]^_`{|}~"'


def inline_tables(spec: Mapping[str, Any]) -> list[list[dict[str, Any]]]:
    """The chart's named inline datasets that hold data, in the spec's order (empty rows skipped)."""
    tables = []
    for rows in spec.get("datasets", {}).values():
        if isinstance(rows, list) and any(isinstance(row, dict) and row for row in rows):
            tables.append([row for row in rows if isinstance(row, dict)])
    return tables


def csv_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """``rows`` as CSV with a header: columns in first-seen order, missing cells empty."""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def data_uri(text: str, media_type: str) -> str:
    """``text`` as a UTF-8 ``data:`` URI, percent-encoded only where it must be (JSON stays readable)."""
    return f"data:{media_type};charset=utf-8,{quote(text, safe=URI_SAFE)}"


def download_link(href: str, filename: str, label: str) -> str:
    """An ``<a download>`` link to a ``data_uri`` (single-quoted: the URI keeps its double quotes)."""
    return f"<a href='{href}' download=\"{filename}\">{html.escape(label)}</a>"


def rows_label(count: int) -> str:
    """``1 row`` / ``12 rows``."""
    return f"{count} row" if count == 1 else f"{count} rows"


def downloads_html(spec: Mapping[str, Any], name: str) -> str:
    """Links offering the chart's data (one CSV per inline table) and its Vega-Lite spec (JSON)."""
    tables = inline_tables(spec)
    links = []
    for number, rows in enumerate(tables, start=1):
        filename = f"{name}.csv" if len(tables) == 1 else f"{name}-{number}.csv"
        which = "data" if len(tables) == 1 else f"data, table {number} of {len(tables)}"
        links.append(
            download_link(
                data_uri(csv_text(rows), "text/csv"), filename, f"{which} (CSV, {rows_label(len(rows))})"
            )
        )
    spec_json = json.dumps(spec, separators=(",", ":"), ensure_ascii=False)
    links.append(
        download_link(data_uri(spec_json, "application/json"), f"{name}.vl.json", "chart spec (JSON)")
    )
    return f'<p class="ds-chart-downloads">Download: {" · ".join(links)}</p>'


def draw_script(name: str, spec_js: str) -> str:
    """The inline script that draws a chart once ``vegaEmbed`` is there.

    The drawn SVG is labelled by the figure's caption (Vega labels its marks, not the chart), and
    the chart's Vega view is kept in ``window.dsCharts[name]``; a failure is a console error.
    """
    return (
        "<script>(function () {"
        f"var spec = {spec_js};"
        "function drawn(result) {"
        f'var svg = document.querySelector("#vis-{name} svg");'
        'if (svg) { svg.setAttribute("role", "graphics-document");'
        f' svg.setAttribute("aria-labelledby", "desc-{name}"); }}'
        f'(window.dsCharts = window.dsCharts || {{}})["{name}"] = result.view;'
        "}"
        "function draw() {"
        f'vegaEmbed("#vis-{name}", spec, {{actions: false, renderer: "svg"}}).then(drawn)'
        f'.catch(function (error) {{ console.error("chart {name}: " + error); }});'
        "}"
        'if (window.vegaEmbed) { draw(); } else { window.addEventListener("load", draw); }'
        "})();</script>"
    )


def chart_html(chart: alt.TopLevelMixin, name: str, description: str) -> str:
    """HTML that draws ``chart`` with the page's ``vegaEmbed``, described, with its data to download.

    ``description`` is the figure's visible caption and the drawn SVG's accessible name (and the
    spec's ``description`` when it has none of its own).
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"chart name {name!r}: expected lower-case letters, digits and hyphens")
    if not description.strip():
        raise ValueError(f"chart {name!r}: a description for screen readers is required")
    spec = chart.to_dict(validate=False)  # the tests validate every chart against the schema
    spec.setdefault("description", description)
    spec_js = json.dumps(spec, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<figure class="ds-chart" id="fig-{name}">'
        f'<div id="vis-{name}" class="ds-chart-canvas"></div>'
        f'<figcaption id="desc-{name}">{html.escape(description)}</figcaption>'
        f"{downloads_html(spec, name)}</figure>\n{draw_script(name, spec_js)}"
    )


def show_chart(chart: alt.TopLevelMixin, name: str, description: str) -> None:
    """Display ``chart`` in the notebook (and so on its page)."""
    display(HTML(chart_html(chart, name, description)))
