"""Data-center power: growth arithmetic, the LBNL and EIA series, projections, claims, charts and
bad parameters."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.chapters.power_cagr import figures as pf
from deepseek_shock.chapters.power_cagr import growth as pg
from deepseek_shock.chapters.power_cagr import projections as pw
from deepseek_shock.chapters.power_cagr import series as ps
from deepseek_shock.chapters.power_cagr.params import PowerCagrParams
from deepseek_shock.claims import cards, wording
from deepseek_shock.claims import registry as claim_registry
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.cli import main
from deepseek_shock.data import printed
from deepseek_shock.errors import UserError

rates = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)
any_rates = st.floats(min_value=-99, max_value=1000, allow_nan=False, allow_infinity=False)
amounts = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
spans = st.floats(min_value=0.1, max_value=50, allow_nan=False, allow_infinity=False)


# --- arithmetic ----------------------------------------------------------------------------------------


def test_cagr_of_simple_cases() -> None:
    assert pg.cagr_pct(100, 200, 1) == pytest.approx(100)
    assert pg.cagr_pct(100, 121, 2) == pytest.approx(10)
    assert pg.cagr_pct(100, 100, 5) == 0
    assert pg.cagr_pct(100, 50, 1) == pytest.approx(-50)


def test_doubling_time_of_simple_cases() -> None:
    assert pg.doubling_time_years(100) == pytest.approx(1)
    assert pg.doubling_time_years(26) == pytest.approx(math.log(2) / math.log(1.26))
    assert pg.rate_for_doubling_time_pct(1) == pytest.approx(100)
    assert pg.rate_for_doubling_time_pct(2.5) == pytest.approx((2**0.4 - 1) * 100)
    assert pg.rule_of_70_years(35) == 2


@given(rate=rates)
def test_doubling_time_inverts_the_cagr(rate: float) -> None:
    years = pg.doubling_time_years(rate)
    assert pg.cagr_pct(1, 2, years) == pytest.approx(rate, rel=1e-9)
    assert pg.rate_for_doubling_time_pct(years) == pytest.approx(rate, rel=1e-9)
    assert pg.projected_value(1, rate, years) == pytest.approx(2, rel=1e-9)


@given(years=spans)
def test_rate_for_a_doubling_time_doubles_in_that_time(years: float) -> None:
    assert pg.doubling_time_years(pg.rate_for_doubling_time_pct(years)) == pytest.approx(years, rel=1e-9)


@given(base=amounts, rate=st.floats(min_value=-50, max_value=100), first=spans, second=spans)
def test_projections_compound(base: float, rate: float, first: float, second: float) -> None:
    in_two_steps = pg.projected_value(pg.projected_value(base, rate, first), rate, second)
    assert in_two_steps == pytest.approx(pg.projected_value(base, rate, first + second), rel=1e-9)


@given(start=amounts, end=amounts, years=st.floats(min_value=1, max_value=50))
def test_projecting_at_the_cagr_reaches_the_end_value(start: float, end: float, years: float) -> None:
    assert pg.projected_value(start, pg.cagr_pct(start, end, years), years) == pytest.approx(end, rel=1e-6)


@given(part=amounts, total=amounts)
def test_implied_total_inverts_the_share(part: float, total: float) -> None:
    assert pg.implied_total(part, pg.share_pct(part, total)) == pytest.approx(total, rel=1e-9)


def test_implied_total_range_spans_a_rounded_share() -> None:
    low, high = pg.implied_total_range(176, 4.4)
    assert (low, high) == (pytest.approx(176 / 4.45 * 100), pytest.approx(176 / 4.35 * 100))
    assert pg.implied_total(176, 4.4) == pytest.approx(4000)
    assert low < 4000 < high


@pytest.mark.parametrize("bad", [-100, -150, math.nan, math.inf, "fast"])
def test_rates_of_minus_100_or_below_or_not_numbers_are_refused(bad: object) -> None:
    with pytest.raises(UserError, match="rate: expected a"):
        pg.growth_factor(bad)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="rate: expected a"):
        pg.projected_value(100, bad, 1)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="Odd: expected a"):
        pw.Scenario("Odd", bad)  # type: ignore[arg-type]


def test_scenario_rates_above_1000_are_refused() -> None:
    assert pw.Scenario("Fast", 1000).rate_pct == 1000
    with pytest.raises(UserError, match="Faster: expected a growth rate of at most 1000 percent per year"):
        pw.Scenario("Faster", 1000.5)


@pytest.mark.parametrize("rate", [0, -5])
def test_no_doubling_time_without_growth(rate: float) -> None:
    with pytest.raises(UserError, match="needs a positive growth rate"):
        pg.doubling_time_years(rate)


def test_cagr_needs_positive_values_and_years() -> None:
    with pytest.raises(UserError, match="start: expected a positive number"):
        pg.cagr_pct(0, 10, 1)
    with pytest.raises(UserError, match="years: expected a positive number"):
        pg.cagr_pct(1, 10, 0)
    with pytest.raises(UserError, match="total: expected a positive number"):
        pg.share_pct(1, 0)


# --- the LBNL and EIA series -------------------------------------------------------------------------------


def test_lbnl_series_from_the_snapshot() -> None:
    assert ps.lbnl_estimate_years() == [2014, 2018, 2023]
    assert [ps.lbnl_twh(year) for year in (2014, 2018, 2023)] == [58, 76, 176]
    assert ps.lbnl_projection_year() == 2028
    assert (ps.lbnl_twh(2028, ps.PROJECTION_LOW), ps.lbnl_twh(2028, ps.PROJECTION_HIGH)) == (325, 580)
    assert (ps.lbnl_share_pct(2023), ps.lbnl_share_pct(2028, ps.PROJECTION_HIGH)) == (4.4, 12)


def test_missing_lbnl_values_name_table_and_year() -> None:
    with pytest.raises(
        UserError, match="datacenter_electricity: no estimate for 2016; the snapshot has 2014"
    ):
        ps.lbnl_twh(2016)
    with pytest.raises(UserError, match="no share of US electricity given for 2014"):
        ps.lbnl_share_pct(2014)


def test_eia_series_from_the_snapshot() -> None:
    assert ps.eia_twh(2023) == 3861.342
    assert ps.eia_twh(2021, "total_end_use") == 3944.789
    assert ps.eia_years("retail_sales") == list(range(2013, 2024))
    assert ps.eia_years("total_end_use") == list(range(2013, 2022))
    assert ps.base_years() == [2014, 2018, 2023]


def test_missing_eia_values_name_measure_year_and_coverage() -> None:
    with pytest.raises(
        UserError, match="us_electricity: no total_end_use for 2023; the snapshot has 2013-2021"
    ):
        ps.eia_twh(2023, "total_end_use")
    with pytest.raises(UserError, match="no retail_sales for 2024"):
        ps.eia_twh(2024)
    with pytest.raises(UserError, match="measure 'generation': expected one of retail_sales"):
        ps.eia_twh(2023, "generation")


def test_lbnl_growth_table() -> None:
    table = ps.lbnl_growth_table().set_index("period")
    assert list(table.index) == [
        "2014–2018",
        "2018–2023",
        "2014–2023",
        "2023–2028 (low projection)",
        "2023–2028 (high projection)",
    ]
    assert table.loc["2014–2023", "cagr_pct"] == pytest.approx(((176 / 58) ** (1 / 9) - 1) * 100)
    assert table.loc["2023–2028 (high projection)", "cagr_pct"] == pytest.approx(
        ((580 / 176) ** 0.2 - 1) * 100
    )
    high = table.loc["2023–2028 (high projection)"]
    assert high["doubling_years"] == pytest.approx(pg.doubling_time_years(high["cagr_pct"]))


def test_demand_windows_and_annual_growth() -> None:
    decade = ps.past_decade_window()
    assert (decade.measure, decade.start_year, decade.end_year, decade.years) == (
        "retail_sales",
        2013,
        2023,
        10,
    )
    assert decade.cagr() == pytest.approx(((3861.342 / 3724.868) ** 0.1 - 1) * 100)
    assert [(w.measure, w.start_year, w.end_year) for w in ps.demand_windows()] == [
        ("retail_sales", 2013, 2023),
        ("retail_sales", 2014, 2023),
        ("total_end_use", 2013, 2021),
    ]
    growth = ps.annual_growth_pct()
    assert list(growth.index) == list(range(2014, 2024))
    assert growth[2018] == pytest.approx((3859.185 / 3723.356 - 1) * 100)


# --- scenarios and projections --------------------------------------------------------------------------


def test_scenarios_take_the_parameters_rates_and_extras() -> None:
    found = pw.scenarios(PowerCagrParams(extra_rates="15,32.5"))
    assert [s.rate_pct for s in found] == [13, 20, 26, 15, 32.5]
    assert [s.label for s in found][-2:] == ["Extra scenario, 15%", "Extra scenario, 32.5%"]


def test_projection_frame_compounds_from_the_base_year() -> None:
    frame = pw.projection_frame(2023, 100, [pw.Scenario("ten", 10)], 2026, 1000, 2)
    assert list(frame["year"]) == [2023, 2024, 2025, 2026]
    assert list(frame["twh"]) == pytest.approx([100, 110, 121, 133.1])
    assert list(frame["total_twh"]) == pytest.approx([1000 * 1.02**n for n in range(4)])
    assert list(frame["share_pct"]) == pytest.approx(list(frame["twh"] / frame["total_twh"] * 100))
    with pytest.raises(UserError, match=r"horizon: expected a year after base_year \(2023\), got 2023"):
        pw.projection_years(2023, 2023)


def test_scenario_table_at_the_horizon() -> None:
    params = PowerCagrParams(bear_rate_pct=-5, base_twh=200, base_total_twh=4000, horizon=2025)
    table = pw.scenario_table(params)
    assert list(table["twh"]) == pytest.approx([200 * 0.95**2, 200 * 1.2**2, 200 * 1.26**2])
    assert math.isnan(table["doubling_years"][0])
    assert table["doubling_years"][1] == pytest.approx(pg.doubling_time_years(20))
    assert table["share_pct"][2] == pytest.approx(200 * 1.26**2 / (4000 * 1.025**2) * 100)
    assert "never" in pf.styled_scenario_table(params).to_html()


def test_base_values_default_to_the_snapshot() -> None:
    assert (pw.base_twh(PowerCagrParams()), pw.base_total_twh(PowerCagrParams())) == (176, 3861.342)
    assert pw.base_twh(PowerCagrParams(base_year=2018)) == 76
    assert pw.base_total_twh(PowerCagrParams(base_total_twh=4200)) == 4200


# --- what the chapter publishes, and the claims -------------------------------------------------------------


@pytest.fixture(scope="module")
def published() -> dict[str, tuple[object, str]]:
    return pw.chapter_values(PowerCagrParams())


def test_chapter_values_cover_every_result_the_claims_need(published: dict) -> None:
    needed = {claim.result for claim in claim_registry.claims_for("power_cagr") if claim.result is not None}
    assert needed <= set(published)
    assert published["us_retail_sales_2023_twh"] == (3861.342, "TWh")
    assert published["dc_cagr_2014_2023_pct"] == (pytest.approx(13.1267, abs=1e-4), "percent per year")
    assert published["doubling_time_article_high_years"] == (pytest.approx(2.9992, abs=1e-4), "years")
    assert published["rate_for_article_doubling_pct"][0] == pytest.approx(31.9508, abs=1e-4)
    assert published["us_retail_sales_2024_needed_twh"][0] == pytest.approx(3764.7 * 1.007**10)
    assert published["max_annual_retail_growth_year"] == (2018, "year")
    assert published["base_total_source"] == ("EIA retail sales", "source")


def test_article_figures_come_from_the_claims_registry(published: dict) -> None:
    registry = {claim.id: claim.reported for claim in claim_registry.load_claims()}
    assert (
        published["article_doubling_years"][0]
        == registry[pw.CLAIM_DOUBLING]
        == printed.printed_figure(pw.CLAIM_DOUBLING)
    )
    assert published["article_high_rate_pct"][0] == registry[pw.CLAIM_HIGH_RATE]
    with pytest.raises(UserError, match="claim 'no-such-claim': not in the claims registry"):
        printed.printed_figure("no-such-claim")


def test_verdicts_under_the_published_parameters(published: dict) -> None:
    results = {key: value for key, (value, _unit) in published.items()}
    verdicts = {
        claim.id: claim_registry.judged(claim, results.get(claim.result))[0]
        for claim in claim_registry.claims_for("power_cagr")
    }
    assert verdicts == {
        "doe-forecast-early-this-year": Verdict.CONTRADICTED,
        "us-electricity-demand-2023-4200twh": Verdict.ROUNDING,
        "datacenter-electricity-2023-200twh": Verdict.ROUNDING,
        "datacenter-cagr-doe-high-26pct": Verdict.ROUNDING,
        "datacenter-doubling-2-5-years": Verdict.CONTRADICTED,
        "datacenter-cagr-2014-2023-13pct": Verdict.HOLDS,
        "datacenter-cagr-jpm-view-20pct": Verdict.NOT_CHECKABLE,
        "us-electricity-demand-growth-2-5pct": Verdict.NOT_CHECKABLE,
        "us-electricity-demand-past-decade-0-7pct": Verdict.CONTRADICTED,
    }
    labels = cards.verdict_labels(claim_registry.claims_for("power_cagr"), results)
    assert labels["verdict_datacenter_cagr_2014_2023_13pct"] == "holds"
    assert labels["verdict_datacenter_doubling_2_5_years"] == "contradicted"


def test_the_doubling_claim_is_judged_at_the_articles_rate_not_the_scenario() -> None:
    values = pw.chapter_values(PowerCagrParams(high_rate_pct=32))
    assert values["doubling_time_high_years"][0] == pytest.approx(pg.doubling_time_years(32))
    assert values["doubling_time_article_high_years"][0] == pytest.approx(pg.doubling_time_years(26))
    assert pw.chapter_values(PowerCagrParams(bear_rate_pct=-5))["doubling_time_bear_years"] == (None, "years")


def test_new_units_are_written_out() -> None:
    assert wording.quantity_text(13.1267, "percent per year") == "13.127% a year"
    assert wording.quantity_text(3861.342, "TWh") == "3,861.342 TWh"
    assert wording.quantity_text(2.999, "years") == "2.999 years"


# --- charts ------------------------------------------------------------------------------------------------


def evaluate(expression: str, cagr: float) -> float:
    """A Vega arithmetic expression evaluated in Python with the slider at ``cagr``."""
    substituted = re.sub(rf"\b{pf.SLIDER_PARAM}\b", repr(cagr), expression)
    assert re.fullmatch(r"(log|pow|[0-9.e+\-*/ (),])+", substituted), substituted
    return eval(substituted, {"__builtins__": {}, "log": math.log, "pow": pow})  # checked above


def slider_layers(spec: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for layer in spec["layer"]:
        for step in layer.get("transform", []):
            if "calculate" in step:
                found.setdefault(step["as"], step["calculate"])
    return found


@pytest.mark.parametrize("high", [26, 32.5, 8])
def test_slider_starts_at_the_high_rate_and_computes_the_library_values(high: float) -> None:
    params = PowerCagrParams(high_rate_pct=high)
    spec = pf.doubling_time_chart(params).to_dict()
    (slider,) = [p for p in spec["params"] if p["name"] == pf.SLIDER_PARAM]
    assert slider["value"] == high
    assert slider["bind"]["input"] == "range"
    assert slider["bind"]["min"] <= high <= slider["bind"]["max"]
    assert slider["bind"]["name"].strip()
    calculated = slider_layers(spec)
    assert evaluate(calculated["doubling_years"], high) == pytest.approx(pg.doubling_time_years(high))
    assert evaluate(calculated["twh"], high) == pytest.approx(pg.projected_value(176, high, 7))


def test_doubling_chart_marks_the_claim_and_the_rate_it_needs() -> None:
    markers = pf.doubling_markers(PowerCagrParams(bear_rate_pct=-5)).set_index("kind")
    claim = markers.loc["Article's claim"]
    assert (claim["rate_pct"], claim["doubling_years"]) == (26, 2.5)
    computed = markers.loc["Computed"].set_index("doubling_years")
    assert computed.loc[2.5, "rate_pct"] == pytest.approx(pg.rate_for_doubling_time_pct(2.5))
    assert len(markers.loc["Scenario"]) == 2  # the shrinking bear case has no doubling time


def test_scenario_chart_follows_the_parameters() -> None:
    linear = pf.history_fan_chart(PowerCagrParams()).to_dict()
    logged = pf.history_fan_chart(PowerCagrParams(log_scale=True, extra_rates="15", horizon=2035)).to_dict()
    assert linear["layer"][0]["encoding"]["y"]["scale"] == {"zero": True}
    assert logged["layer"][0]["encoding"]["y"]["scale"] == {"type": "log"}
    rows = {len(values) for values in logged["datasets"].values()}
    assert 4 * (2035 - 2023 + 1) in rows  # four scenarios, one row a year
    description = pf.history_fan_description(PowerCagrParams())
    assert "887 TWh" in description and "2030" in description


def test_demand_chart_marks_the_articles_figure() -> None:
    spec = pf.demand_history_chart().to_dict()
    points = [row for values in spec["datasets"].values() for row in values if "series" in row]
    assert {"year": 2023, "twh": 4200.0, "series": "The article's figure"} in points
    assert "sits above every other value" in pf.demand_history_description()


# --- bad parameters: one line, before any kernel starts ----------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("bear_rate_pct=-100", "bear_rate_pct: input should be greater than -100"),
        ("central_rate_pct=1001", "central_rate_pct: input should be less than or equal to 1000"),
        ("high_rate_pct=0", "high_rate_pct: input should be greater than 0"),
        ("total_growth_pct=-120", "total_growth_pct: input should be greater than -100"),
        ("extra_rates=15,2000", "extra_rates: each rate must be above -100 and at most 1000"),
        ("extra_rates=15,fast", "extra_rates: expected numbers separated by commas"),
        ("extra_rates=1,2,3,4,5,6,7", "extra_rates: expected at most 6 rates"),
        ("horizon=2020", "horizon: must be a year after base_year (2023)"),
        ("horizon=2101", "horizon: input should be less than or equal to 2100"),
        ("base_year=2016", "base_year: expected a year with a data-center estimate and "
         "retail sales: 2014, 2018, 2023"),
        ("base_twh=0", "base_twh: input should be greater than 0"),
    ],
)  # fmt: skip
def test_bad_parameters_are_one_clear_line(override: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        resolve("power_cagr", [override])
    assert str(caught.value).startswith("--set: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_extra_rates_accept_a_comma_separated_string() -> None:
    assert resolve("power_cagr", ["extra_rates=15,30"]).extra_rates == (15, 30)
    assert resolve("power_cagr", ["extra_rates=15"]).extra_rates == (15,)
    assert resolve("power_cagr", ["extra_rates="]).extra_rates == ()
    assert resolve("power_cagr").extra_rates == ()


@pytest.mark.parametrize(
    "override", ["horizon=2000", "base_year=2020", "extra_rates=-100", "high_rate_pct=5000"]
)
def test_cli_refuses_bad_parameters_and_writes_nothing(project, capsys, override: str) -> None:
    assert main(["run", "power_cagr", "--set", override]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("deepseek-shock: error: --set: ")
    assert override.split("=")[0] in err
    assert not (project / "_build").exists()


def test_the_reports_release_date_is_read_from_its_source() -> None:
    assert ps.lbnl_release_date() == "2024-12-20"  # "DOE press release 2024-12-20" in the table


def test_results_under_the_claims_other_readings() -> None:
    """LBNL: 176 TWh in 2023 was 4.4% of US use, so 4,000 TWh; EIA total end use 2021: 3,944.789 TWh, and
    3,868.33 in 2013; the rule of 70 at 26% gives 70 / 26 years."""
    values = {key: value for key, (value, _) in pw.chapter_values(PowerCagrParams()).items()}
    assert values["us_retail_sales_2023_twh__implied-total"] == pytest.approx(176 / 0.044)
    assert values["us_retail_sales_2023_twh__total-end-use"] == pytest.approx(3944.789)
    assert values["us_retail_sales_cagr_2013_2023_pct__total-end-use"] == pytest.approx(
        100 * ((3944.789 / 3868.33) ** (1 / 8) - 1)
    )
    assert values["doubling_time_article_high_years__rule-of-thumb"] == pytest.approx(70 / 26)
