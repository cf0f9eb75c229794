"""The "Data and sources" page, rendered from a snapshot's manifest (MyST Markdown).

Every sentence about a table's source, adjustment basis, caveats and known gaps comes from
``manifest.json``, so the page cannot drift from the data it describes.
"""

from __future__ import annotations

import re
from typing import Any

from deepseek_shock.data.snapshot import load_manifest, short_hash

_MARKDOWN_SPECIAL = re.compile(r"([\\`*<>\[\]|$])")


def md(text: str) -> str:
    """``text`` with the characters Markdown or MyST would interpret (``<``, ``|``, ``$``, ...) escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def intro_markdown(manifest: dict[str, Any]) -> list[str]:
    """The page title and opening paragraphs: which snapshot, how it is verified and refreshed."""
    snapshot_id = manifest["snapshot_id"]
    return [
        "# Data and sources",
        "",
        f"Every number in this report is computed from one embedded data snapshot, **{md(snapshot_id)}**, "
        f"retrieved on {md(manifest['retrieved_at'])} and committed under `data/snapshots/{snapshot_id}/`: "
        "one CSV file per table plus a `manifest.json` recording each file's SHA-256 checksum, row count, "
        "column units, source and caveats. The loader verifies every file's checksum against the manifest "
        "before reading it, so an altered or missing file stops the build instead of changing a result. "
        "A live refresh writes a new, dated snapshot folder and never overwrites an existing one.",
        "",
        f"File format: {md(manifest['csv_format'])}.",
        "",
    ]


def known_gaps_markdown(manifest: dict[str, Any]) -> list[str]:
    """The "Known gaps" section: data looked for and not found, with the tables affected."""
    lines = ["## Known gaps", ""]
    for gap in manifest["known_gaps"]:
        tables = ", ".join(f"`{t}`" for t in gap["tables"])
        lines.append(f"- {md(gap['text'])} (tables: {tables})")
    return [*lines, ""]


def columns_markdown(columns: list[dict[str, Any]]) -> list[str]:
    """A Markdown table of a data table's columns: name, unit, description."""
    lines = ["| column | unit | description |", "|---|---|---|"]
    for column in columns:
        unit = md(column["unit"]) if column["unit"] else "—"
        lines.append(f"| `{column['name']}` | {unit} | {md(column['description'])} |")
    return lines


def table_markdown(name: str, entry: dict[str, Any], gaps: list[str], download_prefix: str) -> list[str]:
    """One table's section: description, provenance, caveats (known gaps included), columns, file facts."""
    file = entry["file"]
    caveats = [md(c) for c in entry["caveats"]] + [f"Known gap: {md(g)}" for g in gaps]
    return [
        f"(data-{name})=",
        f"## {md(entry['title'])} (`{name}`)",
        "",
        md(entry["description"]),
        "",
        f"- **Source:** {md(entry['source'])}",
        f"- **Retrieved:** {md(entry['retrieved_at'])}",
        f"- **Adjustment basis:** {md(entry['adjustment_basis'])}",
        f"- **Rows:** {entry['rows']:,}; **SHA-256:** `{short_hash(entry['sha256'])}`",
        f"- **Download:** {{download}}`{file} <{download_prefix}/{file}>`",
        "",
        "Caveats:",
        "",
        *(f"- {c}" for c in caveats),
        "",
        *columns_markdown(entry["columns"]),
        "",
    ]


def data_sources_markdown(snapshot_id: str | None = None, download_prefix: str = "../data") -> str:
    """The "Data and sources" page for a snapshot (default: the active one), as MyST Markdown.

    Each table's CSV is linked with the ``{download}`` role at ``<download_prefix>/<table>.csv``.
    """
    manifest = load_manifest(snapshot_id)
    lines = intro_markdown(manifest) + known_gaps_markdown(manifest)
    for name, entry in manifest["tables"].items():
        gaps = [gap["text"] for gap in manifest["known_gaps"] if name in gap["tables"]]
        lines += table_markdown(name, entry, gaps, download_prefix)
    return "\n".join(lines).rstrip("\n") + "\n"
