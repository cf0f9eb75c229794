"""Which of the application companies seed 001 names were already listed: S&P 500 membership.

The snapshot's ``sp500_constituents`` table holds the index's member lists (one per year); a member of
the S&P 500 is listed on a US exchange. A company absent from it may still be listed elsewhere, so the
count is a lower bound.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

TABLE = "sp500_constituents"
NAMED_APPS: tuple[str, ...] = ("Canva", "Adobe", "GitLab")  # as seed 001 names them
LIST_BEFORE = "2025-01-27"  # the sell-off: the last member list before it is the one the articles knew


def member_list(before: str) -> pd.DataFrame:
    """The S&P 500 member list (ticker, name) of the latest ``list_as_of`` on or before ``before``."""
    table = snapshot.load_table(TABLE)
    dates = table.loc[table["list_as_of"] <= pd.Timestamp(before), "list_as_of"]
    if dates.empty:
        raise UserError(f"{TABLE}: no member list on or before {before}")
    latest = table[table["list_as_of"] == dates.max()]
    return latest[["ticker", "name", "list_as_of"]].reset_index(drop=True)


def listed_members(names: Iterable[str], members: pd.DataFrame) -> list[str]:
    """The members of ``members`` whose name starts with one of ``names`` (case-insensitive), in the
    order of ``names``."""
    found = []
    for name in names:
        hits = members[members["name"].str.lower().str.startswith(name.lower())]
        found.extend(hits["name"])
    return found


def listing_values() -> dict[str, tuple[int | str, str]]:
    """How many of the named companies were S&P 500 members before the sell-off, which ones, and the
    date of that member list."""
    members = member_list(LIST_BEFORE)
    listed = listed_members(NAMED_APPS, members)
    return {
        "named_apps_listed_count": (len(listed), "companies"),
        "named_apps_listed": (", ".join(listed) or "none", "text"),
        "sp500_list_date": (members["list_as_of"].iloc[0].date().isoformat(), "date"),
    }
