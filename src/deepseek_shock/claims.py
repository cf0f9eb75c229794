"""The claims registry: every press figure, its verbatim source and how it is judged.

``data/claims.yaml`` lists the claims; each quote is checked against the seed article it came
from (``data/seeds/<seed>_*.txt``). A notebook records the reproduced value under the claim's
``result`` key and shows the claims it covers as cards with their verdicts.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from IPython.display import HTML, display
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from deepseek_shock.errors import UserError
from deepseek_shock.paths import data_dir, file_state, project_root
from deepseek_shock.verdicts import Relation, Tolerance, Verdict, relative_error, verdict

CLAIMS_FILE = "claims.yaml"
SEEDS_DIR = "seeds"
# libyaml's parser when PyYAML was built with it (the registry parses ~20× faster), else pure Python.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REGISTRIES: dict[tuple[Any, ...], tuple[Claim, ...]] = {}
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
UNITS: tuple[str, ...] = (
    "USD",
    "USD million",
    "USD billion",
    "USD per GPU-hour",
    "GPU-hours",
    "GPUs",
    "days",
    "ratio",
    "percent",
    "percentage points",
    "percent per year",
    "TWh",
    "years",
    "index points",
    "months",
    "rank",
    "CNY trillion",
    "USD per million tokens",
    "USD per GPU",
    "words",
    "billion parameters",
    "million users",
    "minutes",
    "count",
    "date",  # dates are not figures: a claim about a date has reported: null and states it in words
)
VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.HOLDS: "Holds",
    Verdict.ROUNDING: "Holds only as a rounded figure",
    Verdict.CONTRADICTED: "Contradicted",
    Verdict.NOT_CHECKABLE: "Not checkable",
}


class Claim(BaseModel):
    """One press claim: what was printed, where, and what quantity it is judged against."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=KEBAB, description="Stable kebab-case identifier")
    seed: str = Field(pattern=r"^\d{3}$", description="Prefix of the seed article file, e.g. '000'")
    quote: str = Field(min_length=1, description="The Chinese sentence or clause, verbatim from the seed")
    claim_en: str = Field(min_length=1, description="The claim in English")
    reported: float | None = Field(description="The figure as printed, in `unit` (null: none printed)")
    unit: str = Field(description="Unit of `reported`: one of UNITS")
    relation: Relation = Field(description="approx, lt (less than reported) or gt (more than reported)")
    definition: str = Field(min_length=1, description="Exactly which quantity the claim is judged against")
    tolerance: Tolerance | None = Field(
        None, description="Relative bands; needed for checkable approx claims"
    )
    category: str = Field(pattern=KEBAB, description="Topic, e.g. training-cost")
    notebook: str | None = Field(None, min_length=1, description="The notebook that shows the claim")
    result: str | None = Field(None, min_length=1, description="Key the notebook records the value under")
    not_checkable: str | None = Field(None, min_length=1, description="Why no public data can check it")
    related: tuple[str, ...] = Field((), description="Ids of claims that report the same quantity")

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
        return unit

    @field_validator("reported")
    @classmethod
    def _finite_reported(cls, reported: float | None) -> float | None:
        if reported is not None and not math.isfinite(reported):
            raise ValueError(f"expected a finite number, got {reported!r}")
        return reported

    @model_validator(mode="after")
    def _checkable_or_reason(self) -> Claim:
        if self.not_checkable is not None:
            if self.result is not None:
                raise ValueError(
                    "result: a not-checkable claim records no result (drop result or not_checkable)"
                )
            return self
        for name in ("reported", "notebook", "result"):
            if getattr(self, name) is None:
                raise ValueError(
                    f"{name}: required unless not_checkable gives the reason it cannot be checked"
                )
        if self.relation == "approx" and self.tolerance is None:
            raise ValueError("tolerance: required for an 'approx' claim (holds and rounding, as fractions)")
        if self.relation == "approx" and self.reported == 0:
            raise ValueError("reported: an 'approx' claim needs a non-zero reported value")
        return self

    @property
    def checkable(self) -> bool:
        """Whether a notebook reproduces this claim's quantity."""
        return self.not_checkable is None


def claims_path() -> Path:
    """``data/claims.yaml``."""
    return data_dir() / CLAIMS_FILE


def seed_path(seed: str) -> Path:
    """The seed article ``data/seeds/<seed>_*.txt``; exactly one must exist."""
    matches = sorted((data_dir() / SEEDS_DIR).glob(f"{seed}_*.txt"))
    if len(matches) != 1:
        found = "none" if not matches else ", ".join(path.name for path in matches)
        raise FileNotFoundError(f"expected one file data/{SEEDS_DIR}/{seed}_*.txt, found {found}")
    return matches[0]


def _label(path: Path) -> str:
    try:
        return path.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def _parsed_claim(entry: Any, index: int, label: str) -> Claim:
    """One YAML entry as a ``Claim``; the first problem is one ``UserError`` naming the claim and field."""
    name = entry.get("id") if isinstance(entry, dict) else None
    who = f"claim {name!r}" if isinstance(name, str) else f"claim #{index + 1}"
    if not isinstance(entry, dict):
        raise UserError(f"{label}: {who}: expected a mapping of field: value, got {type(entry).__name__}")
    try:
        return Claim.model_validate(entry)
    except ValidationError as err:
        first = err.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["loc"]:
            field = ".".join(str(part) for part in first["loc"])
            if first["type"] == "missing":
                message = "missing: every claim needs this field"
            elif first["type"] != "value_error":
                message = f"{message.lower()}, got {first.get('input')!r}"
        else:
            field, _, message = message.partition(": ")
        raise UserError(f"{label}: {who}: {field}: {message}") from None


def load_claims() -> list[Claim]:
    """Every claim in ``data/claims.yaml``, validated and with each quote found in its seed article.

    Parsed once per state of the registry and the seed files (a notebook consults it several times).
    """
    path = claims_path()
    seeds = sorted((data_dir() / SEEDS_DIR).glob("*.txt"))
    state = tuple((file, file_state(file)) for file in (path, *seeds))
    if state not in _REGISTRIES:
        _REGISTRIES.clear()
        _REGISTRIES[state] = tuple(parsed_claims(path))
    return list(_REGISTRIES[state])


def parsed_claims(path: Path) -> list[Claim]:
    """The claims in the registry file ``path``, validated against the schema and the seed articles."""
    label = _label(path)
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError:
        raise UserError(f"{label} is missing: the claims registry is required") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise UserError(f"{label}: malformed YAML{where}") from None
    if not isinstance(loaded, dict) or set(loaded) != {"claims"} or not isinstance(loaded["claims"], list):
        raise UserError(f"{label}: expected a single key 'claims' holding a list of claims")

    claims: list[Claim] = []
    seen: set[str] = set()
    seeds: dict[str, str] = {}
    for index, entry in enumerate(loaded["claims"]):
        claim = _parsed_claim(entry, index, label)
        who = f"{label}: claim {claim.id!r}"
        if claim.id in seen:
            raise UserError(f"{who}: id: duplicate id; every claim needs its own")
        seen.add(claim.id)
        if claim.seed not in seeds:
            try:
                seeds[claim.seed] = seed_path(claim.seed).read_text(encoding="utf-8")
            except FileNotFoundError as err:
                raise UserError(f"{who}: seed: {err}") from None
        if claim.quote not in seeds[claim.seed]:
            raise UserError(
                f"{who}: quote: not found verbatim in seed {seed_path(claim.seed).name}; "
                "copy the sentence exactly as the article prints it"
            )
        claims.append(claim)
    for claim in claims:
        unknown = [other for other in claim.related if other not in seen or other == claim.id]
        if unknown:
            raise UserError(
                f"{label}: claim {claim.id!r}: related: unknown or self-referencing id {unknown[0]!r}"
            )
    return claims


def claims_for(notebook: str) -> list[Claim]:
    """The claims a notebook shows, in registry order."""
    return [claim for claim in load_claims() if claim.notebook == notebook]


def judged(claim: Claim, computed: float | None) -> tuple[Verdict, float | None]:
    """The claim's verdict and the signed relative error of ``computed`` against the reported value.

    A not-checkable claim gives ``(Verdict.NOT_CHECKABLE, None)``; a checkable one needs ``computed``.
    The relative error is ``None`` when the reported value is 0.
    """
    if not claim.checkable:
        return Verdict.NOT_CHECKABLE, None
    if computed is None:
        raise UserError(f"claim {claim.id!r}: no value recorded under {claim.result!r} by {claim.notebook}")
    assert claim.reported is not None  # guaranteed for checkable claims by the model
    tolerance = claim.tolerance or Tolerance(holds=0, rounding=0)
    outcome = verdict(claim.reported, computed, tolerance, claim.relation)
    error = relative_error(claim.reported, computed) if claim.reported != 0 else None
    return outcome, error


def _number(value: float) -> str:
    """``value`` with thousands separators and at most three decimals, trailing zeros dropped."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def quantity_text(value: float, unit: str) -> str:
    """``value`` written with its unit, e.g. ``USD 5,576,000``, ``2,788,000 GPU-hours``, ``11.062×``."""
    if unit == "USD":
        return f"USD {_number(value)}"
    if unit == "USD million":
        return f"USD {_number(value)} million"
    if unit == "USD billion":
        return f"USD {_number(value)} billion"
    if unit == "USD per GPU-hour":
        return f"USD {value:,.2f} per GPU-hour"
    if unit == "ratio":
        return f"{_number(value)}×"
    if unit == "percent":
        return f"{_number(value)}%"
    if unit == "percent per year":
        return f"{_number(value)}% a year"
    if unit == "rank":
        return f"rank {_number(value)}"
    if unit == "CNY trillion":
        return f"CNY {_number(value)} trillion"
    if unit == "USD per million tokens":  # prices of a cent or less keep three significant digits
        return f"USD {_number(value) if abs(value) >= 0.1 else f'{value:.3g}'} per million tokens"
    if unit == "USD per GPU":
        return f"USD {_number(value)} per GPU"
    if unit == "count":
        return _number(value)
    return f"{_number(value)} {unit}"


def _reported_text(claim: Claim) -> str:
    if claim.reported is None:
        return "no figure printed"
    prefix = {"approx": "", "lt": "less than ", "gt": "more than "}[claim.relation]
    return prefix + quantity_text(claim.reported, claim.unit)


def _tolerance_text(claim: Claim) -> str:
    if claim.relation == "lt":
        return "holds if the reproduced value is below the reported one"
    if claim.relation == "gt":
        return "holds if the reproduced value is above the reported one"
    assert claim.tolerance is not None
    return (
        f"holds within ±{_number(claim.tolerance.holds * 100)}%, "
        f"holds as a rounded figure within ±{_number(claim.tolerance.rounding * 100)}%"
    )


def _row(term: str, value: str) -> str:
    return f"<div><dt>{html.escape(term)}</dt><dd>{html.escape(value)}</dd></div>"


def claim_card_html(claim: Claim, computed: float | None) -> str:
    """One claim as an HTML card: quote, English, reported vs reproduced, and the verdict in words."""
    outcome, error = judged(claim, computed)
    rows = [_row("Reported", _reported_text(claim))]
    if claim.checkable:
        assert computed is not None
        rows.append(_row("Reproduced", quantity_text(computed, claim.unit)))
        if error is not None:
            rows.append(_row("Difference", f"{error * 100:+.1f}% of the reported value"))
        rows.append(_row("Test", _tolerance_text(claim)))
    reason = (
        f'<p class="ds-claim-reason"><strong>Why it cannot be checked:</strong> '
        f"{html.escape(claim.not_checkable)}</p>"
        if claim.not_checkable
        else ""
    )
    return (
        f'<article class="ds-claim ds-claim-{outcome.value}" id="claim-{claim.id}">'
        f'<p class="ds-claim-verdict"><span class="ds-verdict ds-verdict-{outcome.value}">'
        f"Verdict: {html.escape(VERDICT_LABELS[outcome])}</span></p>"
        f'<figure class="ds-claim-quote"><blockquote lang="zh"><p>{html.escape(claim.quote)}</p></blockquote>'
        f"<figcaption>Seed article {html.escape(claim.seed)}</figcaption></figure>"
        f'<p class="ds-claim-en">{html.escape(claim.claim_en)}</p>'
        f'<dl class="ds-claim-figures">{"".join(rows)}</dl>'
        '<p class="ds-claim-definition"><strong>Quantity judged:</strong> '
        f"{html.escape(claim.definition)}</p>"
        f"{reason}</article>"
    )


def claim_cards_html(claims: Iterable[Claim], results: Mapping[str, float]) -> str:
    """HTML cards for ``claims``, each judged against ``results[claim.result]``."""
    cards = [claim_card_html(claim, _computed(claim, results)) for claim in claims]
    return f'<div class="ds-claims">{"".join(cards)}</div>'


def _computed(claim: Claim, results: Mapping[str, float]) -> float | None:
    return results.get(claim.result) if claim.result is not None else None


def verdict_table(claims: Iterable[Claim], results: Mapping[str, float]) -> pd.DataFrame:
    """One row per claim: its id, seed, reported and reproduced figures (as text) and verdict label."""
    rows = []
    for claim in claims:
        computed = _computed(claim, results)
        outcome, _ = judged(claim, computed)
        rows.append(
            {
                "Claim": claim.id,
                "Seed": claim.seed,
                "Reported": _reported_text(claim),
                "Reproduced": "—" if computed is None else quantity_text(computed, claim.unit),
                "Verdict": VERDICT_LABELS[outcome],
            }
        )
    return pd.DataFrame(rows, columns=["Claim", "Seed", "Reported", "Reproduced", "Verdict"])


def verdict_counts(claims: Iterable[Claim], results: Mapping[str, float]) -> dict[Verdict, int]:
    """How many of ``claims`` get each verdict (every verdict present, zero if none)."""
    counts = dict.fromkeys(Verdict, 0)
    for claim in claims:
        counts[judged(claim, _computed(claim, results))[0]] += 1
    return counts


def show_claims(notebook: str, results: Mapping[str, float]) -> None:
    """Display the cards of every claim ``notebook`` shows, judged against its ``results``."""
    display(HTML(claim_cards_html(claims_for(notebook), results)))
