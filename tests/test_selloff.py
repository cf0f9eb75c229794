"""The wider sell-off: one-day moves, the articles' windows, stand-ins, bad dates and the chart."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.chapters.market_selloff import figures as sf
from deepseek_shock.chapters.market_selloff import moves as sm
from deepseek_shock.chapters.market_selloff import windows as so
from deepseek_shock.claims import registry
from deepseek_shock.claims.evidence import reproduced
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.cli import main
from deepseek_shock.errors import UserError

REF, EVENT = date(2025, 1, 24), date(2025, 1, 27)


@pytest.fixture(scope="module")
def values() -> dict[str, object]:
    return {key: value for key, (value, _) in so.chapter_values(resolve("market_selloff")).items()}


@pytest.fixture(scope="module")
def moves():
    return sm.one_day_moves(REF, EVENT)


def test_every_followed_series_has_a_group_and_a_known_source() -> None:
    assert {series.group for series in sm.UNIVERSE} == {*sm.GROUPS, sm.LEVERAGED}
    assert {series.source for series in sm.UNIVERSE} <= set(sm.SOURCE_LABELS)
    assert len({series.symbol for series in sm.UNIVERSE}) == len(sm.UNIVERSE)


def test_index_moves_come_from_fred_closes() -> None:
    djia = sm.series_by_symbol("DJIA")
    assert sm.change_points(djia, REF, EVENT) == pytest.approx(44713.58 - 44424.25)
    assert sm.change_pct(djia, REF, EVENT) == pytest.approx(100 * (44713.58 / 44424.25 - 1))


def test_one_day_moves_carry_basis_opening_move_and_value_change(moves) -> None:
    rows = moves.set_index("symbol")
    assert rows.loc["AVGO", "change_pct"] == pytest.approx(100 * (202.13 / 244.70 - 1))
    assert rows.loc["AVGO", "open_change_pct"] == pytest.approx(100 * (213.40 / 244.70 - 1))
    assert rows.loc["NVDA", "value_change_usd_b"] == pytest.approx(-24.20 * 24.49)
    assert rows.loc["AAPL", "source"] == "adj_close_secondary" and pd.isna(
        rows.loc["AAPL", "open_change_pct"]
    )
    assert pd.isna(rows.loc["SMCI", "value_change_usd_b"])  # its count in force predates its split
    assert pd.isna(rows.loc["SP500", "value_change_usd_b"])


def test_calendar_windows_run_from_the_last_close_before_each_bound() -> None:
    nvda = sm.series_by_symbol("NVDA")
    assert sm.calendar_window(nvda, *so.YEAR_2024) == (date(2023, 12, 29), date(2024, 12, 31))
    assert sm.calendar_window(nvda, *so.FEBRUARY_2025) == (date(2025, 1, 31), date(2025, 2, 28))
    assert sm.first_close_on_or_after(nvda, so.START_OF_2024) == date(2024, 1, 2)


def test_average_change_is_unweighted() -> None:
    members = [sm.adjusted(symbol) for symbol in ("MSFT", "META")]
    single = [sm.change_over(member, *so.YEAR_2024) for member in members]
    assert sm.average_change(members, *so.YEAR_2024) == pytest.approx(sum(single) / 2)
    with pytest.raises(UserError, match="at least one series"):
        sm.average_change([], *so.YEAR_2024)


def test_the_articles_windows_are_reproduced(values: dict[str, object]) -> None:
    assert values["press_since_2024_nvda_pct"] == pytest.approx(100 * (142.62 / 48.168 - 1))
    assert values["press_since_2023_close_nvda_pct"] == pytest.approx(100 * (142.62 / 49.522 - 1))
    assert values["press_2024_nvda_pct"] == pytest.approx(100 * (134.29 / 49.522 - 1))
    assert values["press_week_sp500_change_pct"] == pytest.approx(100 * (6040.53 / 6101.24 - 1))
    assert values["press_feb_msft_decline_pct"] == pytest.approx(4.354, abs=1e-3)
    assert values["press_nvdl_largest_fall_date"] == "2025-01-27"
    assert values["press_soxl_since_2023_pct"] < 0


def test_every_checkable_claim_of_the_chapter_is_recorded(values: dict[str, object]) -> None:
    shown = registry.claims_for("market_selloff")
    for claim in shown:
        if claim.checkable and claim.evidence is None:
            assert claim.result in values, claim.id
    outcome = {claim.id: registry.judged(claim, reproduced(claim, values))[0] for claim in shown}
    assert outcome["dow-rose-289-points-jan-27"] is Verdict.HOLDS
    assert outcome["nvda-up-196pct-since-start-of-2024"] is Verdict.HOLDS
    assert outcome["sp500-rose-0-4pct-last-week"] is Verdict.CONTRADICTED
    assert outcome["msft-fell-over-10pct-in-february"] is Verdict.CONTRADICTED
    assert outcome["sp500-tech-sector-fell-5-6pct"] is Verdict.HOLDS  # rebuilt from the members
    assert outcome["sp500-futures-fell-1-4pct"] is Verdict.NOT_CHECKABLE


def test_stand_ins_and_pre_market_tables_show_their_values(values: dict[str, object]) -> None:
    stand_ins = sf.stand_ins_table(values).to_html()
    assert (
        f"{-values['press_xlk_decline_pct']:+.2f}%" in stand_ins and "not used for the verdict" in stand_ins
    )
    premarket = sf.premarket_table(values).to_html()
    assert f"{values['press_open_avgo_decline_pct']:.2f}" in premarket


def test_moves_table_and_chart(moves) -> None:
    html = sf.styled_moves(moves, REF, EVENT).to_html()
    assert 'rowspan="5">Hyperscalers' in html and "Apple · AAPL ²" in html
    spec = sf.moves_chart(moves, REF, EVENT).to_dict()
    assert len(spec["vconcat"]) == len(sm.GROUPS) and len(spec["datasets"]) == 1
    description = sf.moves_description(moves, REF, EVENT)
    assert "Power: Vistra -28.3%, Constellation Energy -20.8%" in description


def test_a_rerun_on_another_day_keeps_the_articles_figures() -> None:
    run = so.run_values(resolve("market_selloff", ["event_date=2025-01-28"]))
    assert run["reference_date"][0] == "2025-01-27"
    assert run["move_pct_nvda"][0] == pytest.approx(100 * (128.99 / 118.42 - 1))
    assert run["weakest_change_pct"][0] == min(
        run[f"move_pct_{series.key}"][0]
        for series in sm.UNIVERSE
        if series.group not in (sm.OTHERS, sm.LEVERAGED)
    )


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            ["event_date=2025-01-26"],
            r"event_date: 2025-01-26 \(a Sunday\) is not a trading day; the nearest trading "
            r"days are 2025-01-24 and 2025-01-27",
        ),
        (
            ["event_date=2024-06-03"],
            "event_date: 2024-06-03 is outside the snapshot's closes common to every stock",
        ),
        (["reference_date=2025-01-27"], "reference_date: 2025-01-27 must be before event_date 2025-01-27"),
        (["event_date=2024-12-02"], "is the first day of the chapter's common closes"),
        (["event_date=next monday"], "event_date: input should be a valid date"),
    ],
)
def test_bad_dates_are_one_line(override: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message) as caught:
        resolve("market_selloff", override)
    assert "\n" not in str(caught.value)


def test_cli_refuses_a_bad_date_with_exit_2_and_writes_nothing(project, capsys) -> None:
    assert main(["run", "market_selloff", "--set", "event_date=2025-01-25"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nearest trading days" in err
    assert not (project / "_build").exists()


def test_the_hang_seng_month_runs_to_the_articles_dated_day() -> None:
    from deepseek_shock.chapters.market_selloff import world

    assert world.yicai_article_day() == date(2025, 2, 11)  # dated copy of the Yicai page
    assert world.month_before(date(2025, 3, 31)) == date(2025, 2, 28)
    assert world.month_before(date(2025, 1, 15)) == date(2024, 12, 15)
    values = world.hong_kong_values(date(2025, 2, 11))
    # ^HSI closed 19,064.29 on 10 January (the last close on or before 11 January) and 21,294.86 on
    # 11 February; its 2025 low was 18,874.14 on 13 January.
    assert values["hsi_month_change_pct"][0] == pytest.approx(100 * (21294.86 / 19064.29 - 1), abs=1e-3)
    assert values["hsi_rise_from_low_pct"][0] == pytest.approx(100 * (21294.86 / 18874.14 - 1), abs=1e-3)
    assert values["hsi_year_low_date"][0] == "2025-01-13"


def test_the_nasdaq_100_is_100_companies_on_101_lines() -> None:
    from deepseek_shock.chapters.market_selloff import world

    tickers = world.nasdaq100_tickers()
    assert len(tickers) == 101 and {"GOOGL", "GOOG", "AAPL", "NVDA"} <= set(tickers)
