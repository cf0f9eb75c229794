"""The landing page's generated part: the verdicts at a glance, one headline chart, the headline findings.

Staged as ``book/front_page.md`` and included by ``book/intro.md``. The scoreboard is counted from the
ledger's rows, the chart is computed from the snapshot and the claims registry's printed figures, and
the headlines take their figures and verdicts from the ledger: nothing here is typed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from deepseek_shock.claims.headlines import headlines_html, load_headlines
from deepseek_shock.claims.scoreboard import scoreboard_html, verdict_totals

FRONT_PAGE = "book/front_page.md"
CHART_NAME = "nvda-week-value"


def notebook_title(notebook: Mapping[str, Any]) -> str:
    """The title of an executed notebook: the first level-one heading of its Markdown cells."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        for line in (source if isinstance(source, str) else "".join(source)).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return "untitled chapter"


def headline_chart_html() -> str:
    """NVIDIA's market value through the week of 27 January 2025, the printed losses marked."""
    from deepseek_shock.chapters.charts import chart_html
    from deepseek_shock.chapters.nvda_drawdown.figures import week_value_chart, week_value_description
    from deepseek_shock.chapters.nvda_drawdown.press import press_event
    from deepseek_shock.chapters.nvda_drawdown.week import printed_loss_marks, week_values

    event = press_event()
    values, marks = week_values(event), printed_loss_marks(event)
    return chart_html(
        week_value_chart(event, values, marks), CHART_NAME, week_value_description(event, values, marks)
    )


def headline_chart_cached(cache_dir: Path) -> str:
    """``headline_chart_html``, kept in ``cache_dir`` under a hash of what it is computed from: the
    snapshot's manifest (every table's checksum), the claims registry, the library's code and the lock.

    Drawing it costs about a second (Altair, pandas, compiling to Vega); a rebuild after a parameter
    change reuses it.
    """
    from deepseek_shock.build.pipeline import LOCK_FILE, file_sha256, library_sha256, write_atomic
    from deepseek_shock.data import snapshot
    from deepseek_shock.data.printed import claims_path
    from deepseek_shock.paths import project_root

    inputs = [snapshot.snapshot_dir() / snapshot.MANIFEST_NAME, claims_path(), project_root() / LOCK_FILE]
    hasher = hashlib.sha256(library_sha256().encode())
    for path in inputs:
        hasher.update(f"{path.name}={file_sha256(path) if path.exists() else '-'}\n".encode())
    cached = cache_dir / f"{CHART_NAME}-{hasher.hexdigest()[:20]}.html"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    chart = headline_chart_html()
    for stale in cache_dir.glob(f"{CHART_NAME}-*.html"):
        stale.unlink()
    write_atomic(cached, chart)  # a build killed mid-write leaves no half chart to be trusted next time
    return chart


def raw_html(block: str) -> str:
    """``block`` as a MyST raw-HTML directive."""
    return "```{raw} html\n" + block + "\n```"


def front_page_markdown(
    rows: list[dict[str, Any]], notebooks: Mapping[str, Mapping[str, Any]], chart: str
) -> str:
    """The generated part of the landing page (MyST Markdown), for pages in ``book/``.

    ``rows`` are the ledger's, ``notebooks`` the executed notebooks by name, ``chart`` the headline
    chart's HTML.
    """
    chapters = {name: (f"../notebooks/{name}.html", notebook_title(nb)) for name, nb in notebooks.items()}
    return (
        "\n\n".join(
            [
                "## The verdicts at a glance",
                raw_html(scoreboard_html(verdict_totals(rows), "ledger.html", rows)),
                "## NVIDIA's week",
                raw_html(chart),
                "## Headline findings",
                raw_html(headlines_html(load_headlines(), rows, chapters)),
            ]
        )
        + "\n"
    )
