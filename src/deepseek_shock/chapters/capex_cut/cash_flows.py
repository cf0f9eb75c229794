"""Operating cash flow and free cash flow of the six companies, from their 10-K cash-flow statements.

Free cash flow here is operating cash flow minus capex (cash purchases of property and equipment), for
every company alike; the companies' own definitions differ (Amazon deducts its proceeds from property
sales and incentives, Meta also its finance-lease principal). Money in USD billions; fiscal years as the
companies label them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from deepseek_shock.chapters.capex_cut.filings import BIG_SIX, company_value, company_years
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

TABLE = "cash_flows"


def cash_flows() -> pd.DataFrame:
    """The snapshot's cash-flow table, one row per company and fiscal year, USD billions.

    Columns: ticker, company, fiscal_year, fiscal_year_end, ocf_usd_bn (net cash from operating
    activities), capex_usd_bn (NaN where the table has none), fcf_usd_bn (``ocf - capex``, NaN likewise).
    """
    table = snapshot.load_table(TABLE)
    frame = pd.DataFrame(
        {
            **company_years(table),
            "ocf_usd_bn": table["operating_cash_flow_musd"].astype(float) / 1e3,
            "capex_usd_bn": table["capex_musd"].astype(float) / 1e3,
        }
    )
    frame["fcf_usd_bn"] = frame["ocf_usd_bn"] - frame["capex_usd_bn"]
    return frame.sort_values(["ticker", "fiscal_year"]).reset_index(drop=True)


def company_cash_flow(frame: pd.DataFrame, ticker: str, year: int, column: str) -> float:
    """One company-year value of ``cash_flows`` output ``frame`` (USD billions); missing is an error."""
    rows = frame.loc[(frame["ticker"] == ticker) & (frame["fiscal_year"] == year), column]
    if rows.empty or pd.isna(rows.iloc[0]):
        raise UserError(f"{TABLE}: no fiscal {year} {column.removesuffix('_usd_bn')} for {ticker}")
    return float(rows.iloc[0])


def cash_flow_total_usd_bn(frame: pd.DataFrame, tickers: Iterable[str], year: int, column: str) -> float:
    """``column`` summed over ``tickers`` in fiscal ``year`` (each company's own), USD billions."""
    return sum(company_cash_flow(frame, ticker, year, column) for ticker in tickers)


def capex_share_of_cash_flow_growth_pct(
    frame: pd.DataFrame,
    tickers: Iterable[str],
    start: int,
    end: int,
    capex_offsets_usd_bn: tuple[float, float] = (0.0, 0.0),
) -> float:
    """Growth in the companies' summed capex as a share of the growth in their summed operating cash
    flow (free cash flow before capex), fiscal ``start`` to ``end``, percent.

    ``capex_offsets_usd_bn`` are subtracted from the start- and end-year capex (e.g. Amazon's proceeds
    from property sales, for capex net of them). Over 100 means capex grew by more than the cash flow did.
    """
    tickers = list(tickers)
    if end <= start:
        raise UserError(f"cash-flow growth: end year {end} is not after start year {start}")
    ocf_growth = cash_flow_total_usd_bn(frame, tickers, end, "ocf_usd_bn") - cash_flow_total_usd_bn(
        frame, tickers, start, "ocf_usd_bn"
    )
    if ocf_growth <= 0:
        raise UserError(f"cash-flow growth: operating cash flow did not grow from {start} to {end}")
    capex = [
        cash_flow_total_usd_bn(frame, tickers, year, "capex_usd_bn") - offset
        for year, offset in zip((start, end), capex_offsets_usd_bn, strict=True)
    ]
    return 100 * (capex[1] - capex[0]) / ocf_growth


def cash_flow_values(
    financials: pd.DataFrame, years: tuple[int, int], msft_year: int
) -> dict[str, tuple[float | int, str]]:
    """The cash-flow figures the capex chapter publishes: the six companies' operating and free cash flow
    in ``years`` (USD billions), the share of their cash-flow growth that capex took (percent) under the
    sentence's reading and the others, and Microsoft's cash flow in fiscal ``msft_year`` and the year
    before. ``financials`` is ``filings.financials()`` output (for Amazon's proceeds from property sales).

    Keys ending ``__<kind>`` are alternative readings of a claim's result (the kinds are declared in the
    claims registry).
    """
    frame = cash_flows()
    first, second = years
    earlier = first - 1
    proceeds = (
        company_value(financials, "AMZN", first, "proceeds_usd_bn"),
        company_value(financials, "AMZN", second, "proceeds_usd_bn"),
    )
    share = capex_share_of_cash_flow_growth_pct(frame, BIG_SIX, first, second)
    msft = {
        column: company_cash_flow(frame, "MSFT", msft_year, column)
        for column in ("ocf_usd_bn", "capex_usd_bn", "fcf_usd_bn")
    }
    msft_prior_fcf = company_cash_flow(frame, "MSFT", msft_year - 1, "fcf_usd_bn")
    values: dict[str, tuple[float | int, str]] = {
        f"big_six_ocf_{year}_usd_bn": (
            cash_flow_total_usd_bn(frame, BIG_SIX, year, "ocf_usd_bn"),
            "USD billion",
        )
        for year in (earlier, *years)
    }
    values.update(
        {
            f"big_six_fcf_{year}_usd_bn": (
                cash_flow_total_usd_bn(frame, BIG_SIX, year, "fcf_usd_bn"),
                "USD billion",
            )
            for year in (earlier, *years)
        }
    )
    values.update(
        {
            "cash_flow_start_year": (first, "year"),
            "cash_flow_end_year": (second, "year"),
            "cash_flow_earlier_year": (earlier, "year"),
            "capex_share_of_cash_flow_growth_pct": (share, "percent"),
            "capex_share_of_cash_flow_growth_pct__earlier-base": (
                capex_share_of_cash_flow_growth_pct(frame, BIG_SIX, earlier, second),
                "percent",
            ),
            "capex_share_of_cash_flow_growth_pct__net-capex": (
                capex_share_of_cash_flow_growth_pct(frame, BIG_SIX, first, second, proceeds),
                "percent",
            ),
            "msft_cash_flow_year": (msft_year, "year"),
            "msft_prior_year": (msft_year - 1, "year"),
            "msft_ocf_usd_bn": (msft["ocf_usd_bn"], "USD billion"),
            "msft_capex_filed_usd_bn": (msft["capex_usd_bn"], "USD billion"),
            "msft_fcf_usd_bn": (msft["fcf_usd_bn"], "USD billion"),
            "msft_fcf_usd_bn__operating-cash-flow": (msft["ocf_usd_bn"], "USD billion"),
            "msft_fcf_usd_bn__prior-fiscal-year": (msft_prior_fcf, "USD billion"),
        }
    )
    return values
