"""The verdicts at a glance: how many of the ledger's claims get each verdict, in numbers and in words.

Counted from the ledger's rows, never typed, so the landing page's scoreboard always says what the
ledger page and ``deepseek-shock ledger`` say, however many claims the registry holds.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from deepseek_shock.claims.sensitivity import FRAGILE, ROBUST
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import INDEPENDENCE_LABELS, VERDICT_LABELS

# What each count says beside its number: (one claim, several claims).
SCORE_WORDS: dict[Verdict, tuple[str, str]] = {
    Verdict.HOLDS: ("claim holds as printed", "claims hold as printed"),
    Verdict.ROUNDING: ("claim holds only as a rounded figure", "claims hold only as rounded figures"),
    Verdict.CONTRADICTED: ("claim is contradicted by the data", "claims are contradicted by the data"),
    Verdict.NOT_CHECKABLE: (
        "claim cannot be checked from public data",
        "claims cannot be checked from public data",
    ),
}


def verdict_totals(rows: Iterable[Mapping[str, Any]]) -> dict[Verdict, int]:
    """How many ledger rows get each verdict (every verdict present, zero if none)."""
    totals = dict.fromkeys(Verdict, 0)
    for row in rows:
        totals[Verdict(row["verdict"])] += 1
    return totals


def figure_groups(rows: list[Mapping[str, Any]]) -> list[list[str]]:
    """The claims grouped by the figure they report: ids linked by ``related``, in the rows' order.

    Several sentences can repeat one figure (NVIDIA's USD 590 billion, J.P. Morgan's 24%); a count of
    distinct figures counts each group once.
    """
    parent = {row["id"]: row["id"] for row in rows}

    def root(claim_id: str) -> str:
        while parent[claim_id] != claim_id:
            parent[claim_id] = parent[parent[claim_id]]
            claim_id = parent[claim_id]
        return claim_id

    for row in rows:
        for other in row["related"]:
            if other in parent:
                parent[root(other)] = root(row["id"])
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(root(row["id"]), []).append(row["id"])
    return list(groups.values())


def ruled_summary(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """What the verdicts add up to: sentences and distinct figures by verdict, holds by independence,
    and how many ruled verdicts are fragile under another reading."""
    verdict_of = {row["id"]: row["verdict"] for row in rows}
    figures = Counter(verdict_of[group[0]] for group in figure_groups(rows))
    holds = Counter(
        row["independence"] or "unlabelled" for row in rows if row["verdict"] == Verdict.HOLDS.value
    )
    return {
        "sentences": dict(Counter(row["verdict"] for row in rows)),
        "figures": dict(figures),
        "distinct_figures": sum(figures.values()),
        "holds_by_independence": dict(holds),
        "fragile": sum(1 for row in rows if row["robustness"] == FRAGILE),
        "with_alternatives": sum(1 for row in rows if row["robustness"] in (ROBUST, FRAGILE)),
    }


def score_words(verdict: Verdict, count: int) -> str:
    """The words beside a count: ``claim holds as printed`` / ``claims hold as printed``."""
    one, several = SCORE_WORDS[verdict]
    return one if count == 1 else several


def checked_against_text(holds: Mapping[str, int]) -> str:
    """How many claims that hold were checked against each kind of source, in words: ``3 against
    independent data or documents; 1 against the source's own figures, restated`` (``none`` if none)."""
    kinds = [kind for kind in (*INDEPENDENCE_LABELS, "unlabelled") if holds.get(kind)]
    checked = "; ".join(
        f"{holds[kind]:,} against {INDEPENDENCE_LABELS.get(kind, 'no stated check')}" for kind in kinds
    )
    return checked or "none"


def what_counts_html(rows: list[Mapping[str, Any]]) -> str:
    """Under the tiles, what the counts rest on: distinct figures, holds by what they were checked
    against, and how many verdicts another reading flips, so a count never overstates what was verified."""
    summary = ruled_summary(rows)
    checked = checked_against_text(summary["holds_by_independence"])
    return (
        '<ul class="ds-scoreboard-notes">'
        f"<li>The {len(rows):,} sentences report {summary['distinct_figures']:,} distinct figures: where "
        "several sentences repeat one figure, it is counted once.</li>"
        f"<li>Of the claims that hold, {html.escape(checked)}.</li>"
        f"<li>{summary['fragile']:,} of the {summary['with_alternatives']:,} verdicts tested under other "
        "defensible readings are fragile: another reading gives another verdict (the ledger lists them).</li>"
        "</ul>"
    )


def scoreboard_html(
    totals: Mapping[Verdict, int], ledger_href: str, rows: list[Mapping[str, Any]] | None = None
) -> str:
    """The scoreboard: the number of claims checked, then one tile per verdict with its count, the
    verdict in a word and a colour, and what the count means; links to the ledger. With the ledger's
    ``rows``, also what the counts rest on (``what_counts_html``)."""
    tiles = "".join(
        f'<li class="ds-score ds-claim-{verdict.value}" data-verdict="{verdict.value}">'
        f'<span class="ds-score-count">{totals[verdict]:,}</span> '
        f'<span class="ds-score-words">{html.escape(score_words(verdict, totals[verdict]))}</span> '
        f'<span class="ds-verdict ds-verdict-{verdict.value}">{html.escape(VERDICT_LABELS[verdict])}</span>'
        "</li>"
        for verdict in Verdict
    )
    total = sum(totals.values())
    return (
        '<div class="ds-scoreboard">'
        f'<p class="ds-scoreboard-total"><span class="ds-scoreboard-count">{total:,}</span> '
        f"{'claim' if total == 1 else 'claims'} from the press checked; every one is in the "
        f'<a href="{html.escape(ledger_href)}">claims ledger</a>.</p>'
        f'<ul class="ds-scores">{tiles}</ul>{what_counts_html(rows) if rows else ""}</div>'
    )
