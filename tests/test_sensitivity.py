"""The sensitivity engine: a claim re-judged under its other readings, robust or fragile."""

from __future__ import annotations

import pytest

from deepseek_shock.claims.cards import claim_card_html
from deepseek_shock.claims.registry import Claim, Reading, ReadingKind
from deepseek_shock.claims.sensitivity import (
    FRAGILE,
    ONE_READING,
    ROBUST,
    alternative_key,
    alternatives,
    robustness,
)
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.errors import UserError

KINDS = {
    "week": ReadingKind(label="the week, not the day", description="24 to 31 January instead of 24 to 27."),
    "open": ReadingKind(label="to the opening price", description="The fall to 27 January's open."),
}


def fall(reported: float, kinds: tuple[str, ...]) -> Claim:
    """A claim of a percentage fall judged on the day, naming ``kinds`` as other readings."""
    return Claim.model_validate(
        {
            "id": "probe-fall",
            "seed": "000",
            "quote": "下跌",
            "claim_en": "The stock fell.",
            "reported": reported,
            "unit": "percent",
            "relation": "approx",
            "definition": "Close-to-close fall, 24 to 27 January 2025.",
            "tolerance": {"holds": 0.0313, "rounding": 0.0625},
            "category": "nvda-one-day",
            "notebook": "nvda_drawdown",
            "result": "fall_pct",
            "alternatives": kinds,
        }
    )


RESULTS = {"fall_pct": 16.97, "fall_pct__week": 15.81, "fall_pct__open": 12.49}


def test_a_claim_that_flips_under_another_reading_is_fragile() -> None:
    claim = fall(16, ("week", "open"))  # the day: +6.1 %, a rounding; the week: -1.2 %, holds
    under = alternatives(claim, RESULTS, KINDS)
    assert [(a.kind, a.verdict) for a in under] == [("week", Verdict.HOLDS), ("open", Verdict.CONTRADICTED)]
    assert under[0].label == "the week, not the day" and under[0].value == 15.81
    assert robustness(Verdict.ROUNDING, under) == FRAGILE


def test_a_claim_that_keeps_its_verdict_is_robust() -> None:
    claim = fall(17, ("week",))  # the day: -0.2 %, holds; a week of 16.9 %: -0.6 %, holds too
    results = {"fall_pct": 16.97, "fall_pct__week": 16.9}
    under = alternatives(claim, results, KINDS)
    assert [a.verdict for a in under] == [Verdict.HOLDS]
    assert robustness(Verdict.HOLDS, under) == ROBUST


def test_a_ruled_claim_without_alternatives_rests_on_one_reading() -> None:
    assert robustness(Verdict.HOLDS, alternatives(fall(17, ()), RESULTS, KINDS)) == ONE_READING


def test_a_claim_not_ruled_has_no_flag() -> None:
    assert robustness(Verdict.NOT_CHECKABLE, []) is None


def test_an_unrecorded_alternative_names_the_key_expected() -> None:
    claim = fall(16, ("week",))
    with pytest.raises(
        UserError, match=r"alternative 'week' expects notebook 'nvda_drawdown' to record 'fall_pct__week'"
    ):
        alternatives(claim, {"fall_pct": 16.97}, KINDS)
    assert alternative_key(claim, "week") == "fall_pct__week"


def test_the_card_shows_the_reading_its_independence_and_the_other_readings() -> None:
    claim = fall(16, ("week", "open")).model_copy(
        update={
            "reading": Reading(start="2025-01-24", end="2025-01-27", series="NVDA close", words="上周"),
            "independence": "independent",
        }
    )
    card = claim_card_html(claim, 16.97, alternatives(claim, RESULTS, KINDS))
    assert "Reading judged:</strong> window 2025-01-24 to 2025-01-27; series NVDA close." in card
    assert '<q lang="zh">上周</q>' in card
    assert "<dt>Checked against</dt><dd>independent data or documents</dd>" in card
    assert "Other readings: fragile (another reading gives another verdict)" in card
    assert card.count("<tr><td>") == 2 and "the week, not the day" in card
    robust = claim_card_html(
        fall(17, ("week",)), 16.97, alternatives(fall(17, ("week",)), {"fall_pct__week": 16.9}, KINDS)
    )
    assert "Other readings: robust (the verdict is the same under every reading)" in robust
