"""The verdict engine: relative bands for approximate claims, strict comparisons for lt/gt."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from deepseek_shock.claims.verdicts import Tolerance, Verdict, date_verdict, relative_error, verdict

EXACT = Tolerance(holds=0.005, rounding=0.05)
ROUND = Tolerance(holds=0.05, rounding=0.15)


def test_verdict_values_are_the_ledger_strings() -> None:
    assert [v.value for v in Verdict] == ["holds", "rounding", "contradicted", "not-checkable"]
    assert Verdict("not-checkable") is Verdict.NOT_CHECKABLE


@pytest.mark.parametrize(
    ("reported", "computed", "tolerance", "expected"),
    [
        (5_576_000, 5_576_000, EXACT, Verdict.HOLDS),
        (5_576_000, 5_600_000, EXACT, Verdict.HOLDS),  # +0.43 %
        (5_576_000, 5_700_000, EXACT, Verdict.ROUNDING),  # +2.2 %
        (5_576_000, 9_758_000, EXACT, Verdict.CONTRADICTED),  # +75 %
        (10, 11.062, ROUND, Verdict.ROUNDING),  # +10.6 %
        (10, 10.4, ROUND, Verdict.HOLDS),
        (10, 8.4, ROUND, Verdict.CONTRADICTED),  # -16 %
        (-4, -4.01, EXACT, Verdict.HOLDS),  # a negative reported value uses |reported|
    ],
)
def test_approx_bands(reported: float, computed: float, tolerance: Tolerance, expected: Verdict) -> None:
    assert verdict(reported, computed, tolerance) is expected


def test_band_edges_are_inclusive() -> None:
    assert verdict(10, 10.5, ROUND) is Verdict.HOLDS
    assert verdict(10, 11.5, ROUND) is Verdict.ROUNDING
    assert verdict(10, 11.5000001, ROUND) is Verdict.CONTRADICTED


def test_lt_and_gt_ignore_the_bands() -> None:
    assert verdict(6_000_000, 5_576_000, EXACT, "lt") is Verdict.HOLDS
    assert verdict(6_000_000, 6_000_000, EXACT, "lt") is Verdict.CONTRADICTED
    assert verdict(6_000_000, 9_758_000, EXACT, "lt") is Verdict.CONTRADICTED
    assert verdict(6, 5.514, EXACT, "gt") is Verdict.CONTRADICTED
    assert verdict(6, 6.5, EXACT, "gt") is Verdict.HOLDS
    assert verdict(0, -1, EXACT, "lt") is Verdict.HOLDS


def test_relative_error_is_signed() -> None:
    assert relative_error(10, 11) == pytest.approx(0.1)
    assert relative_error(10, 9) == pytest.approx(-0.1)
    assert relative_error(-10, -9) == pytest.approx(0.1)


def test_zero_reported_is_refused_for_approx() -> None:
    with pytest.raises(ValueError, match="non-zero reported value"):
        verdict(0, 1, EXACT)
    with pytest.raises(ValueError, match="non-zero reported value"):
        relative_error(0, 1)


def test_unknown_relation_and_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError, match="relation 'about'"):
        verdict(1, 1, EXACT, "about")
    with pytest.raises(ValueError, match="computed must be a finite number"):
        verdict(1, math.nan, EXACT)
    with pytest.raises(ValueError, match="reported must be a finite number"):
        relative_error(math.inf, 1)


def test_tolerance_is_validated() -> None:
    with pytest.raises(ValidationError, match="must be at least holds"):
        Tolerance(holds=0.1, rounding=0.05)
    with pytest.raises(ValidationError):
        Tolerance(holds=-0.01, rounding=0.05)
    with pytest.raises(ValidationError):
        Tolerance(holds=0.01, rounding=0.05, extra=1)


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: abs(x) > 1e-6)


@given(reported=finite, factor=st.floats(min_value=-0.0049, max_value=0.0049))
def test_anything_within_the_holds_band_holds(reported: float, factor: float) -> None:
    assert verdict(reported, reported + factor * abs(reported), EXACT) is Verdict.HOLDS


@given(reported=finite, factor=st.floats(min_value=0.0501, max_value=10))
def test_anything_beyond_the_rounding_band_is_contradicted(reported: float, factor: float) -> None:
    computed = reported + factor * abs(reported)
    assert verdict(reported, computed, EXACT) is Verdict.CONTRADICTED
    assert verdict(reported, reported - factor * abs(reported), EXACT) is Verdict.CONTRADICTED


@given(reported=finite, computed=finite)
def test_widening_the_bands_never_worsens_a_verdict(reported: float, computed: float) -> None:
    rank = {Verdict.HOLDS: 0, Verdict.ROUNDING: 1, Verdict.CONTRADICTED: 2}
    assert rank[verdict(reported, computed, ROUND)] <= rank[verdict(reported, computed, EXACT)]


@pytest.mark.parametrize(
    ("reported", "found", "days", "expected"),
    [
        ("2025-01-20", "2025-01-20", 0, Verdict.HOLDS),
        ("2025-02-06", "2025-02-05", 0, Verdict.CONTRADICTED),
        ("2025-02-06", "2025-02-05", 1, Verdict.HOLDS),  # a record dated in the US, an article in Beijing
        ("2025-02-06", "2025-02-04", 1, Verdict.CONTRADICTED),
        ("2025-02", "2025-02-26", 0, Verdict.HOLDS),  # a printed month holds for any day in it
        ("2025-02", "2025-03-01", 5, Verdict.CONTRADICTED),  # days of slack do not widen a month
        ("2024", "2024-06-25", 0, Verdict.HOLDS),
        ("2023-07-17", "2023-07", 0, Verdict.HOLDS),  # compared at the coarser precision
        ("1999", "2006", 0, Verdict.CONTRADICTED),
        # A printed period holds for any date within it, each end at the coarser precision.
        ("2024-07/2024-09", "2024-09-30", 0, Verdict.HOLDS),
        ("2024-07/2024-09", "2024-07-01", 0, Verdict.HOLDS),
        ("2024-07/2024-09", "2024-06-25", 0, Verdict.CONTRADICTED),
        ("2024-07/2024-09", "2024-10-01", 0, Verdict.CONTRADICTED),
        ("2004/2006", "2006", 0, Verdict.HOLDS),
        ("2004/2006", "1999-05", 0, Verdict.CONTRADICTED),
        ("2025-01-20/2025-01-26", "2025-01", 0, Verdict.HOLDS),  # a month overlapping the period
    ],
)
def test_date_verdicts(reported: str, found: str, days: int, expected: Verdict) -> None:
    assert date_verdict(reported, found, days) is expected


def test_a_malformed_date_is_refused() -> None:
    with pytest.raises(ValueError, match="expected YYYY, YYYY-MM or YYYY-MM-DD"):
        date_verdict("25-1", "2025-01-20")
    with pytest.raises(ValueError, match=r"expected YYYY\[-MM\[-DD\]\]/YYYY\[-MM\[-DD\]\]"):
        date_verdict("2024-07/Q3", "2024-08-01")
