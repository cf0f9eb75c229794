"""The event the articles describe: NVIDIA and the market from the close of Friday 24 January 2025.

Dates of the event, not press figures: the last close before the sell-off, the sell-off day and the end
of the week seed 000 calls "last week".
"""

from __future__ import annotations

from datetime import date

# The event the articles describe (dates of the event, not press figures).
PRESS_TICKER = "NVDA"
PRESS_BASIS = "close"
PRESS_REFERENCE = date(2025, 1, 24)  # Friday: the last close before the sell-off
PRESS_EVENT = date(2025, 1, 27)  # Monday 27 January 2025
PRESS_WEEK_END = date(2025, 1, 31)  # Friday: the end of the week seed 000 calls "last week"
PRESS_WEEK_THURSDAY = date(2025, 1, 30)  # Thursday: the week's last close before Friday 31 January
