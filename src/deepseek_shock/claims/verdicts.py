"""The verdict engine: a reported figure, a reproduced figure and a stated tolerance give a verdict.

Nothing here knows any press figure. A claim states its value, how it relates to the quantity
("about", "less than", "more than") and how far a reproduction may stray before it stops holding.
"""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from deepseek_shock.data.documents import DATE_RE

Relation = Literal["approx", "lt", "gt"]
RELATIONS: tuple[str, ...] = get_args(Relation)


class Verdict(StrEnum):
    """What the reproduction says about a claim."""

    HOLDS = "holds"
    ROUNDING = "rounding"
    CONTRADICTED = "contradicted"
    NOT_CHECKABLE = "not-checkable"


class Tolerance(BaseModel):
    """Relative bands around a reported value, as fractions of it (0.005 = 0.5 %).

    Within ``holds`` the claim holds as printed; within ``rounding`` it holds only as a rounded
    figure; beyond that it is contradicted.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    holds: float = Field(ge=0, le=1, description="Largest relative error at which the claim holds")
    rounding: float = Field(ge=0, le=1, description="Largest relative error explained by rounding")

    @model_validator(mode="after")
    def _rounding_not_tighter(self) -> Tolerance:
        if self.rounding < self.holds:
            raise ValueError(f"rounding ({self.rounding}) must be at least holds ({self.holds})")
        return self


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def relative_error(reported: float, computed: float) -> float:
    """``(computed - reported) / |reported|``: signed, positive when the reproduction is larger."""
    reported = _finite("reported", reported)
    computed = _finite("computed", computed)
    if reported == 0:
        raise ValueError("reported value is 0: a relative error needs a non-zero reported value")
    return (computed - reported) / abs(reported)


def verdict(reported: float, computed: float, tolerance: Tolerance, relation: str = "approx") -> Verdict:
    """The verdict on a reported value given the reproduced one.

    ``approx``: holds if ``|computed - reported| / |reported| <= tolerance.holds``, rounding if it is
    within ``tolerance.rounding``, else contradicted. ``lt`` ("less than reported"): holds if
    ``computed < reported``, else contradicted; ``gt`` likewise for "more than".
    """
    reported = _finite("reported", reported)
    computed = _finite("computed", computed)
    if relation == "lt":
        return Verdict.HOLDS if computed < reported else Verdict.CONTRADICTED
    if relation == "gt":
        return Verdict.HOLDS if computed > reported else Verdict.CONTRADICTED
    if relation != "approx":
        raise ValueError(f"relation {relation!r}: expected one of {', '.join(RELATIONS)}")
    if reported == 0:
        raise ValueError(
            "relation 'approx' needs a non-zero reported value: a relative error of 0 is undefined"
        )
    error = abs(relative_error(reported, computed))
    if error <= tolerance.holds:
        return Verdict.HOLDS
    if error <= tolerance.rounding:
        return Verdict.ROUNDING
    return Verdict.CONTRADICTED


PERIOD_SEPARATOR = "/"  # a printed period, first and last date: "2024-07/2024-09" (the third quarter)


def date_verdict(reported: str, found: str, tolerance_days: int = 0) -> Verdict:
    """The verdict on a printed date given the date a record states (each ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``).

    The two are compared at the coarser of their precisions: a printed month holds if the record's day
    falls in it. Two full dates hold if at most ``tolerance_days`` apart (a time-zone reading, say).
    A printed period ``START/END`` holds if the record's date falls within it, each end compared at the
    coarser precision (``2024-07/2024-09`` holds for any day of July to September 2024).
    """
    if PERIOD_SEPARATOR in reported:
        start, _, end = reported.partition(PERIOD_SEPARATOR)
        if not (DATE_RE.fullmatch(start) and DATE_RE.fullmatch(end) and DATE_RE.fullmatch(found)):
            raise ValueError(
                f"period {reported!r} and date {found!r}: expected YYYY[-MM[-DD]]/YYYY[-MM[-DD]]"
            )
        after_start = found[: min(len(start), len(found))] >= start[: len(found)]
        before_end = found[: min(len(end), len(found))] <= end[: len(found)]
        return Verdict.HOLDS if after_start and before_end else Verdict.CONTRADICTED
    if not (DATE_RE.fullmatch(reported) and DATE_RE.fullmatch(found)):
        raise ValueError(f"dates {reported!r} and {found!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    precision = min(len(reported), len(found))
    if precision < 10:
        return Verdict.HOLDS if reported[:precision] == found[:precision] else Verdict.CONTRADICTED
    apart = abs((date.fromisoformat(reported) - date.fromisoformat(found)).days)
    return Verdict.HOLDS if apart <= tolerance_days else Verdict.CONTRADICTED
