"""DeepSeek's service incidents after its surge in popularity, from its status page as reported.

No archived copy of DeepSeek's status page was found; the snapshot's documents table holds the days the
press read off it (``deepseek-status-incidents-2025-01``). The window runs from the surge, dated by the
app's reaching No. 1 on Apple's US App Store, to the day of seed 002's report (Monday 27 January 2025);
the other reading starts it at DeepSeek-R1's release, the date of R1's API price list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from deepseek_shock.data.documents import stated_day, stated_days

DOC_INCIDENTS = "deepseek-status-incidents-2025-01"
DOC_SURGE = "deepseek-app-store-no1"
DOC_R1_RELEASE = "deepseek-api-price-r1"
REPORT_DAY = date(2025, 1, 27)  # seed 002's report: the Monday of the sell-off

Published = dict[str, tuple[int | str, str]]


def days_within(days: Iterable[date], start: date, end: date) -> int:
    """How many distinct days of ``days`` fall from ``start`` to ``end``, both included."""
    return len({day for day in days if start <= day <= end})


def status_values() -> Published:
    """Days with an incident on DeepSeek's status page from the surge (or R1's release) to the report."""
    days = stated_days(DOC_INCIDENTS)
    surge = stated_day(DOC_SURGE)
    return {
        "deepseek_incident_days": (days_within(days, surge, REPORT_DAY), "days"),
        "deepseek_incident_days__r1-release": (
            days_within(days, stated_day(DOC_R1_RELEASE), REPORT_DAY),
            "days",
        ),
        "deepseek_surge_day": (surge.isoformat(), "date"),
    }
