"""Share counts from SEC filings, and the market values they give a listed price.

A count is in shares; a market value is a close (USD per listed share) times the listed shares, in USD.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from deepseek_shock.chapters.checks import positive as _finite_positive
from deepseek_shock.chapters.market.prices import Move
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

SHARE_COUNT_LABELS: dict[str, str] = {
    "in_force": "the latest count dated on or before the reference day",
    "published": "the latest count filed on or before the reference day",
    "next": "the first count dated after the event day",
    "given": "the count given with the shares_outstanding parameter",
}
_SPLIT_RE = re.compile(r"\bPRE (\d+)-for-(\d+) split \(effective (\d{4}-\d{2}-\d{2})\)")
_ADS_RE = re.compile(r"\b1 ADS = (\d+)")
BILLION = 1e9


@dataclass(frozen=True)
class ShareCount:
    """A count of shares outstanding and where it comes from.

    ``shares`` is the count as the filing prints it (or as given); ``per_listed_share`` is how many of
    those shares one listed share represents (5 for TSMC's ADS, else 1), so ``listed_shares`` is the
    count to multiply a listed price by. ``problem`` says why the count cannot value the snapshot's
    split-adjusted prices, or is ``None``.
    """

    ticker: str
    shares: float
    origin: str
    as_of: date | None = None
    form: str = ""
    filed: date | None = None
    filing: str = ""
    note: str = ""
    per_listed_share: float = 1.0
    problem: str | None = None

    @property
    def listed_shares(self) -> float:
        """Shares in units of the listed security (ADS-equivalents for an ADS), shares."""
        return self.shares / self.per_listed_share

    @property
    def usable(self) -> bool:
        """Whether the count can value the snapshot's prices."""
        return self.problem is None


def split_problem(note: str) -> str | None:
    """Why a count noted as pre-split cannot value split-adjusted prices, or ``None``."""
    match = _SPLIT_RE.search(note)
    if not match:
        return None
    new, old, effective = match.groups()
    return (
        f"the count predates the {new}-for-{old} split effective {effective}, while the snapshot's prices "
        f"are restated for it, so a market value from it would be off by a factor of {int(new) // int(old)}"
    )


def shares_per_listed_share(note: str) -> float:
    """Ordinary shares per listed share, read from a note such as '1 ADS = 5 common shares' (else 1)."""
    match = _ADS_RE.search(note)
    return float(match.group(1)) if match else 1.0


def share_count_rows(ticker: str) -> pd.DataFrame:
    """The snapshot's share counts for ``ticker``, oldest first (may be empty)."""
    table = snapshot.load_table("shares_outstanding")
    return table[table["ticker"] == ticker].sort_values("as_of").reset_index(drop=True)


def _from_row(row: Mapping[str, Any], origin: str) -> ShareCount:
    note = str(row["share_class_note"])
    filed = row["filed"]
    return ShareCount(
        ticker=str(row["ticker"]),
        shares=float(row["shares"]),
        origin=origin,
        as_of=row["as_of"].date(),
        form=str(row["form"]),
        filed=None if pd.isna(filed) else filed.date(),
        filing=str(row["filing"]),
        note=note,
        per_listed_share=shares_per_listed_share(note),
        problem=split_problem(note),
    )


def share_count(
    ticker: str, source: str, reference: date, event: date, given: float | None = None
) -> ShareCount | None:
    """The share count a run uses, or ``None`` when the snapshot has none for ``source``.

    ``given`` (shares of the listed security) overrides the snapshot. ``source`` is ``in_force`` (latest
    count dated on or before ``reference``), ``published`` (latest count filed on or before
    ``reference``) or ``next`` (first count dated after ``event``).
    """
    if given is not None:
        return ShareCount(ticker, _finite_positive("shares_outstanding", given), "given")
    rows = share_count_rows(ticker)
    if source == "in_force":
        rows = rows[rows["as_of"] <= pd.Timestamp(reference)].tail(1)
    elif source == "published":
        rows = rows[rows["filed"].notna() & (rows["filed"] <= pd.Timestamp(reference))].tail(1)
    elif source == "next":
        rows = rows[rows["as_of"] > pd.Timestamp(event)].head(1)
    else:
        raise UserError(f"share_count: expected in_force, published or next, got {source!r}")
    return None if rows.empty else _from_row(rows.iloc[0], source)


def share_count_caveats(count: ShareCount) -> list[str]:
    """What a reader should know about valuing a listed price with ``count``."""
    caveats = []
    if count.problem:
        caveats.append(f"Not used: {count.problem}.")
    if count.per_listed_share != 1:
        caveats.append(
            f"The filing counts ordinary shares; one listed ADS represents {count.per_listed_share:g} of "
            "them, so the count is divided accordingly and valued at the ADS price, which can differ from "
            "the home-market price."
        )
    if "TOTAL Class" in count.note:
        caveats.append(
            "The count adds up several share classes that trade at different prices (or not at all); "
            "valued at one class's price, the market value is approximate."
        )
    if "BALANCE-SHEET" in count.note:
        caveats.append("The count is a balance-sheet figure, not a cover-page count.")
    return caveats


def share_count_text(count: ShareCount | None, ticker: str, source: str) -> str:
    """One sentence saying which count is used, dated and sourced (or why there is none)."""
    if count is None:
        return (
            f"The snapshot has no share count for {ticker} that is {SHARE_COUNT_LABELS[source]}, so no "
            "market value is computed; give one with the shares_outstanding parameter."
        )
    if count.origin == "given":
        return f"The share count, {count.shares:,.0f} shares, is {SHARE_COUNT_LABELS['given']}."
    filed = f", filed {count.filed}" if count.filed else ", filing date not recorded"
    text = (
        f"The share count is {count.shares:,.0f} shares as of {count.as_of}, from {ticker}'s {count.form}"
        f"{filed}: {SHARE_COUNT_LABELS[count.origin]}."
    )
    return " ".join([text, *share_count_caveats(count)])


def market_value_usd(price: float, count: ShareCount) -> float:
    """``price`` (USD per listed share) times the count's listed shares, USD."""
    if not count.usable:
        raise UserError(f"share count for {count.ticker} as of {count.as_of} is not usable: {count.problem}")
    return float(price) * count.listed_shares


def value_change_usd(move: Move, count: ShareCount) -> float:
    """Change in market value over ``move`` at the constant ``count``, USD (negative for a loss)."""
    return market_value_usd(move.end_price, count) - market_value_usd(move.start_price, count)
