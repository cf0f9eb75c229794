"""DeepSeek the company: how old it was when the articles called it "two years" old.

The founding date comes from the snapshot's ``documents`` table (the most precise date any of its
sources gives); the articles' dates are printed in the seeds. Ages in years of 365.25 days.
"""

from __future__ import annotations

from datetime import date

from deepseek_shock.chapters import dates
from deepseek_shock.data.documents import document_rows
from deepseek_shock.errors import UserError

FOUNDING = "deepseek-founding"  # fact id in the documents table
# The dates the two articles speak from: seed 000's note gives its data "as of 3 February 2025"; seed
# 004's article is the Wall Street Journal's account of Monday 27 January 2025.
ARTICLE_DATES: dict[str, str] = {"000": "2025-02-03", "004": "2025-01-27"}


def most_precise_date(fact_id: str) -> str:
    """The fullest date (``YYYY-MM-DD`` before ``YYYY-MM`` before ``YYYY``) any row of ``fact_id`` states;
    among equally precise rows, the first (primary sources first)."""
    dated = [row.date for row in document_rows(fact_id) if row.date]
    if not dated:
        raise UserError(f"document {fact_id!r}: no row states a date")
    return max(dated, key=len)


def years_between(start: str, end: str) -> float:
    """Years from ``start`` to ``end`` (ISO dates, ``YYYY-MM-DD``), counted as days ÷ 365.25."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise UserError(f"dates {start!r} and {end!r}: expected full dates, YYYY-MM-DD") from None
    return dates.years_between(first, last)


def company_values() -> dict[str, tuple[float | str, str]]:
    """DeepSeek's founding date (text) and its age in years at each article's date."""
    founded = most_precise_date(FOUNDING)
    values: dict[str, tuple[float | str, str]] = {"deepseek_founded": (founded, "date")}
    for seed, written in ARTICLE_DATES.items():
        values[f"seed_{seed}_date"] = (written, "date")
        values[f"deepseek_age_at_seed_{seed}_years"] = (years_between(founded, written), "years")
    return values
