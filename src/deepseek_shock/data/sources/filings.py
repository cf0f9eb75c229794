"""Snapshot tables from company filings: six hyperscalers' cash flows and NVIDIA's quarters.

Money in USD millions as the filings print it. Fiscal years are the companies' own: Microsoft's ends on
30 June, Apple's in late September, Oracle's on 31 May and NVIDIA's in late January (NVIDIA's fiscal 2025
ended on 26 January 2025); Alphabet, Amazon and Meta use the calendar year.
"""

from __future__ import annotations

from deepseek_shock.data.schema import KnownGap, Provenance, Table, day, number, signed, text

TABLES: tuple[Table, ...] = (
    Table(
        name="cash_flows",
        title="Hyperscalers' operating cash flow and capex (10-K)",
        description="Net cash from operating activities and purchases of property and equipment of "
        "Alphabet, Amazon, Meta, Microsoft, Oracle and Apple, fiscal 2015-2025.",
        source_file="extracts-3/filings_cash_flows.csv",
        columns=(
            text("company", "Company name"),
            text("ticker", "US ticker"),
            number("fiscal_year", "int64", "", "Fiscal year, as the company labels it"),
            day("fiscal_year_end", "Last day of the fiscal year"),
            signed("operating_cash_flow_musd", "USD million", "Net cash provided by operating activities"),
            number(
                "capex_musd",
                "float64",
                "USD million",
                "Purchases of property and equipment (cash)",
                nullable=True,
            ),
            text(
                "filing_accession",
                "SEC accession number of the 10-K, where the source names it",
                nullable=True,
            ),
            text("source", "Where the values were copied from: owner/repo path@commit"),
            text("note", "First-reported or re-presented, and any later restatement"),
        ),
        key=("ticker", "fiscal_year"),
    ),
    Table(
        name="cash_flows_first_reported",
        title="Microsoft and Apple operating cash flow as first reported (cross-check)",
        description="Microsoft's and Apple's net cash from operating activities, fiscal 2015-2025, from the "
        "current-year column of each 10-K, with what later 10-Ks show for the same year.",
        source_file="extracts-2/ocf_msft_aapl.csv",
        columns=(
            text("ticker", "MSFT or AAPL"),
            number("fiscal_year", "int64", "", "Fiscal year"),
            text("fiscal_year_end", "Fiscal year end as the 10-K prints it (e.g. 'Sep 26, 2015')"),
            signed(
                "net_cash_from_operating_activities_usd_m",
                "USD million",
                "Net cash from operating activities",
            ),
            text("accession", "SEC accession number of the 10-K"),
            text("source", "Where the value was copied from: owner/repo path@commit"),
            text("same_value_in_later_10k", "The value later 10-Ks print for the same year", nullable=True),
        ),
        key=("ticker", "fiscal_year"),
    ),
    Table(
        name="nvda_quarters",
        title="NVIDIA revenue and net income by quarter (SEC XBRL)",
        description="NVIDIA's revenue and net income for each quarter and fiscal year 2023-2025.",
        source_file="extracts-3/filings_nvda_quarters.csv",
        columns=(
            number("fiscal_year", "int64", "", "NVIDIA fiscal year (ends late January)"),
            text("fiscal_quarter", "Q1-Q4, or FY for the whole year"),
            day("period_start", "First day of the period"),
            day("period_end", "Last day of the period"),
            number("revenue_musd", "float64", "USD million", "Revenue"),
            signed("net_income_musd", "USD million", "Net income"),
            text("form", "10-Q, 10-K, or derived (fourth quarter = year minus nine months)"),
            text("source", "Where the values were copied from: owner/repo path@commit"),
            text("note", "Which filing the value comes from, and how a derived value was computed"),
        ),
        key=("fiscal_year", "fiscal_quarter"),
    ),
    Table(
        name="nvda_quarters_secondary",
        title="NVIDIA's recent quarters from its press release (cross-check)",
        description="Revenue and net income for Q4 fiscal 2024 to Q4 fiscal 2025 from a copy of NVIDIA's "
        "results release of 26 February 2025 and two secondary summaries.",
        source_file="extracts-2/nvda_quarterly_fy2024_2025.csv",
        columns=(
            text("fiscal_quarter", "Quarter, e.g. Q4 FY2025"),
            day("quarter_end", "Last day of the quarter"),
            number("revenue_usd_m", "float64", "USD million", "Revenue"),
            signed("net_income_usd_m", "USD million", "Net income"),
            text("source", "Where the values were copied from"),
            text("note", "What the source is; SECONDARY marks values not pinned to a repository commit"),
        ),
        key=("fiscal_quarter",),
    ),
)

PROVENANCE: dict[str, Provenance] = {
    "cash_flows": Provenance(
        source="SEC 10-K cash-flow statements as committed to public repositories: MSFT and AAPL from "
        "mccarthypm/anchor-research companies/<T>/sec_edgar/<accession>/statements (commit "
        "df9764739f6747161f88f6d0fc1bc2c208b41d44); AMZN FY2015-2023 from redhat-et/rag pdf-output/"
        "Amazon_INC_10k_<FY>.md (commit a1078fa21ca53b2f5402cffca41632ef137aff62) and FY2024 from "
        "jalajrastogi4/FinancialRAG_langgraph (commit 7eabd6998c3f4bd163e3880058612bc731366d9c); GOOGL, "
        "META and "
        "ORCL from the SEC XBRL company-facts extract blakeweaver17-del/ai-infra-data "
        "data/financials/<T>.json "
        "(commit a42097d19533ec07ff7cc66c086df3fd7e50f3b7), FY2024 of GOOGL and META also parsed from the "
        "10-K "
        "text. The reference folder's extracts-3/SOURCES-filings-markets.md lists every check.",
        adjustment_basis="As filed: MSFT, AAPL and AMZN values are first-reported (current-year column); "
        "GOOGL, "
        "META and ORCL before FY2024 are as re-presented in a later 10-K; each row's note says which.",
        caveats=(
            "Capex is the cash purchases line only: assets obtained under finance leases are excluded "
            "(material for Microsoft, Amazon and Meta).",
            "Free cash flow is not a column: where used it is computed as operating cash flow minus capex, "
            "which is no company's own definition.",
            "Amazon's FY2015 and FY2016 capex are the first-reported lines net of incentives (4,589 and "
            "6,737); "
            "the gross figures re-presented later (5,387 and 7,804) are those of hyperscaler_financials.",
            "Amazon's FY2025 capex is missing (not tagged in the extract).",
            "Capex agrees with hyperscaler_financials on 80 of 82 company-years; MSFT and AAPL operating "
            "cash "
            "flow agree with cash_flows_first_reported on every year.",
        ),
    ),
    "cash_flows_first_reported": Provenance(
        source="mccarthypm/anchor-research companies/<T>/sec_edgar/<accession>/statements/*CashFlows*.md at "
        "commit df9764739f6747161f88f6d0fc1bc2c208b41d44 (statements rendered from each 10-K's XBRL).",
        adjustment_basis="First-reported: the current-year column of each 10-K.",
        caveats=(
            "Restatements found in later 10-Ks: AAPL FY2016 65,824 -> 66,231 and FY2017 63,598 -> 64,225 "
            "(restricted-cash presentation); MSFT FY2015 29,080 -> 29,668.",
        ),
    ),
    "nvda_quarters": Provenance(
        source="SEC XBRL company facts (us-gaap:Revenues, NetIncomeLoss) for NVIDIA, from the extract "
        "blakeweaver17-del/ai-infra-data data/financials/NVDA.json at commit "
        "a42097d19533ec07ff7cc66c086df3fd7e50f3b7, transcribed from the stored copy and checked against "
        "NVIDIA's "
        "results release of 26 February 2025 (nvda_quarters_secondary).",
        adjustment_basis="As filed; the extract keeps the value of the latest filing that reports a period, "
        "so "
        "prior-year comparatives can be restated values. Fourth quarters are derived: the fiscal year minus "
        "the "
        "nine months to the third quarter.",
        caveats=(
            "Q4 rows (form 'derived') are not stand-alone facts in the filings.",
            "Check values: fiscal 2025 Q4 revenue 39,331 and net income 22,091 (USD million), equal to the "
            "results release.",
        ),
    ),
    "nvda_quarters_secondary": Provenance(
        source="A copy of NVIDIA's Q4 fiscal 2025 results release (amatelic/ao "
        "tests/assets/nvidia-report.md at "
        "commit e4d9c60bb84e1e8347d44821c508cf16c9d19341) for Q4 FY2024, Q3 FY2025 and Q4 FY2025; two "
        "summaries "
        "whose repository or commit could not be pinned for Q1 and Q2 FY2025 (marked SECONDARY).",
        adjustment_basis="As the release prints them (GAAP).",
        caveats=("Cross-check only: Q1 and Q2 fiscal 2025 rest on unpinned secondary copies.",),
    ),
}

KNOWN_GAPS: tuple[KnownGap, ...] = (
    KnownGap(
        "No finance-lease additions for most company-years, so no capex including leases; Amazon's FY2025 "
        "capex "
        "and every company's FY2025 revenue are missing.",
        ("cash_flows", "hyperscaler_financials"),
    ),
)
