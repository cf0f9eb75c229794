"""The core snapshot tables: prices, FRED indexes, share counts, hyperscaler filings, electricity, compute.

The source is a folder shaped like the project's reference data (``prices/``, ``fundamentals/``,
``energy/``, ``training/``, documented by its ``SOURCES.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

from deepseek_shock.data.schema import (
    Column,
    KnownGap,
    Provenance,
    Row,
    Table,
    day,
    number,
    price,
    read_source,
    text,
)
from deepseek_shock.data.snapshot import SnapshotError

CORE_RETRIEVED_AT = "2026-11-22"  # the reference folder's SOURCES.md: retrieval date of every file
_FORM_RE = re.compile(r"(10-K|10-Q|20-F)\b")
_FILED_RE = re.compile(r"\bfiled (\d{4}-\d{2}-\d{2})\b")
NVDA_SHARES_FILE = "fundamentals/nvda_shares_outstanding.csv"
NVDA_SHARES_COLUMNS = (
    "as_of_date",
    "shares_outstanding",
    "split_basis",
    "concept",
    "form",
    "filed",
    "source",
)


def with_filing_fields(rows: list[Row], source_dir: Path, source_path: Path) -> list[Row]:
    """Shares rows with ``form`` and ``filed`` read from the ``filing`` text, NVDA checked against its file.

    ``nvda_shares_outstanding.csv`` repeats the NVDA rows; its structured form and filing date must agree
    with what the ``filing`` text says, and its rows are not added again.
    """
    derived = [Row(row.line, {**row.cells, **filing_fields(row, source_path)}) for row in rows]
    check_nvda_rows(derived, source_dir / NVDA_SHARES_FILE)
    return derived


def filing_fields(row: Row, source_path: Path) -> dict[str, str]:
    """``form`` (10-K, 10-Q or 20-F) and ``filed`` (ISO date or empty) from a row's ``filing`` text."""
    filing = row.cells["filing"]
    form = _FORM_RE.match(filing)
    if not form:
        raise SnapshotError(
            f"{source_path}: line {row.line}, column 'filing': {filing!r}; expected text starting with "
            "the form type (10-K, 10-Q or 20-F)"
        )
    filed = _FILED_RE.search(filing)
    return {"form": form.group(1), "filed": filed.group(1) if filed else ""}


def check_nvda_rows(rows: list[Row], nvda_path: Path) -> None:
    """Raise unless ``nvda_path`` holds exactly the NVDA rows of ``rows`` (as_of, shares, form, filed)."""
    ours = {r.cells["as_of"]: r.cells for r in rows if r.cells["ticker"] == "NVDA"}
    theirs = read_source(nvda_path, NVDA_SHARES_COLUMNS)
    for row in theirs:
        as_of = row.cells["as_of_date"]
        expected = ours.get(as_of)
        if expected is None:
            raise SnapshotError(
                f"{nvda_path}: line {row.line}: NVDA count as of {as_of} is not in shares_outstanding.csv; "
                "expected the same NVDA rows in both files"
            )
        pairs = {"shares_outstanding": "shares", "form": "form", "filed": "filed"}
        for theirs_name, ours_name in pairs.items():
            if row.cells[theirs_name] != expected[ours_name]:
                raise SnapshotError(
                    f"{nvda_path}: line {row.line}, column {theirs_name!r}: {row.cells[theirs_name]!r} but "
                    f"shares_outstanding.csv gives {expected[ours_name]!r} for NVDA as of {as_of}; "
                    "expected the two files to agree"
                )
    missing = sorted(set(ours) - {r.cells["as_of_date"] for r in theirs})
    if missing:
        raise SnapshotError(
            f"{nvda_path}: no NVDA row as of {', '.join(missing)}; expected the same NVDA rows as "
            "shares_outstanding.csv"
        )


TABLES: tuple[Table, ...] = (
    Table(
        name="prices",
        title="Daily prices (OHLCV)",
        description="Daily open, high, low, close, adjusted close and volume of NVDA and 19 other US-listed "
        "stocks and ETFs.",
        source_file="prices/daily_ohlcv.csv",
        columns=(
            day("date", "Trading day (US exchanges)"),
            text("ticker", "US ticker symbol"),
            price("open", "Opening price, split-adjusted, not dividend-adjusted"),
            price("high", "Daily high, split-adjusted, not dividend-adjusted"),
            price("low", "Daily low, split-adjusted, not dividend-adjusted"),
            price("close", "Closing price, split-adjusted, not dividend-adjusted"),
            price("adj_close", "Closing price adjusted for splits and dividends, as of the source's vintage"),
            number("volume", "int64", "shares", "Shares traded, split-adjusted"),
        ),
        key=("ticker", "date"),
    ),
    Table(
        name="adj_close_secondary",
        title="Adjusted closes, secondary source",
        description="Daily split- and dividend-adjusted closes of 26 stocks and ETFs from an independent "
        "source; for returns, not price levels.",
        source_file="prices/adj_close_secondary.csv",
        columns=(
            day("date", "Trading day (US exchanges)"),
            text("ticker", "US ticker symbol"),
            price("adj_close", "Close adjusted for splits and dividends as of mid-2026"),
        ),
        key=("ticker", "date"),
    ),
    Table(
        name="indexes",
        title="US market indexes (FRED)",
        description="Daily closes of the S&P 500, NASDAQ Composite, Dow Jones Industrial Average and VIX.",
        source_file="prices/us_indexes_fred.csv",
        columns=(
            day("date", "Day of the close"),
            text("series", "FRED series id: SP500, NASDAQCOM, DJIA or VIXCLS"),
            number(
                "value",
                "float64",
                "index points",
                "Closing level (VIXCLS: the VIX, in annualized volatility points)",
            ),
        ),
        key=("series", "date"),
    ),
    Table(
        name="shares_outstanding",
        title="Shares outstanding",
        description="Cover-page share counts around 2025-01-27 for the stocks in the report.",
        source_file="fundamentals/shares_outstanding.csv",
        columns=(
            text("ticker", "US ticker symbol"),
            day("as_of", "Date the filing gives for the count (not the filing date)"),
            number("shares", "int64", "shares", "Shares outstanding, as printed (not restated for splits)"),
            text("share_class_note", "Share class, split basis, rounding and selection notes"),
            Column("form", "str", "", "Form type (10-K, 10-Q, 20-F), read from filing", derived=True),
            Column(
                "filed",
                "date",
                "",
                "Filing date, read from filing; empty when not recorded",
                nullable=True,
                derived=True,
            ),
            text("filing", "The filing the count comes from, as described in the source"),
            text("source", "Where the number was read"),
        ),
        key=("ticker", "as_of"),
        extra_sources=(NVDA_SHARES_FILE,),
        transform=with_filing_fields,
    ),
    Table(
        name="hyperscaler_financials",
        title="Hyperscaler revenue and capital expenditure",
        description="Annual revenue and capex of Microsoft, Apple, Alphabet, Meta, Amazon and Oracle, "
        "fiscal years 2015-2024.",
        source_file="fundamentals/hyperscaler_capex_revenue.csv",
        columns=(
            text("company", "Company name"),
            text("ticker", "US ticker symbol"),
            Column("fiscal_year", "int64", "year", "Fiscal year as labelled by the company"),
            day("fiscal_year_end", "Last day of the fiscal year"),
            number("revenue_usd", "int64", "USD", "Total revenue (net sales), as reported"),
            number("capex_usd", "int64", "USD", "Cash purchases of property and equipment"),
            text("capex_definition", "Cash-flow line and XBRL concept used for capex"),
            text("finance_lease_note", "Treatment of assets acquired under finance leases"),
            text("revenue_source", "Where the revenue figure was read"),
            text("capex_source", "Where the capex figure was read"),
            text("notes", "Restatements and presentation notes; empty when none", nullable=True),
        ),
        key=("ticker", "fiscal_year"),
    ),
    Table(
        name="datacenter_electricity",
        title="US data-center electricity use (LBNL)",
        description="US data-center electricity use from the 2024 LBNL report: 2014, 2018 and 2023 "
        "estimates and the 2028 projection range.",
        source_file="energy/us_datacenter_electricity_lbnl.csv",
        columns=(
            Column("year", "int64", "year", "Calendar year"),
            number("value_twh", "float64", "TWh", "Data-center electricity use"),
            text("value_type", "estimate, projection_low or projection_high"),
            number(
                "share_of_us_electricity_pct",
                "float64",
                "percent",
                "The report's share of total US electricity; empty when not given",
                nullable=True,
            ),
            text("report", "The LBNL report cited"),
            text("source", "Where the figure was read"),
            text("quote", "Verbatim sentence giving the figure"),
            text("source_grade", "primary (DOE release) or secondary"),
        ),
        key=("year", "value_type"),
    ),
    Table(
        name="us_electricity",
        title="US electricity consumption (EIA)",
        description="Annual US electricity retail sales, direct use and total end use, 2013-2023.",
        source_file="energy/us_electricity_total_eia.csv",
        columns=(
            Column("year", "int64", "year", "Calendar year"),
            number("retail_sales_twh", "float64", "TWh", "Sales to ultimate customers, all sectors"),
            number(
                "direct_use_twh",
                "float64",
                "TWh",
                "Electricity produced and used on site; empty when not found",
                nullable=True,
            ),
            number(
                "total_end_use_twh",
                "float64",
                "TWh",
                "Retail sales plus direct use (EIA total consumption); empty when not found",
                nullable=True,
            ),
            text("source", "EIA tables the row was read from"),
        ),
        key=("year",),
    ),
    Table(
        name="training_compute",
        title="Training compute and cost",
        description="Reported training compute, cost and scale of DeepSeek-V3 and Llama 3.1, one value per "
        "model and metric.",
        source_file="training/training_compute.csv",
        columns=(
            text("model", "Model as named by its developer"),
            text("metric", "What the value measures, e.g. total_training_gpu_hours"),
            number(
                "value",
                "float64",
                "see unit",
                "The reported value, abbreviations (K, M, B, T) multiplied out",
            ),
            text("unit", "Unit of value, e.g. H800 GPU-hours, USD, parameters, tokens, tCO2eq"),
            text("source", "Document the value was read from"),
            text("quote", "Verbatim text giving the value"),
        ),
        key=("model", "metric"),
    ),
)
PROVENANCE: dict[str, Provenance] = {
    "prices": Provenance(
        source="GitHub blakeweaver17-del/ai-infra-data, data/prices/<TICKER>.csv at commit "
        "07cdbe1f52ae9f9dba4076891a67c51bcb71fdf9; its README says prices come from yfinance by default "
        "(Tiingo if an API key is set).",
        adjustment_basis="open, high, low and close are split-adjusted but not dividend-adjusted (the "
        "nominal traded price, restated for later splits); adj_close is split- and dividend-adjusted as of "
        "the time the file was written, so its level depends on that vintage; volume is split-adjusted.",
        caveats=(
            "NVDA split 10-for-1, with split-adjusted trading from 2024-06-10: earlier NVDA prices are "
            "divided by 10 and rounded to 3 decimals (e.g. 2023-12-29 close 49.522), and volumes multiplied "
            "by 10.",
            "Coverage: NVDA 2023-12-29 to 2025-03-31 (313 trading days); AVGO, TSM, MU, ARM, AMD, SMCI, "
            "ASML, MSFT, GOOGL, AMZN, META, ORCL, VST, CEG, ETN, DLR, SPY, QQQ and SMH 2024-12-02 to "
            "2025-03-31 (81 trading days each).",
            "2025-01-09 (US markets closed for the national day of mourning) is correctly absent.",
            "Transcribed from the stored files, then checked per ticker: low <= open, close <= high; dates "
            "sorted and unique; close/adj_close ratio changing only on ex-dividend dates; adj_close a "
            "constant multiple (within 0.002) of adj_close_secondary.",
            "Check values, NVDA close: 2025-01-23 147.22, 2025-01-24 142.62, 2025-01-27 118.42, 2025-01-28 "
            "128.99.",
            "Cross-check not used: Spooky-Labs/Course-1 has NVDA 142.59 (2025-01-24) and 118.50 "
            "(2025-01-27), a single-venue feed that agrees within about 0.1%.",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
    "adj_close_secondary": Provenance(
        source="GitHub dsturdy/Factor_Attribution, data/<TICKER>.csv (columns Date, Close; runs to "
        "2026-08-03) at commit 712ab00cb7d01c788507bc417162a4269e29bf69, rounded to 4 decimals; that "
        "repository does not document where the prices come from.",
        adjustment_basis="Behaves like Yahoo auto-adjusted closes (split- and dividend-adjusted) as of "
        "mid-2026: for every ticker checked it is a constant multiple of prices.adj_close, so levels sit "
        "slightly below nominal prices (NVDA 2025-01-24: 142.4073 against an unadjusted close of 142.62).",
        caveats=(
            "Use for returns, not price levels: some ETF levels look far below early-2025 values (XLK "
            "118.62, NVDL 24.37 on 2025-01-24), possibly because of later splits; not verified against an "
            "unadjusted source.",
            "Coverage: 2023-12-29 to 2025-03-31 (313 trading days) for 26 tickers: NVDA, AVGO, TSM, MU, "
            "ARM, AMD, SMCI, ASML, MSFT, GOOGL, AMZN, META, AAPL, ORCL, VST, CEG, ETN, DLR, SPY, QQQ, DIA, "
            "XLK, SOXX, SOXL, NVDL, SMH.",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
    "indexes": Provenance(
        source="FRED series as committed on GitHub: SP500, NASDAQCOM and VIXCLS from "
        "XinyuLiu2403/acc102-macro-dashboard data/<SERIES>.csv at commit "
        "07b5c10bd01e67290e775ff441ff3c688e63e528 (downloaded from FRED, accessed April 2026); DJIA from "
        "paulhcoulter/market-data-validator data/DJIA.csv at commit "
        "bcf998481047951083070f00f3ba4aab4dbb47f4.",
        adjustment_basis="Index closing levels as published by FRED (price indexes, dividends not "
        "reinvested); blank or '.' holiday values were dropped.",
        caveats=(
            "Coverage: 2023-12-29 to 2025-03-31 for every series.",
            "VIXCLS has values on 10 dates when the NYSE was closed (e.g. 2025-01-09 and 2025-01-20): drop "
            "them when aligning with stock returns.",
            "Check values, 2025-01-24 / 2025-01-27: SP500 6101.24 / 6012.28, NASDAQCOM 19954.30 / 19341.83, "
            "DJIA 44424.25 / 44713.58, VIXCLS 14.85 / 17.90.",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
    "shares_outstanding": Provenance(
        source="SEC cover-page counts (dei:EntityCommonStockSharesOutstanding) from the SEC XBRL "
        "company-facts extracts in GitHub blakeweaver17-del/ai-infra-data data/financials/<TICKER>.json at "
        "commit a42097d19533ec07ff7cc66c086df3fd7e50f3b7 (fetched 2026-09-22) for NVDA, AVGO, TSM, MU, ARM, "
        "AMD, SMCI, ASML, MSFT, AMZN, ORCL, VST, CEG, ETN and DLR; XBRL cover-page renderings for AAPL and "
        "META; Alphabet's FY2024 10-K for GOOGL. Each row names its source.",
        adjustment_basis="Whole shares as printed for the as_of date, not restated for later splits; counts "
        "printed in thousands or millions were multiplied out (the note says so).",
        caveats=(
            "Per ticker: the latest count dated before 2025-01-27 and the first dated after; where the "
            "count dated before was published after the event, the last count published before it is added "
            "too (MSFT, TSM, ASML, AAPL). Compare filed with 2025-01-27 to know what was public.",
            "Pre-split rows: NVDA 2024-05-24 (10-for-1 split effective 2024-06-10) and SMCI 2024-04-30 "
            "(10-for-1 split effective 2024-10-01). AVGO counts are post-10-for-1-split from 2024-08-30.",
            "Multi-class totals: GOOGL is Class A + B + C (printed in millions, so exact only to the "
            "million; Class C trades as GOOG at a slightly different price), META is Class A + B (only A is "
            "listed); total shares times one class's price is an approximate market cap.",
            "TSM counts ordinary shares, not ADSs (1 ADS = 5 ordinary shares); ARM ordinary shares (1 ADS = "
            "1 share); ASML ordinary shares excluding treasury shares (the Nasdaq listing is the same "
            "share).",
            "Rounding: NVIDIA rounds the cover count to 10 million, Eaton to 0.1 million, Oracle to the "
            "thousand. DLR excludes operating-partnership units.",
            "form and filed are read from the filing text; the NVDA rows were checked against "
            "nvda_shares_outstanding.csv (same counts, forms and filing dates) and are not repeated.",
            "This source file was added on 2026-11-23, a day after the other files.",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
    "hyperscaler_financials": Provenance(
        source="SEC 10-K figures: Microsoft and Apple from XBRL-rendered statements in GitHub "
        "mccarthypm/anchor-research at commit df9764739f6747161f88f6d0fc1bc2c208b41d44; Alphabet, Meta, "
        "Amazon revenue and Oracle from SEC company-facts extracts in blakeweaver17-del/ai-infra-data; "
        "Amazon capex 2015-2023 from 10-K text in redhat-et/rag; Alphabet 2022 revenue, Meta revenue "
        "2018-2024 and Amazon 2024 capex from financial-data web pages. Each row names its sources.",
        adjustment_basis="USD (filings report USD millions; multiplied by 1,000,000). Fiscal years as the "
        "companies label them: Microsoft ends June 30, Apple the last Saturday of September, Oracle May 31; "
        "Alphabet, Amazon and Meta use the calendar year. Capex is the cash 'purchases of property and "
        "equipment' line in every case.",
        caveats=(
            "Capex excludes assets acquired under finance leases, which are large for Microsoft, Amazon and "
            "Meta.",
            "Amazon capex is gross of 'proceeds from property and equipment sales and incentives' (given in "
            "notes); a 2024 figure of 83,004 (USD m) is sometimes quoted but was not found in any source.",
            "Microsoft revenue is as first reported: the FY2018 10-K restated FY2016 to 91,154 and FY2017 "
            "to 96,571 (USD m) under ASC 606.",
            "Alphabet 2015 capex is 9,950 (USD m) as presented in the FY2017 10-K (originally 9,915); "
            "Alphabet 2022 revenue comes from stock-analysis-on.net.",
            "Meta 2020 and 2021 capex are the XBRL gross values (15,163 and 18,690 USD m), not the printed "
            "net lines (15,115 and 18,567); 2022 is 31,186 as re-presented (originally 31,431).",
            "Oracle FY2020 revenue carries a 3-month start date in the XBRL extract (a tagging artefact); "
            "the value equals Oracle's FY2020 total.",
            "Ends at fiscal 2024. For reference only, not in the table: Microsoft FY2025 capex 64,551; "
            "Oracle FY2025 revenue 57,399 and capex 21,215 (USD m).",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
    "datacenter_electricity": Provenance(
        source="Shehabi et al. (2024), 2024 United States Data Center Energy Usage Report, LBNL-2001637, "
        "doi:10.71468/P1WC7Q, as quoted by the DOE press release of 2024-12-20 (2014, 2023, 2028) and by "
        "secondary reports (2018: RTO Insider, Mercom).",
        adjustment_basis="Annual electricity use of US data centers in TWh, as the report states it; 2028 "
        "is a projection range (projection_low and projection_high rows); shares are the report's own "
        "percentages of total US electricity.",
        caveats=(
            "2018 (76 TWh, 1.9%) is secondary (source_grade says so); the report's 'about 60 TWh' for "
            "2014-2016 is the rounded form of the release's 58 TWh for 2014.",
            "No share is given for 2014 (empty cell).",
            "LBNL's 2025 update (LBNL-2001758) reportedly gives 192 TWh for 2024 and revises earlier years "
            "slightly down; it is not used. Keep to one vintage.",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
    "us_electricity": Provenance(
        source="EIA Electric Power Monthly Table 5.1 ('Data for June 2024', released 2024-08-23) for retail "
        "sales 2014-2023; EIA Electric Power Annual 2015 Table 2.2 (archived) for 2013; EIA Monthly Energy "
        "Review Table 7.1 (vintage with data through 2022-11, as committed at GitHub SuriyaSureshkumar/MBD) "
        "for direct use and total end use 2013-2021.",
        adjustment_basis="Annual totals in TWh (thousand MWh divided by 1,000). retail_sales_twh is sales "
        "to ultimate customers; direct_use_twh is electricity produced and used on site; total_end_use_twh "
        "is their sum, which EIA calls total electricity consumption.",
        caveats=(
            "2022-2023 values are from the mid-2024 vintage and may have been revised slightly since.",
            "Retail sales versus total end use: LBNL's '4.4% of total U.S. electricity' for 2023 implies "
            "about 4,000 TWh (176 / 0.044), more than 2023 retail sales (3,861 TWh), so LBNL's denominator "
            "is probably total consumption including direct use, or another vintage. Shares computed on "
            "retail sales will not reproduce LBNL's percentages exactly.",
            "The Monthly Energy Review's retail sales equal the Electric Power Monthly values exactly.",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
    "training_compute": Provenance(
        source="DeepSeek-V3 Technical Report (arXiv:2412.19437), PDF at GitHub deepseek-ai/DeepSeek-V3 "
        "DeepSeek_V3.pdf at release commit 4c2fdb8f55e049553b9f4f1a3241f86d739c8cf8 (text extracted with "
        "pypdf), corroborated by the repository README; Llama 3.1 model card, GitHub "
        "meta-llama/llama-models models/llama3_1/MODEL_CARD.md at commit "
        "e2e67cd8b0feca839666b7082dcc1c4fc0ae11e2. Each row carries its verbatim quote.",
        adjustment_basis="Values as reported, in each row's unit (GPU-hours, USD, GPUs, parameters, tokens, "
        "tCO2eq); abbreviations such as 2664K or 30.84M multiplied out.",
        caveats=(
            "DeepSeek's USD 5.576M is a notional rental cost of the final training run only, at an assumed "
            "USD 2 per H800 GPU-hour; it excludes prior research and ablation experiments.",
            "Llama 3.1 GPU-hours are on H100-80GB, DeepSeek-V3's on H800: different GPU types. Meta gives "
            "no dollar figure.",
            "Llama 3.1 pretraining tokens are approximate ('~15 trillion'); Llama totals are under the "
            "model name 'Llama 3.1 (8B+70B+405B)'.",
        ),
        retrieved_at=CORE_RETRIEVED_AT,
    ),
}
KNOWN_GAPS: tuple[KnownGap, ...] = (
    KnownGap(
        "No unadjusted OHLCV for AAPL, DIA, XLK, SOXX, SOXL and NVDL, and none for tickers other than NVDA "
        "before 2024-12-02: only adjusted closes exist (adj_close_secondary).",
        ("prices", "adj_close_secondary"),
    ),
    KnownGap("No ^GSPC, ^IXIC or ^DJI OHLC: only the FRED daily closes.", ("indexes",)),
    KnownGap(
        "EIA 2024 annual US electricity retail sales are missing (no 2024 row), as are direct use and total "
        "end use for 2022-2023 (empty cells).",
        ("us_electricity",),
    ),
    KnownGap(
        "The LBNL report PDF itself was not reachable: values are quoted from the DOE release, and 2018 "
        "rests on secondary quotes.",
        ("datacenter_electricity",),
    ),
    KnownGap(
        "Amazon finance-lease acquisitions for 2020 and 2024 were not collected (Amazon's 2024 capex, taken "
        "from a financial-data site here, is confirmed by its 10-K in the cash_flows table).",
        ("hyperscaler_financials",),
    ),
    KnownGap(
        "GOOGL: the Q3-2024 10-Q cover count (as of 2024-10-22) was not found; the 'before' row is the "
        "2024-12-31 balance-sheet count.",
        ("shares_outstanding",),
    ),
    KnownGap(
        "META: the 10-K cover count as of 2025-01-24 could not be retrieved; the 'after' row is 2025-04-25.",
        ("shares_outstanding",),
    ),
    KnownGap(
        "SMCI: no count between 2024-04-30 (pre-split) and 2025-01-31.",
        ("shares_outstanding",),
    ),
    KnownGap(
        "TSM, ASML and ARM: annual counts only (foreign private issuers publish no interim cover counts).",
        ("shares_outstanding",),
    ),
)
