"""How claims are written for readers: verdicts in words, figures with their units, bounds and tolerances."""

from __future__ import annotations

from deepseek_shock.claims.registry import Claim, Reading
from deepseek_shock.claims.verdicts import PERIOD_SEPARATOR, Verdict

VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.HOLDS: "Holds",
    Verdict.ROUNDING: "Holds only as a rounded figure",
    Verdict.CONTRADICTED: "Contradicted",
    Verdict.NOT_CHECKABLE: "Not checkable",
}


INDEPENDENCE_LABELS: dict[str, str] = {
    "independent": "independent data or documents",
    "printed-inputs": "the article's own printed inputs",
    "self-reported": "the source's own figures, restated",
}


def number_text(value: float) -> str:
    """``value`` with thousands separators and at most three decimals, trailing zeros dropped."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


UNIT_TEMPLATES = {  # how a number is written with its unit; a unit not listed follows the number
    "USD": "USD {}",
    "USD million": "USD {} million",
    "USD billion": "USD {} billion",
    "USD per GPU": "USD {} per GPU",
    "CNY trillion": "CNY {} trillion",
    "ratio": "{}×",
    "percent": "{}%",
    "percent per year": "{}% a year",
    "rank": "rank {}",
    "count": "{}",
}


def quantity_text(value: float, unit: str) -> str:
    """``value`` written with its unit, e.g. ``USD 5,576,000``, ``2,788,000 GPU-hours``, ``11.062×``."""
    if unit == "USD per GPU-hour":
        return f"USD {value:,.2f} per GPU-hour"
    if unit == "USD per million tokens":  # prices of a cent or less keep three significant digits
        return f"USD {number_text(value) if abs(value) >= 0.1 else f'{value:.3g}'} per million tokens"
    number = number_text(value)
    return UNIT_TEMPLATES[unit].format(number) if unit in UNIT_TEMPLATES else f"{number} {unit}"


def value_text(value: float | str, unit: str) -> str:
    """A reproduced value for a reader: a date as written, else ``quantity_text``."""
    return str(value) if unit == "date" else quantity_text(float(value), unit)


def reported_text(claim: Claim) -> str:
    """What the article printed, with its bound ("less than", "more than")."""
    if claim.unit == "date" and claim.reported_date is not None:
        return claim.reported_date.replace(PERIOD_SEPARATOR, " to ")
    if claim.reported is None:
        return "no figure printed"
    prefix = {"approx": "", "lt": "less than ", "gt": "more than "}[claim.relation]
    return prefix + quantity_text(claim.reported, claim.unit)


def reading_parts(reading: Reading) -> list[str]:
    """The window, base and series a claim is judged on, each in a few words: ``window 2025-01-24 to
    2025-01-27``, ``base …``, ``series …`` (those the reading states)."""
    window = " to ".join(day for day in (reading.start, reading.end) if day)
    parts = [f"window {window}"] if window else []
    return parts + [
        f"{name} {value}" for name, value in (("base", reading.base), ("series", reading.series)) if value
    ]


def tolerance_text(claim: Claim) -> str:
    """How the claim is judged, in words."""
    if claim.unit == "date":
        days = claim.date_tolerance_days
        slack = f", or at most {days} day{'s' if days > 1 else ''} apart" if days else ""
        return f"holds if the record's date matches at the printed precision{slack}"
    if claim.relation == "lt":
        return "holds if the reproduced value is below the reported one"
    if claim.relation == "gt":
        return "holds if the reproduced value is above the reported one"
    assert claim.tolerance is not None
    holds = f"holds within ±{number_text(claim.tolerance.holds * 100)}%"
    if claim.tolerance.rounding == claim.tolerance.holds:  # no rounding band: nothing more to say
        return holds
    return f"{holds}, holds as a rounded figure within ±{number_text(claim.tolerance.rounding * 100)}%"


def finding_text(claim: Claim, computed: float | str | None) -> str:
    """The claim and what the reproduction found, in one sentence (the verdict is shown beside it).

    ``The S&P 500 rose 0.4% last week: printed 0.4%; reproduced -0.995%.`` A claim no public data can
    check says so instead of the figures.
    """
    claim_en = " ".join(claim.claim_en.split()).rstrip(".")
    if not claim.checkable or computed is None:
        return f"{claim_en}: no public data can check it."
    return f"{claim_en}: printed {reported_text(claim)}; reproduced {value_text(computed, claim.unit)}."


def verdict_count_text(counts: dict[Verdict, int]) -> str:
    """Non-zero verdict counts in words, e.g. ``Holds: 7 · Contradicted: 1``."""
    return " · ".join(f"{VERDICT_LABELS[verdict]}: {count}" for verdict, count in counts.items() if count)
