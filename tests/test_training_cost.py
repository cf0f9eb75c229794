"""DeepSeek-V3's training-cost arithmetic: synthetic numbers, the report's own Table 1, and the chart."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepseek_shock.chapters.training_cost import company
from deepseek_shock.chapters.training_cost import cost as tc
from deepseek_shock.chapters.training_cost import figures as tf
from deepseek_shock.chapters.training_cost.params import TrainingCostParams
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

hours = st.floats(min_value=1, max_value=1e9, allow_nan=False, allow_infinity=False)
prices = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)
factors = st.floats(min_value=0.01, max_value=100, allow_nan=False, allow_infinity=False)


@pytest.fixture(scope="module")
def table1() -> tc.Breakdown:
    return tc.breakdown_from_snapshot(TrainingCostParams())


def v3(metric: str) -> float:
    return snapshot.training_metric("DeepSeek-V3", metric)


# --- synthetic numbers -----------------------------------------------------------------------------


def test_total_and_costs_of_a_small_breakdown() -> None:
    breakdown = tc.Breakdown(pretraining=100, context_extension=20, post_training=5)
    assert breakdown.total == 125
    assert tc.stage_costs(breakdown, 2) == {"pretraining": 200, "context_extension": 40, "post_training": 10}
    assert tc.training_cost(breakdown, 2) == 250
    assert tc.implied_price(250, 125) == 2
    assert tc.compute_ratio(500, 125) == 4
    assert tc.wall_clock_days(48, 2) == 1


def test_cost_table_lists_stages_then_the_total() -> None:
    table = tc.cost_table(tc.Breakdown(100, 20, 5), 2)
    assert list(table["stage"]) == ["Pre-training", "Context extension", "Post-training", "Total"]
    assert list(table["h800_gpu_hours"]) == [100, 20, 5, 125]
    assert list(table["cost_usd_m"]) == pytest.approx([200e-6, 40e-6, 10e-6, 250e-6])


@given(pre=hours, ctx=hours, post=hours, price=prices)
def test_stage_costs_sum_to_the_total(pre: float, ctx: float, post: float, price: float) -> None:
    breakdown = tc.Breakdown(pre, ctx, post)
    assert sum(tc.stage_costs(breakdown, price).values()) == pytest.approx(tc.training_cost(breakdown, price))


@given(pre=hours, ctx=hours, post=hours, price=prices, k=factors)
def test_cost_is_linear_in_price_and_in_hours(
    pre: float, ctx: float, post: float, price: float, k: float
) -> None:
    breakdown = tc.Breakdown(pre, ctx, post)
    scaled = tc.Breakdown(pre * k, ctx * k, post * k)
    cost = tc.training_cost(breakdown, price)
    assert tc.training_cost(breakdown, price * k) == pytest.approx(k * cost)
    assert tc.training_cost(scaled, price) == pytest.approx(k * cost)


@given(pre=hours, ctx=hours, post=hours, price=prices)
def test_implied_price_inverts_training_cost(pre: float, ctx: float, post: float, price: float) -> None:
    breakdown = tc.Breakdown(pre, ctx, post)
    assert tc.implied_price(tc.training_cost(breakdown, price), breakdown.total) == pytest.approx(price)


@given(other=hours, ours=hours, price=prices)
def test_cost_ratio_at_equal_price_is_the_compute_ratio(other: float, ours: float, price: float) -> None:
    assert tc.cost_ratio_equal_price(other, ours, price) == pytest.approx(tc.compute_ratio(other, ours))


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, "two"])
def test_guards_reject_non_positive_inputs(bad: object) -> None:
    breakdown = tc.Breakdown(100, 20, 5)
    with pytest.raises(UserError, match="price_per_gpu_hour: expected a positive number"):
        tc.training_cost(breakdown, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="pretraining_gpu_hours: expected a positive number"):
        tc.Breakdown(bad, 20, 5)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="post_training_gpu_hours"):
        tc.Breakdown(100, 20, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="gpu_hours: expected a positive number"):
        tc.implied_price(100, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="cost_usd"):
        tc.implied_price(bad, 100)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="gpu_hours"):
        tc.compute_ratio(100, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="gpus"):
        tc.wall_clock_days(100, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="total_parameters"):
        tc.activated_share(1, bad)  # type: ignore[arg-type]


def test_breakdown_is_frozen() -> None:
    breakdown = tc.Breakdown(100, 20, 5)
    with pytest.raises(AttributeError):
        breakdown.pretraining = 1  # type: ignore[misc]


def test_price_grid_spans_the_range_in_steps_and_stays_small() -> None:
    grid = tf.price_grid(0.5, 6.0)
    assert len(grid) == 111
    assert grid[0] == 0.5 and grid[-1] == 6.0
    assert grid[1] - grid[0] == pytest.approx(0.05)
    assert len(tf.price_grid(0.5, 1000)) == tf.MAX_CURVE_POINTS
    with pytest.raises(UserError, match=r"price_grid_min \(6.0\) must be below price_grid_max \(6.0\)"):
        tf.price_grid(6, 6)


def test_cost_curve_is_total_cost_in_millions() -> None:
    curve = tf.cost_curve(tc.Breakdown(1e6, 1e5, 1e4), [1.0, 2.0])
    assert list(curve.columns) == ["price_usd_per_gpu_hour", "cost_usd_m"]
    assert list(curve["cost_usd_m"]) == pytest.approx([1.11, 2.22])


# --- the report's own Table 1 (from the snapshot) --------------------------------------------------


def test_table1_stages_add_up_to_the_reported_total(table1: tc.Breakdown) -> None:
    assert table1.by_stage() == {
        "pretraining": 2_664_000,
        "context_extension": 119_000,
        "post_training": 5_000,
    }
    assert table1.total == v3("total_training_gpu_hours") == 2_788_000


def test_table1_costs_reproduce_the_reported_dollars(table1: tc.Breakdown) -> None:
    price = tc.price_per_gpu_hour(TrainingCostParams())
    assert price == v3("assumed_rental_price") == 2
    assert tc.training_cost(table1, price) == pytest.approx(v3("total_training_cost"))
    assert tc.training_cost(table1, price) == pytest.approx(5_576_000)
    costs = tc.stage_costs(table1, price)
    for stage in tc.STAGES:
        assert costs[stage] == pytest.approx(v3(f"{stage}_cost")), stage
    assert tc.implied_price(v3("total_training_cost"), v3("total_training_gpu_hours")) == pytest.approx(2)


def test_parameters_override_the_snapshot() -> None:
    params = TrainingCostParams(
        price_per_gpu_hour=3.5, post_training_gpu_hours=1_000, comparison_gpu_hours=5e6
    )
    breakdown = tc.breakdown_from_snapshot(params)
    assert breakdown.by_stage() == {
        "pretraining": 2_664_000,
        "context_extension": 119_000,
        "post_training": 1_000,
    }
    assert tc.price_per_gpu_hour(params) == 3.5
    assert tc.comparison_gpu_hours(params) == 5e6


def test_wall_clock_days_matches_the_reports_own_example() -> None:
    # "180K H800 GPU hours, i.e., 3.7 days on our cluster with 2048 H800 GPUs"
    days = tc.wall_clock_days(v3("gpu_hours_per_trillion_tokens"), tc.cluster_size())
    assert round(days, 1) == 3.7
    assert tc.wall_clock_days(2_788_000, 2_048) == pytest.approx(2_788_000 / 2_048 / 24)


def test_llama_comparison_from_the_model_card(table1: tc.Breakdown) -> None:
    llama = tc.comparison_gpu_hours(TrainingCostParams())
    assert llama == 30_840_000
    assert tc.compute_ratio(llama, table1.total) == pytest.approx(30.84 / 2.788)
    smaller = tc.comparison_gpu_hours(TrainingCostParams(comparison_model="Llama 3.1 70B"))
    assert smaller == 7_000_000


def test_unknown_comparison_model_names_the_parameter() -> None:
    with pytest.raises(UserError, match=r"comparison_model 'GPT-5'.*Llama 3.1 405B"):
        tc.comparison_gpu_hours(TrainingCostParams(comparison_model="GPT-5"))


def test_activated_share_from_the_abstract() -> None:
    share = tc.activated_share(v3("activated_parameters_per_token"), v3("total_parameters"))
    assert share == pytest.approx(37 / 671)


def test_report_quote_states_what_the_cost_excludes() -> None:
    quote = tc.report_quote("total_training_cost")
    assert "excluding the costs associated with prior research and ablation experiments" in quote
    assert not quote.startswith('"')
    assert "<blockquote" in tf.report_quote_html("total_training_cost")
    with pytest.raises(UserError, match="no quote for DeepSeek-V3 metric 'nonsense'"):
        tc.report_quote("nonsense")


# --- the chart ---------------------------------------------------------------------------------------


def evaluate(expression: str, price: float) -> float:
    """A Vega arithmetic expression evaluated in Python with the slider at ``price``."""
    substituted = re.sub(rf"\b{tf.SLIDER_PARAM}\b", repr(price), expression)
    assert re.fullmatch(r"[0-9.e+\-*/ ()]+", substituted), substituted
    return eval(substituted, {"__builtins__": {}})  # digits and operators only, checked above


def chart_spec(params: TrainingCostParams) -> tuple[tc.Breakdown, dict]:
    breakdown = tc.breakdown_from_snapshot(params)
    chart = tf.cost_vs_price_chart(breakdown, params, tc.reported_price_per_gpu_hour())
    return breakdown, chart.to_dict()


def calculations(spec: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for layer in spec["layer"]:
        for step in layer.get("transform", []):
            if "calculate" in step:
                found.setdefault(step["as"], step["calculate"])
    return found


@pytest.mark.parametrize("price", [None, 3.5, 0.8])
def test_slider_starts_at_the_price_in_use_and_computes_the_library_cost(price: float | None) -> None:
    params = TrainingCostParams(price_per_gpu_hour=price)
    breakdown, spec = chart_spec(params)
    in_use = tc.price_per_gpu_hour(params)
    (slider,) = [p for p in spec["params"] if p["name"] == "price"]
    assert slider["value"] == in_use
    assert slider["bind"]["input"] == "range"
    assert (slider["bind"]["min"], slider["bind"]["max"]) == (params.price_grid_min, params.price_grid_max)
    assert slider["bind"]["step"] == 0.05
    assert slider["bind"]["name"].strip()  # the visible label screen readers announce

    expression = calculations(spec)["cost_usd_m"]
    constant = float(re.fullmatch(r"price \* (\S+) / 1000000", expression).group(1))
    assert constant == breakdown.total
    assert evaluate(expression, in_use) == pytest.approx(tc.training_cost(breakdown, in_use) / 1e6)
    assert calculations(spec)["price_usd_per_gpu_hour"] == "price"


def test_chart_data_is_inline_and_small() -> None:
    _, spec = chart_spec(TrainingCostParams())
    rows = sum(len(values) for values in spec.get("datasets", {}).values())
    assert 100 <= rows <= 200
    assert spec["width"] == 560
    assert spec["description"]


def test_chart_widens_its_range_to_show_a_price_outside_the_grid() -> None:
    params = TrainingCostParams(price_per_gpu_hour=9)
    _, spec = chart_spec(params)
    (slider,) = spec["params"]
    assert (slider["bind"]["min"], slider["bind"]["max"], slider["value"]) == (0.5, 9, 9)


# --- what the chapter publishes ------------------------------------------------------------------------


def test_chapter_values_cover_every_result_the_chapters_claims_need() -> None:
    from deepseek_shock.claims.registry import claims_for

    values = tc.chapter_values(TrainingCostParams())
    needed = {claim.result for claim in claims_for("training_cost") if claim.result is not None}
    assert needed <= set(values)
    assert values["total_cost_usd"] == (5_576_000, "USD")
    assert values["total_cost_usd_m"][0] == pytest.approx(5.576)
    assert values["comparison_cost_usd_m_equal_price"][0] == pytest.approx(30.84 * 2)
    assert values["cost_ratio_equal_price"][0] == pytest.approx(values["compute_ratio"][0])
    assert values["wall_clock_days"][0] == pytest.approx(2_788_000 / 2_048 / 24)
    assert values["activated_share_percent"] == (pytest.approx(100 * 37 / 671), "percent")
    stage_sum = sum(values[f"{stage}_cost_usd_m"][0] for stage in tc.STAGES)
    assert stage_sum == pytest.approx(values["total_cost_usd_m"][0])


def test_chapter_values_follow_the_price_parameter() -> None:
    values = tc.chapter_values(TrainingCostParams(price_per_gpu_hour=3.5))
    assert values["total_cost_usd"][0] == pytest.approx(2_788_000 * 3.5)
    assert values["implied_price_per_gpu_hour"][0] == pytest.approx(2)  # the report's own rate, unchanged


def test_styled_cost_table_formats_the_figures() -> None:
    page = tf.styled_cost_table(tc.Breakdown(2_664_000, 119_000, 5_000), 2).to_html()
    assert "2,788,000" in page and "5.576" in page and "0.010" in page
    assert "Training cost by stage at USD 2.00 per H800 GPU-hour" in page


# --- DeepSeek's age, and the comparison under its other readings --------------------------------------


def test_years_between_counts_days_over_365_25() -> None:
    assert company.years_between("2023-07-17", "2025-02-03") == pytest.approx(567 / 365.25)
    assert company.years_between("2024-01-01", "2025-01-01") == pytest.approx(366 / 365.25)
    with pytest.raises(UserError, match="expected full dates, YYYY-MM-DD"):
        company.years_between("2023-07", "2025-02-03")


def test_the_founding_date_is_the_most_precise_a_source_gives() -> None:
    # The documents table dates the founding to July 2023 (one source) and 17 July 2023 (another).
    assert company.most_precise_date("deepseek-founding") == "2023-07-17"
    values = company.company_values()
    assert values["deepseek_age_at_seed_000_years"][0] == pytest.approx(567 / 365.25)  # to 3 Feb 2025
    assert values["deepseek_age_at_seed_004_years"][0] == pytest.approx(560 / 365.25)  # to 27 Jan 2025
    with pytest.raises(UserError, match="document 'solactive-us-small-cap': no row states a date"):
        company.most_precise_date("solactive-us-small-cap")


def test_the_llama_comparison_under_its_other_readings() -> None:
    """Llama 3.1's model card: 39.3M GPU-hours for the family, 30.84M for 405B; DeepSeek-V3: 2.788M in
    all, 2.664M of pre-training."""
    values = tc.chapter_values(TrainingCostParams())
    assert values["cost_ratio_equal_price__model-family"][0] == pytest.approx(39.3 / 2.788)
    assert values["cost_ratio_equal_price__pretraining-only"][0] == pytest.approx(30.84 / 2.664)


def test_hours_beyond_the_stages_are_what_the_total_does_not_account_for() -> None:
    from deepseek_shock.chapters.training_cost.cost import hours_beyond_stages, report_hours_beyond_final_run

    assert hours_beyond_stages(10.0, {"a": 6.0, "b": 3.0}) == 1.0
    assert hours_beyond_stages(9.0, {"a": 6.0, "b": 3.0}) == 0.0
    assert report_hours_beyond_final_run() == 0.0  # Table 1: 2,788K = 2,664K + 119K + 5K
