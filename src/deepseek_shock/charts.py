"""Charts that render anywhere: Vega-Lite specs drawn by the site's own Vega bundle.

A chart is embedded as its spec plus a call to the page's ``vegaEmbed``; the bundle itself
(Vega, Vega-Lite, vega-embed) is written once per site by ``vega_bundle`` and never fetched
from another host.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING

from IPython.display import HTML, display

if TYPE_CHECKING:
    import altair as alt

VEGA_BUNDLE_NAME = "vega-bundle.js"


def vega_bundle() -> str:
    """The Vega/Vega-Lite/vega-embed bundle as one script, wrapped so its top-level names stay private.

    vl-convert's bundle declares ``const _`` at top level, which clashes with Sphinx's own
    scripts; inside a function scope it only sets ``window.vegaEmbed``, ``window.vega`` and
    ``window.vegaLite``.
    """
    import vl_convert

    return "(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n"


def chart_html(chart: alt.TopLevelMixin, name: str, description: str) -> str:
    """HTML that draws ``chart`` with the page's ``vegaEmbed``, described for screen readers."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"chart name {name!r}: expected lower-case letters, digits and hyphens")
    spec = json.dumps(chart.to_dict(), separators=(",", ":")).replace("</", "<\\/")
    text = html.escape(description)
    return (
        f'<figure class="ds-chart" id="fig-{name}">'
        f'<div id="vis-{name}" class="ds-chart-canvas" role="img" aria-label="{text}"></div>'
        f"<figcaption>{text}</figcaption></figure>\n"
        "<script>(function () {"
        f"var spec = {spec};"
        f'function draw() {{ vegaEmbed("#vis-{name}", spec, {{actions: false, renderer: "svg"}}); }}'
        'if (window.vegaEmbed) { draw(); } else { window.addEventListener("load", draw); }'
        "})();</script>"
    )


def show_chart(chart: alt.TopLevelMixin, name: str, description: str) -> None:
    """Display ``chart`` in the notebook (and so on its page)."""
    display(HTML(chart_html(chart, name, description)))
