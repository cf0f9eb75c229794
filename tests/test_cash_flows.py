"""Cash flows: the filed tables pinned and cross-checked, free cash flow and the capex share of its growth.

Expected values are read by hand from the snapshot's CSV rows (USD millions), not from the library.
"""

from __future__ import annotations

import pandas as pd
import pytest

from deepseek_shock.chapters.capex_cut import cash_flows as cf
from deepseek_shock.chapters.capex_cut import filings
from deepseek_shock.data.documents import stating
from deepseek_shock.data.snapshot import load_table
from deepseek_shock.errors import UserError


def row(table: pd.DataFrame, **match: object) -> pd.Series:
    """The one row of ``table`` whose columns equal ``match``."""
    rows = table
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, match
    return rows.iloc[0]


# --- the tables, pinned ---------------------------------------------------------------------------------


def test_cash_flows_table_pins_two_filings() -> None:
    table = load_table("cash_flows")
    msft = row(table, ticker="MSFT", fiscal_year=2025)
    assert (msft["operating_cash_flow_musd"], msft["capex_musd"]) == (136_162, 64_551)
    amazon = row(table, ticker="AMZN", fiscal_year=2024)
    assert (amazon["operating_cash_flow_musd"], amazon["capex_musd"]) == (115_877, 82_999)
    assert pd.isna(row(table, ticker="AMZN", fiscal_year=2025)["capex_musd"])  # not in the extract


def test_first_reported_operating_cash_flow_pins_two_filings() -> None:
    table = load_table("cash_flows_first_reported")
    assert row(table, ticker="AAPL", fiscal_year=2016)["net_cash_from_operating_activities_usd_m"] == 65_824
    assert row(table, ticker="MSFT", fiscal_year=2024)["net_cash_from_operating_activities_usd_m"] == 118_548


def test_nvidia_quarters_pin_two_quarters() -> None:
    table = load_table("nvda_quarters")
    q4 = row(table, fiscal_year=2025, fiscal_quarter="Q4")
    assert (q4["revenue_musd"], q4["net_income_musd"]) == (39_331, 22_091)
    assert row(table, fiscal_year=2024, fiscal_quarter="FY")["revenue_musd"] == 60_922


def test_nvidia_secondary_quarters_pin_two_quarters() -> None:
    table = load_table("nvda_quarters_secondary")
    q3 = row(table, fiscal_quarter="Q3 FY2025")
    assert (q3["revenue_usd_m"], q3["net_income_usd_m"]) == (35_082, 19_309)
    assert row(table, fiscal_quarter="Q4 FY2024")["revenue_usd_m"] == 22_103


def test_documents_table_pins_two_facts() -> None:
    assert stating("gpt-store-3m-gpts").figures == (3_000_000.0,)
    microsoft = stating("microsoft-80b-capex")
    assert microsoft.figures == (80_000_000_000.0,) and microsoft.fact_date == "2025-01-03"
    assert stating("x86-virtualization-history", "date").date == "2006"


# --- cross-checks between sources ------------------------------------------------------------------------


def test_cash_flow_capex_agrees_with_the_financials_except_amazons_re_presented_years() -> None:
    """Both tables copy the 10-K's purchases of property and equipment; Amazon's 10-Ks for 2017 on
    re-presented 2015 and 2016 gross of proceeds, which the financials table uses, while the cash-flow
    table keeps the figures as first reported."""
    flows = load_table("cash_flows").dropna(subset=["capex_musd"]).set_index(["ticker", "fiscal_year"])
    financials = load_table("hyperscaler_financials").set_index(["ticker", "fiscal_year"])
    both = flows.index.intersection(financials.index)
    assert len(both) == 60
    apart = flows.loc[both, "capex_musd"] - financials.loc[both, "capex_usd"] / 1e6
    assert set(apart[apart.abs() > 0.5].index) == {("AMZN", 2015), ("AMZN", 2016)}
    assert flows.loc[("AMZN", 2015), "capex_musd"] < financials.loc[("AMZN", 2015), "capex_usd"] / 1e6


def test_operating_cash_flow_agrees_with_the_first_reported_statements() -> None:
    flows = load_table("cash_flows").set_index(["ticker", "fiscal_year"])["operating_cash_flow_musd"]
    first = load_table("cash_flows_first_reported").set_index(["ticker", "fiscal_year"])[
        "net_cash_from_operating_activities_usd_m"
    ]
    both = flows.index.intersection(first.index)
    assert {ticker for ticker, _ in both} == {"MSFT", "AAPL"} and len(both) == 22
    assert (flows.loc[both] == first.loc[both]).all()


def test_nvidia_quarters_agree_with_the_secondary_copies() -> None:
    primary = load_table("nvda_quarters")
    secondary = load_table("nvda_quarters_secondary")
    for _, copy in secondary.iterrows():
        quarter, year = copy["fiscal_quarter"].split(" FY")
        filed = row(primary, fiscal_year=int(year), fiscal_quarter=quarter)
        assert filed["period_end"] == copy["quarter_end"]
        assert (filed["revenue_musd"], filed["net_income_musd"]) == (
            copy["revenue_usd_m"],
            copy["net_income_usd_m"],
        )


# --- free cash flow and the share of its growth capex took -----------------------------------------------


def test_free_cash_flow_is_operating_cash_flow_minus_capex() -> None:
    frame = cf.cash_flows()
    assert cf.company_cash_flow(frame, "MSFT", 2025, "fcf_usd_bn") == pytest.approx(71.611)
    assert cf.company_cash_flow(frame, "MSFT", 2024, "fcf_usd_bn") == pytest.approx(118.548 - 44.477)


def test_a_missing_value_is_named() -> None:
    with pytest.raises(UserError, match="cash_flows: no fiscal 2025 capex for AMZN"):
        cf.company_cash_flow(cf.cash_flows(), "AMZN", 2025, "capex_usd_bn")


def test_capex_share_of_cash_flow_growth_on_a_small_frame() -> None:
    frame = pd.DataFrame(
        {
            "ticker": ["A", "A", "B", "B"],
            "fiscal_year": [1, 2, 1, 2],
            "ocf_usd_bn": [10.0, 20.0, 5.0, 9.0],
            "capex_usd_bn": [2.0, 9.0, 1.0, 1.0],
        }
    )
    # capex +7 against operating cash flow +14: half; with 1 and 2 netted off capex, 6 of 14.
    assert cf.capex_share_of_cash_flow_growth_pct(frame, ["A", "B"], 1, 2) == pytest.approx(50.0)
    assert cf.capex_share_of_cash_flow_growth_pct(frame, ["A", "B"], 1, 2, (1.0, 2.0)) == pytest.approx(
        100 * 6 / 14
    )
    with pytest.raises(UserError, match="end year 1 is not after start year 2"):
        cf.capex_share_of_cash_flow_growth_pct(frame, ["A"], 2, 1)
    shrinking = frame.assign(ocf_usd_bn=[10.0, 5.0, 5.0, 5.0])
    with pytest.raises(UserError, match="operating cash flow did not grow from 1 to 2"):
        cf.capex_share_of_cash_flow_growth_pct(shrinking, ["A", "B"], 1, 2)


def test_the_six_companies_capex_took_most_of_their_cash_flow_growth() -> None:
    """FY2023 to FY2024, by hand from the rows: capex 159,786 -> 233,580 (+73,794); operating cash flow
    473,095 -> 587,979 (+114,884). From FY2022 (capex 165,421; cash flow 409,447): +68,159 of +178,532.
    Amazon's proceeds (4,596 in 2023, 5,341 in 2024) netted off: +73,049."""
    values = cf.cash_flow_values(filings.financials(), (2023, 2024), 2025)
    assert values["big_six_ocf_2023_usd_bn"][0] == pytest.approx(473.095)
    assert values["big_six_fcf_2024_usd_bn"][0] == pytest.approx(587.979 - 233.580)
    assert values["capex_share_of_cash_flow_growth_pct"] == (pytest.approx(100 * 73_794 / 114_884), "percent")
    assert values["capex_share_of_cash_flow_growth_pct__earlier-base"][0] == pytest.approx(
        100 * 68_159 / 178_532
    )
    assert values["capex_share_of_cash_flow_growth_pct__net-capex"][0] == pytest.approx(
        100 * 73_049 / 114_884
    )
    assert values["msft_fcf_usd_bn"][0] == pytest.approx(136.162 - 64.551)
    assert values["msft_fcf_usd_bn__operating-cash-flow"][0] == pytest.approx(136.162)
    assert values["msft_fcf_usd_bn__prior-fiscal-year"][0] == pytest.approx(118.548 - 44.477)
