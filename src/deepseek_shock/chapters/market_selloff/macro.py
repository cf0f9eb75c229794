"""The note's US growth figures: its own printed numbers, and the forecasters' surveys it cites without
naming them (percent, percentage points)."""

from __future__ import annotations

from typing import Any

from deepseek_shock.data.documents import stating
from deepseek_shock.data.printed import printed_figure

GROWTH_CLAIM = "us-gdp-2024-real-growth-2-8pct"  # the note's 2.8% for 2024
FORECAST_CLAIM = "us-gdp-2024-forecast-1-7pct"  # the economists' 1.7% it compares with
SURVEY_AT_YEAR_START = "spf-2023q4-gdp-2024"  # the Philadelphia Fed survey standing when 2024 began
FIRST_SURVEY_OF_YEAR = "spf-2024q1-gdp-2024"  # the first survey published in 2024 (February)


def macro_values() -> dict[str, tuple[Any, str]]:
    """The gap between the note's two printed growth figures, and the surveys' forecasts of 2024 growth:
    key -> (value, unit)."""
    return {
        "gdp_2024_forecast_pct": (stating(SURVEY_AT_YEAR_START).figures[0], "percent"),
        "gdp_2024_forecast_pct__next-survey": (stating(FIRST_SURVEY_OF_YEAR).figures[0], "percent"),
        "printed_gdp_beat_points": (
            printed_figure(GROWTH_CLAIM) - printed_figure(FORECAST_CLAIM),
            "percentage points",
        ),
    }
