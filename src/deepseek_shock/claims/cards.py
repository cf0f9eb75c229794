"""Claims as a chapter page shows them: cards with quote, figures and verdict, tables and counts."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from IPython.display import HTML, display

from deepseek_shock.claims.evidence import cited_document, reproduced
from deepseek_shock.claims.registry import Claim, claims_for, judged
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import VERDICT_LABELS, reported_text, tolerance_text, value_text


def _row(term: str, value: str) -> str:
    return f"<div><dt>{html.escape(term)}</dt><dd>{html.escape(value)}</dd></div>"


def evidence_html(claim: Claim) -> str:
    """The document a claim is judged against: its source and the exact words relied on (or nothing)."""
    document = cited_document(claim)
    if document is None:
        return ""
    note = f" {document.note}" if document.note else ""
    return (
        '<blockquote class="ds-claim-evidence"><p><strong>Evidence:</strong> '
        f"{html.escape(document.fact)}. “{html.escape(document.exact_words)}”</p>"
        f"<footer>{html.escape(document.citation)}.{html.escape(note)}</footer></blockquote>"
    )


def claim_card_html(claim: Claim, computed: float | str | None) -> str:
    """One claim as an HTML card: quote, English, reported vs reproduced, and the verdict in words."""
    outcome, error = judged(claim, computed)
    rows = [_row("Reported", reported_text(claim))]
    if claim.checkable:
        assert computed is not None
        rows.append(_row("Reproduced", value_text(computed, claim.unit)))
        if error is not None:
            rows.append(_row("Difference", f"{error * 100:+.1f}% of the reported value"))
        rows.append(_row("Test", tolerance_text(claim)))
    reason = (
        f'<p class="ds-claim-reason"><strong>Why it cannot be checked:</strong> '
        f"{html.escape(claim.not_checkable)}</p>"
        if claim.not_checkable
        else ""
    )
    return (
        f'<article class="ds-claim ds-claim-{outcome.value}" id="claim-{claim.id}">'
        f'<p class="ds-claim-verdict"><span class="ds-verdict ds-verdict-{outcome.value}">'
        f"Verdict: {html.escape(VERDICT_LABELS[outcome])}</span></p>"
        f'<figure class="ds-claim-quote"><blockquote lang="zh"><p>{html.escape(claim.quote)}</p></blockquote>'
        f"<figcaption>Seed article {html.escape(claim.seed)}</figcaption></figure>"
        f'<p class="ds-claim-en">{html.escape(claim.claim_en)}</p>'
        f'<dl class="ds-claim-figures">{"".join(rows)}</dl>'
        '<p class="ds-claim-definition"><strong>Quantity judged:</strong> '
        f"{html.escape(claim.definition)}</p>"
        f"{evidence_html(claim)}{reason}</article>"
    )


def claim_cards_html(claims: Iterable[Claim], results: Mapping[str, Any]) -> str:
    """HTML cards for ``claims``, each judged against its document or ``results[claim.result]``."""
    cards = [claim_card_html(claim, reproduced(claim, results)) for claim in claims]
    return f'<div class="ds-claims">{"".join(cards)}</div>'


def verdict_table(claims: Iterable[Claim], results: Mapping[str, Any]) -> pd.DataFrame:
    """One row per claim: its id, seed, reported and reproduced figures (as text) and verdict label."""
    rows = []
    for claim in claims:
        computed = reproduced(claim, results)
        outcome, _ = judged(claim, computed)
        rows.append(
            {
                "Claim": claim.id,
                "Seed": claim.seed,
                "Reported": reported_text(claim),
                "Reproduced": "—" if computed is None else value_text(computed, claim.unit),
                "Verdict": VERDICT_LABELS[outcome],
            }
        )
    return pd.DataFrame(rows, columns=["Claim", "Seed", "Reported", "Reproduced", "Verdict"])


def verdict_counts(claims: Iterable[Claim], results: Mapping[str, Any]) -> dict[Verdict, int]:
    """How many of ``claims`` get each verdict (every verdict present, zero if none)."""
    counts = dict.fromkeys(Verdict, 0)
    for claim in claims:
        counts[judged(claim, reproduced(claim, results))[0]] += 1
    return counts


def show_claims(notebook: str, results: Mapping[str, Any]) -> None:
    """Display the cards of every claim ``notebook`` shows, judged against its ``results``."""
    display(HTML(claim_cards_html(claims_for(notebook), results)))


def verdict_labels(shown: Iterable[Claim], results: Mapping[str, Any]) -> dict[str, str]:
    """Each claim's verdict in words, keyed ``verdict_<claim id with underscores>``, for the prose."""
    labels = {}
    for claim in shown:
        outcome, _ = judged(claim, reproduced(claim, results))
        labels[f"verdict_{claim.id.replace('-', '_')}"] = VERDICT_LABELS[outcome].lower()
    return labels
