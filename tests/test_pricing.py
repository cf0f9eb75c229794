"""The pricing chapter: price arithmetic, inputs read from the claims registry, verdicts, parameters,
tables, chart and notebook."""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepseek_shock.chapters.catalog import computations, resolve
from deepseek_shock.chapters.charts import chart_html
from deepseek_shock.chapters.pricing import figures as pf
from deepseek_shock.chapters.pricing import listings
from deepseek_shock.chapters.pricing import prices as pr
from deepseek_shock.chapters.pricing.params import PricingParams
from deepseek_shock.claims import registry as claim_registry
from deepseek_shock.claims import wording
from deepseek_shock.claims.cards import verdict_labels
from deepseek_shock.claims.evidence import reproduced
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.cli import main
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError
from deepseek_shock.paths import project_root

prices = st.floats(min_value=1e-4, max_value=1e4, allow_nan=False, allow_infinity=False)
spans = st.floats(min_value=0.1, max_value=50, allow_nan=False, allow_infinity=False)


@functools.cache
def registry() -> tuple[claim_registry.Claim, ...]:
    """The committed claims registry, loaded once (loading it is slow)."""
    return tuple(claim_registry.load_claims())


def pricing_claims() -> list[claim_registry.Claim]:
    """The claims the pricing notebook shows, in registry order."""
    return [claim for claim in registry() if claim.notebook == "pricing"]


def reported(claim_id: str) -> float:
    """A claim's printed figure, straight from the registry."""
    figure = {claim.id: claim for claim in registry()}[claim_id].reported
    assert figure is not None
    return figure


def verdicts(params: PricingParams) -> dict[str, Verdict]:
    """Every pricing claim's verdict under ``params``."""
    values = {key: value for key, (value, _) in pr.chapter_values(params).items()}
    shown = pricing_claims()
    return {claim.id: claim_registry.judged(claim, reproduced(claim, values))[0] for claim in shown}


@pytest.fixture(scope="module")
def published() -> dict[str, float]:
    """The chapter's values under the published parameters."""
    return {key: value for key, (value, _) in pr.chapter_values(resolve("pricing")).items()}


# --- arithmetic ----------------------------------------------------------------------------------------


def test_ratios_of_simple_prices() -> None:
    assert pr.price_ratio(1, 4) == 0.25
    assert pr.times_cheaper(1, 4) == 4
    assert pr.discount_pct(1, 4) == 75
    assert pr.discount_pct(2, 1) == -100  # DeepSeek dearer: a negative discount
    assert pr.fall_factor(60, 2) == 30
    assert pr.fall_pct(100, 25) == 75
    assert pr.annual_fall_factor(100, 25, 2) == pytest.approx(2)
    assert pr.annual_fall_pct(100, 25, 2) == pytest.approx(50)
    assert pr.words_per_token(700, 1000) == pytest.approx(0.7)
    assert pr.fleet_value(25, 4) == 100
    assert pr.implied_price_per_gpu(100, 25) == 4
    assert pr.gpus_for_value(100, 4) == 25


@given(deepseek=prices, other=prices)
def test_discount_ratio_and_times_cheaper_agree(deepseek: float, other: float) -> None:
    ratio = pr.price_ratio(deepseek, other)
    assert pr.times_cheaper(deepseek, other) * ratio == pytest.approx(1)
    assert pr.discount_pct(deepseek, other) == pytest.approx((1 - ratio) * 100)


@given(start=prices, end=prices, years=spans)
def test_the_yearly_fall_compounds_to_the_whole_fall(start: float, end: float, years: float) -> None:
    factor = pr.annual_fall_factor(start, end, years)
    assert start / factor**years == pytest.approx(end, rel=1e-9)
    assert pr.annual_fall_pct(start, end, years) == pytest.approx((1 - 1 / factor) * 100)


@given(gpus=st.floats(min_value=1, max_value=1e7), price=prices)
def test_fleet_value_and_implied_price_invert(gpus: float, price: float) -> None:
    value = pr.fleet_value(gpus, price)
    assert pr.implied_price_per_gpu(value, gpus) == pytest.approx(price)
    assert pr.gpus_for_value(value, price) == pytest.approx(gpus)


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, "cheap", None])
def test_arithmetic_refuses_what_is_not_a_finite_positive_number(bad: object) -> None:
    with pytest.raises(UserError, match="expected a"):
        pr.price_ratio(bad, 1)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="expected a"):
        pr.fleet_value(10, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="expected a"):
        pr.Comparison("output", bad, 1, "x")  # type: ignore[arg-type]


def test_an_unknown_tier_is_refused() -> None:
    with pytest.raises(UserError, match="expected one of cached_input, output"):
        pr.article_comparison("input")


@pytest.mark.parametrize(
    ("price", "text"), [(7.5, "7.50"), (60, "60"), (0.14, "0.14"), (0.014, "0.014"), (1234.5, "1,234")]
)
def test_usd_text(price: float, text: str) -> None:
    assert pr.usd_text(price) == text


@pytest.mark.parametrize(("price", "step"), [(0.14, 0.01), (0.014, 0.001), (7.5, 0.1), (60, 1)])
def test_slider_step_puts_the_price_on_a_step(price: float, step: float) -> None:
    assert pf.slider_step(price) == pytest.approx(step)
    assert round(price / pf.slider_step(price), 6) == pytest.approx(round(price / step))


# --- the inputs are the registry's printed figures ---------------------------------------------------


def test_the_comparisons_take_their_prices_from_the_claims_registry() -> None:
    cached, output = pr.article_comparison("cached_input"), pr.article_comparison("output")
    assert (cached.deepseek, cached.other) == (
        reported(pr.CLAIM_CACHED_DEEPSEEK),
        reported(pr.CLAIM_CACHED_OPENAI),
    )
    assert (output.deepseek, output.other) == (
        reported(pr.CLAIM_OUTPUT_DEEPSEEK),
        reported(pr.CLAIM_OUTPUT_META),
    )
    assert cached.as_printed and output.as_printed


def test_a_changed_registry_figure_changes_the_chapter(project: Path) -> None:
    registry = project / "data" / "claims.yaml"
    text = registry.read_text(encoding="utf-8")
    entry = text.index(f"- id: {pr.CLAIM_CACHED_OPENAI}")
    edited = text[:entry] + text[entry:].replace("reported: 7.5\n", "reported: 14\n", 1)
    assert edited != text
    registry.write_text(edited, encoding="utf-8")
    values = pr.chapter_values(PricingParams())
    assert values["printed_cached_input_comparison_usd"][0] == 14
    assert values["cached_input_discount_pct"][0] == pytest.approx(
        100 * (1 - reported(pr.CLAIM_CACHED_DEEPSEEK) / 14)
    )


def test_every_pricing_claim_is_in_its_notebook_and_every_result_is_computed(published) -> None:
    shown = pricing_claims()
    assert {claim.seed for claim in shown} == {"001", "002", "003"}
    for claim in shown:
        if claim.checkable and claim.evidence is None:
            assert claim.result in published, claim.id
    input_ids = [value for name, value in vars(pr).items() if name.startswith("CLAIM_")]
    known = {claim.id for claim in registry()}
    assert set(input_ids) <= known
    # The GPT-4 run cost is the training-cost chapter's claim: linked, not duplicated.
    by_id = {claim.id: claim for claim in registry()}
    assert by_id[pr.CLAIM_GPT4_RUN].notebook == "training_cost" and pr.CLAIM_GPT4_RUN not in {
        c.id for c in shown
    }


# --- the chapter's numbers and verdicts under the published parameters -----------------------------


def test_derived_figures_follow_from_the_printed_inputs(published) -> None:
    cached_d, cached_o = reported(pr.CLAIM_CACHED_DEEPSEEK), reported(pr.CLAIM_CACHED_OPENAI)
    assert published["cached_input_discount_pct"] == pytest.approx(100 * (1 - cached_d / cached_o))
    out_d, out_o = reported(pr.CLAIM_OUTPUT_DEEPSEEK), reported(pr.CLAIM_OUTPUT_META)
    assert published["output_price_ratio"] == pytest.approx(out_d / out_o)
    assert published["output_times_cheaper"] == pytest.approx(out_o / out_d)
    price = reported(pr.CLAIM_GPU_PRICE)
    assert published["gpt4_gpu_value_usd_m"] == pytest.approx(reported(pr.CLAIM_GPT4_GPUS) * price / 1e6)
    assert published["gpt5_gpu_value_usd_b"] == pytest.approx(reported(pr.CLAIM_GPT5_GPUS) * price / 1e9)
    assert published["gpt5_implied_price_per_gpu_usd"] == pytest.approx(
        reported(pr.CLAIM_GPT5_VALUE) * 1e9 / reported(pr.CLAIM_GPT5_GPUS)
    )
    assert published["gpt5_implied_price_multiple"] * price == pytest.approx(
        published["gpt5_implied_price_per_gpu_usd"]
    )
    # the other reading: 50,000 GPUs at the USD 30,000 the documents table gives for an H100 in 2023
    assert published["h100_price_usd"] == 30_000
    assert published["gpt5_gpu_value_usd_b__h100"] == pytest.approx(1.5)
    start, end = reported(pr.CLAIM_FIRST_PRICE), reported(pr.CLAIM_GPT4_NOW)
    years = reported(pr.CLAIM_FALL_YEARS)
    assert published["price_fall_factor"] == pytest.approx(start / end)
    assert end * published["price_annual_fall_factor"] ** years == pytest.approx(start)
    assert published["words_per_token"] == pytest.approx(reported(pr.CLAIM_WORDS) / 1e6)
    assert published["r1_total_parameters_b"] * 1e9 == snapshot.training_metric(
        "DeepSeek-V3", "total_parameters"
    )
    assert published["r1_active_over_qwq"] == pytest.approx(
        published["r1_active_parameters_b"] / reported(pr.CLAIM_QWQ_PARAMETERS)
    )


def test_verdicts_under_the_published_parameters() -> None:
    outcome = verdicts(resolve("pricing"))
    assert outcome[pr.CLAIM_DISCOUNT] == Verdict.HOLDS
    assert outcome[pr.CLAIM_OUTPUT_RATIO] == Verdict.HOLDS
    assert outcome[pr.CLAIM_GPT4_VALUE] == Verdict.HOLDS
    assert outcome[pr.CLAIM_GPT5_VALUE] == Verdict.CONTRADICTED
    assert outcome[pr.CLAIM_R1_PARAMETERS] == Verdict.HOLDS
    # The printed prices, judged against the documents table's price lists.
    assert outcome[pr.CLAIM_CACHED_DEEPSEEK] == outcome[pr.CLAIM_CACHED_OPENAI] == Verdict.HOLDS
    assert outcome[pr.CLAIM_OUTPUT_DEEPSEEK] == Verdict.CONTRADICTED  # 1.4 cents is not an output price
    assert outcome[pr.CLAIM_GPT4_NOW] == Verdict.CONTRADICTED
    assert outcome[pr.CLAIM_FIRST_PRICE] == Verdict.HOLDS
    assert outcome[pr.CLAIM_WORDS] == Verdict.ROUNDING
    assert outcome[pr.CLAIM_GPU_PRICE] == outcome[pr.CLAIM_GPT4_GPUS] == Verdict.HOLDS
    assert outcome[pr.CLAIM_QWQ_PARAMETERS] == Verdict.ROUNDING  # 32.5 billion, named 32B
    assert outcome[pr.CLAIM_COST_RATIO] == Verdict.ROUNDING  # 1/54 read as a user's cost, seed 002's prices
    assert outcome[pr.CLAIM_FALL_YEARS] == Verdict.HOLDS  # 1.9 years from GPT-4's launch to the article
    for claim_id in (pr.CLAIM_DOUBAO, pr.CLAIM_OUTPUT_META, pr.CLAIM_GPT5_GPUS):
        assert outcome[claim_id] == Verdict.NOT_CHECKABLE


# --- parameters ------------------------------------------------------------------------------------------


def test_given_prices_replace_only_the_chosen_comparison() -> None:
    params = resolve(
        "pricing", ["price_tier=output", "deepseek_usd_per_m_tokens=1", "comparison_label=Model X"]
    )
    values = {key: value for key, (value, _) in pr.chapter_values(params).items()}
    meta = reported(pr.CLAIM_OUTPUT_META)
    assert values["output_deepseek_usd"] == 1 and values["output_comparison_usd"] == meta
    assert values["output_price_ratio"] == pytest.approx(1 / meta)
    assert values["printed_output_deepseek_usd"] == reported(pr.CLAIM_OUTPUT_DEEPSEEK)
    assert values["cached_input_deepseek_usd"] == reported(pr.CLAIM_CACHED_DEEPSEEK)
    assert values["selected_deepseek_usd"] == 1 and values["selected_prices_given"] == 1
    labels = pr.chapter_labels(params)
    assert labels["selected_comparison_label"] == "Model X"
    assert labels["selected_prices_source"] == "DeepSeek's given as a parameter, the other as printed"


def test_prices_far_from_the_printed_ones_contradict_the_claim() -> None:
    openai = reported(pr.CLAIM_CACHED_OPENAI)
    params = resolve("pricing", [f"deepseek_usd_per_m_tokens={openai / 10}"])  # 90% cheaper, not 98%
    assert verdicts(params)[pr.CLAIM_DISCOUNT] == Verdict.CONTRADICTED
    assert verdicts(params)[pr.CLAIM_OUTPUT_RATIO] == Verdict.HOLDS  # the other comparison is untouched


def test_source_text_says_where_the_prices_come_from() -> None:
    assert pr.selected_comparison(resolve("pricing")).source_text() == "both as printed in seed article 002"
    both = resolve("pricing", ["deepseek_usd_per_m_tokens=1", "comparison_usd_per_m_tokens=2"])
    assert pr.selected_comparison(both).source_text() == "both given as parameters"
    other = resolve("pricing", ["comparison_usd_per_m_tokens=2"])
    assert (
        pr.selected_comparison(other).source_text()
        == "the compared model's given as a parameter, the other as printed"
    )


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("deepseek_usd_per_m_tokens=0", "deepseek_usd_per_m_tokens: input should be greater than 0"),
        ("deepseek_usd_per_m_tokens=-0.5", "deepseek_usd_per_m_tokens: input should be greater than 0"),
        ("comparison_usd_per_m_tokens=.inf", "comparison_usd_per_m_tokens: input should be a finite number"),
        ("comparison_usd_per_m_tokens=.nan", "comparison_usd_per_m_tokens: input should be a finite number"),
        ("comparison_usd_per_m_tokens=20000", "input should be less than or equal to 10000"),
        ("deepseek_usd_per_m_tokens=cheap", "deepseek_usd_per_m_tokens: input should be a valid number"),
        ("price_tier=input", "price_tier: input should be 'cached_input' or 'output'"),
        ("comparison_label=" + "x" * 61, "comparison_label: string should have at most 60 characters"),
        ("currency=EUR", "unknown parameter 'currency' for pricing"),
    ],
)  # fmt: skip
def test_bad_parameters_are_one_clear_line(override: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        resolve("pricing", [override])
    assert str(caught.value).startswith("--set: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("override", ["deepseek_usd_per_m_tokens=0", "comparison_usd_per_m_tokens=.inf"])
def test_cli_refuses_bad_prices_and_writes_nothing(project: Path, capsys, override: str) -> None:
    assert main(["run", "pricing", "--set", override]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("deepseek-shock: error: --set: ")
    assert override.split("=")[0] in err
    assert not (project / "_build").exists()


def test_sweeps_reach_the_chapter_without_a_kernel() -> None:
    assert computations()["pricing"] is pr.chapter_values


# --- tables and chart ------------------------------------------------------------------------------------


def test_price_table_has_the_printed_pairs_and_your_prices_when_given() -> None:
    table = pf.price_table(resolve("pricing"))
    assert list(table["comparison"]) == ["Seed 002 (cached input)", "Seed 001 (output)"]
    assert list(table["printed"]) == [
        f"{reported(pr.CLAIM_DISCOUNT):g}% cheaper",
        f"1/{1 / reported(pr.CLAIM_OUTPUT_RATIO):g}",
    ]
    given_prices = pf.price_table(resolve("pricing", ["comparison_usd_per_m_tokens=28"]))
    assert len(given_prices) == 3 and given_prices["other_usd"].iloc[-1] == 28
    assert pf.styled_price_table(resolve("pricing")).to_html().count("<tr") == 3


def test_gpu_table_multiplies_the_printed_counts_by_the_printed_price() -> None:
    table = pf.gpu_table()
    price = reported(pr.CLAIM_GPU_PRICE)
    assert list(table["computed_usd_m"]) == pytest.approx(list(table["gpus"] * price / 1e6))
    assert list(table["implied_usd_per_gpu"]) == pytest.approx(
        list(table["printed_usd_m"] * 1e6 / table["gpus"])
    )
    assert "GPT-5" in pf.styled_gpu_table().to_html()


def test_chart_is_logarithmic_with_a_slider_at_the_price_in_use() -> None:
    params = resolve("pricing", ["price_tier=output"])
    spec = pf.price_chart(params).to_dict()
    text = json.dumps(spec)
    assert '"type": "log"' in text
    (slider,) = spec["params"]
    assert slider["name"] == pf.SLIDER_PARAM
    assert slider["value"] == reported(pr.CLAIM_OUTPUT_DEEPSEEK)
    assert slider["bind"]["max"] == reported(pr.CLAIM_OUTPUT_META)
    assert "'At USD '" in text  # the readout the site's slider tests look for
    rows = [row for rows in spec["datasets"].values() for row in rows if "usd_per_m_tokens" in row]
    assert len(rows) == 6  # two printed pairs and Kass's two prices


def test_chart_gains_a_row_for_your_prices_and_is_described() -> None:
    params = resolve("pricing", ["deepseek_usd_per_m_tokens=0.5", "comparison_label=Model X"])
    points, pairs = pf.chart_rows(params)
    assert len(points) == 8 and pairs["comparison"].iloc[-1] == "Your prices: DeepSeek vs Model X"
    description = pf.price_chart_description(params)
    assert "logarithmic" in description and "Model X at USD 7.50" in description
    html = chart_html(pf.price_chart(params), "pricing-token-prices", description)
    assert 'id="fig-pricing-token-prices"' in html


def test_slider_readout_escapes_the_model_name() -> None:
    expression = pf.slider_readout_expression(2.5, "Bob's model")
    assert "Bob\\'s model" in expression and "2.5" in expression


# --- the notebook ----------------------------------------------------------------------------------------


def notebook() -> dict:
    return json.loads((project_root() / "notebooks" / "pricing.ipynb").read_text(encoding="utf-8"))


def test_notebook_parameters_cell_holds_every_schema_field() -> None:
    cells = notebook()["cells"]
    (parameters,) = [cell for cell in cells if "parameters" in cell["metadata"].get("tags", [])]
    assert "remove-cell" in parameters["metadata"]["tags"]
    names = re.findall(r"^(\w+) =", "".join(parameters["source"]), flags=re.M)
    assert names == list(PricingParams.model_fields)


def test_every_glued_key_in_the_prose_is_recorded() -> None:
    params = resolve("pricing")
    values = pr.chapter_values(params)
    shown = pricing_claims()
    results = {key: value for key, (value, _) in values.items()}
    recorded = {*values, *pr.chapter_labels(params), *verdict_labels(shown, results), "claims_shown"}
    recorded |= {f"claims_{verdict.value.replace('-', '_')}" for verdict in Verdict}
    prose = "".join(
        "".join(cell["source"]) for cell in notebook()["cells"] if cell["cell_type"] == "markdown"
    )
    glued = set(re.findall(r"\{glue:text\}`([a-z0-9_-]+)", prose))
    assert glued and glued <= recorded, glued - recorded
    assert "$" not in prose  # no dollar signs: MyST would read them as maths


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.014, "USD per million tokens", "USD 0.014 per million tokens"),
        (7.5, "USD per million tokens", "USD 7.5 per million tokens"),
        (10_000, "USD per GPU", "USD 10,000 per GPU"),
        (700_000, "words", "700,000 words"),
        (671, "billion parameters", "671 billion parameters"),
    ],
)
def test_the_chapters_units_read_well_on_the_claim_cards(value: float, unit: str, text: str) -> None:
    assert wording.quantity_text(value, unit) == text


def test_listed_prices_give_the_comparisons_other_readings() -> None:
    """R1 lists USD 2.19 per million output tokens, o1 USD 60; DeepSeek-V3's introductory output price was
    USD 0.28, against the USD 2.80 seed 001 printed for Meta."""
    values = {key: value for key, (value, _) in pr.listed_price_values().items()}
    assert values["cached_input_discount_pct__output-tier"] == pytest.approx(100 * (1 - 2.19 / 60))
    assert values["output_price_ratio__documented-price"] == pytest.approx(0.28 / 2.8)
    assert (values["listed_gpt4_launch_output_usd"], values["listed_gpt4o_input_usd"]) == (60.0, 2.5)
    assert pr.listed_price("deepseek-api-price-r1", 1) == 0.14
    with pytest.raises(UserError, match="document 'openai-o1-price': no figure 4 among the 3 it lists"):
        pr.listed_price("openai-o1-price", 4)


def test_listed_members_match_the_start_of_a_name() -> None:
    members = pd.DataFrame({"ticker": ["ADBE", "ACN"], "name": ["Adobe Inc.", "Accenture"]})
    assert listings.listed_members(["Canva", "adobe", "GitLab"], members) == ["Adobe Inc."]


def test_one_of_the_named_application_companies_was_already_in_the_sp500() -> None:
    """The 27 December 2024 list has ADBE, Adobe Inc.; neither Canva nor GitLab is a member."""
    members = listings.member_list(listings.LIST_BEFORE)
    assert members["list_as_of"].iloc[0] == pd.Timestamp("2024-12-27") and len(members) == 503
    values = listings.listing_values()
    assert values["named_apps_listed_count"] == (1, "companies")
    assert values["named_apps_listed"][0] == "Adobe Inc."
    with pytest.raises(UserError, match="sp500_constituents: no member list on or before 2020-01-01"):
        listings.member_list("2020-01-01")


def test_incident_days_count_each_day_once_within_the_window() -> None:
    from datetime import date

    from deepseek_shock.chapters.pricing.status import days_within, status_values

    days = [date(2025, 1, 14), date(2025, 1, 26), date(2025, 1, 27), date(2025, 1, 27)]
    assert days_within(days, date(2025, 1, 26), date(2025, 1, 27)) == 2
    assert days_within(days, date(2025, 1, 10), date(2025, 1, 26)) == 2
    assert days_within(days, date(2025, 1, 28), date(2025, 1, 31)) == 0
    values = status_values()
    assert values["deepseek_surge_day"] == ("2025-01-26", "date")
    assert values["deepseek_incident_days"] == (2, "days")  # 26 and 27 January; 14 January is before


def test_the_price_fall_is_dated_from_gpt4s_launch_to_the_article_or_to_gpt4os_price() -> None:
    from datetime import date

    from deepseek_shock.chapters.pricing.prices import price_fall_values

    launch = date(2023, 3, 14)  # GPT-4's launch price list
    values = price_fall_values()
    to_article = (date(2025, 2, 11) - launch).days / 365.25  # seed 001's day
    to_gpt4o = (date(2024, 8, 6) - launch).days / 365.25  # GPT-4o's USD 2.50 took effect
    assert values["documented_fall_years"][0] == pytest.approx(to_article)
    assert values["documented_fall_years__price-date"][0] == pytest.approx(to_gpt4o)
