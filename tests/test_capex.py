"""Hyperscaler capex: intensity arithmetic, the 24% cut, the chipmaker figures, parameters and charts."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepseek_shock.chapters.capex_cut import figures as cf
from deepseek_shock.chapters.capex_cut import filings
from deepseek_shock.chapters.capex_cut import intensity as capex
from deepseek_shock.chapters.capex_cut.params import CapexCutParams
from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.claims import registry
from deepseek_shock.claims.evidence import reproduced
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.cli import main
from deepseek_shock.data.snapshot import load_table
from deepseek_shock.errors import UserError

intensities = st.floats(min_value=0.5, max_value=99, allow_nan=False, allow_infinity=False)
cuts = st.floats(min_value=-200, max_value=95, allow_nan=False, allow_infinity=False)
growths = st.floats(min_value=-50, max_value=100, allow_nan=False, allow_infinity=False)


@pytest.fixture(scope="module")
def values() -> dict[str, float | int | str]:
    """The chapter's published values, value only."""
    return {key: value for key, (value, _) in capex.chapter_values(resolve("capex_cut")).items()}


def small_frame() -> pd.DataFrame:
    """Two companies, two years: A spends 10 of 100 then 30 of 100; B spends 1 of 10 then 1 of 5."""
    return pd.DataFrame(
        {
            "ticker": ["A", "A", "B", "B"],
            "company": ["Alpha", "Alpha", "Beta", "Beta"],
            "fiscal_year": [2015, 2016, 2015, 2016],
            "revenue_usd_bn": [100.0, 100.0, 10.0, 5.0],
            "capex_usd_bn": [10.0, 30.0, 1.0, 1.0],
        }
    )


# --- arithmetic on synthetic numbers -----------------------------------------------------------------


def test_pooled_and_simple_average_intensity_differ_as_defined() -> None:
    yearly = capex.by_year(small_frame())
    assert list(yearly["pooled_pct"]) == pytest.approx([100 * 11 / 110, 100 * 31 / 105])
    assert list(yearly["average_pct"]) == pytest.approx([10, (30 + 20) / 2])
    frame = small_frame()
    assert capex.window_intensity_pct(frame, 2015, 2016, "pooled") == pytest.approx(100 * 42 / 215)
    assert capex.window_intensity_pct(frame, 2015, 2016, "average") == pytest.approx((10 + 30 + 10 + 20) / 4)
    assert capex.window_intensity_pct(frame, 2016, 2016, "average") == pytest.approx(25)


def test_window_intensity_refuses_a_reversed_or_empty_window_and_unknown_definition() -> None:
    with pytest.raises(UserError, match=r"end \(2015\) is before start \(2016\)"):
        capex.window_intensity_pct(small_frame(), 2016, 2015, "pooled")
    with pytest.raises(UserError, match="no fiscal years in the data"):
        capex.window_intensity_pct(small_frame(), 2030, 2031, "pooled")
    with pytest.raises(UserError, match="intensity_definition 'median'"):
        capex.window_intensity_pct(small_frame(), 2015, 2016, "median")


def test_cut_arithmetic_on_round_numbers() -> None:
    assert capex.implied_cut_pct(10, 20) == pytest.approx(50)
    assert capex.implied_cut_pct(12, 10) == pytest.approx(-20)  # capex would rise
    assert capex.breakeven_base_pct(10, 50) == pytest.approx(20)
    assert capex.breakeven_base_pct(7.6, 24) == pytest.approx(10)
    assert capex.compound_growth_pct(100, 121, 2) == pytest.approx(10)
    assert capex.grown(100, 10, 2) == pytest.approx(121)
    assert capex.intensity_pct(15, 150) == pytest.approx(10)


@given(reference=intensities, cut=cuts)
def test_breakeven_base_inverts_the_cut(reference: float, cut: float) -> None:
    base = capex.breakeven_base_pct(reference, cut)
    assert capex.implied_cut_pct(reference, base) == pytest.approx(cut, abs=1e-9)


@given(first=st.floats(min_value=1, max_value=1e4), growth=growths, years=st.integers(1, 10))
def test_compound_growth_inverts_growing(first: float, growth: float, years: int) -> None:
    assert capex.compound_growth_pct(first, capex.grown(first, growth, years), years) == pytest.approx(
        growth, abs=1e-9
    )


@given(revenue_growth=growths, factor=st.floats(min_value=0.2, max_value=5), years=st.integers(1, 10))
def test_capex_growth_for_a_factor_scales_intensity_by_it(
    revenue_growth: float, factor: float, years: int
) -> None:
    capex_growth = capex.capex_growth_for_factor_pct(revenue_growth, factor, years)
    ratio = capex.grown(1, capex_growth, years) / capex.grown(1, revenue_growth, years)
    assert ratio == pytest.approx(factor)


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, "ten"])
def test_guards_reject_bad_inputs(bad: object) -> None:
    with pytest.raises(UserError, match="base intensity"):
        capex.implied_cut_pct(10, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="reference intensity"):
        capex.breakeven_base_pct(bad, 24)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="revenue at risk"):
        capex.chip_base_cumulative_usd_bn(bad, 7)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="revenue"):
        capex.intensity_pct(1, bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="expected less than 100 percent"):
        capex.breakeven_base_pct(10, 100)
    with pytest.raises(UserError, match="more than -100 percent"):
        capex.grown(1, -100, 2)


@given(
    at_risk=st.floats(min_value=1, max_value=1000),
    growth=st.floats(min_value=5, max_value=60),
    points=st.floats(min_value=0.5, max_value=5),
    years=st.integers(1, 6),
)
def test_chip_base_makes_the_at_risk_sum_equal_the_points(
    at_risk: float, growth: float, points: float, years: int
) -> None:
    base = capex.chip_base_annual_usd_bn(at_risk, growth, points, years)
    lower = capex.grown(base, growth, years) - at_risk
    assert capex.compound_growth_pct(base, lower, years) == pytest.approx(growth - points)
    whole = capex.chip_base_cumulative_usd_bn(at_risk, points)
    assert whole * points / 100 == pytest.approx(at_risk)
    assert capex.chip_base_annual_usd_bn(at_risk, growth, points, 1) == pytest.approx(whole)


def test_chip_readings_table_rows() -> None:
    table = capex.chip_readings(37.5, 27, 7, [2024, 2027])
    assert list(table["start_year"].iloc[:2]) == [2024, 2027]
    assert table["start_usd_bn"].iloc[0] == pytest.approx(37.5 / (1.27**4 - 1.20**4))
    assert table["start_usd_bn"].iloc[-1] == pytest.approx(37.5 / 0.07)
    assert table["at_risk_pct"].iloc[-1] == pytest.approx(100 * 37.5 / (37.5 / 0.07 * 1.27))


def test_amounts_are_read_from_snapshot_notes() -> None:
    note = "excludes ... (supplemental non-cash disclosure: 4,717 USD m; 2021-2023 figure is net)"
    assert filings.amount_in_note(note, filings.LEASE_NOTE_RE) == pytest.approx(4.717)
    assert filings.amount_in_note("figure not collected for this year", filings.LEASE_NOTE_RE) is None
    assert filings.names_text(["A"]) == "A"
    assert filings.names_text(["A", "B", "C"]) == "A, B and C"


# --- the snapshot's figures --------------------------------------------------------------------------


def test_financials_are_the_snapshot_in_usd_billions() -> None:
    raw = load_table("hyperscaler_financials")
    frame = filings.financials()
    assert len(frame) == len(raw) == 60
    assert frame["capex_usd_bn"].sum() == pytest.approx(raw["capex_usd"].sum() / 1e9)
    amazon = frame[frame["ticker"] == "AMZN"].set_index("fiscal_year")
    assert amazon.loc[2015:2019, "finance_lease_usd_bn"].tolist() == pytest.approx(
        [4.717, 5.704, 9.637, 10.615, 13.723]
    )
    assert math.isnan(amazon.loc[2024, "finance_lease_usd_bn"])
    assert amazon.loc[2024, "proceeds_usd_bn"] == pytest.approx(5.341)
    assert frame.loc[frame["ticker"] != "AMZN", "finance_lease_usd_bn"].isna().all()
    assert filings.known_tickers() == ("AAPL", "AMZN", "GOOGL", "META", "MSFT", "ORCL")
    assert filings.fiscal_years(["MSFT", "META"]) == list(range(2015, 2025))


def test_reference_and_latest_intensity_from_raw_sums(values: dict) -> None:
    raw = load_table("hyperscaler_financials")
    four = raw[raw["ticker"].isin(filings.HYPERSCALERS)]
    window = four[four["fiscal_year"].between(2015, 2019)]
    latest = four[four["fiscal_year"] == 2024]
    assert values["reference_pooled_pct"] == pytest.approx(
        100 * window["capex_usd"].sum() / window["revenue_usd"].sum()
    )
    assert values["reference_average_pct"] == pytest.approx(
        100 * (window["capex_usd"] / window["revenue_usd"]).mean()
    )
    assert values["latest_pooled_pct"] == pytest.approx(
        100 * latest["capex_usd"].sum() / latest["revenue_usd"].sum()
    )
    assert values["latest_average_pct"] == pytest.approx(
        100 * (latest["capex_usd"] / latest["revenue_usd"]).mean()
    )


def test_default_base_carries_the_latest_intensity_forward(values: dict) -> None:
    assert values["base_pooled_pct"] == pytest.approx(values["latest_pooled_pct"])
    assert values["capex_growth_pct"] == pytest.approx(values["revenue_growth_pct"])
    assert values["base_capex_usd_bn"] / values["base_revenue_usd_bn"] == pytest.approx(
        values["latest_pooled_pct"] / 100
    )
    assert values["capex_cut_pct"] == pytest.approx(
        capex.implied_cut_pct(values["reference_pooled_pct"], values["latest_pooled_pct"])
    )
    assert values["capex_cut_pct"] == values["cut_at_latest_pooled_pct"]
    assert values["revenue_growth_pct"] == pytest.approx(capex.compound_growth_pct(638.919, 1397.6, 5))


def test_breakeven_base_gives_the_reported_cut(values: dict) -> None:
    reported = values["reported_cut_pct"]
    for definition in capex.DEFINITIONS:
        base = values[f"breakeven_{definition}_pct"]
        assert capex.implied_cut_pct(values[f"reference_{definition}_pct"], base) == pytest.approx(reported)
    params = resolve("capex_cut", [f"base_intensity_pct={values['breakeven_pooled_pct']}"])
    at_breakeven = capex.chapter_values(params)
    assert at_breakeven["capex_cut_pct"][0] == pytest.approx(reported)
    assert at_breakeven["capex_growth_pct"][0] == pytest.approx(values["breakeven_capex_growth_pct"])


def test_parameters_move_the_base() -> None:
    given_base = capex.chapter_values(
        resolve("capex_cut", ["base_intensity_pct=20", "revenue_growth_pct=10"])
    )
    assert given_base["base_intensity_pct"][0] == pytest.approx(20)
    assert given_base["base_capex_usd_bn"][0] == pytest.approx(given_base["base_revenue_usd_bn"][0] * 0.2)
    assert given_base["base_revenue_usd_bn"][0] == pytest.approx(1397.6 * 1.1**3)
    faster = capex.chapter_values(resolve("capex_cut", ["revenue_growth_pct=10", "capex_growth_pct=21"]))
    assert faster["base_intensity_pct"][0] == pytest.approx(faster["latest_intensity_pct"][0] * 1.1**3)
    average = capex.chapter_values(resolve("capex_cut", ["intensity_definition=average"]))
    assert average["capex_cut_pct"][0] == pytest.approx(average["capex_cut_average_pct"][0])
    assert average["definition_name"][0] == "simple average"


def test_lease_and_totals_from_the_snapshot(values: dict) -> None:
    assert values["amazon_window_leases_usd_bn"] == pytest.approx(44.396)
    assert values["amazon_window_intensity_with_leases_pct"] > values["amazon_window_intensity_pct"]
    assert values["four_window_intensity_with_amazon_leases_pct"] == pytest.approx(
        100 * (228.203 + 44.396) / 2226.862, rel=1e-4
    )
    raw = load_table("hyperscaler_financials")
    for year in (2023, 2024):
        assert values[f"big_six_capex_{year}_usd_bn"] == pytest.approx(
            raw.loc[raw["fiscal_year"] == year, "capex_usd"].sum() / 1e9
        )
    assert values["amazon_capex_2024_usd_bn"] == pytest.approx(82.999)
    assert values["amazon_capex_2024_net_usd_bn"] == pytest.approx(82.999 - 5.341)
    assert values["msft_guidance_vs_fy2024_ratio"] == pytest.approx(
        values["reported_msft_fy2025_usd_bn"] / 44.477
    )


def test_chip_values_fit_the_arithmetic(values: dict) -> None:
    years = capex.CHIP_END_YEAR - values["chip_start_year"]
    base = values["chip_base_annual_usd_bn"]
    growth, points = values["chip_growth_pct"], values["chip_cut_points"]
    assert base * ((1 + growth / 100) ** years - (1 + (growth - points) / 100) ** years) == pytest.approx(
        values["chip_at_risk_usd_bn"]
    )
    assert values["at_risk_share_of_cut_pct"] == pytest.approx(
        100 * values["chip_at_risk_usd_bn"] / values["capex_cut_usd_bn"]
    )


def test_chapter_values_cover_every_claim_result_and_verdicts_follow(values: dict) -> None:
    shown = registry.claims_for("capex_cut")
    assert {claim.result for claim in shown if claim.result} <= set(values)
    assert {claim.seed for claim in shown} == {"000", "001", "003"}
    verdicts = {claim.id: registry.judged(claim, reproduced(claim, values))[0] for claim in shown}
    assert verdicts["big-six-capex-2023-160b"] is Verdict.HOLDS
    assert verdicts["amazon-capex-2024-83b"] is Verdict.HOLDS
    assert verdicts["big-six-capex-2024-200b"] is Verdict.CONTRADICTED
    assert verdicts["big-six-capex-ate-free-cash-flow"] is Verdict.HOLDS
    assert verdicts["msft-capex-matches-cash-flow"] is Verdict.ROUNDING
    assert verdicts["jpm-capex-cut-24pct"] is Verdict.NOT_CHECKABLE  # its 2027 base is not public
    assert verdicts["chip-revenue-at-risk-37-5b"] is Verdict.NOT_CHECKABLE


def test_tables_show_the_totals() -> None:
    frame = filings.financials()
    big_six = cf.styled_big_six_table(frame).to_html()
    assert "159.8" in big_six and "233.6" in big_six and "Jun 2024" in big_six
    chosen = filings.selected(frame, filings.HYPERSCALERS)
    assert "217.3" in cf.styled_capex_table(chosen).to_html()
    intensity = cf.styled_intensity_table(chosen, 2015, 2019).data
    assert list(intensity["Reference window"]) == ["yes"] * 5 + [""] * 5
    sources = cf.styled_sources_table(frame).data
    assert "Additions to property and equipment" in set(sources["Capex line in the cash-flow statement"])


# --- parameters: bad input is refused before any kernel ---------------------------------------------


def test_companies_are_normalised_from_text_or_a_list() -> None:
    assert resolve("capex_cut", ["companies= msft, googl ,MSFT"]).tickers == ("MSFT", "GOOGL")
    assert CapexCutParams.model_validate({"companies": ["aapl", "orcl"]}).companies == "AAPL,ORCL"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["companies=XYZ,MSFT"], "companies: unknown ticker 'XYZ'"),
        (["companies="], "companies: expected at least one ticker"),
        (["companies=,"], "expected key=value|not a number, string"),
        (["reference_start=2010"], "reference_start: .*expected a fiscal year from 2015 to 2023"),
        (["reference_end=2024"], "reference_end: .*expected a fiscal year from 2015 to 2023"),
        (["reference_start=2019", "reference_end=2016"], "reference_end: .*the window is reversed"),
        (["base_intensity_pct=0"], "base_intensity_pct: input should be greater than 0"),
        (["base_intensity_pct=100"], "base_intensity_pct: input should be less than 100"),
        (["base_year=2024"], "base_year: .*after the latest fiscal year in the data \\(2024\\)"),
        (["intensity_definition=median"], "intensity_definition: input should be 'pooled' or 'average'"),
        (["base_intensity_pct=14", "capex_growth_pct=5"], "capex_growth_pct: .*leave empty"),
        (["chip_start_year=2027"], "chip_start_year: .*from 2015 to 2024"),
    ],
)
def test_bad_parameters_are_one_line(overrides: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        resolve("capex_cut", overrides)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "setting",
    ["companies=NVDA", "companies=", "reference_start=2020", "reference_end=2014", "base_intensity_pct=-1"],
)
def test_cli_refuses_bad_parameters_and_writes_nothing(project: Path, capsys, setting: str) -> None:
    assert main(["run", "capex_cut", "--set", setting]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("deepseek-shock: error: --set: ")
    assert not (project / "_build").exists()


# --- charts --------------------------------------------------------------------------------------------


def evaluate(expression: str, base: float) -> float:
    """A Vega arithmetic expression evaluated in Python with the slider at ``base``."""
    substituted = re.sub(rf"\b{cf.SLIDER_PARAM}\b", repr(base), expression)
    assert re.fullmatch(r"[0-9.e+\-*/ ()]+", substituted), substituted
    return eval(substituted, {"__builtins__": {}})  # digits and operators only, checked above


def calculations(spec: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for layer in spec["layer"]:
        for step in layer.get("transform", []):
            if "calculate" in step:
                found.setdefault(step["as"], step["calculate"])
    return found


@pytest.mark.parametrize(
    "overrides",
    [[], ["intensity_definition=average"], ["base_intensity_pct=9.5"], ["capex_growth_pct=30"]],
)
def test_slider_starts_at_the_base_in_use_and_computes_the_library_cut(overrides: list[str]) -> None:
    params = resolve("capex_cut", overrides)
    chapter = {key: value for key, (value, _) in capex.chapter_values(params).items()}
    spec = cf.cut_slider_chart(chapter, params.intensity_definition).to_dict()
    (slider,) = spec["params"]
    assert slider["name"] == cf.SLIDER_PARAM
    assert slider["value"] == chapter["base_intensity_pct"]
    assert slider["bind"]["input"] == "range" and slider["bind"]["name"].strip()
    assert slider["bind"]["min"] <= slider["value"] <= slider["bind"]["max"]
    expressions = calculations(spec)
    chosen = expressions[f"cut_{params.intensity_definition}_pct"]
    assert evaluate(chosen, slider["value"]) == pytest.approx(chapter["capex_cut_pct"])
    for definition in capex.DEFINITIONS:
        at_default = evaluate(expressions[f"cut_{definition}_pct"], slider["value"])
        expected = capex.implied_cut_pct(chapter[f"reference_{definition}_pct"], slider["value"])
        assert at_default == pytest.approx(expected)


def test_cut_curves_span_the_slider_and_pass_through_the_latest_intensities(values: dict) -> None:
    low, high = cf.cut_range(values)
    curves = cf.cut_curves(values)
    assert curves["base_pct"].min() == low and curves["base_pct"].max() == pytest.approx(high)
    assert len(curves) <= 300
    assert low <= values["breakeven_pooled_pct"] <= high


def test_capex_intensity_chart_has_two_described_panels_with_inline_data() -> None:
    chosen = filings.selected(filings.financials(), filings.HYPERSCALERS)
    spec = cf.capex_intensity_chart(chosen, 2015, 2019, "pooled").to_dict()
    assert len(spec["vconcat"]) == 2
    assert spec["description"]
    sizes = sorted(len(rows) for rows in spec["datasets"].values())
    assert sizes == [40, 60]  # 4 companies x 10 years of capex; 6 intensity series x 10 years
    assert "2015-19 level (pooled), 10.2%" in str(spec["vconcat"][1]["title"])
