"""The market tables of snapshot 2026-12-04: two values of each pinned, and the copies cross-checked.

Expected values are read off the CSV rows by hand; the cross-checks compare independent copies (or FRED)
within the bands stated in each test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from deepseek_shock.data import snapshot

SNAPSHOT = "2026-12-04"


def table(name: str) -> pd.DataFrame:
    return snapshot.load_table(name, SNAPSHOT)


def value(frame: pd.DataFrame, column: str, **where: str) -> float:
    rows = frame
    for key, wanted in where.items():
        rows = rows[rows[key] == (pd.Timestamp(wanted) if key in ("date", "as_of", "list_as_of") else wanted)]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return float(rows.iloc[0][column])


@pytest.mark.parametrize(
    ("name", "column", "where", "expected"),
    [
        ("index_levels", "close", {"ticker": "^NDX", "date": "2025-01-24"}, 21774.009766),
        ("index_levels", "close", {"ticker": "^NDX", "date": "2025-01-27"}, 21127.279297),
        ("index_levels", "close", {"ticker": "^HSI", "date": "2025-01-27"}, 20197.769531),
        ("fund_closes", "close", {"ticker": "XLK", "date": "2025-01-24"}, 239.300003),
        ("fund_closes", "close", {"ticker": "XLK", "date": "2025-01-27"}, 227.570007),
        ("nvda_2023", "close_presplit_unadjusted", {"date": "2022-12-30"}, 146.139999),
        ("nvda_2023", "close_presplit_unadjusted", {"date": "2023-12-29"}, 495.220001),
        ("world_closes", "close", {"ticker": "^N225", "date": "2025-01-27"}, 39565.800781),
        ("world_closes", "close", {"ticker": "ENR.DE", "date": "2025-01-27"}, 48.32),
        ("usd_cny", "value", {"series": "DEXCHUS", "date": "2025-01-24"}, 7.2440),
        ("usd_cny", "value", {"series": "DEXCHUS", "date": "2025-01-27"}, 7.2507),
        ("sp500_member_shares", "market_cap_usd", {"ticker": "AAPL", "as_of": "2024-12-31"}, 3785298542592),
        ("sp500_member_shares", "price_usd", {"ticker": "AAPL", "as_of": "2025-01-31"}, 236.0),
        ("sp500_weights", "weight_pct", {"ticker": "AAPL", "as_of": "2023-03-24"}, 7.16),
        ("sp500_weights", "weight_pct", {"ticker": "NVDA", "as_of": "2024-12-06"}, 6.79),
    ],
)
def test_pinned_values(name: str, column: str, where: dict[str, str], expected: float) -> None:
    assert value(table(name), column, **where) == pytest.approx(expected, rel=1e-9)


def test_index_levels_secondary_pins() -> None:
    rows = table("index_levels_secondary")
    ndx = rows[(rows["ticker"] == "^NDX") & rows["source"].str.startswith("hjyssg/")]
    assert value(ndx, "close", date="2025-01-24") == pytest.approx(21774.009766)
    assert value(ndx, "close", date="2025-01-27") == pytest.approx(21127.279297)


def test_long_histories_pins_one_source_per_series() -> None:
    rows = table("long_histories")
    dsturdy = rows[rows["source"].str.startswith("dsturdy/")]
    assert value(dsturdy, "close", ticker="NVDL", date="2025-01-24") == pytest.approx(24.370001)
    assert value(dsturdy, "close", ticker="TSLA", date="2025-01-27") == pytest.approx(397.149994)
    assert len(rows[(rows["ticker"] == "TSLA") & (rows["date"] == pd.Timestamp("2025-01-27"))]) == 2


def test_us_real_gdp_pins_the_late_2025_vintage() -> None:
    rows = table("us_real_gdp")
    rows = rows.assign(date=rows["date"].astype(str).str[:10])
    growth = rows[(rows["series"] == "A191RL1Q225SBEA") & rows["source"].str.startswith("LJKelly3141/")]
    assert growth.set_index("date").loc["2024-10-01", "value"] == 1.9
    assert growth.set_index("date").loc["2024-07-01", "value"] == 3.3
    level = rows[rows["series"] == "GDPC1"].set_index("date")
    assert level.loc["2024-10-01", "value"] == pytest.approx(23586.542)


def test_sp500_constituents_and_member_closes_pins() -> None:
    members = table("sp500_constituents")
    january = members[members["list_as_of"] == pd.Timestamp("2024-12-27")]
    assert len(january) == 503
    assert january.set_index("ticker").loc["NVDA", "gics_sector"] == "Information Technology"
    closes = table("sp500_member_closes")
    assert value(closes, "close", ticker="A", date="2022-12-30") == pytest.approx(145.75489807128906)
    assert value(closes, "close", ticker="A", date="2023-01-03") == pytest.approx(146.13475036621094)
    secondary = table("sp500_member_closes_secondary")
    assert secondary["ticker"].nunique() == 473
    assert closes["ticker"].nunique() == 496


def test_index_levels_agree_with_their_second_copies() -> None:
    """Every ticker with a second copy agrees to 1e-6 on each common day through 2025 (a copy of the same
    Yahoo series: the check is of transcription, not of the upstream)."""
    first, second = table("index_levels"), table("index_levels_secondary")
    both = first.merge(second, on=["ticker", "date"], suffixes=("", "_copy"))
    both = both[both["date"] <= pd.Timestamp("2025-12-31")]
    assert set(both["ticker"]) >= {"^NDX", "^GSPC", "^RUT", "^STOXX50E"}
    assert ((both["close_copy"] / both["close"] - 1).abs() < 1e-6).all()


@pytest.mark.parametrize(("ticker", "fred", "days"), [("^GSPC", "SP500", 313), ("^IXIC", "NASDAQCOM", 313)])
def test_index_levels_agree_with_fred(ticker: str, fred: str, days: int) -> None:
    """Yahoo's closes against FRED's, an independent publisher: within 0.05% on every common day."""
    levels, indexes = table("index_levels"), table("indexes")
    both = levels[levels["ticker"] == ticker].merge(indexes[indexes["series"] == fred], on="date")
    assert len(both) == days
    assert ((both["value"] / both["close"] - 1).abs() < 5e-4).all()


def test_member_closes_agree_with_the_secondary_copy_on_returns() -> None:
    """Levels differ by vintage; one-day returns of 24 -> 27 January 2025 agree to 1e-5 for every member
    in both copies."""

    def returns(frame: pd.DataFrame) -> pd.Series:
        wide = frame.pivot(index="date", columns="ticker", values="close")
        return wide.loc[pd.Timestamp("2025-01-27")] / wide.loc[pd.Timestamp("2025-01-24")] - 1

    gap = (returns(table("sp500_member_closes")) - returns(table("sp500_member_closes_secondary"))).dropna()
    assert len(gap) == 473
    assert gap.abs().max() < 1e-5


def test_fund_closes_spy_equals_the_prices_table() -> None:
    funds, prices = table("fund_closes"), table("prices")
    both = funds[funds["ticker"] == "SPY"].merge(prices[prices["ticker"] == "SPY"], on="date")
    assert len(both) == 81
    assert (both["close_x"] - both["close_y"]).abs().max() < 1e-4


def test_usd_cny_fred_and_yahoo_agree_within_a_band() -> None:
    """DEXCHUS (the New York noon rate) and Yahoo's CNY=X are different quotes of one rate: within 0.6% on
    24 and 27 January 2025 and within 1.5% on every common day (DEXCHUS carries a holiday rate from 28
    January to 4 February 2025)."""
    rows = table("usd_cny")
    fred = rows[rows["series"] == "DEXCHUS"].set_index("date")["value"]
    yahoo = rows[(rows["series"] == "CNY=X") & rows["source"].str.startswith("alitalbi/")]
    gap = (fred / yahoo.set_index("date")["value"] - 1).abs().dropna()
    assert len(gap) >= 80
    assert gap.max() < 0.015
    assert gap.loc[[pd.Timestamp("2025-01-24"), pd.Timestamp("2025-01-27")]].max() < 0.006
