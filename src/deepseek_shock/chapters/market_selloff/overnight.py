"""Monday 27 January 2025 before New York opened: Nasdaq-100 futures and Tokyo's tech stocks.

Futures levels are the front-month E-mini Nasdaq-100 contract's (Yahoo Finance ``NQ=F``) in index points,
Tokyo prices are closes in yen per share, from the snapshot's documents table (each fact in two copies);
changes are percent. Monday's futures session opened at 18:00 New York time on Sunday, so its high
bounds every price traded before the US open: a high below Friday's close means the futures stood
lower at every moment of the session.
"""

from __future__ import annotations

from typing import Any

from deepseek_shock.chapters.market.event import PRESS_EVENT, PRESS_REFERENCE
from deepseek_shock.chapters.market.levels import world_close
from deepseek_shock.chapters.market.prices import decline_pct, price_on
from deepseek_shock.data.documents import stating

NQ_FACT = "nq-futures-2025-01-27"  # Friday's close / Monday's session high / Monday's close
# The Tokyo tech stocks the day's market reports named (Advantest, Tokyo Electron, Renesas Electronics,
# SoftBank Group): Friday's and Monday's closes.
TOKYO_FACTS: dict[str, str] = {
    "advantest": "tokyo-6857-2025-01-27",
    "tokyo_electron": "tokyo-8035-2025-01-27",
    "renesas": "tokyo-6723-2025-01-27",
    "softbank": "tokyo-9984-2025-01-27",
}
NIKKEI = "^N225"


def tokyo_declines_pct() -> dict[str, float]:
    """Each named Tokyo stock's fall from Friday's close to Monday's, percent, by its key."""
    return {key: decline_pct(*stating(fact).figures) for key, fact in TOKYO_FACTS.items()}


def overnight_values() -> dict[str, tuple[Any, str]]:
    """The futures' fall at Monday's session high and at its close, the Tokyo stocks' falls, and the
    smallest fall among the futures and Tokyo's tech stocks (or the Nikkei 225): positive if all fell."""
    friday, session_high, monday = stating(NQ_FACT).figures
    never_above = decline_pct(friday, session_high)
    tokyo = tokyo_declines_pct()
    nikkei = world_close(NIKKEI)
    nikkei_decline = decline_pct(price_on(nikkei, PRESS_REFERENCE), price_on(nikkei, PRESS_EVENT))
    return {
        "nq_futures_decline_pct": (decline_pct(friday, monday), "percent"),
        "nq_futures_least_decline_pct": (never_above, "percent"),
        **{f"tokyo_decline_pct_{key}": (fall, "percent") for key, fall in tokyo.items()},
        "futures_and_tokyo_tech_least_decline_pct": (min(never_above, *tokyo.values()), "percent"),
        "futures_and_tokyo_tech_least_decline_pct__nikkei": (min(never_above, nikkei_decline), "percent"),
    }
