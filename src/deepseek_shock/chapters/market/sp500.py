"""The S&P 500 rebuilt from its members: weights, sector returns and contributions.

Method. No index-weight file exists for the event's dates, so a member's weight on day ``t`` is its
weight in an iShares Core S&P 500 ETF (IVV) holdings file of day ``b`` rolled with its own adjusted
close: ``w_i(t) = w_i(b) x P_i(t) / P_i(b)``, renormalised over the members that have both closes (a
buy-and-hold portfolio, which is how a cap-weighted index drifts between rebalances). Members without
closes are left out and the covered weights are scaled to the covered share of the file's weight, so a
weight reads as a share of the whole index. A group's return from ``a`` to ``b`` is the weighted mean
of its members' returns with weights as of ``a``; a member's contribution is its weight times its
return. Adjusted closes include dividends, so returns are total returns. Weights in percent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

IVV_ALIASES = {"BRKB": "BRK.B", "BFB": "BF.B"}  # iShares writes share classes without the dot
JANUARY_2025_LIST = date(2024, 12, 27)  # the members' list in force in January 2025
ONE_COMPANY = {"GOOG": "GOOGL", "FOX": "FOXA", "NWS": "NWSA"}  # second share classes, by company


def ivv_weights(as_of: date) -> pd.Series:
    """IVV's weight of each holding on ``as_of`` (percent of the fund), by member ticker."""
    table = snapshot.shared_table("sp500_weights")
    rows = table[table["as_of"] == pd.Timestamp(as_of)]
    if rows.empty:
        days = ", ".join(f"{day:%Y-%m-%d}" for day in sorted(table["as_of"].unique()))
        raise UserError(f"sp500_weights: no IVV holdings file of {as_of}; the snapshot has {days}")
    return rows.assign(ticker=rows["ticker"].replace(IVV_ALIASES)).groupby("ticker")["weight_pct"].sum()


def holdings_for(day: date) -> date:
    """The IVV holdings file a weight on ``day`` is rolled from: the latest dated on or before ``day``, or
    the earliest if every file is later (its weights are then rolled back)."""
    days = sorted(snapshot.shared_table("sp500_weights")["as_of"].unique())
    earlier = [stamp for stamp in days if stamp <= pd.Timestamp(day)]
    return pd.Timestamp(earlier[-1] if earlier else days[0]).date()


def member_closes(secondary: bool = False) -> pd.DataFrame:
    """Adjusted closes of the members (USD per share): one column per ticker, one row per day."""
    table = snapshot.shared_table("sp500_member_closes_secondary" if secondary else "sp500_member_closes")
    return table.pivot(index="date", columns="ticker", values="close")


def members(list_as_of: date = JANUARY_2025_LIST) -> pd.DataFrame:
    """The members' list of ``list_as_of``: ``name`` and ``gics_sector`` by ticker."""
    table = snapshot.shared_table("sp500_constituents")
    rows = table[table["list_as_of"] == pd.Timestamp(list_as_of)]
    if rows.empty:
        raise UserError(f"sp500_constituents: no list of {list_as_of}")
    return rows.set_index("ticker")[["name", "gics_sector"]]


def company_count(tickers: Iterable[str]) -> int:
    """How many companies ``tickers`` are, counting a company's second share class once."""
    return len({ONE_COMPANY.get(ticker, ticker) for ticker in tickers})


@dataclass(frozen=True)
class Weights:
    """Members' weights on ``day`` (percent of the whole index) and how much of the file they cover."""

    day: date
    weights: pd.Series
    covered_pct: float  # share of the holdings file's weight that has both closes, percent
    uncovered: tuple[str, ...]

    def of(self, tickers: Iterable[str]) -> float:
        """The combined weight of ``tickers`` (percent of the index; missing tickers weigh nothing)."""
        return float(self.weights.reindex(list(tickers)).fillna(0).sum())

    def largest_companies(self, n: int) -> pd.Series:
        """The ``n`` largest companies' weights (share classes combined under the first class's ticker)."""
        by_company = self.weights.groupby(lambda ticker: ONE_COMPANY.get(ticker, ticker)).sum()
        return by_company.nlargest(n)


def rolled(base: pd.Series, closes: pd.DataFrame, base_day: date, day: date) -> Weights:
    """``base`` weights (percent, of the holdings file of ``base_day``) rolled to ``day`` with each
    member's close ratio, scaled to the covered share of the file (see the module's method)."""
    for needed in (base_day, day):
        if pd.Timestamp(needed) not in closes.index:
            raise UserError(f"sp500_member_closes: no closes on {needed}")
    ratio = (closes.loc[pd.Timestamp(day)] / closes.loc[pd.Timestamp(base_day)]).reindex(base.index)
    covered = ratio.notna()
    grown = base[covered] * ratio[covered]
    covered_pct = 100 * float(base[covered].sum() / base.sum())
    weights = grown / grown.sum() * covered_pct
    return Weights(day, weights, covered_pct, tuple(sorted(base.index[~covered])))


def index_weights(
    day: date,
    holdings: date | None = None,
    restrict_to: date | None = JANUARY_2025_LIST,
    secondary: bool = False,
) -> Weights:
    """Members' weights on ``day`` from the IVV file of ``holdings``, kept to the members' list of
    ``restrict_to`` (``None``: every holding). ``holdings`` defaults to ``holdings_for(day)``."""
    holdings = holdings or holdings_for(day)
    base = ivv_weights(holdings)
    if restrict_to is not None:
        base = base[base.index.isin(members(restrict_to).index)]
    return rolled(base, member_closes(secondary), holdings, day)


def returns(closes: pd.DataFrame, start: date, end: date) -> pd.Series:
    """Each member's return from ``start``'s close to ``end``'s, percent (members with both closes)."""
    for needed in (start, end):
        if pd.Timestamp(needed) not in closes.index:
            raise UserError(f"sp500_member_closes: no closes on {needed}")
    return (100 * (closes.loc[pd.Timestamp(end)] / closes.loc[pd.Timestamp(start)] - 1)).dropna()


def contributions(weights: Weights, moves: pd.Series) -> pd.Series:
    """Each member's contribution to the index's return, percentage points: its weight on the window's
    first day (a share of the whole index) times its return in percent."""
    common = weights.weights.index.intersection(moves.index)
    return weights.weights[common] / 100 * moves[common]


def rebuilt_return(weights: Weights, moves: pd.Series) -> float:
    """The index's return rebuilt from its members, percent: the members' contributions over the share
    of the index they weigh (members without a move are taken to move like the rest)."""
    common = weights.weights.index.intersection(moves.index)
    if common.empty:
        raise UserError("a rebuilt return needs at least one member with a weight and a move")
    return float(contributions(weights, moves).sum() / (weights.weights[common].sum() / 100))


def group_return(weights: Weights, moves: pd.Series, tickers: Iterable[str]) -> float:
    """The weighted mean return of ``tickers`` (percent), weights as of the window's first day."""
    chosen = weights.weights.reindex(list(tickers)).dropna()
    chosen = chosen[chosen.index.isin(moves.index)]
    if chosen.empty:
        raise UserError("a group return needs at least one member with a weight and a move")
    return float((chosen * moves[chosen.index]).sum() / chosen.sum())


def sector_tickers(sector: str, list_as_of: date = JANUARY_2025_LIST) -> list[str]:
    """The members of GICS ``sector`` in the list of ``list_as_of``."""
    listed = members(list_as_of)
    tickers = sorted(listed.index[listed["gics_sector"] == sector])
    if not tickers:
        known = ", ".join(sorted(set(listed["gics_sector"])))
        raise UserError(f"sp500_constituents: no sector {sector!r}; the list has {known}")
    return tickers


def sector_return(
    sector: str, start: date, end: date, holdings: date | None = None, secondary: bool = False
) -> float:
    """GICS ``sector``'s return from ``start``'s close to ``end``'s, percent: its members' weighted mean
    return, weights rolled from the IVV file of ``holdings`` to ``start``."""
    closes = member_closes(secondary)
    weights = index_weights(start, holdings, secondary=secondary)
    return group_return(weights, returns(closes, start, end), sector_tickers(sector))


def share_rising(start: date, end: date, secondary: bool = False) -> tuple[float, int, int]:
    """Members of the January 2025 list whose close rose from ``start`` to ``end``: (percent of those
    with both closes, how many rose, how many have both closes)."""
    moves = returns(member_closes(secondary), start, end)
    moves = moves[moves.index.isin(members().index)]
    rising = int((moves > 0).sum())
    return 100 * rising / len(moves), rising, len(moves)
