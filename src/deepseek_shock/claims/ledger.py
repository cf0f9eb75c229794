"""The claims ledger: every claim in the registry × what the notebooks recorded → a verdict.

One row per claim, with the quote, the English rendering, the reported and reproduced values (in
the same unit), the verdict and the tolerance it was judged with. The ledger page of the site, the
``deepseek-shock ledger`` command and the downloadable JSON and CSV are all built from these rows.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from deepseek_shock.claims.evidence import cited_document, reproduced
from deepseek_shock.claims.registry import INDEPENDENCE, Claim, Reading, judged, load_claims, load_readings
from deepseek_shock.claims.scoreboard import checked_against_text, ruled_summary
from deepseek_shock.claims.sensitivity import ROBUSTNESS_LABELS, alternatives, robustness
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import (
    INDEPENDENCE_LABELS,
    VERDICT_LABELS,
    reading_parts,
    reported_text,
    value_text,
)
from deepseek_shock.errors import UserError

Row = dict[str, Any]
INTRO = (
    "Every quantitative statement in the five source articles, with the value this report reproduces "
    "and the verdict it earns under the published parameters. A verdict is computed from the printed "
    "figure, the reproduced figure and the tolerance stated for the claim; claims that public data "
    "cannot decide are marked not checkable, with the reason. Filter the table by article, category "
    "or verdict; each row links to the chapter that computes it."
)
FIELDS = (
    "id", "seed", "category", "quote", "claim_en", "reported", "reported_date", "reported_text", "unit",
    "relation", "computed", "verdict", "tolerance", "definition", "notebook", "result", "reading",
    "independence", "alternatives", "robustness", "evidence", "scenario", "pairs", "note", "related",
)  # fmt: skip


def computed_value(claim: Claim, recorded: Mapping[str, Any]) -> float | str | None:
    """The value ``claim`` is judged against (``reproduced``), with ``recorded`` mapping its notebook's
    result keys to values: a checkable claim without a document needs one there, a number or, for a date
    claim, an ISO date."""
    value = reproduced(claim, recorded)
    if not claim.checkable or claim.evidence is not None:
        return value
    if claim.result not in recorded:
        raise UserError(
            f"data/claims.yaml: claim {claim.id!r}: result {claim.result!r} is not recorded by notebook "
            f"{claim.notebook!r}; expected a key it records (see deepseek-shock run {claim.notebook} --json)"
        )
    if claim.unit == "date":
        if not isinstance(value, str):
            raise UserError(
                f"data/claims.yaml: claim {claim.id!r}: result {claim.result!r} of {claim.notebook} is "
                f"{value!r}, not a date"
            )
        return value
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise UserError(
            f"data/claims.yaml: claim {claim.id!r}: result {claim.result!r} of {claim.notebook} is "
            f"{value!r}, not a number"
        )
    return float(value)


def scenario_record(claim: Claim, recorded: Mapping[str, Any]) -> dict[str, Any] | None:
    """A scenario claim's condition, base and implied values, as the ledger lists them (or ``None``)."""
    if claim.scenario is None:
        return None
    return {
        "condition": claim.scenario.condition,
        "base": claim.scenario.base,
        "base_public": claim.scenario.base_public,
        "implied": [
            {"label": item.label, "value": recorded.get(item.result), "unit": item.unit}
            for item in claim.scenario.implied
        ],
    }


def evidence_record(claim: Claim) -> dict[str, str] | None:
    """The document a claim is judged against, as the ledger lists it (``None`` without one)."""
    document = cited_document(claim)
    if document is None:
        return None
    return {
        "document": document.id,
        "source": document.source,
        "source_kind": document.source_kind,
        "source_date": document.source_date,
        "exact_words": document.exact_words,
    }


def ledger_rows(results: Mapping[str, Mapping[str, Any]]) -> list[Row]:
    """One row per claim, judged against ``results`` (``{notebook: {key: {"value", "unit"}}}``)."""
    kinds = load_readings()
    rows = []
    for claim in load_claims():
        recorded = {key: entry["value"] for key, entry in results.get(claim.notebook or "", {}).items()}
        computed = computed_value(claim, recorded)
        verdict, _ = judged(claim, computed)
        tolerance = claim.tolerance.model_dump() if claim.tolerance else None
        under = alternatives(claim, recorded, kinds)
        rows.append(
            {
                "id": claim.id,
                "seed": claim.seed,
                "category": claim.category,
                "quote": claim.quote,
                "claim_en": claim.claim_en,
                "reported": claim.reported,
                "reported_date": claim.reported_date,
                "reported_text": reported_text(claim),
                "unit": claim.unit,
                "relation": str(claim.relation),
                "computed": computed,
                "verdict": verdict.value,
                "tolerance": tolerance,
                "definition": claim.definition,
                "notebook": claim.notebook,
                "result": claim.result,
                "reading": claim.reading.model_dump(exclude_none=True) if claim.reading else None,
                "independence": claim.independence,
                "alternatives": [
                    {"kind": a.kind, "label": a.label, "value": a.value, "verdict": a.verdict.value}
                    for a in under
                ],
                "robustness": robustness(verdict, under),
                "evidence": evidence_record(claim),
                "scenario": scenario_record(claim, recorded),
                "pairs": list(claim.pairs),
                "note": claim.not_checkable or "",
                "related": list(claim.related),
            }
        )
    return rows


def ledger_json(rows: list[Row]) -> str:
    """The ledger as a JSON list, one object per claim."""
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def ledger_csv(rows: list[Row]) -> str:
    """The ledger as CSV, one line per claim (tolerance, related and evidence flattened)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        tolerance = row["tolerance"]
        writer.writerow(
            {
                **row,
                "tolerance": f"holds {tolerance['holds']}; rounding {tolerance['rounding']}"
                if tolerance
                else "",
                "related": " ".join(row["related"]),
                "evidence": evidence_text(row["evidence"]),
                "reading": reading_text(row["reading"]),
                "scenario": scenario_text(row["scenario"]),
                "pairs": " ".join(row["pairs"]),
                "alternatives": "; ".join(
                    f"{a['label']}: {a['value']} ({a['verdict']})" for a in row["alternatives"]
                ),
            }
        )
    return out.getvalue()


def scenario_text(scenario: dict[str, Any] | None) -> str:
    """A scenario on one line: condition, base (public or not) and the implied values."""
    if not scenario:
        return ""
    public = "public" if scenario["base_public"] else "not public"
    implied = "; ".join(f"{item['label']}: {item['value']} {item['unit']}" for item in scenario["implied"])
    return f"{scenario['condition']}; base: {scenario['base']} ({public})" + (
        f"; implies {implied}" if implied else ""
    )


def reading_text(reading: dict[str, str] | None) -> str:
    """A claim's reading on one line: window, base, series and the words that pick them."""
    if not reading:
        return ""
    words = [f"words “{reading['words']}”"] if "words" in reading else []
    return "; ".join(reading_parts(Reading.model_validate(reading)) + words)


def evidence_text(evidence: dict[str, str] | None) -> str:
    """A document reference on one line: id, source and date (empty without one)."""
    if evidence is None:
        return ""
    dated = f", {evidence['source_date']}" if evidence["source_date"] else ""
    return f"{evidence['document']}: {evidence['source']} ({evidence['source_kind']}{dated})"


def verdict_counts_by_seed(rows: list[Row]) -> dict[str, Counter]:
    """How many claims of each article get each verdict."""
    counts: dict[str, Counter] = {}
    for row in rows:
        counts.setdefault(row["seed"], Counter())[row["verdict"]] += 1
    return counts


def summary_note(rows: list[Row]) -> str:
    """One paragraph under the summary table: distinct figures, holds by independence, fragile verdicts."""
    summary = ruled_summary(rows)
    return (
        f"The {len(rows)} sentences report {summary['distinct_figures']} distinct figures (sentences that "
        "repeat one figure count once). Of the claims that hold, "
        f"{checked_against_text(summary['holds_by_independence'])}. {summary['fragile']} of the "
        f"{summary['with_alternatives']} verdicts tested "
        "under other readings are fragile: another defensible reading gives another verdict."
    )


def summary_markdown(rows: list[Row]) -> str:
    """A Markdown table: claims by article and verdict, with totals."""
    verdicts = list(Verdict)
    header = "| article | " + " | ".join(VERDICT_LABELS[v] for v in verdicts) + " | all |"
    lines = [header, "|---" * (len(verdicts) + 2) + "|"]
    counts = verdict_counts_by_seed(rows)
    for seed in sorted(counts):
        cells = [str(counts[seed][v.value]) for v in verdicts]
        lines.append(f"| seed {seed} | " + " | ".join(cells) + f" | {sum(counts[seed].values())} |")
    totals = Counter(row["verdict"] for row in rows)
    lines.append(
        "| **all** | " + " | ".join(f"**{totals[v.value]}**" for v in verdicts) + f" | **{len(rows)}** |"
    )
    return "\n".join(lines)


def table_value_text(value: float | str | None, unit: str) -> str:
    """A value with its unit for the table (a date as written), or a dash."""
    return "—" if value is None else value_text(value, unit)


def row_html(row: Row) -> str:
    """One ``<tr>`` of the ledger table, with data attributes for the in-browser filters."""
    verdict = Verdict(row["verdict"])
    link = (
        f'<a href="../notebooks/{row["notebook"]}.html#claim-{row["id"]}">{html.escape(row["notebook"])}</a>'
        if row["notebook"]
        else "—"
    )
    reported = row["reported_text"]
    note = f'<br><span class="ds-ledger-note">{html.escape(row["note"])}</span>' if row["note"] else ""
    return (
        f'<tr id="ledger-{row["id"]}" data-seed="{row["seed"]}" data-category="{row["category"]}" '
        f'data-verdict="{verdict.value}" data-independence="{row["independence"] or ""}" '
        f'data-robustness="{row["robustness"] or ""}">'
        f'<td lang="zh">{html.escape(row["quote"])}<br>'
        f'<span class="ds-ledger-seed">seed {row["seed"]}</span></td>'
        f"<td>{html.escape(row['claim_en'])}{note}</td><td>{html.escape(reported)}</td>"
        f"<td>{html.escape(table_value_text(row['computed'], row['unit']))}</td>"
        f'<td><span class="ds-verdict ds-verdict-{verdict.value}">'
        f"{html.escape(VERDICT_LABELS[verdict])}</span></td><td>{link}</td></tr>"
    )


def select_html(name: str, label: str, options: list[tuple[str, str]]) -> str:
    """A labelled ``<select>`` filter over one data attribute of the rows."""
    items = "".join(f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in options)
    return (
        f'<label class="ds-ledger-filter">{label} <select data-filter="{name}">'
        f'<option value="">all</option>{items}</select></label>'
    )


def table_html(rows: list[Row]) -> str:
    """The filterable ledger table (filters run in the browser, no kernel)."""
    seeds = sorted({row["seed"] for row in rows})
    categories = sorted({row["category"] for row in rows})
    filters = (
        select_html("seed", "Article", [(s, f"seed {s}") for s in seeds])
        + select_html("category", "Category", [(c, c) for c in categories])
        + select_html("verdict", "Verdict", [(v.value, VERDICT_LABELS[v]) for v in Verdict])
        + select_html("independence", "Checked against", [(k, INDEPENDENCE_LABELS[k]) for k in INDEPENDENCE])
        + select_html("robustness", "Robustness", list(ROBUSTNESS_LABELS.items()))
    )
    body = "".join(row_html(row) for row in rows)
    return (
        f'<div class="ds-ledger" id="ds-ledger"><div class="ds-ledger-filters">{filters} '
        f'<output class="ds-ledger-count" aria-live="polite">{len(rows)} claims shown</output></div>'
        '<table class="ds-ledger-table"><caption>Every claim, its reproduction and its verdict</caption>'
        '<thead><tr><th scope="col">Quote</th><th scope="col">Claim</th><th scope="col">Reported</th>'
        '<th scope="col">Reproduced</th><th scope="col">Verdict</th><th scope="col">Chapter</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def page_markdown(rows: list[Row], download_prefix: str) -> str:
    """The ledger page (MyST Markdown with raw HTML for the filterable table)."""
    return (
        "\n\n".join(
            [
                "# Claims ledger",
                INTRO,
                "## Summary",
                summary_markdown(rows),
                summary_note(rows),
                "## Download",
                f"The whole ledger as {{download}}`JSON <{download_prefix}/ledger.json>` or "
                f"{{download}}`CSV <{download_prefix}/ledger.csv>`, one record per claim.",
                "## All claims",
                "```{raw} html\n" + table_html(rows) + "\n```",
            ]
        )
        + "\n"
    )
