"""Claims as a chapter page shows them: cards with quote, figures and verdict, tables and counts."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd
from IPython.display import HTML, display

from deepseek_shock.claims.registry import Claim, claims_for, judged
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import VERDICT_LABELS, quantity_text, reported_text, tolerance_text


def _row(term: str, value: str) -> str:
    return f"<div><dt>{html.escape(term)}</dt><dd>{html.escape(value)}</dd></div>"


def claim_card_html(claim: Claim, computed: float | None) -> str:
    """One claim as an HTML card: quote, English, reported vs reproduced, and the verdict in words."""
    outcome, error = judged(claim, computed)
    rows = [_row("Reported", reported_text(claim))]
    if claim.checkable:
        assert computed is not None
        rows.append(_row("Reproduced", quantity_text(computed, claim.unit)))
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
        f"{reason}</article>"
    )


def claim_cards_html(claims: Iterable[Claim], results: Mapping[str, float]) -> str:
    """HTML cards for ``claims``, each judged against ``results[claim.result]``."""
    cards = [claim_card_html(claim, _computed(claim, results)) for claim in claims]
    return f'<div class="ds-claims">{"".join(cards)}</div>'


def _computed(claim: Claim, results: Mapping[str, float]) -> float | None:
    return results.get(claim.result) if claim.result is not None else None


def verdict_table(claims: Iterable[Claim], results: Mapping[str, float]) -> pd.DataFrame:
    """One row per claim: its id, seed, reported and reproduced figures (as text) and verdict label."""
    rows = []
    for claim in claims:
        computed = _computed(claim, results)
        outcome, _ = judged(claim, computed)
        rows.append(
            {
                "Claim": claim.id,
                "Seed": claim.seed,
                "Reported": reported_text(claim),
                "Reproduced": "—" if computed is None else quantity_text(computed, claim.unit),
                "Verdict": VERDICT_LABELS[outcome],
            }
        )
    return pd.DataFrame(rows, columns=["Claim", "Seed", "Reported", "Reproduced", "Verdict"])


def verdict_counts(claims: Iterable[Claim], results: Mapping[str, float]) -> dict[Verdict, int]:
    """How many of ``claims`` get each verdict (every verdict present, zero if none)."""
    counts = dict.fromkeys(Verdict, 0)
    for claim in claims:
        counts[judged(claim, _computed(claim, results))[0]] += 1
    return counts


def show_claims(notebook: str, results: Mapping[str, float]) -> None:
    """Display the cards of every claim ``notebook`` shows, judged against its ``results``."""
    display(HTML(claim_cards_html(claims_for(notebook), results)))


def verdict_labels(shown: Iterable[Claim], results: Mapping[str, float | None]) -> dict[str, str]:
    """Each claim's verdict in words, keyed ``verdict_<claim id with underscores>``, for the prose."""
    labels = {}
    for claim in shown:
        outcome, _ = judged(claim, results.get(claim.result) if claim.result else None)
        labels[f"verdict_{claim.id.replace('-', '_')}"] = VERDICT_LABELS[outcome].lower()
    return labels
