"""The claims registry: the committed claims load, quotes are verbatim, bad entries are refused clearly."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from deepseek_shock.chapters.training_cost import cost as tc
from deepseek_shock.chapters.training_cost.params import TrainingCostParams
from deepseek_shock.claims import cards, registry, wording
from deepseek_shock.claims.verdicts import Tolerance, Verdict
from deepseek_shock.data import printed
from deepseek_shock.errors import UserError
from deepseek_shock.paths import data_dir, project_root

SEED_FILES = {
    "000_d7585af598101eef.txt",
    "001_72cc8d87418cf8b3.txt",
    "002_461709f9c20d65a3.txt",
    "003_73f85f31690feaaa.txt",
    "004_164f36daa27988ae.txt",
}


def by_id() -> dict[str, registry.Claim]:
    return {claim.id: claim for claim in registry.load_claims()}


# --- the committed registry -------------------------------------------------------------------------


def test_the_five_seed_articles_are_committed() -> None:
    assert {path.name for path in (data_dir() / "seeds").glob("*.txt")} == SEED_FILES


def test_committed_claims_load_with_unique_ids() -> None:
    claims = registry.load_claims()
    assert len(claims) >= 10
    assert len({claim.id for claim in claims}) == len(claims)


def test_every_quote_occurs_verbatim_in_its_seed() -> None:
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in (data_dir() / "seeds").glob("*.txt")}
    for claim in registry.load_claims():
        assert claim.quote in texts[claim.seed], claim.id


def test_checkable_claims_name_an_existing_notebook_and_a_result() -> None:
    for claim in registry.load_claims():
        if claim.notebook is not None:
            assert (project_root() / "notebooks" / f"{claim.notebook}.ipynb").exists(), claim.id
        if claim.checkable:
            assert bool(claim.result) != bool(claim.evidence), claim.id
            printed = claim.reported_date if claim.unit == "date" else claim.reported
            assert printed is not None, claim.id
        else:
            assert claim.result is None and claim.not_checkable, claim.id


def test_training_cost_claims_cover_the_seeds_figures() -> None:
    claims = registry.claims_for("training_cost")
    assert {claim.seed for claim in claims} >= {"000", "002", "003", "004"}
    assert {claim.result for claim in claims if claim.checkable} >= {
        "total_gpu_hours",
        "total_cost_usd",
        "cost_ratio_equal_price",
        "cluster_size_gpus",
    }
    assert any(not claim.checkable for claim in claims)


# --- rejections, on a temporary copy of data/ --------------------------------------------------------


@pytest.fixture
def edit_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[list], Any]], None]:
    """Copy claims.yaml and the seeds to a temporary root, apply an edit to the claim list, point at it."""
    (tmp_path / "data").mkdir()
    shutil.copytree(data_dir() / "seeds", tmp_path / "data" / "seeds")
    registry = yaml.safe_load(printed.claims_path().read_text(encoding="utf-8"))
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(tmp_path))

    def apply(edit: Callable[[list], Any]) -> None:
        edit(registry["claims"])
        text = yaml.safe_dump(registry, allow_unicode=True, sort_keys=False)
        (tmp_path / "data" / printed.CLAIMS_FILE).write_text(text, encoding="utf-8")

    return apply


def test_an_unedited_copy_loads(edit_registry: Callable) -> None:
    edit_registry(lambda claims: None)
    assert [claim.id for claim in registry.load_claims()] == list(by_id())


def test_the_registry_is_parsed_once_per_state_of_its_files(edit_registry: Callable) -> None:
    edit_registry(lambda claims: None)
    first = registry.load_claims()
    assert registry.load_claims()[0] is first[0]  # served from the in-process cache
    edit_registry(lambda claims: claims.pop())
    assert [claim.id for claim in registry.load_claims()] == [claim.id for claim in first[:-1]]


def test_missing_field_names_claim_and_field(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].pop("quote"))
    with pytest.raises(UserError, match=r"claims\.yaml: claim 'v3-gpu-hours-2788k': quote: missing"):
        registry.load_claims()


def test_unknown_unit_names_claim_and_field(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[1].update(unit="dollars"))
    with pytest.raises(UserError, match=r"claim 'v3-price-2-usd-per-gpu-hour': unit: unknown unit 'dollars'"):
        registry.load_claims()


def test_an_unknown_unit_of_an_implied_value_names_its_place(edit_registry: Callable) -> None:
    def edit(claims: list) -> None:
        scenario = next(claim["scenario"] for claim in claims if claim.get("scenario", {}).get("implied"))
        scenario["implied"][0]["unit"] = "dollars"

    edit_registry(edit)
    with pytest.raises(
        UserError, match=r": scenario\.implied\.0\.unit: unknown unit 'dollars'; expected one of"
    ):
        registry.load_claims()


def test_duplicate_id_names_claim_and_field(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims.append(dict(claims[2])))
    with pytest.raises(UserError, match=r"claim 'v3-final-run-cost-5576k': id: duplicate id"):
        registry.load_claims()


def test_quote_not_in_seed_names_claim_and_field(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].update(quote=claims[0]["quote"].replace("2,788,000", "2,788,001")))
    with pytest.raises(
        UserError, match=r"claim 'v3-gpu-hours-2788k': quote: not found verbatim in seed 000_"
    ):
        registry.load_claims()


def test_quote_from_another_seed_is_refused(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].update(seed="001"))
    with pytest.raises(
        UserError, match=r"claim 'v3-gpu-hours-2788k': quote: not found verbatim in seed 001_"
    ):
        registry.load_claims()


def test_missing_seed_file_names_the_seed(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].update(seed="009"))
    with pytest.raises(
        UserError, match=r"claim 'v3-gpu-hours-2788k': seed: expected one file data/seeds/009_"
    ):
        registry.load_claims()


def test_checkable_claim_needs_a_result(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].pop("result"))
    with pytest.raises(UserError, match=r"claim 'v3-gpu-hours-2788k': result: required unless not_checkable"):
        registry.load_claims()


def test_approx_claim_needs_a_tolerance(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].pop("tolerance"))
    with pytest.raises(UserError, match=r"claim 'v3-gpu-hours-2788k': tolerance: required"):
        registry.load_claims()


def test_bad_tolerance_and_relation_name_the_field(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].update(tolerance={"holds": 0.2, "rounding": 0.1}))
    with pytest.raises(UserError, match=r"claim 'v3-gpu-hours-2788k': tolerance: rounding \(0.1\) must be"):
        registry.load_claims()


def test_unknown_relation_names_the_field(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].update(relation="about"))
    with pytest.raises(UserError, match=r"claim 'v3-gpu-hours-2788k': relation: .*got 'about'"):
        registry.load_claims()


def test_unknown_related_id_is_refused(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[2].update(related=["no-such-claim"]))
    with pytest.raises(UserError, match=r"claim 'v3-final-run-cost-5576k': related/pairs: .*'no-such-claim'"):
        registry.load_claims()


def test_unknown_field_is_refused(edit_registry: Callable) -> None:
    edit_registry(lambda claims: claims[0].update(source="a blog"))
    with pytest.raises(UserError, match=r"claim 'v3-gpu-hours-2788k': source: extra inputs"):
        registry.load_claims()


def test_missing_registry_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_SHOCK_ROOT", str(tmp_path))
    with pytest.raises(UserError, match="data/claims.yaml is missing"):
        registry.load_claims()


def test_a_registry_that_is_not_utf8_is_one_clear_error(edit_registry: Callable) -> None:
    edit_registry(lambda claims: None)
    path = printed.claims_path()
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(UserError, match=r"^data/claims\.yaml: byte 0xff is not UTF-8: expected UTF-8 text$"):
        registry.load_claims()


def test_a_seed_that_is_not_utf8_names_the_claim_and_the_seed(edit_registry: Callable) -> None:
    edit_registry(lambda claims: None)
    seed = registry.seed_path("000")
    seed.write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(UserError, match=rf"claim 'v3-gpu-hours-2788k': seed: {seed.name} is not UTF-8 text"):
        registry.load_claims()


# --- verdicts and cards ------------------------------------------------------------------------------


def test_the_price_parameter_moves_the_cost_claim_from_holds_to_contradicted() -> None:
    claims = by_id()
    cost = claims["v3-final-run-cost-5576k"]
    under_6m = claims["v3-cost-under-6m-h800"]
    for price, expected in [(None, Verdict.HOLDS), (3.5, Verdict.CONTRADICTED)]:
        params = TrainingCostParams(price_per_gpu_hour=price)
        computed = tc.training_cost(tc.breakdown_from_snapshot(params), tc.price_per_gpu_hour(params))
        assert registry.judged(cost, computed)[0] is expected
        assert registry.judged(under_6m, computed)[0] is expected


def test_judged_returns_the_signed_relative_error() -> None:
    claim = by_id()["llama-final-run-cost-10x"]
    outcome, error = registry.judged(claim, 11.0)
    assert outcome is Verdict.ROUNDING
    assert error == pytest.approx(0.1)
    assert registry.judged(by_id()["claude-35-sonnet-cost-tens-of-millions"], None) == (
        Verdict.NOT_CHECKABLE,
        None,
    )
    with pytest.raises(UserError, match="no value recorded under 'total_gpu_hours'"):
        registry.judged(by_id()["v3-gpu-hours-2788k"], None)


def test_claim_model_refuses_a_result_on_a_not_checkable_claim() -> None:
    fields = by_id()["claude-35-sonnet-cost-tens-of-millions"].model_dump()
    with pytest.raises(ValueError, match="not-checkable claim records no result"):
        registry.Claim.model_validate({**fields, "result": "total_cost_usd"})


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (5_576_000, "USD", "USD 5,576,000"),
        (5.576, "USD million", "USD 5.576 million"),
        (2, "USD per GPU-hour", "USD 2.00 per GPU-hour"),
        (2_788_000, "GPU-hours", "2,788,000 GPU-hours"),
        (2048, "GPUs", "2,048 GPUs"),
        (11.061693, "ratio", "11.062×"),
        (5.5141, "percent", "5.514%"),
    ],
)
def test_quantity_text(value: float, unit: str, text: str) -> None:
    assert wording.quantity_text(value, unit) == text


def test_claim_cards_show_quote_figures_verdict_and_reason() -> None:
    claims = by_id()
    shown = [
        claims["v3-final-run-cost-5576k"],
        claims["v3-cost-under-6m-h800"],
        claims["v3-chips-worth-about-5m"],
    ]
    page = cards.claim_cards_html(shown, {"total_cost_usd": 5_576_000.0})
    assert page.count('class="ds-claim ') == 3
    assert '<blockquote lang="zh"><p>因此,最終訓練運行的總成本僅為557.6萬美元。</p></blockquote>' in page
    assert "Seed article 000" in page
    assert "Reported</dt><dd>USD 5,576,000" in page
    assert "Reproduced</dt><dd>USD 5,576,000" in page
    assert "less than USD 6,000,000" in page
    assert '<span class="ds-verdict ds-verdict-holds">Verdict: Holds</span>' in page
    assert '<span class="ds-verdict ds-verdict-not-checkable">Verdict: Not checkable</span>' in page
    assert "Why it cannot be checked:" in page and "value of the hardware" in page


def test_claim_cards_escape_html_and_judge_the_given_value() -> None:
    claim = by_id()["v3-gpu-hours-2788k"].model_copy(update={"claim_en": "<b>bold</b>"})
    page = cards.claim_cards_html([claim], {"total_gpu_hours": 3e6})
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>" not in page
    assert "ds-verdict-contradicted" in page and "Verdict: Contradicted" in page
    assert "+7.6% of the reported value" in page


def test_tolerance_of_a_claim_is_a_tolerance() -> None:
    assert by_id()["llama-final-run-cost-10x"].tolerance == Tolerance(holds=0.05, rounding=0.15)


def test_verdict_table_and_counts_agree() -> None:
    claims = [
        by_id()[name]
        for name in ("v3-gpu-hours-2788k", "llama-final-run-cost-10x", "v3-chips-worth-about-5m")
    ]
    results = {"total_gpu_hours": 2_788_000.0, "cost_ratio_equal_price": 11.06}
    table = cards.verdict_table(claims, results)
    assert list(table.columns) == ["Claim", "Seed", "Reported", "Reproduced", "Verdict"]
    assert list(table["Verdict"]) == ["Holds", "Holds only as a rounded figure", "Not checkable"]
    assert list(table["Reproduced"]) == ["2,788,000 GPU-hours", "11.06×", "—"]
    counts = cards.verdict_counts(claims, results)
    assert counts == {
        Verdict.HOLDS: 1,
        Verdict.ROUNDING: 1,
        Verdict.CONTRADICTED: 0,
        Verdict.NOT_CHECKABLE: 1,
    }


# --- findings and collapsed cards -------------------------------------------------------------------


def test_findings_say_each_checkable_claim_and_its_verdict_in_one_sentence() -> None:
    claims = by_id()
    shown = [
        claims["v3-gpu-hours-2788k"],
        claims["llama-final-run-cost-10x"],
        claims["v3-chips-worth-about-5m"],
        claims["v3-final-run-cost-5576k"],
    ]
    results = {"total_gpu_hours": 3e6, "cost_ratio_equal_price": 11.06, "total_cost_usd": 5_576_000.0}
    block = cards.findings_html(shown, results)
    assert '<h2 class="ds-findings-title" id="ds-findings-title">Findings</h2>' in block
    items = re.findall(r'<li class="ds-finding" data-verdict="([a-z-]+)">(.*?)</li>', block)
    # contradicted first, then roundings, then what holds; the not-checkable claim is counted, not listed
    assert [verdict for verdict, _ in items] == ["contradicted", "rounding", "holds"]
    first = items[0][1]
    assert '<span class="ds-verdict ds-verdict-contradicted">Contradicted</span>' in first
    assert '<a href="#claim-v3-gpu-hours-2788k">' in first
    text = re.sub(r"<[^>]+>", "", first)
    assert text.endswith("printed 2,788,000 GPU-hours; reproduced 3,000,000 GPU-hours.")
    assert text.count(". ") == 0  # one sentence
    assert "1 claim on this page cannot be checked from public data; its card says why." in block
    assert block.count("ds-verdict-not-checkable") == 1


def test_on_a_long_page_the_findings_that_hold_are_collapsed_and_the_disputed_lead() -> None:
    unique: dict[str, registry.Claim] = {}  # one claim per result key, so each is judged on its own figure
    for claim in registry.load_claims():
        if claim.checkable and claim.result and claim.reported and claim.relation == "approx":
            unique.setdefault(claim.result, claim)
    holding = list(unique.values())[:6]
    results = {claim.result: claim.reported for claim in holding}
    disputed = holding[0]
    results[disputed.result] = disputed.reported * 3
    block = cards.findings_html(holding, results)
    lead, _, collapsed = block.partition('<details class="ds-findings-more">')
    assert f'href="#claim-{disputed.id}"' in lead and "ds-verdict-contradicted" in lead
    assert "<summary>5 more claims hold as printed</summary>" in collapsed
    assert collapsed.count('data-verdict="holds"') == 5


def test_findings_of_only_checkable_claims_have_no_unchecked_line() -> None:
    block = cards.findings_html([by_id()["v3-gpu-hours-2788k"]], {"total_gpu_hours": 2_788_000.0})
    assert "ds-findings-unchecked" not in block and 'data-verdict="holds"' in block


def test_a_long_card_list_is_collapsed_under_a_summary_of_its_verdicts() -> None:
    shown = registry.claims_for("training_cost")
    assert len(shown) > cards.COLLAPSE_AFTER
    results = {"total_gpu_hours": 2_788_000.0}
    page = cards.collapsible_cards_html(shown[:1], results)
    assert page == cards.claim_cards_html(shown[:1], results)  # short lists stay open
    every = {
        key: "2025-01-27" if claim.unit == "date" else 1.0
        for claim in shown
        if claim.result
        for key in (claim.result, *(f"{claim.result}__{kind}" for kind in claim.alternatives))
    }
    collapsed = cards.collapsible_cards_html(shown, every, title="All the cards")
    assert collapsed.startswith('<details class="ds-more-claims"><summary>All the cards: ')
    summary = re.search(r"<summary>(.*?)</summary>", collapsed).group(1)
    counts = cards.verdict_counts(shown, every)
    assert summary == (
        f"All the cards: {len(shown)} claims ({html.escape(wording.verdict_count_text(counts))})"
    )
    assert collapsed.count('class="ds-claim ') == len(shown)
    assert all(f'id="claim-{claim.id}"' in collapsed for claim in shown)


def test_verdict_count_text_leaves_out_the_verdicts_nobody_got() -> None:
    counts = {Verdict.HOLDS: 2, Verdict.ROUNDING: 0, Verdict.CONTRADICTED: 1, Verdict.NOT_CHECKABLE: 0}
    assert wording.verdict_count_text(counts) == "Holds: 2 · Contradicted: 1"


def test_finding_text_of_a_claim_no_data_can_check() -> None:
    claim = by_id()["v3-chips-worth-about-5m"]
    assert wording.finding_text(claim, None).endswith(": no public data can check it.")


def test_every_ruled_claim_states_its_reading_and_what_it_was_checked_against() -> None:
    for claim in registry.load_claims():
        if claim.checkable:
            assert claim.independence in registry.INDEPENDENCE, claim.id
            assert claim.reading is not None and claim.reading.words, claim.id
            assert claim.reading.words.replace("...", "") in claim.quote or all(
                part in claim.quote for part in claim.reading.words.split("...")
            ), claim.id


def test_tolerance_text_names_the_rounding_band_only_when_there_is_one() -> None:
    claims = by_id()
    assert wording.tolerance_text(claims["merit-interactive-limit-up"]) == "holds within ±0.05%"
    assert wording.tolerance_text(claims["us-gdp-2024-forecast-1-7pct"]) == (
        "holds within ±2.94%, holds as a rounded figure within ±5.88%"
    )
