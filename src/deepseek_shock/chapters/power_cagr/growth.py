"""Growth arithmetic: compound rates, doubling times, projections and shares.

Growth rates are in percent per year (``13`` means 13 % a year, never the fraction 0.13); durations in
years; a share is in percent of a total.
"""

from __future__ import annotations

import math

from deepseek_shock.chapters.checks import finite as _finite
from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.errors import UserError

MIN_RATE_PCT = -100.0  # exclusive: a fall of 100 % a year or more leaves nothing to compound
MAX_RATE_PCT = 1000.0  # inclusive: anything faster is treated as a typing error
SHARE_HALF_STEP_PCT = 0.05  # a share printed to one decimal (4.4 %) stands for anything within ±0.05


def growth_rate_pct(rate_pct: float, name: str = "rate") -> float:
    """A growth rate in percent per year, checked to lie above -100 (a fall of 100 % leaves nothing)."""
    rate = _finite(name, rate_pct)
    if rate <= MIN_RATE_PCT:
        raise UserError(f"{name}: expected a growth rate above -100 percent per year, got {rate_pct!r}")
    return rate


def scenario_rate_pct(rate_pct: float, name: str = "rate") -> float:
    """A scenario's growth rate in percent per year: above -100 and, as anything faster is taken for a
    typing error, at most 1000."""
    rate = growth_rate_pct(rate_pct, name)
    if rate > MAX_RATE_PCT:
        raise UserError(f"{name}: expected a growth rate of at most 1000 percent per year, got {rate_pct!r}")
    return rate


def growth_factor(rate_pct: float) -> float:
    """``1 + rate_pct / 100``: what one year of growth at ``rate_pct`` percent per year multiplies by."""
    return 1 + growth_rate_pct(rate_pct) / 100


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate, percent per year, taking ``start`` to ``end`` in ``years`` years.

    ``(end / start) ** (1 / years) - 1``, times 100. ``start`` and ``end`` are in the same unit.
    """
    ratio = _positive("end", end) / _positive("start", start)
    return (ratio ** (1 / _positive("years", years)) - 1) * 100


def doubling_time_years(rate_pct: float) -> float:
    """Years to double at ``rate_pct`` percent per year, exactly: ``ln 2 ÷ ln(1 + g)``.

    Only a positive rate doubles anything, so zero or negative rates are refused.
    """
    rate = growth_rate_pct(rate_pct)
    if rate <= 0:
        raise UserError(f"rate: a doubling time needs a positive growth rate, got {rate_pct!r}")
    return math.log(2) / math.log1p(rate / 100)


def rate_for_doubling_time_pct(years: float) -> float:
    """Growth rate, percent per year, that doubles a quantity in ``years`` years: ``2 ** (1 / years) - 1``."""
    return (2 ** (1 / _positive("years", years)) - 1) * 100


def rule_of_70_years(rate_pct: float) -> float:
    """The rule-of-thumb doubling time ``70 ÷ rate_pct``, years (rate in percent per year, positive)."""
    return 70 / _positive("rate", rate_pct)


def projected_value(base: float, rate_pct: float, years: float) -> float:
    """``base`` grown at ``rate_pct`` percent per year for ``years`` years, in ``base``'s unit."""
    return _finite("base", base) * growth_factor(rate_pct) ** _finite("years", years)


def share_pct(part: float, total: float) -> float:
    """``part`` as a percentage of ``total`` (same unit)."""
    return _finite("part", part) / _positive("total", total) * 100


def implied_total(part: float, share: float) -> float:
    """The total of which ``part`` is ``share`` percent, in ``part``'s unit: ``part ÷ share × 100``."""
    return _finite("part", part) / _positive("share", share) * 100


def implied_total_range(
    part: float, share: float, half_step: float = SHARE_HALF_STEP_PCT
) -> tuple[float, float]:
    """Smallest and largest totals consistent with a share printed as ``share`` ± ``half_step`` percent."""
    return implied_total(part, share + half_step), implied_total(part, share - half_step)
