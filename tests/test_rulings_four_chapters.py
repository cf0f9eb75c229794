"""The rulings of the training-cost, pricing, capex and power chapters: every claim's verdict under the
published parameters, under each of its alternative readings too, and what its card rests on."""

from __future__ import annotations

import json

import pytest

from deepseek_shock.chapters.catalog import computations, resolve
from deepseek_shock.claims.evidence import reproduced
from deepseek_shock.claims.registry import judged, load_claims, load_readings
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.paths import project_root

NOTEBOOKS = ("training_cost", "pricing", "capex_cut", "power_cagr")
HOLDS, ROUNDING, CONTRADICTED, NOT_CHECKABLE = (
    Verdict.HOLDS,
    Verdict.ROUNDING,
    Verdict.CONTRADICTED,
    Verdict.NOT_CHECKABLE,
)

# claim id -> (verdict, {alternative kind: verdict})
EXPECTED: dict[str, tuple[Verdict, dict[str, Verdict]]] = {
    # training_cost
    "v3-gpu-hours-2788k": (HOLDS, {}),
    "v3-price-2-usd-per-gpu-hour": (HOLDS, {}),
    "v3-final-run-cost-5576k": (HOLDS, {}),
    "llama-final-run-cost-10x": (ROUNDING, {"model-family": CONTRADICTED, "pretraining-only": CONTRADICTED}),
    "v3-activated-parameters-under-6pct": (HOLDS, {}),
    "v3-cost-under-6m-h800": (HOLDS, {}),
    "v3-paper-last-month": (HOLDS, {}),
    "bernstein-not-openai-for-5m": (NOT_CHECKABLE, {}),
    "v3-cluster-2048-h800": (HOLDS, {}),
    "v3-cost-5576k-2048-gpus": (HOLDS, {}),
    "claude-35-sonnet-cost-tens-of-millions": (NOT_CHECKABLE, {}),
    "v3-cost-tenth-of-overseas-peers": (NOT_CHECKABLE, {}),
    "gpt4-training-run-63m": (HOLDS, {}),
    "mistral-le-chat-fifth-of-openai": (NOT_CHECKABLE, {}),
    "v3-chips-worth-about-5m": (NOT_CHECKABLE, {}),
    "bernstein-excludes-research": (HOLDS, {}),
    "deepseek-founded-two-years-ago": (CONTRADICTED, {}),
    "high-flyer-8b-hedge-fund": (NOT_CHECKABLE, {}),
    "deepseek-founded-about-two-years-ago": (CONTRADICTED, {}),
    "r1-released-last-week": (HOLDS, {}),
    "r1-released-eve-of-inauguration": (HOLDS, {}),
    "v3-moe-one-shared-expert": (HOLDS, {}),
    "r1-math-problem-under-4-minutes": (NOT_CHECKABLE, {}),
    "r1-three-minutes-faster-than-o1": (NOT_CHECKABLE, {}),
    # pricing
    "deepseek-98pct-cheaper-than-openai": (HOLDS, {"output-tier": CONTRADICTED}),
    "deepseek-price-0-14-usd-per-million-tokens": (HOLDS, {}),
    "openai-price-7-50-usd-per-million-tokens": (HOLDS, {}),
    "deepseek-charges-1-200-of-us-model": (HOLDS, {"documented-price": CONTRADICTED}),
    "deepseek-price-1-4-cents-per-million-tokens": (CONTRADICTED, {}),
    "meta-largest-model-2-80-usd-per-million-tokens": (NOT_CHECKABLE, {}),
    "million-tokens-about-700k-words": (ROUNDING, {}),
    "deepseek-cost-1-50-of-openai": (ROUNDING, {"output-tier": CONTRADICTED}),
    "doubao-running-cost-85pct-below-average": (NOT_CHECKABLE, {}),
    "openai-price-60-to-2-usd-in-two-years": (HOLDS, {"price-date": CONTRADICTED}),
    "openai-first-model-60-usd-per-million-tokens": (HOLDS, {}),
    "gpt4-now-2-usd-per-million-tokens": (CONTRADICTED, {}),
    "gpt4-a100s-worth-250m": (HOLDS, {}),
    "gpt5-gpus-worth-nearly-2b": (CONTRADICTED, {"h100": CONTRADICTED}),
    "a100-worth-10k-usd": (HOLDS, {}),
    "gpt4-needs-25k-a100s": (HOLDS, {}),
    "gpt5-needs-50k-gpus": (NOT_CHECKABLE, {}),
    "deepseek-r1-671b-parameters": (HOLDS, {}),
    "qwq-32b-32-billion-parameters": (ROUNDING, {}),
    "deepseek-app-top-of-app-store-jan-27": (HOLDS, {}),
    "deepseek-app-top-china-app-store-jan-27": (NOT_CHECKABLE, {}),
    "deepseek-two-outages": (HOLDS, {"r1-release": HOLDS}),
    "deepseek-100m-users": (HOLDS, {}),
    "deepseek-100m-users-in-7-days": (HOLDS, {}),
    "chatgpt-search-without-signup-feb-6": (HOLDS, {}),
    "o3-mini-reasoning-shown-feb-7": (HOLDS, {}),
    "grok-3-released-feb-18": (HOLDS, {}),
    "le-chat-13x-faster-than-chatgpt": (NOT_CHECKABLE, {}),
    "le-chat-third-in-downloads": (NOT_CHECKABLE, {}),
    "mistral-stronger-model-announced-mar-7": (HOLDS, {}),
    "llm-market-two-or-three-giants": (NOT_CHECKABLE, {}),
    "openai-devday-nov-6-2023": (HOLDS, {}),
    "application-companies-not-yet-listed": (CONTRADICTED, {}),
    "r1-surge-last-week-of-january": (HOLDS, {}),
    "le-chat-launched-early-february": (HOLDS, {}),
    "qwq-32b-released-mar-6": (HOLDS, {}),
    "custom-gpts-3-million": (HOLDS, {}),
    "robin-li-10x-value-in-10-years": (NOT_CHECKABLE, {}),
    # capex_cut
    "jpm-capex-cut-24pct": (NOT_CHECKABLE, {}),
    "jpm-capex-cut-24pct-2027": (NOT_CHECKABLE, {}),
    "chip-dc-revenue-growth-27pct": (NOT_CHECKABLE, {}),
    "chip-revenue-at-risk-37-5b": (NOT_CHECKABLE, {}),
    "chip-dc-growth-minus-7-points": (NOT_CHECKABLE, {}),
    "big-six-capex-2023-160b": (HOLDS, {"net-capex": HOLDS}),
    "big-six-capex-2024-200b": (CONTRADICTED, {"net-capex": ROUNDING}),
    "big-six-capex-ate-free-cash-flow": (HOLDS, {"earlier-base": CONTRADICTED, "net-capex": HOLDS}),
    "msft-capex-80b-this-year": (HOLDS, {}),
    "msft-capex-matches-cash-flow": (
        ROUNDING,
        {"operating-cash-flow": CONTRADICTED, "prior-fiscal-year": ROUNDING},
    ),
    "amazon-capex-2024-83b": (HOLDS, {"net-capex": ROUNDING}),
    "amazon-capex-2025-100b": (ROUNDING, {}),
    "stargate-500b": (HOLDS, {}),
    "hyperscalers-billions-on-ai-chips": (NOT_CHECKABLE, {}),
    "x86-virtualization-mid-2000s": (HOLDS, {}),
    "goldman-ai-spend-warnings-q3-2024": (CONTRADICTED, {}),
    "ubs-training-demand-main-driver-2-3-years": (NOT_CHECKABLE, {}),
    # power_cagr
    "us-electricity-demand-2023-4200twh": (ROUNDING, {"implied-total": HOLDS, "total-end-use": ROUNDING}),
    "datacenter-electricity-2023-200twh": (ROUNDING, {}),
    "datacenter-cagr-doe-high-26pct": (ROUNDING, {}),
    "datacenter-doubling-2-5-years": (CONTRADICTED, {"rule-of-thumb": ROUNDING}),
    "datacenter-cagr-2014-2023-13pct": (HOLDS, {}),
    "datacenter-cagr-jpm-view-20pct": (NOT_CHECKABLE, {}),
    "us-electricity-demand-growth-2-5pct": (NOT_CHECKABLE, {}),
    "us-electricity-demand-past-decade-0-7pct": (CONTRADICTED, {"total-end-use": CONTRADICTED}),
    "doe-forecast-early-this-year": (CONTRADICTED, {}),
}


@pytest.fixture(scope="module")
def published() -> dict[str, dict[str, object]]:
    """Each chapter's values under its published parameters, value only."""
    chapters = computations()
    return {nb: {key: value for key, (value, _) in chapters[nb](resolve(nb)).items()} for nb in NOTEBOOKS}


def claims() -> list:
    return [claim for claim in load_claims() if claim.notebook in NOTEBOOKS]


def test_every_claim_of_the_four_chapters_has_its_expected_verdict(published) -> None:
    assert {claim.id for claim in claims()} == set(EXPECTED)
    for claim in claims():
        values = published[claim.notebook]
        expected, alternatives = EXPECTED[claim.id]
        assert judged(claim, reproduced(claim, values))[0] is expected, claim.id
        assert set(claim.alternatives) == set(alternatives), claim.id
        for kind, verdict in alternatives.items():
            assert judged(claim, values[f"{claim.result}__{kind}"])[0] is verdict, (claim.id, kind)


def test_ruled_claims_state_reading_and_independence_and_the_rest_say_what_would_settle_them() -> None:
    kinds = load_readings()
    for claim in claims():
        assert claim.reading is not None and claim.reading.words, claim.id
        assert claim.reading.words in claim.quote, claim.id  # the sentence's own words
        if claim.checkable:
            assert claim.independence is not None, claim.id
            assert all(kind in kinds for kind in claim.alternatives), claim.id
        else:
            note = claim.not_checkable.lower()
            assert any(word in note for word in ("settle", "needs", "nothing can")), claim.id


def test_printed_inputs_claims_say_the_inputs_are_taken_as_printed() -> None:
    for claim in claims():
        if claim.independence == "printed-inputs":
            assert "as printed" in claim.definition or "as printed" in (claim.reading.series or ""), claim.id


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_claim_of_a_notebook_is_on_its_page(notebook: str) -> None:
    """The page shows the cards of all the notebook's claims (not a selection by category)."""
    cells = json.loads((project_root() / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    assert any(f'cards.show_claims("{notebook}", results)' in source for source in sources)


def test_the_2027_cut_shows_what_it_implies(published) -> None:
    """J.P. Morgan's 24% is not judged, but the chapter computes the 2027 intensity that makes it exact,
    beside the filed intensities: pooled 10.25% in 2015-19 and 15.55% in fiscal 2024."""
    capex = published["capex_cut"]
    assert capex["reference_pooled_pct"] == pytest.approx(10.248, abs=5e-4)
    assert capex["latest_pooled_pct"] == pytest.approx(15.546, abs=5e-4)
    assert capex["breakeven_pooled_pct"] == pytest.approx(capex["reference_pooled_pct"] / 0.76)
    assert capex["capex_cut_pct"] == pytest.approx(100 * (1 - 10.248 / 15.546), abs=0.01)
