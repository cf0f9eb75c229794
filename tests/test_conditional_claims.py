"""Scenario claims and paired figures: judged on what the data settle, never on a stand-in base."""

from __future__ import annotations

import html

import pytest

from deepseek_shock.build.publish import verdict_rows
from deepseek_shock.claims.cards import claim_card_html, claim_cards_html
from deepseek_shock.claims.registry import Claim, claims_by_id
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import value_text
from deepseek_shock.errors import UserError

SCENARIO = {
    "condition": "if capital intensity returns to its 2015-19 level",
    "base": "J.P. Morgan's own 2027 forecast of revenue and capex",
    "base_public": False,
    "implied": [
        {
            "label": "2027 capital intensity that makes the cut exact",
            "result": "breakeven_pct",
            "unit": "percent",
        },
        {"label": "FY2024 capital intensity (filings)", "result": "latest_pct", "unit": "percent"},
    ],
}


def cut_claim(**fields: object) -> Claim:
    """J.P. Morgan's scenario cut, as the registry would hold it."""
    base: dict[str, object] = {
        "id": "scenario-cut",
        "seed": "000",
        "quote": "資本支出可能會減少24%",
        "claim_en": "Capex could be 24% lower.",
        "reported": 24,
        "unit": "percent",
        "relation": "approx",
        "definition": "The cut in 2027 capex if intensity fell back to its 2015-19 level.",
        "category": "capex",
        "notebook": "capex_cut",
        "scenario": SCENARIO,
        "not_checkable": "Rests on J.P. Morgan's 2027 forecast, which is not public.",
    }
    return Claim.model_validate({**base, **fields})


def test_a_scenario_on_a_base_that_is_not_public_cannot_be_ruled_on() -> None:
    with pytest.raises(
        ValueError, match="a scenario whose base is not public cannot be judged on a stand-in"
    ):
        cut_claim(not_checkable=None, result="cut_pct", tolerance={"holds": 0.05, "rounding": 0.15})
    assert not cut_claim().checkable


def test_a_scenario_on_printed_inputs_gets_an_ordinary_verdict() -> None:
    printed = {**SCENARIO, "base": "the article's own printed inputs", "base_public": True, "implied": []}
    claim = cut_claim(
        scenario=printed, not_checkable=None, result="cut_pct", tolerance={"holds": 0.05, "rounding": 0.15}
    )
    assert claim.checkable
    card = claim_card_html(claim, 34.1, [], {})
    assert "ds-verdict-contradicted" in card and "(public)" in card


def test_the_card_shows_what_the_scenario_implies() -> None:
    card = claim_card_html(cut_claim(), None, [], {"breakeven_pct": 13.48, "latest_pct": 15.55})
    assert "Verdict: Not checkable" in card
    assert (
        "<strong>It rests on:</strong> J.P. Morgan&#x27;s own 2027 forecast" in card
        and "(not public)" in card
    )
    assert "<td>2027 capital intensity that makes the cut exact</td><td>13.48%</td>" in card
    assert "<td>FY2024 capital intensity (filings)</td><td>15.55%</td>" in card


def test_a_pairing_names_exactly_two_claims() -> None:
    with pytest.raises(ValueError, match="pairs: name exactly the two claims"):
        cut_claim(pairs=["one"])


def test_what_changed_gives_the_reason_a_verdict_changed() -> None:
    before = [
        {
            "id": "c",
            "claim_en": "A claim.",
            "verdict": Verdict.CONTRADICTED.value,
            "computed": 34.1,
            "unit": "percent",
        }
    ]
    after = [
        {
            **before[0],
            "verdict": Verdict.NOT_CHECKABLE.value,
            "computed": None,
            "change_note": "Its base is J.P. Morgan's unpublished forecast.",
        }
    ]
    [row] = verdict_rows(before, after)
    assert row[-1] == "Its base is J.P. Morgan's unpublished forecast."


def test_the_registry_applies_the_rules() -> None:
    from deepseek_shock.claims.registry import load_claims

    claims = {claim.id: claim for claim in load_claims()}
    cut = claims["jpm-capex-cut-24pct"]
    assert cut.scenario is not None and not cut.scenario.base_public and not cut.checkable
    assert {item.result for item in cut.scenario.implied} >= {
        "breakeven_intensity_pct",
        "latest_intensity_pct",
    }
    assert cut.change_note
    doubling = claims["datacenter-doubling-2-5-years"]
    assert doubling.scenario is not None and doubling.scenario.base_public and doubling.checkable
    assert doubling.independence == "printed-inputs"
    pairing = claims["nvda-590b-paired-with-week-16pct"]
    assert pairing.pairs == ("nvda-value-loss-590b", "nvda-fall-16pct-last-week") and pairing.checkable


def test_a_chapters_cards_show_the_implied_values_its_notebook_recorded() -> None:
    cut = claims_by_id(["jpm-capex-cut-24pct"])["jpm-capex-cut-24pct"]
    assert cut.scenario is not None and cut.scenario.implied
    results = {item.result: 10.0 + number for number, item in enumerate(cut.scenario.implied)}
    page = claim_cards_html([cut], results)
    for item in cut.scenario.implied:
        shown = value_text(results[item.result], item.unit)
        assert f"<td>{html.escape(item.label)}</td><td>{html.escape(shown)}</td>" in page
    first = cut.scenario.implied[0].result
    with pytest.raises(UserError, match=f"scenario.implied expects notebook 'capex_cut' to record '{first}'"):
        claim_cards_html([cut], {key: value for key, value in results.items() if key != first})
