"""NVIDIA's drawdown: price moves, share counts, the press reconciliation, bad parameters and charts."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.chapters.market import prices as market_prices
from deepseek_shock.chapters.market import shares
from deepseek_shock.chapters.nvda_drawdown import drawdown as dd
from deepseek_shock.chapters.nvda_drawdown import figures as df
from deepseek_shock.chapters.nvda_drawdown import press
from deepseek_shock.claims import reconcile, registry
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.cli import main
from deepseek_shock.errors import UserError

prices = st.floats(min_value=0.01, max_value=10_000, allow_nan=False, allow_infinity=False)
falls = st.floats(min_value=0.01, max_value=99, allow_nan=False, allow_infinity=False)


@pytest.fixture(scope="module")
def event() -> press.PressEvent:
    return press.press_event()


@pytest.fixture(scope="module")
def values() -> dict[str, object]:
    return {key: value for key, (value, _) in press.chapter_values(resolve("nvda_drawdown")).items()}


# --- arithmetic on synthetic numbers ---------------------------------------------------------------


def test_a_move_reports_its_change_in_usd_and_percent() -> None:
    move = market_prices.Move("X", "close", date(2025, 1, 2), date(2025, 1, 3), 200.0, 150.0)
    assert move.change == -50
    assert move.change_pct == pytest.approx(-25)
    assert move.decline_pct == pytest.approx(25)


def test_market_value_uses_listed_shares() -> None:
    move = market_prices.Move("X", "close", date(2025, 1, 2), date(2025, 1, 3), 10.0, 8.0)
    ads = shares.ShareCount("X", shares=500.0, origin="in_force", per_listed_share=5.0)
    assert ads.listed_shares == 100
    assert shares.market_value_usd(10.0, ads) == 1000
    assert shares.value_change_usd(move, ads) == pytest.approx(-200)


@given(start=prices, fall=falls)
def test_implied_price_and_share_count_invert_the_loss(start: float, fall: float) -> None:
    end = press.implied_end_price(start, fall)
    move = market_prices.Move("X", "close", date(2025, 1, 2), date(2025, 1, 3), start, end)
    assert move.decline_pct == pytest.approx(fall)
    shares = 1e9
    loss = -move.change * shares
    assert press.implied_share_count(loss, move) == pytest.approx(shares)


def test_a_rise_implies_no_share_count() -> None:
    move = market_prices.Move("X", "close", date(2025, 1, 2), date(2025, 1, 3), 10.0, 11.0)
    with pytest.raises(UserError, match="did not fall"):
        press.implied_share_count(1e9, move)


@pytest.mark.parametrize("bad", [0, -1, math.nan, "ten"])
def test_percent_change_refuses_a_non_positive_start(bad: object) -> None:
    with pytest.raises(UserError, match="expected a positive number"):
        market_prices.percent_change(bad, 10)  # type: ignore[arg-type]


def test_months_between_counts_calendar_months() -> None:
    assert press.months_between(date(2024, 10, 31), date(2025, 1, 1)) == 3
    assert press.months_between(date(2025, 1, 2), date(2025, 1, 30)) == 0


# --- share counts ----------------------------------------------------------------------------------


def test_notes_give_split_problems_and_ads_ratios() -> None:
    assert "factor of 10" in (
        shares.split_problem("common stock; PRE 10-for-1 split (effective 2024-06-10)") or ""
    )
    assert shares.split_problem("common stock; post-split") is None
    assert shares.shares_per_listed_share("ORDINARY shares; 1 ADS = 5 common shares") == 5
    assert shares.shares_per_listed_share("ORDINARY shares; 1 ADS = 1 ordinary share") == 1
    assert shares.shares_per_listed_share("ordinary shares; no ADR ratio") == 1


def test_nvidia_counts_around_the_event() -> None:
    ref, ev = date(2025, 1, 24), date(2025, 1, 27)
    in_force = shares.share_count("NVDA", "in_force", ref, ev)
    published = shares.share_count("NVDA", "published", ref, ev)
    after = shares.share_count("NVDA", "next", ref, ev)
    assert in_force and published and after
    assert (in_force.as_of, in_force.shares, in_force.form) == (date(2024, 11, 15), 24_490_000_000, "10-Q")
    assert published.as_of == in_force.as_of
    assert (after.as_of, after.shares, after.form) == (date(2025, 2, 21), 24_400_000_000, "10-K")


def test_tsmc_count_is_divided_into_ads_and_smci_pre_split_count_is_refused() -> None:
    tsm = shares.share_count("TSM", "in_force", date(2025, 1, 24), date(2025, 1, 27))
    assert tsm and tsm.per_listed_share == 5 and tsm.listed_shares == pytest.approx(tsm.shares / 5)
    smci = shares.share_count("SMCI", "in_force", date(2025, 1, 24), date(2025, 1, 27))
    assert smci and not smci.usable and "split effective 2024-10-01" in (smci.problem or "")
    with pytest.raises(UserError, match="not usable"):
        shares.market_value_usd(30.0, smci)


def test_a_given_count_overrides_the_snapshot() -> None:
    count = shares.share_count("NVDA", "in_force", date(2025, 1, 24), date(2025, 1, 27), given=1e9)
    assert count and count.origin == "given" and count.listed_shares == 1e9


def test_a_fund_has_no_count() -> None:
    assert shares.share_count("QQQ", "in_force", date(2025, 1, 24), date(2025, 1, 27)) is None


# --- the run ---------------------------------------------------------------------------------------


def test_the_published_run_is_nvidias_fall_of_27_january(values: dict[str, object]) -> None:
    assert values["reference_date"] == "2025-01-24" and values["event_date"] == "2025-01-27"
    assert (values["reference_price"], values["event_price"]) == (142.62, 118.42)
    assert values["move_pct"] == pytest.approx(100 * (118.42 / 142.62 - 1))
    assert values["value_change_usd_b"] == pytest.approx(-24.20 * 24.49)


def test_avgo_run_gives_its_move_and_value_loss() -> None:
    result = dd.drawdown(resolve("nvda_drawdown", ["ticker=avgo"]))
    assert result.move.ticker == "AVGO" and result.move.start == date(2025, 1, 24)
    assert result.move.change_pct == pytest.approx(100 * (202.13 / 244.70 - 1))
    assert result.count and result.count.shares == 4_687_356_156
    values = result.values_usd_b()
    assert values and values[2] == pytest.approx((202.13 - 244.70) * 4_687_356_156 / 1e9)


def test_a_run_without_a_usable_count_still_gives_the_move() -> None:
    result = dd.drawdown(resolve("nvda_drawdown", ["ticker=SMCI"]))
    assert result.values_usd_b() is None and result.move.change_pct < 0
    assert "split" in dd.value_text(result)
    run = dd.run_values(result)
    assert run["value_change_usd_b"][0] is None and run["move_pct"][0] < 0


def test_another_date_and_an_adjusted_basis() -> None:
    result = dd.drawdown(resolve("nvda_drawdown", ["event_date=2024-09-03", "price_basis=adj_close"]))
    assert result.move.start == date(2024, 8, 30)
    values = result.values_usd_b()
    assert values and values[2] < 0
    assert "adjusted price basis" in dd.value_text(result)


# --- the press figures -----------------------------------------------------------------------------


def test_press_event_reproduces_the_day_and_the_week(event: press.PressEvent) -> None:
    assert event.one_day.decline_pct == pytest.approx(16.968, abs=1e-3)
    assert event.week.end_price == 120.07
    assert event.opening.end_price == 124.80
    losses = list(press.value_candidates(event).values())
    assert losses == pytest.approx([24.20 * 24.49, 24.20 * 24.40, (142.62 - 120.07) * 24.49])


def test_592_7_billion_implies_the_10q_count(values: dict[str, object]) -> None:
    assert values["implied_shares_5927"] == pytest.approx(24.49e9, rel=1e-4)
    assert values["press_months_since_lower_close"] == 3
    assert values["press_last_lower_close_date"] == "2024-10-01"


def test_reconciliation_finds_each_figures_window(event: press.PressEvent) -> None:
    value_rows = reconcile.reconciliation(
        press.VALUE_CLAIMS,
        press.value_candidates(event),
        "{} (USD bn)",
        ",.1f",
        readings=lambda printed: df.loss_readings(event, printed),
    ).set_index("Printed")
    assert "(holds)" in value_rows.iloc[0, 1] and "(contradicted)" in value_rows.iloc[0, 3]
    assert value_rows.columns[-1] == "Shares implied by Mon 24→27 Jan"
    decline_rows = reconcile.reconciliation(
        press.DECLINE_CLAIMS,
        press.decline_candidates(event),
        "{} (% fall)",
        ".2f",
        printed_prefix="down ",
        readings=lambda printed: df.fall_readings(event, printed),
    )
    sixteen = decline_rows[decline_rows["Printed"] == "down 16%"].iloc[0]
    assert "(holds only as a rounded figure)" in sixteen.iloc[2] and "(holds)" in sixteen.iloc[3]
    assert "close 31 Jan" in sixteen.iloc[-1]
    twelve = decline_rows[decline_rows["Printed"] == "down 12%"].iloc[0]
    assert "open 27 Jan" in twelve.iloc[-1]


def test_the_record_is_the_event_and_the_runner_up_is_september_2024(values: dict[str, object]) -> None:
    assert (values["record_ticker"], values["record_date"]) == ("NVDA", "2025-01-27")
    assert (values["runner_up_ticker"], values["runner_up_date"]) == ("NVDA", "2024-09-03")
    assert values["runner_up_loss_usd_b"] == pytest.approx((119.37 - 108.00) * 24.53)


def test_measurable_losses_skip_funds_and_pre_split_counts() -> None:
    changes = press.daily_value_changes()
    assert not {"QQQ", "SPY", "SMH"} & set(changes["ticker"])
    assert changes.loc[changes["ticker"] == "SMCI", "date"].min() > pd.Timestamp("2025-01-31")
    tsm = changes[(changes["ticker"] == "TSM") & (changes["date"] == "2025-01-27")].iloc[0]
    assert tsm["change_usd_b"] == pytest.approx((192.31 - 221.88) * 25_932_733_242 / 5 / 1e9)


def test_measurable_losses_are_computed_once_and_handed_out_as_copies(monkeypatch) -> None:
    reads = []

    def counted(basis: str) -> pd.DataFrame:
        reads.append(basis)
        return market_prices.price_frame(basis)

    monkeypatch.setattr(press, "price_frame", counted)
    first = press.daily_value_changes()
    first.loc[:, "change_usd_b"] = 0.0
    second = press.daily_value_changes()
    assert len(reads) <= 1  # the chapter's values and the notebook's chart share one computation
    assert (second["change_usd_b"] != 0).any()


def test_every_checkable_claim_of_the_chapter_is_recorded_and_judged(values: dict[str, object]) -> None:
    shown = registry.claims_for("nvda_drawdown")
    assert {claim.category for claim in shown} == {"nvda-one-day", "nvda-record", "nvda-other"}
    for claim in shown:
        if claim.checkable:
            assert claim.result in values, claim.id
    outcome = {claim.id: registry.judged(claim, values.get(claim.result or ""))[0] for claim in shown}
    assert outcome["nvda-value-loss-5927"] is Verdict.HOLDS
    assert outcome["nvda-fall-16pct-last-week"] is Verdict.HOLDS
    assert outcome["nvda-record-us-corporate-history"] is Verdict.HOLDS  # the largest in the data
    assert outcome["nvda-premarket-fall-12pct"] is Verdict.NOT_CHECKABLE


# --- charts ----------------------------------------------------------------------------------------


def test_charts_and_descriptions_carry_the_runs_figures() -> None:
    result = dd.drawdown(resolve("nvda_drawdown"))
    spec = df.price_value_chart(result).to_dict()
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert "142.62" in df.price_value_description(result)
    bars = df.waterfall_data(result)
    assert list(bars["amount"]) == pytest.approx([142.62 * 24.49, -24.20 * 24.49, 118.42 * 24.49])
    assert "592.7" in df.waterfall_description(result)
    assert df.waterfall_chart(result).to_dict()["layer"]  # valid against the Vega-Lite schema
    changes = press.daily_value_changes()
    assert len(df.record_chart(changes).to_dict()["datasets"]) == 1
    assert "Meta Platforms" in df.record_description(changes)


def test_a_fund_run_charts_the_price_only() -> None:
    result = dd.drawdown(resolve("nvda_drawdown", ["ticker=QQQ"]))
    assert "resolve" not in df.price_value_chart(result).to_dict()
    with pytest.raises(UserError, match="no usable share count"):
        df.waterfall_data(result)


# --- bad parameters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (["ticker=XYZ"], r"ticker: 'XYZ' is not in data snapshot .*AMD, AMZN.*NVDA.*data/README.md"),
        (
            ["ticker=AAPL"],
            "ticker: the snapshot has no closing price .* for AAPL; use price_basis=adj_close_secondary",
        ),
        (
            ["event_date=2025-01-25"],
            r"event_date: 2025-01-25 \(a Saturday\) is not a trading day; the nearest "
            r"trading days are 2025-01-24 and 2025-01-27",
        ),
        (["event_date=2025-01-09"], "the nearest trading days are 2025-01-08 and 2025-01-10"),
        (
            ["event_date=2026-01-05"],
            "event_date: 2026-01-05 is outside the snapshot's NVDA prices, which run "
            "from 2023-12-29 to 2025-03-31",
        ),
        (["ticker=AVGO", "event_date=2024-06-03"], "outside the snapshot's AVGO prices"),
        (["reference_date=2025-01-28"], "reference_date: 2025-01-28 must be before event_date 2025-01-27"),
        (["event_date=2023-12-29"], "is the first NVDA trading day in the snapshot"),
        (["shares_outstanding=-5"], "shares_outstanding: input should be greater than 0"),
        (["shares_outstanding=0"], "shares_outstanding: input should be greater than 0"),
        (["share_count=latest"], "share_count: input should be 'in_force', 'published' or 'next'"),
        (["price_basis=open"], "price_basis: input should be"),
    ],
)
def test_bad_parameters_are_one_line(override: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        resolve("nvda_drawdown", override)
    assert "\n" not in str(caught.value)


def test_unknown_ticker_names_no_live_fetch_command() -> None:
    with pytest.raises(UserError) as caught:
        resolve("nvda_drawdown", ["ticker=XYZ"])
    assert "fetch" not in str(caught.value) and "build-snapshot" not in str(caught.value)


@pytest.mark.parametrize(
    "override", ["ticker=NOPE", "event_date=2025-01-26", "reference_date=2025-02-03", "shares_outstanding=-1"]
)
def test_cli_refuses_bad_input_with_exit_2_and_writes_nothing(project, capsys, override: str) -> None:
    assert main(["run", "nvda_drawdown", "--set", override, "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("deepseek-shock: error: ")
    assert not (project / "_build").exists()


def test_share_count_table_marks_the_count_in_use() -> None:
    nvda = dd.drawdown(resolve("nvda_drawdown"))
    assert list(df.share_count_table("NVDA", nvda.count).data["In this run"]) == [
        "not usable (split)",
        "",
        "✔ used",
        "",
    ]
    smci = dd.drawdown(resolve("nvda_drawdown", ["ticker=SMCI"]))
    assert (
        df.share_count_table("SMCI", smci.count).data["In this run"].iloc[0] == "selected, not usable (split)"
    )
    assert df.share_count_table("QQQ", None) is None
