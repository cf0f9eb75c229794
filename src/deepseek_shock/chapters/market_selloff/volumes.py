"""Monday's most traded US ETFs: where the leveraged Nasdaq-100 and NVIDIA funds stood by shares traded.

The documents table holds the consolidated volume of 27 January 2025 (shares, as traded) of the funds
that traded most that day among those with a public copy of their daily bars. Only those funds are
counted, so a count of funds that traded more is a lower bound: other funds can only add to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from deepseek_shock.data.documents import stating

LEVERAGED_NASDAQ = ("TQQQ", "SQQQ")  # ProShares' 3x long and short Nasdaq-100 funds
LEVERAGED_NVIDIA = ("NVDL", "NVDQ")  # GraniteShares' 2x long and T-Rex's 2x short NVIDIA funds
OTHERS = ("SOXL", "SOXS", "SPXS")  # the other funds whose Monday volume the documents table holds


def monday_volumes() -> dict[str, float]:
    """Shares each documented fund traded on 27 January 2025, by ticker."""
    return {
        ticker: stating(f"etf-volume-2025-01-27-{ticker.lower()}").figures[0]
        for ticker in (*LEVERAGED_NASDAQ, *LEVERAGED_NVIDIA, *OTHERS)
    }


def busiest(family: Iterable[str], volumes: Mapping[str, float]) -> str:
    """The fund of ``family`` that traded the most shares."""
    return max(family, key=lambda ticker: volumes[ticker])


def funds_ahead(family: Iterable[str], volumes: Mapping[str, float]) -> int:
    """How many funds of ``volumes`` traded more shares than the family's most traded fund."""
    best = volumes[busiest(family, volumes)]
    return sum(1 for volume in volumes.values() if volume > best)


def volume_values() -> dict[str, tuple[Any, str]]:
    """Funds ahead of each leveraged family by shares traded on Monday, and the larger of the two
    counts (below five if both families were among the five most traded)."""
    volumes = monday_volumes()
    nasdaq, nvidia = funds_ahead(LEVERAGED_NASDAQ, volumes), funds_ahead(LEVERAGED_NVIDIA, volumes)
    return {
        "etf_volume_funds_counted": (len(volumes), "funds"),
        "leveraged_nasdaq_busiest": (busiest(LEVERAGED_NASDAQ, volumes), "text"),
        "leveraged_nvidia_busiest": (busiest(LEVERAGED_NVIDIA, volumes), "text"),
        "leveraged_nasdaq_funds_ahead": (nasdaq, "funds"),
        "leveraged_nvidia_funds_ahead": (nvidia, "funds"),
        "leveraged_families_funds_ahead": (max(nasdaq, nvidia), "funds"),
    }
