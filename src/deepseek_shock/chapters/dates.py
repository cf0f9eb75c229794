"""Date arithmetic the chapters share: the last day of a printed period, and years between two dates
(counted as days ÷ 365.25)."""

from __future__ import annotations

import calendar
from datetime import date

from deepseek_shock.errors import UserError

DAYS_PER_YEAR = 365.25


def years_between(start: date, end: date) -> float:
    """Years from ``start`` to ``end`` (365.25 days a year)."""
    return (end - start).days / DAYS_PER_YEAR


def period_end(text: str) -> date:
    """The last day of a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 12, 31)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            return date(year, month, calendar.monthrange(year, month)[1])
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD") from None
