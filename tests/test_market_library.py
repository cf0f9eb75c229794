"""The market chapters' shared library: index levels and long histories, the S&P 500 rebuilt from its
members, NVIDIA's filings and the documents' figures. Expected values are worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from deepseek_shock.chapters.dates import period_end, years_between
from deepseek_shock.chapters.market import levels, sp500
from deepseek_shock.chapters.market.statements import stated_figure
from deepseek_shock.chapters.market_selloff.histories import (
    HYPERSCALERS_AS_PRINTED,
    out_of_order,
    results_filed,
    years_rising,
)
from deepseek_shock.chapters.market_selloff.macro import macro_values
from deepseek_shock.chapters.market_selloff.world import close_pct_of_limit, rank_of, window_change
from deepseek_shock.chapters.nvda_drawdown.history import (
    best_received,
    loss_rank,
    next_day_change_pct,
    rising_since,
    trailing_sum_usd_b,
)
from deepseek_shock.errors import UserError

DAYS = pd.DatetimeIndex(["2025-01-02", "2025-01-03", "2025-01-06", "2025-01-07", "2025-01-08", "2025-01-09"])


def series(values: list[float]) -> pd.Series:
    return pd.Series(values, index=DAYS[: len(values)], name="X")


# --- levels ----------------------------------------------------------------------------------------


def test_largest_fall_is_the_worst_one_day_change_in_the_window() -> None:
    closes = series([100, 90, 95, 80, 85])
    # changes: -10%, +5.56%, -15.79% (95 -> 80), +6.25%
    day, fall = levels.largest_fall(closes, date(2025, 1, 3), date(2025, 1, 8))
    assert day == date(2025, 1, 7) and fall == pytest.approx(100 * 15 / 95)
    assert levels.largest_fall(closes, date(2025, 1, 3), date(2025, 1, 6))[0] == date(2025, 1, 3)
    with pytest.raises(UserError, match="no one-day change"):
        levels.largest_fall(closes, date(2025, 2, 1), date(2025, 2, 3))


def test_records_lows_crossings_and_closes_on_or_before() -> None:
    closes = series([100, 101, 99, 102, 102, 103])
    assert levels.record_closes(closes, date(2025, 1, 1), date(2025, 1, 31)) == [
        date(2025, 1, 3),
        date(2025, 1, 7),
        date(2025, 1, 9),
    ]  # an equal close is not a record
    assert levels.low_between(closes, date(2025, 1, 3), date(2025, 1, 9)) == (date(2025, 1, 6), 99.0)
    assert levels.first_close_at_or_above(closes, 102, date(2025, 1, 6)) == (date(2025, 1, 7), 102.0)
    assert levels.first_close_at_or_above(closes, 200, date(2025, 1, 2)) is None
    assert levels.close_on_or_before(closes, date(2025, 1, 5)) == (date(2025, 1, 3), 101.0)


def test_snapshot_series_read_one_copy_each() -> None:
    nvda = levels.nvda_since_2022()
    assert nvda.loc["2022-12-30"] == pytest.approx(14.614)  # 146.14 before the 10-for-1 split
    assert nvda.loc["2025-01-27"] == pytest.approx(118.42)
    assert not nvda.index.duplicated().any()
    assert levels.exchange_rate("DEXCHUS", date(2025, 1, 27)) == pytest.approx(7.2507)
    assert levels.exchange_rate("CNY=X", date(2025, 1, 27), "alitalbi/") == pytest.approx(7.2431)
    assert levels.long_history("TSLA").loc["2025-01-27"] == pytest.approx(397.149994)
    assert levels.index_level("^NDX").loc["2025-01-24"] == pytest.approx(21774.009766)
    with pytest.raises(UserError, match="no series 'NOPE'"):
        levels.index_level("NOPE")


def test_window_change_and_rank() -> None:
    closes = series([100, 110, 120])
    assert window_change(closes, date(2025, 1, 2), date(2025, 1, 5)) == pytest.approx(100 * (110 / 100 - 1))
    with pytest.raises(UserError, match="no close on or before"):
        window_change(closes, date(2024, 12, 1), date(2025, 1, 5))
    assert rank_of("a", {"a": 3.0, "b": 5.0, "c": 1.0}) == 2
    assert rank_of("b", {"a": 3.0, "b": 5.0, "c": 1.0}) == 1


def test_years_rising_counts_back_from_the_last_year() -> None:
    ends = pd.Series(
        [100, 120, 130, 125, 140],
        index=pd.DatetimeIndex(["2020-12-31", "2021-12-31", "2022-12-30", "2023-12-29", "2024-12-31"]),
    )
    assert years_rising(ends, 2024) == 1  # 2024 rose, 2023 fell
    assert years_rising(ends, 2022) == 2  # 2022 and 2021 rose; the data start in 2020
    assert years_rising(ends.iloc[2:], 2024) == 1


def test_out_of_order_counts_days_before_the_one_listed_ahead() -> None:
    days = [date(2025, 1, 29), date(2025, 1, 30), date(2025, 2, 5), date(2025, 2, 7)]
    assert out_of_order(days) == 0
    assert out_of_order([days[0], days[0], days[1]]) == 0  # a tie is in order
    assert out_of_order([days[1], days[0], days[3], days[2]]) == 2


def test_results_filed_reads_the_share_table_and_a_document_for_meta() -> None:
    filed = {ticker: results_filed(ticker) for ticker in HYPERSCALERS_AS_PRINTED}
    assert filed == {
        "MSFT": date(2025, 1, 29),  # 10-Q, share-count table
        "META": date(2025, 1, 30),  # 10-K, document meta-10k-2024-filed
        "GOOGL": date(2025, 2, 5),
        "AMZN": date(2025, 2, 7),
    }


def test_close_pct_of_limit_is_100_at_the_limit_price() -> None:
    assert close_pct_of_limit(10.0, 12.0, 20.0) == pytest.approx(100.0)
    assert close_pct_of_limit(10.0, 11.0, 10.0) == pytest.approx(100.0)
    assert close_pct_of_limit(10.0, 11.0, 20.0) == pytest.approx(100 * 11 / 12)
    # 300766.SZ on 27 January 2025: 20.08 x 1.2 = 24.096, which the exchange rounds to the tick, 24.10
    assert close_pct_of_limit(20.08, 24.1, 20.0) == pytest.approx(100.0166, abs=1e-4)


def test_gdp_forecast_is_the_survey_standing_at_the_start_of_2024() -> None:
    values = macro_values()
    assert values["gdp_2024_forecast_pct"] == (1.7, "percent")  # SPF, November 2023
    assert values["gdp_2024_forecast_pct__next-survey"] == (2.4, "percent")  # SPF, February 2024


def test_best_received_release_is_the_one_with_the_largest_next_day_rise() -> None:
    closes = pd.Series(
        [100.0, 110.0, 108.0, 135.0],
        index=pd.DatetimeIndex(["2023-02-22", "2023-02-23", "2023-05-24", "2023-05-25"]),
    )
    assert next_day_change_pct(closes, date(2023, 2, 22)) == pytest.approx(10.0)
    assert next_day_change_pct(closes, date(2023, 5, 24)) == pytest.approx(25.0)
    assert best_received([date(2023, 2, 22), date(2023, 5, 24)], closes) == date(2023, 5, 24)
    with pytest.raises(UserError, match="no close after 2023-05-25"):
        next_day_change_pct(closes, date(2023, 5, 25))


def test_last_fall_as_large_looks_back_from_the_day() -> None:
    closes = series([100.0, 90.0, 95.0, 93.0, 88.35, 90.0])  # falls: -10%, -2.1%, -5%
    assert levels.last_fall_as_large(closes, date(2025, 1, 8)) == date(2025, 1, 3)  # 5% vs 10%
    assert levels.last_fall_as_large(closes, date(2025, 1, 7)) == date(2025, 1, 3)
    with pytest.raises(UserError, match="no fall as large as 2025-01-03's since the data start, 2025-01-02"):
        levels.last_fall_as_large(closes, date(2025, 1, 3))
    with pytest.raises(UserError, match="no one-day change on 2025-01-02"):
        levels.last_fall_as_large(closes, date(2025, 1, 2))


def test_xlk_last_fall_as_large_as_27_january_2025() -> None:
    xlk = levels.world_close("XLK", "adj_close")
    assert levels.last_fall_as_large(xlk, date(2025, 1, 27)) == date(2022, 9, 13)


def test_period_end_is_the_last_day_printed() -> None:
    assert period_end("2020-09") == date(2020, 9, 30)
    assert period_end("2024-02") == date(2024, 2, 29)
    assert period_end("2023") == date(2023, 12, 31)
    assert period_end("2025-01-27") == date(2025, 1, 27)
    with pytest.raises(UserError, match="date '2020-13': expected YYYY, YYYY-MM or YYYY-MM-DD"):
        period_end("2020-13")


# --- the S&P 500 rebuilt ---------------------------------------------------------------------------


@pytest.fixture
def toy() -> tuple[pd.Series, pd.DataFrame]:
    base = pd.Series({"A": 54.0, "B": 36.0, "C": 10.0})  # C has no closes
    closes = pd.DataFrame(
        {"A": [10.0, 15.0, 16.5], "B": [20.0, 20.0, 19.0]},
        index=pd.DatetimeIndex(["2024-12-06", "2025-01-24", "2025-01-27"]),
    )
    return base, closes


def test_rolled_weights_follow_prices_and_keep_the_uncovered_share(toy) -> None:
    base, closes = toy
    weights = sp500.rolled(base, closes, date(2024, 12, 6), date(2025, 1, 24))
    # A grows to 54 x 1.5 = 81, B stays 36: of the covered 90%, A is 81/117 and B 36/117
    assert weights.covered_pct == pytest.approx(90.0)
    assert weights.uncovered == ("C",)
    assert weights.of(["A"]) == pytest.approx(81 / 117 * 90)
    assert weights.of(["B", "Z"]) == pytest.approx(36 / 117 * 90)
    with pytest.raises(UserError, match="no closes on 2025-02-03"):
        sp500.rolled(base, closes, date(2024, 12, 6), date(2025, 2, 3))


def test_contributions_group_and_rebuilt_returns(toy) -> None:
    base, closes = toy
    weights = sp500.rolled(base, closes, date(2024, 12, 6), date(2025, 1, 24))
    moves = sp500.returns(closes, date(2025, 1, 24), date(2025, 1, 27))
    assert moves.to_dict() == pytest.approx({"A": 10.0, "B": -5.0})
    parts = sp500.contributions(weights, moves)
    assert parts["A"] == pytest.approx(81 / 117 * 90 / 100 * 10)
    assert parts["B"] == pytest.approx(36 / 117 * 90 / 100 * -5)
    # the covered 90% return (81 x 10 - 36 x 5) / 117 = 5.3846%; the rest is taken to move alike
    assert sp500.rebuilt_return(weights, moves) == pytest.approx((810 - 180) / 117)
    assert sp500.group_return(weights, moves, ["A", "B"]) == pytest.approx((810 - 180) / 117)
    assert sp500.group_return(weights, moves, ["B"]) == pytest.approx(-5.0)
    with pytest.raises(UserError, match="at least one member"):
        sp500.group_return(weights, moves, ["C"])


def test_largest_companies_combine_share_classes() -> None:
    weights = sp500.Weights(
        date(2025, 1, 24), pd.Series({"GOOGL": 2.0, "GOOG": 1.5, "AAPL": 3.0, "X": 0.1}), 100, ()
    )
    top = weights.largest_companies(2)
    assert top.to_dict() == {"GOOGL": 3.5, "AAPL": 3.0}
    assert sp500.company_count(["GOOGL", "GOOG", "AAPL", "FOXA", "FOX"]) == 3


def test_rebuilt_index_on_the_snapshot() -> None:
    assert sp500.holdings_for(date(2025, 1, 24)) == date(2024, 12, 6)
    assert sp500.holdings_for(date(2022, 12, 30)) == date(2023, 3, 24)  # the earliest file, rolled back
    friday = sp500.index_weights(date(2025, 1, 24))
    assert set(friday.uncovered) == {"ANSS", "DFS", "FI", "HES", "JNPR", "PARA", "WBA"}
    moves = sp500.returns(sp500.member_closes(), date(2025, 1, 24), date(2025, 1, 27))
    assert moves["NVDA"] == pytest.approx(-16.97, abs=0.01)  # NVIDIA's fall, as in the prices table
    # the rebuilt S&P 500 against FRED's: -1.458% (6101.24 -> 6012.28)
    assert sp500.rebuilt_return(friday, moves) == pytest.approx(100 * (6012.28 / 6101.24 - 1), abs=0.01)
    assert sp500.sector_tickers("Utilities")[:2] == ["AEE", "AEP"]
    with pytest.raises(UserError, match="no sector 'Tech'"):
        sp500.sector_tickers("Tech")
    with pytest.raises(UserError, match="no IVV holdings file of 2025-01-24"):
        sp500.ivv_weights(date(2025, 1, 24))


# --- NVIDIA's filings and ranks --------------------------------------------------------------------


def test_rising_since_and_trailing_sums() -> None:
    quarters = pd.DataFrame(
        {
            "period_end": pd.DatetimeIndex(
                ["2022-07-31", "2022-10-30", "2023-01-29", "2023-04-30", "2023-07-30"]
            ),
            "revenue_musd": [5.0, 4.0, 6.0, 7.0, 8.0],
            "net_income_musd": [1000.0, 2000.0, 3000.0, 4000.0, 5000.0],
        }
    )
    assert rising_since(quarters) == (date(2022, 10, 30), date(2023, 1, 29))
    assert trailing_sum_usd_b(quarters, "net_income_musd") == pytest.approx(14.0)
    with pytest.raises(UserError, match="6 quarters needed"):
        trailing_sum_usd_b(quarters, "net_income_musd", 6)
    with pytest.raises(UserError, match="did not rise"):
        rising_since(quarters.assign(revenue_musd=[5.0, 4.0, 6.0, 7.0, 6.5]))
    assert years_between(date(2023, 1, 29), date(2025, 1, 27)) == pytest.approx(729 / 365.25)


def test_loss_rank() -> None:
    changes = pd.DataFrame(
        {
            "ticker": ["A", "B", "A"],
            "date": pd.DatetimeIndex(["2025-01-24", "2025-01-27", "2025-01-27"]),
            "change_usd_b": [-10.0, -50.0, -200.0],
        }
    )
    assert loss_rank(changes, "A", date(2025, 1, 27)) == 1
    assert loss_rank(changes, "B", date(2025, 1, 27)) == 2
    with pytest.raises(UserError, match="no measurable one-day value change"):
        loss_rank(changes, "B", date(2025, 1, 24))


def test_stated_figure_picks_the_row_in_the_unit_asked() -> None:
    assert stated_figure("eurostoxx50-countries", "countries (eligible universe)") == 11
    assert stated_figure("eurostoxx50-countries", "countries (constituents)") == 8
    with pytest.raises(UserError, match="no row states a figure in 'years'"):
        stated_figure("eurostoxx50-countries", "years")


def test_funds_ahead_counts_funds_that_traded_more_than_the_familys_best() -> None:
    from deepseek_shock.chapters.market_selloff.volumes import busiest, funds_ahead, monday_volumes

    volumes = {"A": 10.0, "B": 8.0, "C": 6.0, "D": 6.0, "E": 1.0}
    assert funds_ahead(("C", "E"), volumes) == 2  # A and B; D traded as much, not more
    assert funds_ahead(("A",), volumes) == 0
    assert busiest(("C", "E"), volumes) == "C"
    documented = monday_volumes()
    assert documented["SOXL"] == 198_431_800 and documented["TQQQ"] == 80_910_800


def test_decline_is_the_fall_in_percent_of_the_start() -> None:
    from deepseek_shock.chapters.market.prices import decline_pct

    assert decline_pct(100.0, 83.0) == pytest.approx(17.0)
    assert decline_pct(100.0, 110.0) == pytest.approx(-10.0)  # a rise is a negative decline
