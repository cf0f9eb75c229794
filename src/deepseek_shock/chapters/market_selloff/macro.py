"""The note's US growth figures, checked from its own printed numbers (percent, percentage points)."""

from __future__ import annotations

from typing import Any

from deepseek_shock.data.printed import printed_figure

GROWTH_CLAIM = "us-gdp-2024-real-growth-2-8pct"  # the note's 2.8% for 2024
FORECAST_CLAIM = "us-gdp-2024-forecast-1-7pct"  # the economists' 1.7% it compares with


def macro_values() -> dict[str, tuple[Any, str]]:
    """The gap between the note's two printed growth figures: key -> (value, unit)."""
    return {
        "printed_gdp_beat_points": (
            printed_figure(GROWTH_CLAIM) - printed_figure(FORECAST_CLAIM),
            "percentage points",
        ),
    }
