"""Snapshot tables of market series beyond the core prices: index levels, funds, long histories, FX, GDP.

Every row keeps the ``source`` it was copied from (``owner/repo path@commit``, first 12 hex digits; full
commits in the reference folder's ``extracts-2/SOURCES.md`` and ``extracts-3/SOURCES-filings-markets.md``).
Prices are in USD per share unless a table says otherwise; index levels in index points.
"""

from __future__ import annotations

from deepseek_shock.data.schema import KnownGap, Provenance, Table, day, number, price, signed, text

SOURCE_COLUMN = "Where the row was copied from: owner/repo path@commit (first 12 hex digits)"

TABLES: tuple[Table, ...] = (
    Table(
        name="index_levels",
        title="Index levels (US, Europe, Asia)",
        description="Daily closes of the Nasdaq-100, Nasdaq Composite, S&P 500, Russell 2000, Euro Stoxx 50, "
        "STOXX Europe 600, Hang Seng, Shanghai Composite and CSI 300.",
        source_file="extracts-2/index_levels.csv",
        columns=(
            day("date", "Day of the close (the index's own exchange calendar)"),
            text(
                "ticker",
                "Yahoo Finance index symbol: ^NDX, ^IXIC, ^GSPC, ^RUT, ^STOXX50E, ^STOXX, ^HSI, "
                "000001.SS or 000300.SS",
            ),
            number("close", "float64", "index points", "Closing level"),
            text("source", SOURCE_COLUMN),
        ),
        key=("ticker", "date"),
    ),
    Table(
        name="index_levels_secondary",
        title="Index levels, second copies (cross-check)",
        description="The same index closes from other public copies, kept to cross-check index_levels.",
        source_file="extracts-2/index_levels_secondary.csv",
        columns=(
            day("date", "Day of the close"),
            text("ticker", "Yahoo Finance index symbol"),
            number("close", "float64", "index points", "Closing level"),
            text("source", SOURCE_COLUMN),
        ),
        key=("ticker", "source", "date"),
    ),
    Table(
        name="fund_closes",
        title="Sector and small-cap funds (unadjusted and adjusted closes)",
        description="Daily closes of the SPDR sector funds XLK, XLU and XLI, IWM and SPY, 2023-12-29 to "
        "September 2025: the traded close and the split- and dividend-adjusted close.",
        source_file="extracts-2/etf_closes_unadjusted.csv",
        columns=(
            day("date", "Trading day"),
            text("ticker", "Fund ticker"),
            price("close", "Closing price as traded (no split in the window)"),
            price("adj_close", "Closing price adjusted for dividends, September 2025 vintage"),
            text("source", SOURCE_COLUMN),
        ),
        key=("ticker", "date"),
    ),
    Table(
        name="long_histories",
        title="Leveraged funds, Tesla and MCHI: long histories",
        description="Daily closes of NVDL (since its first trading day), SOXL (since 2010), TSLA and MCHI, "
        "each from one or more public copies named row by row.",
        source_file="extracts-2/other_etf_stock_closes.csv",
        columns=(
            day("date", "Trading day"),
            text("ticker", "Ticker"),
            price("close", "Closing price on the row's basis"),
            text("basis", "adj (split- and dividend-adjusted, the source's vintage) or close (as traded)"),
            text("source", SOURCE_COLUMN),
        ),
        key=("ticker", "source", "basis", "date"),
    ),
    Table(
        name="nvda_2023",
        title="NVIDIA in 2023, before the 2024 split",
        description="NVIDIA's daily closes from 2022-12-30 to 2023-12-29 as traded before the 10-for-1 split "
        "of June 2024, with two adjusted series for comparison.",
        source_file="extracts-2/nvda_2023_presplit.csv",
        columns=(
            day("date", "Trading day"),
            text("ticker", "NVDA"),
            price("close_presplit_unadjusted", "Close as traded, before the 2024 split"),
            price("adj_close_presplit_2024vintage", "Adjusted close, pre-split basis (2024 vintage)"),
            price("adj_close_splitadj_2026vintage", "Adjusted close, split-adjusted (2026 vintage)"),
            text("source", SOURCE_COLUMN),
        ),
        key=("ticker", "date"),
    ),
    Table(
        name="world_closes",
        title="More world indexes, XLK since 2019 and Siemens Energy",
        description="Daily OHLC of the Nikkei 225, DAX, Shanghai Composite and CSI 300 to 2025-03-31, XLK "
        "from 2019 and Siemens Energy (ENR.DE, eight days around 27 January 2025).",
        source_file="extracts-3/markets_closes.csv",
        columns=(
            day("date", "Trading day (the listing's own exchange calendar)"),
            text("ticker", "Yahoo Finance symbol: ^N225, ^GDAXI, 000001.SS, 000300.SS, XLK or ENR.DE"),
            number("open", "float64", "index points, USD or EUR per share", "Opening level or price"),
            number("high", "float64", "index points, USD or EUR per share", "Daily high"),
            number("low", "float64", "index points, USD or EUR per share", "Daily low"),
            number("close", "float64", "index points, USD or EUR per share", "Closing level or price"),
            number(
                "adj_close",
                "float64",
                "USD or EUR per share",
                "Adjusted close, where the source has one",
                nullable=True,
            ),
            text("basis", "How the row's prices are adjusted, as the source states it"),
            text("source", SOURCE_COLUMN),
        ),
        key=("ticker", "date"),
    ),
    Table(
        name="hstech_closes",
        title="Hang Seng TECH Index",
        description="Daily closes of the Hang Seng TECH Index (and, as a check on the copy, the Hang Seng "
        "Index) from 31 December 2024 to 31 March 2025.",
        source_file="hstech_closes.csv",
        columns=(
            day("date", "Hong Kong trading day"),
            number("hstech_close", "float64", "index points", "Hang Seng TECH Index close"),
            number("hsi_close", "float64", "index points", "Hang Seng Index close in the same file"),
            text("source", SOURCE_COLUMN),
        ),
        key=("date",),
    ),
    Table(
        name="usd_cny",
        title="US dollar to Chinese yuan",
        description="CNY per USD: FRED's DEXCHUS (noon buying rate in New York) and Yahoo's CNY=X, December "
        "2024 to March 2025.",
        source_file="extracts-2/usd_cny.csv",
        columns=(
            day("date", "Day of the rate"),
            text("series", "DEXCHUS (FRED) or CNY=X (Yahoo Finance)"),
            number("value", "float64", "CNY per USD", "Exchange rate"),
            text("source", SOURCE_COLUMN),
        ),
        key=("series", "source", "date"),
    ),
    Table(
        name="us_real_gdp",
        title="US real GDP",
        description="BEA's real GDP growth (percent, quarter on quarter at an annual rate) and real GDP "
        "level "
        "(billions of chained 2017 dollars), as published by FRED, late-2025 vintage.",
        source_file="extracts-2/us_real_gdp.csv",
        columns=(
            text("date", "First day of the quarter (YYYY-MM-DD), or the year for the derived annual row"),
            text(
                "series",
                "A191RL1Q225SBEA (growth, percent SAAR), GDPC1 (level, USD billions, chained "
                "2017) or GDPC1_annual_avg_growth_pct_DERIVED (2024 annual-average growth, percent)",
            ),
            signed("value", "percent or USD billions (chained 2017)", "The series' value"),
            text("source", SOURCE_COLUMN),
        ),
        key=("series", "source", "date"),
    ),
)

PROVENANCE: dict[str, Provenance] = {
    "index_levels": Provenance(
        source="Yahoo Finance downloads committed to public GitHub repositories, one file per index: ^NDX "
        "from "
        "YoussefKh200/Slow-Turtle-Research data/^NDX.csv at commit 52d7b0ca70bc5acfe46c6c6bcf70a657a46c4de4; "
        "^IXIC and ^GSPC from guydekowski/market-lab data/IXIC.csv and GSPC.csv at commit "
        "6a10f1b94830e174ee943263e11a5819ee5aac7b; ^RUT, ^STOXX50E, ^HSI and 000001.SS from "
        "tapi262/portfolio_opt "
        "data/<symbol>.csv at commit 5949e4c354c93641bffcb7e9042c88e54f8ef78a; ^STOXX from "
        "alitalbi/storage_data_fy "
        "^STOXX.csv at commit 941406838f8b8a613f95450e8df70f806c1de58a; 000300.SS from "
        "AZScience/mohinhdudoan "
        "data/000300.SS.csv at commit d377d5649c4fb30d868abaad321a091527f7bdae. Each row names its file.",
        adjustment_basis="Price-index closing levels (dividends not reinvested); adjustment does not apply "
        "to "
        "an index. Rows kept: 2022-12-30, 2023-12-29 and every day from then on for ^NDX, ^IXIC and ^GSPC; "
        "December 2024 to spring 2025 (and 2023-12-29) for the others.",
        caveats=(
            "Cross-checked against index_levels_secondary (other copies) and FRED (the indexes table): ^NDX "
            "identical on 81 of 81 days Dec 2024 - Mar 2025; ^IXIC equal to 0.01 except 2024-12-05 "
            "(19700.26 vs "
            "FRED 19700.72); ^GSPC within 0.0002 of FRED.",
            "^HSI has no row for 2025-01-31 (Hong Kong reopened that day); Shanghai and Shenzhen were closed "
            "from 28 January to 4 February 2025.",
            "Check values 2025-01-24 / 2025-01-27: ^NDX 21774.01 / 21127.28; ^STOXX50E 5219.37 / 5188.45; "
            "^HSI "
            "20066.19 / 20197.77.",
        ),
    ),
    "index_levels_secondary": Provenance(
        source="Second public copies of the same Yahoo Finance index downloads (hjyssg/tqqq_simulation at "
        "commit 850cf4ee9eb078643663396487bada01a027a70e, tapi262/portfolio_opt, alitalbi/storage_data_fy "
        "and "
        "others, each row naming its file).",
        adjustment_basis="As index_levels.",
        caveats=(
            "Kept only to cross-check index_levels: agreement between two Yahoo-derived copies proves copy "
            "fidelity, not an independent upstream; the FRED closes in the indexes table are the independent "
            "check for the S&P 500 and the Nasdaq Composite.",
        ),
    ),
    "fund_closes": Provenance(
        source="chenc319/Silverlight data/<TICKER>.csv at commit 903aaec326d11db8657314e24f9e68140018c1ab "
        "(Yahoo "
        "download layout with Close and Adj Close, auto_adjust=False).",
        adjustment_basis="close is the nominal traded close (XLK and XLU had no split before September "
        "2025); "
        "adj_close is split- and dividend-adjusted as of September 2025.",
        caveats=(
            "SPY's close equals the unadjusted SPY close of the prices table on all 81 days 2024-12-02 to "
            "2025-03-31, which confirms the close column is unadjusted.",
            "The 2026-vintage XLK and XLU adjusted series elsewhere (adj_close_secondary) are on a "
            "post-split "
            "basis, about half these levels: compare returns, not levels, across the two.",
            "Check values 2025-01-24 / 2025-01-27 (close): XLK 239.30 / 227.57; XLU 79.49 / 77.65; XLI "
            "141.07 / "
            "139.18; IWM 228.69 / 226.50.",
        ),
    ),
    "long_histories": Provenance(
        source="NVDL, SOXL, TSLA and MCHI adjusted closes from dsturdy/Factor_Attribution data/<TICKER>.csv "
        "at "
        "commit 712ab00cb7d01c788507bc417162a4269e29bf69; SOXL as traded (close) to 2024-04-01 from "
        "hjyssg/tqqq_simulation data/soxl.csv at commit 850cf4ee9eb078643663396487bada01a027a70e; TSLA and "
        "MCHI "
        "second copies from guydekowski/market-lab and AZScience/mohinhdudoan. Each row names its file.",
        adjustment_basis="basis=adj: split- and dividend-adjusted, 2026 vintage (levels depend on the "
        "vintage); "
        "basis=close: as traded.",
        caveats=(
            "A ticker can have rows from several copies: select one source (and basis) before computing "
            "returns.",
            "No unadjusted NVDL was found, and no unadjusted SOXL after 2024-04-01: returns are exact, "
            "levels are "
            "on the adjusted basis.",
            "Two SOXL copies differ by a constant ratio (0.98615 over 3,538 days): the same series.",
            "Check values (TSLA, adjusted = traded, no dividends): 2025-01-24 406.58, 2025-01-27 397.15.",
        ),
    ),
    "nvda_2023": Provenance(
        source="hjyssg/tqqq_simulation data/NVDA.csv (Yahoo Close and Adj Close, auto_adjust=False) at "
        "commit "
        "850cf4ee9eb078643663396487bada01a027a70e; the 2026-vintage adjusted series from "
        "guydekowski/market-lab "
        "data/NVDA.csv at commit 6a10f1b94830e174ee943263e11a5819ee5aac7b.",
        adjustment_basis="close_presplit_unadjusted is the traded price before the 10-for-1 split of June "
        "2024 (divide by 10 to compare with the prices table); the adjusted columns also reflect dividends.",
        caveats=(
            "Check values: 2022-12-30 close 146.14 and 2023-12-29 495.22 (495.22 / 10 = 49.522, the prices "
            "table's 2023-12-29 close).",
            "The 2026-vintage adjusted close is 1/10.018-1/10.022 of the pre-split close throughout (split "
            "and "
            "dividends).",
        ),
    ),
    "world_closes": Provenance(
        source="Yahoo Finance downloads committed to public repositories: ^N225, ^GDAXI and 000001.SS from "
        "tapi262/portfolio_opt at commit 5949e4c354c93641bffcb7e9042c88e54f8ef78a; 000300.SS from "
        "AZScience/mohinhdudoan at commit d377d5649c4fb30d868abaad321a091527f7bdae; XLK from "
        "chenc319/Silverlight "
        "at commit 903aaec326d11db8657314e24f9e68140018c1ab; ENR.DE from magiccpp/price_data ENR.DE.csv at "
        "commit 38648fd664574ab2fbefd07d201ab9532fee2001 (eight rows transcribed from the stored file).",
        adjustment_basis="Index levels are not adjusted; XLK has the traded close and a dividend-adjusted "
        "close; "
        "ENR.DE is in EUR per share as traded on Xetra.",
        caveats=(
            "Siemens Energy's row for 2025-01-24 in the only copy found is a zero-volume placeholder and "
            "was left "
            "out: its fall on 27 January cannot be measured close to close.",
            "The CSI 300's volumes in this source look wrong (tiny): use the levels only.",
        ),
    ),
    "hstech_closes": Provenance(
        source="edwardchin811227/hsi-dashboard data/hsi5f.csv as first committed (commit "
        "62410a9ca42a7b9ef887136f9a75a9bbe86387ea; the same values, to six decimals, at "
        "90380b8e49ce2bf0ad448b68aba9ddeb178bfdea), a dashboard's table of daily closes copied from a "
        "spreadsheet; copied into the project's data/reference/hstech_closes.csv.",
        adjustment_basis="Index levels, not adjusted.",
        caveats=(
            "One copy only. Its Hang Seng Index closes equal the index_levels table's ^HSI closes (another "
            "copy) on all 61 days, and its Hang Seng TECH closes match every figure the press printed for "
            "those days (documents table: +3.15% on 24 January, +0.77% on 28 January, 5,526.22 and +5.56% "
            "on 14 February, +6.53% on 21 February).",
            "Xinhua's report of 3 February gives 4,737.46 as a fall of 0.29%; this copy has the same level "
            "as a rise of 0.29% from 28 January, whose close agrees with Reuters' +0.77% for that day.",
            "The repository's update script fills later dates from an ETF by a linear fit; the rows here "
            "were in its first commit, before that script existed.",
        ),
        retrieved_at="2026-12-05",
    ),
    "usd_cny": Provenance(
        source="DEXCHUS (FRED, noon buying rate in New York) from codejoncode/congenial-fortnight "
        "data/DEXCHUS.csv at commit ea4e514ec08649695100b3bc8fcd582817dd5884; CNY=X (Yahoo) from "
        "alitalbi/storage_data_fy and hjyssg/tqqq_simulation.",
        adjustment_basis="Exchange rates as published; FRED's blank holiday values were dropped.",
        caveats=(
            "DEXCHUS was checked against a second copy (skyexry/cnyusd-volatility-modeling, commit "
            "1fd49961af7925e10b673bf8a4053161fd2d7cf4): identical December 2024 - March 2025, including "
            "2025-01-24 7.2440 and 2025-01-27 7.2507.",
            "DEXCHUS is flat 2025-01-28 to 2025-02-04 (7.2422): a holiday carry in China, not a market rate.",
            "CNY=X has rows from two copies (identical on 85 days): select one source.",
        ),
    ),
    "us_real_gdp": Provenance(
        source="FRED series A191RL1Q225SBEA (BEA real GDP growth) from three public copies with identical "
        "values (muhammadumarshinwari/top-down-credit-stress-test-large-us-banks at commit "
        "10d453fbc2d3ff48be6cc3d029f662affcc84790, LJKelly3141/ECON426-Homework11, "
        "fernandeztomy15-jpg/mi-primer-proyecto); GDPC1 from codejoncode/congenial-fortnight.",
        adjustment_basis="Seasonally adjusted annual rates (growth) and chained 2017 dollars (level), as "
        "revised to late 2025.",
        caveats=(
            "These are the latest revised values, not the advance estimates published in January 2025: the "
            "fourth quarter of 2024 reads 1.9 here against an advance estimate of 2.3.",
            "The 2024 annual growth row (2.79%) is derived here as the mean of 2024's quarterly levels over "
            "2023's, minus 1; BEA's own annual series (A191RL1A225NBEA) was not found.",
        ),
    ),
}

KNOWN_GAPS: tuple[KnownGap, ...] = (
    KnownGap(
        "No STAR 50 or KOSPI closes for January-February 2025 are in the snapshot (Korea's exchange was "
        "closed 27-30 January 2025 in any case); Hang Seng TECH closes are in hstech_closes.",
        ("index_levels", "world_closes", "hstech_closes"),
    ),
    KnownGap(
        "No S&P 500 sector index levels after 2021 (e.g. ^SP500-45): sector moves are rebuilt from the "
        "members' "
        "closes and fund weights (sp500_* tables) or read from the SPDR sector funds.",
        ("fund_closes", "sp500_member_closes"),
    ),
    KnownGap(
        "No pre-market trades or time-stamped futures quotes: the earliest price of a day in the snapshot is "
        "its regular-session open (the documents table holds the Nasdaq-100 futures' daily rows for 24 "
        "and 27 January 2025).",
        ("prices", "world_closes"),
    ),
    KnownGap(
        "No real-time (advance-estimate) vintage of US GDP: the growth figures are the late-2025 revision.",
        ("us_real_gdp",),
    ),
    KnownGap(
        "Siemens Energy's 2025-01-24 close is missing (a placeholder row in the only copy).",
        ("world_closes",),
    ),
)
