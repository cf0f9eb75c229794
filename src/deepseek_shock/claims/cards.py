"""Claims as a chapter page shows them: its findings in a sentence each, cards with quote, figures and
verdict (collapsed when there are many), tables and counts."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from IPython.display import HTML, display

from deepseek_shock.claims.evidence import cited_document, reproduced
from deepseek_shock.claims.registry import Claim, claims_for, judged, load_readings
from deepseek_shock.claims.sensitivity import ROBUST, Alternative, alternatives, robustness
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import (
    INDEPENDENCE_LABELS,
    VERDICT_LABELS,
    finding_text,
    reading_parts,
    reported_text,
    tolerance_text,
    value_text,
    verdict_count_text,
)
from deepseek_shock.errors import UserError

COLLAPSE_AFTER = 4  # a chapter's cards beyond this many are collapsed under a summary
# The order findings are listed in: what the data contradict first, then roundings, then what holds.
FINDING_ORDER = (Verdict.CONTRADICTED, Verdict.ROUNDING, Verdict.HOLDS)


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


def reading_html(claim: Claim) -> str:
    """The reading the claim is judged on (window, base, series, the sentence's words), or nothing."""
    reading = claim.reading
    if reading is None:
        return ""
    words = (
        f' The sentence\'s own words decide it: <q lang="zh">{html.escape(reading.words)}</q>.'
        if reading.words
        else ""
    )
    judged_on = html.escape("; ".join(reading_parts(reading)))
    return f'<p class="ds-claim-reading"><strong>Reading judged:</strong> {judged_on}.{words}</p>'


def alternatives_html(claim: Claim, verdict: Verdict, under: list[Alternative]) -> str:
    """The claim's other readings in a small table, with the robustness they add up to (or nothing)."""
    if not under:
        return ""
    flag = robustness(verdict, under)
    rows = "".join(
        f"<tr><td>{html.escape(a.label)}</td><td>{html.escape(value_text(a.value, claim.unit))}</td>"
        f'<td><span class="ds-verdict ds-verdict-{a.verdict.value}">'
        f"{VERDICT_LABELS[a.verdict]}</span></td></tr>"
        for a in under
    )
    says = (
        "the verdict is the same under every reading"
        if flag == ROBUST
        else "another reading gives another verdict"
    )
    return (
        f'<table class="ds-claim-alternatives"><caption>Other readings: {flag} ({says})</caption>'
        '<thead><tr><th scope="col">Reading</th><th scope="col">Value</th><th scope="col">Verdict</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def scenario_html(claim: Claim, results: Mapping[str, Any]) -> str:
    """A scenario claim's condition and base, and the values that show what it implies (or nothing).

    ``results`` maps the notebook's result keys to values; an implied value it lacks is one clear error
    naming the key expected.
    """
    scenario = claim.scenario
    if scenario is None:
        return ""
    public = "public" if scenario.base_public else "not public"
    missing = [item.result for item in scenario.implied if results.get(item.result) is None]
    if missing:
        raise UserError(
            f"data/claims.yaml: claim {claim.id!r}: scenario.implied expects notebook {claim.notebook!r} "
            f"to record {missing[0]!r}; it does not"
        )
    rows = "".join(
        f"<tr><td>{html.escape(item.label)}</td>"
        f"<td>{html.escape(value_text(results[item.result], item.unit))}</td></tr>"
        for item in scenario.implied
    )
    table = (
        '<table class="ds-claim-implied"><caption>What the claim implies, computed</caption>'
        '<thead><tr><th scope="col">Quantity</th><th scope="col">Value</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    return (
        f'<div class="ds-claim-scenario"><p><strong>Scenario:</strong> {html.escape(scenario.condition)}. '
        f"<strong>It rests on:</strong> {html.escape(scenario.base)} ({public}).</p>{table}</div>"
    )


def pairing_html(claim: Claim) -> str:
    """For a claim that judges a pairing of two printed figures, which two (or nothing)."""
    if not claim.pairs:
        return ""
    links = " and ".join(f'<a href="#claim-{other}">{html.escape(other)}</a>' for other in claim.pairs)
    return (
        '<p class="ds-claim-pairing"><strong>Paired figures:</strong> this card judges the pairing itself, '
        f"whatever the verdicts on {links} alone.</p>"
    )


def claim_card_html(
    claim: Claim,
    computed: float | str | None,
    under: list[Alternative] | None = None,
    results: Mapping[str, Any] | None = None,
) -> str:
    """One claim as an HTML card: quote, English, reported vs reproduced, the reading, the verdict in
    words, what it is checked against, and its other readings (``under``).

    ``results`` maps the notebook's result keys to values; a scenario claim's card shows its implied
    values from them.
    """
    outcome, error = judged(claim, computed)
    rows = [_row("Reported", reported_text(claim))]
    if claim.checkable:
        assert computed is not None
        rows.append(_row("Reproduced", value_text(computed, claim.unit)))
        if error is not None:
            rows.append(_row("Difference", f"{error * 100:+.1f}% of the reported value"))
        rows.append(_row("Test", tolerance_text(claim)))
        if claim.independence:
            rows.append(_row("Checked against", INDEPENDENCE_LABELS[claim.independence]))
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
        f"{reading_html(claim)}{pairing_html(claim)}{scenario_html(claim, results or {})}"
        f"{evidence_html(claim)}{alternatives_html(claim, outcome, under or [])}"
        f"{reason}</article>"
    )


def claim_cards_html(claims: Iterable[Claim], results: Mapping[str, Any]) -> str:
    """HTML cards for ``claims``, each judged against its document or ``results[claim.result]``."""
    kinds = load_readings()
    cards = [
        claim_card_html(claim, reproduced(claim, results), alternatives(claim, results, kinds), results)
        for claim in claims
    ]
    return f'<div class="ds-claims">{"".join(cards)}</div>'


def collapsible_cards_html(
    claims: Iterable[Claim], results: Mapping[str, Any], title: str = "Claim cards"
) -> str:
    """``claim_cards_html``, collapsed under a summary (``title``, how many, their verdicts) when there
    are more than ``COLLAPSE_AFTER`` cards (a browser opens it for a link to a card inside)."""
    shown = list(claims)
    cards = claim_cards_html(shown, results)
    if len(shown) <= COLLAPSE_AFTER:
        return cards
    verdicts = verdict_count_text(verdict_counts(shown, results))
    return (
        f'<details class="ds-more-claims"><summary>{html.escape(title)}: {len(shown)} claims '
        f"({html.escape(verdicts)})</summary>{cards}</details>"
    )


def finding_html(claim: Claim, computed: float | str | None, href: str) -> str:
    """One finding: the verdict in a word and a colour, then the claim and the figures, linked to ``href``."""
    outcome, _ = judged(claim, computed)
    return (
        f'<li class="ds-finding" data-verdict="{outcome.value}">'
        f'<span class="ds-verdict ds-verdict-{outcome.value}">{html.escape(VERDICT_LABELS[outcome])}</span> '
        f'<a href="{html.escape(href)}">{html.escape(finding_text(claim, computed))}</a></li>'
    )


def findings_html(claims: Iterable[Claim], results: Mapping[str, Any]) -> str:
    """A chapter's "Findings" block: each checkable claim and its verdict in one sentence, linked to its
    card (contradicted first, then roundings, then what holds), and how many cannot be checked.

    On a page with more than ``COLLAPSE_AFTER`` findings, those that hold are listed under a collapsed
    summary, so the block stays short and leads with what the data dispute.
    """
    shown = list(claims)
    judged_claims = [(claim, reproduced(claim, results)) for claim in shown]
    verdicts = {claim.id: judged(claim, computed)[0] for claim, computed in judged_claims}
    items = {
        verdict: [
            finding_html(claim, computed, f"#claim-{claim.id}")
            for claim, computed in judged_claims
            if verdicts[claim.id] is verdict
        ]
        for verdict in FINDING_ORDER
    }
    disputed = items[Verdict.CONTRADICTED] + items[Verdict.ROUNDING]
    holding = items[Verdict.HOLDS]
    if len(disputed) + len(holding) <= COLLAPSE_AFTER:
        disputed, holding = disputed + holding, []
    listing = f'<ul class="ds-findings-list">{"".join(disputed)}</ul>' if disputed else ""
    if holding:
        listing += (
            f'<details class="ds-findings-more"><summary>{len(holding)} more '
            f"{'claim holds' if len(holding) == 1 else 'claims hold'} as printed</summary>"
            f'<ul class="ds-findings-list">{"".join(holding)}</ul></details>'
        )
    unchecked = sum(verdict is Verdict.NOT_CHECKABLE for verdict in verdicts.values())
    rest = ""
    if unchecked:
        which = "1 claim on this page" if unchecked == 1 else f"{unchecked} claims on this page"
        why = "its card says why" if unchecked == 1 else "their cards say why"
        rest = (
            '<p class="ds-findings-unchecked"><span class="ds-verdict ds-verdict-not-checkable">'
            f"{VERDICT_LABELS[Verdict.NOT_CHECKABLE]}</span> {which} cannot be checked from public data; "
            f"{why}.</p>"
        )
    return (
        '<section class="ds-findings" aria-labelledby="ds-findings-title">'
        f'<h2 class="ds-findings-title" id="ds-findings-title">Findings</h2>{listing}{rest}</section>'
    )


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
    """Display the cards of every claim ``notebook`` shows, judged against its ``results`` (collapsed
    under a summary when there are more than ``COLLAPSE_AFTER``)."""
    display(HTML(collapsible_cards_html(claims_for(notebook), results)))


def show_findings(notebook: str, results: Mapping[str, Any]) -> None:
    """Display the "Findings" block of every claim ``notebook`` shows, judged against its ``results``."""
    display(HTML(findings_html(claims_for(notebook), results)))


def verdict_labels(shown: Iterable[Claim], results: Mapping[str, Any]) -> dict[str, str]:
    """Each claim's verdict in words, keyed ``verdict_<claim id with underscores>``, for the prose."""
    labels = {}
    for claim in shown:
        outcome, _ = judged(claim, reproduced(claim, results))
        labels[f"verdict_{claim.id.replace('-', '_')}"] = VERDICT_LABELS[outcome].lower()
    return labels
