"""Snapshot tables of index members: the S&P 500's lists, closes, market values and fund weights, and
the Nasdaq-100's list.

Tickers follow the membership list (``BRK.B`` with a dot); the iShares holdings write ``BRKB`` and the
spelling is kept. Closes are adjusted (split and dividend): use them for returns, not for price levels.
"""

from __future__ import annotations

from deepseek_shock.data.schema import KnownGap, Provenance, Table, day, number, price, text

_SOURCE = "Where the row was copied from: owner/repo path@commit (first 12 hex digits)"


def member_closes(name: str, title: str, description: str, source_file: str) -> Table:
    """A table of members' adjusted closes (the primary copy and the cross-check share one schema)."""
    return Table(
        name=name,
        title=title,
        description=description,
        source_file=source_file,
        columns=(
            day("date", "Trading day"),
            text("ticker", "Member ticker"),
            price("close", "Close adjusted for splits and dividends (the source's vintage)"),
            text("basis", "adjusted"),
            text("source", _SOURCE),
        ),
        key=("ticker", "date"),
    )


TABLES: tuple[Table, ...] = (
    Table(
        name="sp500_constituents",
        title="S&P 500 members",
        description="The S&P 500's members with their GICS sectors, as listed on 24 December 2022, 18 "
        "December 2023 and 27 December 2024.",
        source_file="extracts-3/sp500_constituents.csv",
        columns=(
            text("ticker", "Ticker as the list writes it"),
            text("name", "Company name"),
            text("gics_sector", "GICS sector"),
            day("list_as_of", "Date of the list's version"),
            text("source", _SOURCE),
        ),
        key=("list_as_of", "ticker"),
    ),
    member_closes(
        "sp500_member_closes",
        "S&P 500 members' adjusted closes",
        "Adjusted closes of 496 of the 503 members of January 2025 on 47 dates: end-2022, January 2023, the "
        "holdings dates of 2023, end-2023, 2024-12-06 and every trading day from 2024-12-31 to 2025-01-31.",
        "extracts-3/sp500_member_closes.csv",
    ),
    member_closes(
        "sp500_member_closes_secondary",
        "S&P 500 members' adjusted closes, second copy (cross-check)",
        "The same members and dates from another public copy, to cross-check returns.",
        "extracts-3/sp500_member_closes_secondary.csv",
    ),
    Table(
        name="sp500_member_shares",
        title="S&P 500 members' market capitalisation",
        description="Market capitalisation and price of each member on 31 December 2024 and 31 January 2025, "
        "with the share count they imply.",
        source_file="extracts-3/sp500_member_shares.csv",
        columns=(
            text("ticker", "Member ticker"),
            day("as_of", "Day of the values"),
            number("shares", "float64", "shares", "Market capitalisation ÷ price (derived)", nullable=True),
            number("market_cap_usd", "float64", "USD", "Market capitalisation", nullable=True),
            number("price_usd", "float64", "USD per share", "Price", nullable=True),
            text("source", _SOURCE),
        ),
        key=("ticker", "as_of"),
    ),
    Table(
        name="nasdaq100_members",
        title="Nasdaq-100 members",
        description="The Nasdaq-100's members on 1 January 2025 (no change was announced for January 2025).",
        source_file="nasdaq100_members.csv",
        columns=(
            text("ticker", "Member ticker (a company with two share classes has two lines)"),
            day("list_as_of", "Date of the list"),
            text("source", _SOURCE),
        ),
        key=("list_as_of", "ticker"),
    ),
    Table(
        name="sp500_weights",
        title="iShares Core S&P 500 ETF (IVV) holdings",
        description="Every holding of IVV with its weight, on five dates from March 2023 to May 2025: the "
        "closest public record of S&P 500 index weights.",
        source_file="extracts-3/sp500_weights.csv",
        columns=(
            day("as_of", "Date of the holdings file"),
            text("ticker", "Ticker as iShares writes it"),
            text("name", "Holding name"),
            number("weight_pct", "float64", "percent", "Weight in the fund"),
            text("sector", "Sector as iShares writes it"),
            text("fund", "IVV"),
            number("fund_shares_held", "float64", "shares", "Shares the fund holds"),
            price("price", "Price in the holdings file"),
            number("market_value_usd", "float64", "USD", "Market value of the holding"),
            text("as_of_basis", "Where the as-of date comes from"),
            text("source", _SOURCE),
        ),
        key=("as_of", "ticker"),
    ),
)

PROVENANCE: dict[str, Provenance] = {
    "sp500_constituents": Provenance(
        source="datasets/s-and-p-500-companies data/constituents.csv (scraped from Wikipedia's list of S&P "
        "500 "
        "companies) at three commits: f455575f4e89aebf51dab5c91a470b41b68a4234 (2024-12-27, the January 2025 "
        "membership), 36abae771b2bd89d3e274ed32aa14d87a7694dcc (2023-12-18) and "
        "2f8dc5efbfae2019b098e82a27451f56bc235846 (2022-12-24).",
        adjustment_basis="Membership as listed on each version's date.",
        caveats=(
            "Wikipedia's table as scraped, not S&P's own file: changes can lag by a few days.",
            "503 lines for about 500 companies: some companies have two share classes (GOOGL and GOOG, FOXA "
            "and FOX, NWSA and NWS).",
        ),
    ),
    "sp500_member_closes": Provenance(
        source="dsturdy/Factor_Attribution data/<TICKER>.csv at commit "
        "712ab00cb7d01c788507bc417162a4269e29bf69 "
        "(484 tickers); dsci560-spr26/lab4 data/stock/<TICKER>.csv at commit "
        "afa137f39881bd4fb806d4f00efd166d8b0f8fec (9 tickers); Clashrohit/algo-US data/prices/<TICKER>.csv "
        "at "
        "commit beb8afaef5675884d00336d14c0a153d4455b47f (3 tickers). Each row names its file.",
        adjustment_basis="Split- and dividend-adjusted (Yahoo auto-adjusted), vintages of early to mid "
        "2026: a "
        "one-day return is a total return; levels depend on the vintage.",
        caveats=(
            "7 of the 503 January-2025 members are missing (ANSS, DFS, FI, HES, JNPR, PARA, WBA): all later "
            "acquired, delisted or renamed.",
            "SW before 2024-07-08 and GEHC before 2023-01-04 were left out (stale or when-issued rows).",
        ),
    ),
    "sp500_member_closes_secondary": Provenance(
        source="Second public copies of the members' adjusted closes (dsci560-spr26/lab4 at commit "
        "afa137f39881bd4fb806d4f00efd166d8b0f8fec and others, each row naming its file).",
        adjustment_basis="As sp500_member_closes (a different vintage: compare returns, not levels).",
        caveats=("Kept only to cross-check sp500_member_closes.",),
    ),
    "sp500_member_shares": Provenance(
        source="datasets/s-and-p-500-companies-financials data/constituents-financials.csv (yfinance "
        "Ticker.info marketCap and currentPrice, stored monthly by a GitHub Action) at commits "
        "9f63bc5d67ab6499099c7ef3f1f2cd1d3c8d3db1 (as of 2024-12-31) and "
        "67dd99e9d57aee5faf4b7d9e987b83c33041b90d "
        "(as of 2025-01-31).",
        adjustment_basis="shares = market_cap_usd ÷ price_usd, derived; a multi-class company carries its "
        "whole capitalisation on each class's line.",
        caveats=(
            "Market capitalisation here is the whole company's, not the float-adjusted value an index "
            "weights "
            "by.",
            "NVDA's implied shares jump 3.8% from 2024-12-31 to 2025-01-31 (24.49 to 25.42 billion) while "
            "its "
            "10-K counts 24.40 billion: the 2025-01-31 figure should not value NVDA.",
        ),
    ),
    "nasdaq100_members": Provenance(
        source="GregKon/nasdaq100tickers nasdaq_100_ticker_history/n100-ticker-changes-2025.yaml (key "
        "tickers_on_Jan_1) at commit 034495eb84d8e05dfd19e19a3b8b13508deecd38, compiled from Nasdaq's "
        "announcements of index changes; copied into the project's data/reference/nasdaq100_members.csv.",
        adjustment_basis="Membership as listed on 1 January 2025.",
        caveats=(
            "101 lines for 100 companies: Alphabet's GOOGL and GOOG are two share classes of one company.",
            "The same repository's out/NASDAQ100_2024-12-31.csv lists the same 101 tickers.",
        ),
        retrieved_at="2026-12-05",
    ),
    "sp500_weights": Provenance(
        source="iShares Core S&P 500 ETF (IVV) holdings files committed to public repositories: "
        "vinnym202/GP1_and_GP2 at a3552b1ea4ca75e37b80683141d414cc075278ec (2023-03-24), "
        "martinbel/shiny-python "
        "at 11028ab3624860070a5be6004fc4fb22a4fb35b6 (2023-04-06), AdhamNader/Adham-Khedr_Quantative-Finance-"
        "Final-Project_QF-FALL-2023 at 3343ce8ff91b866dba0412c4e493d2f02d297f94 (2023-12-20, date inferred "
        "from "
        "its prices), dougdesigner/mags data/IVV_holdings.csv (2024-12-06) and "
        "Md905908324/data_bootcamp_final "
        "(2025-05-08); each row names its file.",
        adjustment_basis="Weights as the fund reports them on the file's date (float-adjusted market "
        "capitalisation, as the index).",
        caveats=(
            "No holdings file exists for the event's dates (24-31 January 2025): a weight on those days is "
            "rolled forward from 2024-12-06 with each member's return, and the method is stated where used.",
            "Only equity lines are kept (cash and futures dropped), so weights sum to 99.7-99.9% a date.",
        ),
    ),
}

KNOWN_GAPS: tuple[KnownGap, ...] = (
    KnownGap(
        "Seven S&P 500 members of January 2025 have no closes (ANSS, DFS, FI, HES, JNPR, PARA, WBA), about "
        "0.5% "
        "of the index by weight; no unadjusted member closes in bulk.",
        ("sp500_member_closes",),
    ),
)
