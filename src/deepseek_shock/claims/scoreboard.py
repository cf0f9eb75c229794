"""The verdicts at a glance: how many of the ledger's claims get each verdict, in numbers and in words.

Counted from the ledger's rows, never typed, so the landing page's scoreboard always says what the
ledger page and ``deepseek-shock ledger`` say, however many claims the registry holds.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import VERDICT_LABELS

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


def score_words(verdict: Verdict, count: int) -> str:
    """The words beside a count: ``claim holds as printed`` / ``claims hold as printed``."""
    one, several = SCORE_WORDS[verdict]
    return one if count == 1 else several


def scoreboard_html(totals: Mapping[Verdict, int], ledger_href: str) -> str:
    """The scoreboard: the number of claims checked, then one tile per verdict with its count, the
    verdict in a word and a colour, and what the count means; links to the ledger."""
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
        f'<ul class="ds-scores">{tiles}</ul></div>'
    )
