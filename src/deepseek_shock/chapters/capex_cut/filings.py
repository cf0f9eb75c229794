"""Hyperscalers' capex and revenue from their 10-K filings, as the snapshot holds them.

Capex is the cash "purchases of property and equipment" line of each cash-flow statement, so assets
acquired under finance leases are not in it. Fiscal years are as the companies label them: Microsoft's
ends on 30 June, Apple's in late September and Oracle's on 31 May; Alphabet, Amazon and Meta use the
calendar year. Money in USD billions unless a name says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

TABLE = "hyperscaler_financials"
HYPERSCALERS: tuple[str, ...] = (
    "MSFT",
    "GOOGL",
    "AMZN",
    "META",
)  # the hyperscalers; AAPL, ORCL complete the six
BIG_SIX: tuple[str, ...] = ("GOOGL", "META", "AMZN", "MSFT", "AAPL", "ORCL")  # as seed 001 lists them
LEASE_NOTE_RE = re.compile(r"supplemental non-cash disclosure: ([\d,]+) USD m")
PROCEEDS_NOTE_RE = re.compile(
    r'Proceeds from property and equipment sales and incentives" \(([\d,]+) USD m\)'
)


def company_years(table: pd.DataFrame) -> dict[str, pd.Series]:
    """The columns that key a filings table: ticker, company, fiscal_year (int), fiscal_year_end."""
    return {
        "ticker": table["ticker"],
        "company": table["company"],
        "fiscal_year": table["fiscal_year"].astype(int),
        "fiscal_year_end": table["fiscal_year_end"],
    }


def amount_in_note(note: str, pattern: re.Pattern[str]) -> float | None:
    """The USD-millions figure ``pattern`` finds in a snapshot note, in USD billions; ``None`` if absent."""
    found = pattern.search(note or "")
    return int(found.group(1).replace(",", "")) / 1000 if found else None


def financials() -> pd.DataFrame:
    """The snapshot's hyperscaler table, one row per company and fiscal year, money in USD billions.

    Columns: ticker, company, fiscal_year, fiscal_year_end, revenue_usd_bn, capex_usd_bn,
    finance_lease_usd_bn (property acquired under finance leases, where the snapshot gives it, else NaN),
    proceeds_usd_bn (Amazon's proceeds from property sales and incentives, else NaN), capex_definition.
    """
    table = snapshot.load_table(TABLE)
    frame = pd.DataFrame(
        {
            **company_years(table),
            "revenue_usd_bn": table["revenue_usd"] / 1e9,
            "capex_usd_bn": table["capex_usd"] / 1e9,
            "finance_lease_usd_bn": [amount_in_note(n, LEASE_NOTE_RE) for n in table["finance_lease_note"]],
            "proceeds_usd_bn": [amount_in_note(n, PROCEEDS_NOTE_RE) for n in table["notes"]],
            "capex_definition": table["capex_definition"],
        }
    )
    return frame.astype({"finance_lease_usd_bn": float, "proceeds_usd_bn": float})


def known_tickers() -> tuple[str, ...]:
    """The tickers the snapshot's hyperscaler table covers, sorted."""
    return tuple(sorted(snapshot.load_table(TABLE)["ticker"].unique()))


def fiscal_years(tickers: Iterable[str]) -> list[int]:
    """The fiscal years for which every one of ``tickers`` has a row in the snapshot, ascending."""
    table = snapshot.load_table(TABLE)
    wanted = list(tickers)
    unknown = [ticker for ticker in wanted if ticker not in set(table["ticker"])]
    if unknown or not wanted:
        raise UserError(
            f"companies: unknown ticker {unknown[0]!r}" if unknown else "companies: expected at least one"
        )
    years = [set(table.loc[table["ticker"] == ticker, "fiscal_year"]) for ticker in wanted]
    return sorted(int(year) for year in set.intersection(*years))


def selected(frame: pd.DataFrame, tickers: Iterable[str]) -> pd.DataFrame:
    """The rows of ``frame`` for ``tickers``, in the order given, over the years they all share."""
    tickers = list(tickers)
    years = fiscal_years(tickers)
    rows = frame[frame["ticker"].isin(tickers) & frame["fiscal_year"].isin(years)].copy()
    rows["order"] = rows["ticker"].map({ticker: i for i, ticker in enumerate(tickers)})
    return rows.sort_values(["order", "fiscal_year"]).drop(columns="order").reset_index(drop=True)


def company_names(frame: pd.DataFrame) -> list[str]:
    """Company names in ``frame``, in order of first appearance."""
    return list(dict.fromkeys(frame["company"]))


def names_text(names: list[str]) -> str:
    """``["A", "B", "C"]`` as ``"A, B and C"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def capex_total_usd_bn(frame: pd.DataFrame, tickers: Iterable[str], year: int) -> float:
    """Summed capex of ``tickers`` in fiscal ``year`` (each company's own fiscal year), USD billions."""
    tickers = list(tickers)
    rows = frame[frame["ticker"].isin(tickers) & (frame["fiscal_year"] == year)]
    if len(rows) != len(tickers):
        missing = sorted(set(tickers) - set(rows["ticker"]))
        raise UserError(f"hyperscaler_financials: no fiscal {year} row for {', '.join(missing)}")
    return float(rows["capex_usd_bn"].sum())


def company_value(frame: pd.DataFrame, ticker: str, year: int, column: str) -> float:
    """One company-year value of ``frame`` (USD billions for money columns)."""
    rows = frame.loc[(frame["ticker"] == ticker) & (frame["fiscal_year"] == year), column]
    if rows.empty:
        raise UserError(f"hyperscaler_financials: no fiscal {year} row for {ticker}")
    return float(rows.iloc[0])
