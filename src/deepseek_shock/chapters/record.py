"""What a notebook shows and records: bound values, the parameters it ran with.

``record`` is the one way a notebook publishes a number. It glues the value for the prose
(``{glue:text}`` in MyST) and tags the same output with its unit, so the pipeline can collect
every recorded value into ``results.json`` from the executed notebook alone.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

from IPython.core.formatters import format_display_data
from IPython.display import HTML, display
from pydantic import BaseModel

GLUE_PREFIX = "application/papermill.record/"
RESULT_KEY = "deepseek_shock"

Value = float | int | str | bool | None


def plain(value: Any) -> Value:
    """The value as a plain Python scalar (numpy scalars repr badly in glue)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value)
    raise TypeError(f"record() takes a number, string or None, not {type(value).__name__}")


def record(key: str, value: Any, unit: str) -> Value:
    """Publish ``value`` (in ``unit``) under ``key``: glued for the prose and kept for results.json."""
    value = plain(value)
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": key, "mime_prefix": GLUE_PREFIX}
    metadata[RESULT_KEY] = {"key": key, "value": value, "unit": unit}
    display({GLUE_PREFIX + mime: data for mime, data in bundle.items()}, raw=True, metadata=metadata)
    return value


def recorded_results(notebook: Mapping[str, Any]) -> dict[str, dict[str, Value]]:
    """Every value ``record`` published in an executed notebook: ``{key: {"value", "unit"}}``."""
    results: dict[str, dict[str, Value]] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            entry = output.get("metadata", {}).get(RESULT_KEY)
            if entry:
                results[entry["key"]] = {"value": entry["value"], "unit": entry["unit"]}
    return results


def parameters_html(params: BaseModel) -> str:
    """The parameters a page ran with, each with its meaning and unit, as a collapsible table."""
    rows = []
    for name, field in type(params).model_fields.items():
        value = getattr(params, name)
        shown = "<em>empty</em>" if value is None else f"<code>{html.escape(str(value))}</code>"
        meaning = html.escape(field.description or "")
        rows.append(f"<tr><td><code>{name}</code></td><td>{shown}</td><td>{meaning}</td></tr>")
    return (
        '<details class="ds-params"><summary>Parameters this page was run with</summary>'
        "<table><thead><tr><th>parameter</th><th>value</th><th>meaning</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def show_parameters(params: BaseModel) -> None:
    """Display the parameters block that heads every chapter."""
    display(HTML(parameters_html(params)))
