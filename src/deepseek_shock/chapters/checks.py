"""Guards the library's arithmetic puts on its own inputs: one clear line for a bad number."""

from __future__ import annotations

import math

from deepseek_shock.errors import UserError


def finite(name: str, value: float) -> float:
    """``value`` as a float, or one clear ``UserError`` naming ``name`` if it is not a finite number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError(f"{name}: expected a number, got {value!r}") from None
    if not math.isfinite(number):
        raise UserError(f"{name}: expected a finite number, got {value!r}")
    return number


def positive(name: str, value: float) -> float:
    """``value`` as a float, or one clear ``UserError`` naming ``name`` unless finite and positive."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserError(f"{name}: expected a positive number, got {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise UserError(f"{name}: expected a positive number, got {value!r}")
    return number
