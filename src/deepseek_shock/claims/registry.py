"""The claims registry: every press figure, its verbatim source and how it is judged.

``data/claims.yaml`` lists the claims; each quote is checked against the seed article it came
from (``data/seeds/<seed>_*.txt``). A notebook records the reproduced value under the claim's
``result`` key and shows the claims it covers as cards with their verdicts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from deepseek_shock.claims.verdicts import (
    PERIOD_SEPARATOR,
    Relation,
    Tolerance,
    Verdict,
    date_verdict,
    relative_error,
    verdict,
)
from deepseek_shock.data.documents import DATE_RE
from deepseek_shock.data.printed import claims_path, registry_document, registry_entries
from deepseek_shock.errors import UserError
from deepseek_shock.paths import data_dir, file_state
from deepseek_shock.paths import project_label as registry_label

SEEDS_DIR = "seeds"


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


def _known_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    return unit


Unit = Annotated[str, AfterValidator(_known_unit)]


DATE_PATTERN = rf"^{DATE_RE.pattern}$"
PRINTED_DATE_PATTERN = rf"^{DATE_RE.pattern}({PERIOD_SEPARATOR}{DATE_RE.pattern})?$"  # a date or a period


class Evidence(BaseModel):
    """A document the claim is judged against: a row of the snapshot's ``documents`` table.

    ``part`` picks one figure of a list such as ``0.14/0.55/2.19`` (1 is the first); ``scale`` turns the
    document's unit into the claim's (``1e-9`` for USD into USD billion); ``source_kind`` restricts the
    rows to primary or secondary sources (default: the first row stating one, primary sources first).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str = Field(pattern=KEBAB, description="Fact id in the documents table")
    part: int | None = Field(None, ge=1, description="Which figure of a '/'-separated list (1-based)")
    scale: float = Field(1.0, gt=0, description="Multiplier from the document's unit to the claim's")
    source_kind: Literal["primary", "secondary"] | None = Field(None, description="Rows considered")


Independence = Literal["independent", "printed-inputs", "self-reported"]
INDEPENDENCE: tuple[str, ...] = get_args(Independence)
RESULT_KEY_SEPARATOR = "__"  # an alternative reading's result key: <result>__<kind>


class ReadingKind(BaseModel):
    """A kind of alternative reading, declared once in the registry's ``readings`` and named by claims.

    A claim with ``result: R`` naming kind ``K`` is also judged on the value its notebook records under
    ``R__K``: the same quantity under the other reading (the week instead of the day, the 10-K share count
    instead of the 10-Q's, the cross-check price series).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(min_length=1, description="The other reading in a few words, for the claim card")
    description: str = Field(min_length=1, description="What changes under it, and why it is defensible")


class Reading(BaseModel):
    """The reading a claim is judged on, beyond its definition: the window, base and series it uses and
    the words of the sentence that pick them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: str | None = Field(
        None, pattern=DATE_PATTERN, description="First day of the window (or base date)"
    )
    end: str | None = Field(None, pattern=DATE_PATTERN, description="Last day of the window")
    base: str | None = Field(None, min_length=1, description="What the change is measured from")
    series: str | None = Field(None, min_length=1, description="The series or source the value comes from")
    words: str | None = Field(
        None, min_length=1, description="The sentence's own words that pick the reading"
    )


class Implied(BaseModel):
    """A value the chapter computes to show what a scenario claim implies (recorded under ``result``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(min_length=1, description="What the value is, for the claim card")
    result: str = Field(min_length=1, description="Key the notebook records the value under")
    unit: Unit = Field(description="Unit of the value: one of UNITS")


class Scenario(BaseModel):
    """A conditional or scenario claim: the condition it states, the base it rests on, and whether that
    base is public.

    The rule: a scenario claim is judged on what the data settle. When its base is not public it is
    not checkable (``not_checkable`` names the base), and ``implied`` lists computed values that let a
    reader judge its plausibility; when the article prints its own inputs, it is judged on them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    condition: str = Field(
        min_length=1, description="The condition or scenario, e.g. 'if intensity returns…'"
    )
    base: str = Field(min_length=1, description="What the scenario's result is computed from")
    base_public: bool = Field(description="Whether that base is published (or printed in the article)")
    implied: tuple[Implied, ...] = Field((), description="Computed values showing what the claim implies")


class Claim(BaseModel):
    """One press claim: what was printed, where, and what quantity it is judged against."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=KEBAB, description="Stable kebab-case identifier")
    seed: str = Field(pattern=r"^\d{3}$", description="Prefix of the seed article file, e.g. '000'")
    quote: str = Field(min_length=1, description="The Chinese sentence or clause, verbatim from the seed")
    claim_en: str = Field(min_length=1, description="The claim in English")
    reported: float | None = Field(description="The figure as printed, in `unit` (null: none printed)")
    reported_date: str | None = Field(
        None,
        pattern=PRINTED_DATE_PATTERN,
        description="A date claim's date as printed: YYYY, YYYY-MM or YYYY-MM-DD, or a period START/END "
        "(the third quarter of 2024: 2024-07/2024-09)",
    )
    date_tolerance_days: int = Field(
        0, ge=0, le=31, description="Days a found date may differ and still hold (e.g. a time-zone reading)"
    )
    unit: Unit = Field(description="Unit of `reported`: one of UNITS")
    relation: Relation = Field(description="approx, lt (less than reported) or gt (more than reported)")
    definition: str = Field(min_length=1, description="Exactly which quantity the claim is judged against")
    tolerance: Tolerance | None = Field(
        None, description="Relative bands; needed for checkable approx claims"
    )
    category: str = Field(pattern=KEBAB, description="Topic, e.g. training-cost")
    notebook: str | None = Field(None, min_length=1, description="The notebook that shows the claim")
    result: str | None = Field(None, min_length=1, description="Key the notebook records the value under")
    evidence: Evidence | None = Field(None, description="The document the claim is judged against")
    reading: Reading | None = Field(None, description="The window, base and series the claim is judged on")
    alternatives: tuple[str, ...] = Field(
        (), description="Kinds of alternative reading (declared in the registry's readings) also judged"
    )
    independence: Independence | None = Field(
        None,
        description="What the verdict is checked against: independent (public data or a document other "
        "than the claim's source), printed-inputs (the article's own numbers) or self-reported (the "
        "source's own figure restated)",
    )
    not_checkable: str | None = Field(None, min_length=1, description="Why no public data can check it")
    related: tuple[str, ...] = Field((), description="Ids of claims that report the same quantity")
    scenario: Scenario | None = Field(None, description="The condition and base of a conditional claim")
    pairs: tuple[str, ...] = Field(
        (),
        description="Ids of two claims one sentence prints side by side for different windows or bases: "
        "this claim judges the pairing itself",
    )
    change_note: str | None = Field(
        None, min_length=1, description="Why the verdict differs from the previous edition's, if it does"
    )

    @field_validator("reported")
    @classmethod
    def _finite_reported(cls, reported: float | None) -> float | None:
        if reported is not None and not math.isfinite(reported):
            raise ValueError(f"expected a finite number, got {reported!r}")
        return reported

    @model_validator(mode="after")
    def _checkable_or_reason(self) -> Claim:
        if self.scenario is not None:
            if self.scenario.implied and self.notebook is None:
                raise ValueError("notebook: the notebook that records the scenario's implied values")
            if not self.scenario.base_public and self.not_checkable is None:
                raise ValueError(
                    "not_checkable: a scenario whose base is not public cannot be judged on a stand-in "
                    "base; name the base that would settle it (and list what it implies under implied)"
                )
        if self.pairs and len(self.pairs) != 2:
            raise ValueError("pairs: name exactly the two claims the sentence prints side by side")
        if self.not_checkable is not None:
            if self.alternatives:
                raise ValueError("alternatives: a not-checkable claim has no alternative readings to judge")
            if self.result is not None or self.evidence is not None:
                raise ValueError(
                    "result: a not-checkable claim records no result and cites no evidence (drop them or "
                    "not_checkable)"
                )
            return self
        if self.result is not None and self.evidence is not None:
            raise ValueError("evidence: a claim is judged against a recorded result or a document, not both")
        if self.result is None and self.evidence is None:
            raise ValueError(
                "result: required unless not_checkable gives the reason it cannot be checked (or evidence "
                "names a document)"
            )
        if self.notebook is None:
            raise ValueError("notebook: required unless not_checkable gives the reason it cannot be checked")
        if self.alternatives and self.result is None:
            raise ValueError(
                "alternatives: an alternative reading is a recorded result; the claim needs result"
            )
        if self.unit == "date":
            if self.reported_date is None:
                raise ValueError(
                    "reported_date: a checkable date claim states its date (YYYY, YYYY-MM or YYYY-MM-DD)"
                )
            start, _, end = self.reported_date.partition(PERIOD_SEPARATOR)
            if end and end < start[: len(end)]:
                raise ValueError(f"reported_date: the period {self.reported_date!r} ends before it starts")
            return self
        if self.reported is None:
            raise ValueError("reported: required unless not_checkable gives the reason it cannot be checked")
        if self.relation == "approx" and self.tolerance is None:
            raise ValueError("tolerance: required for an 'approx' claim (holds and rounding, as fractions)")
        if self.relation == "approx" and self.reported == 0:
            raise ValueError("reported: an 'approx' claim needs a non-zero reported value")
        return self

    @property
    def checkable(self) -> bool:
        """Whether a notebook reproduces this claim's quantity."""
        return self.not_checkable is None


def seed_path(seed: str) -> Path:
    """The seed article ``data/seeds/<seed>_*.txt``; exactly one must exist."""
    matches = sorted((data_dir() / SEEDS_DIR).glob(f"{seed}_*.txt"))
    if len(matches) != 1:
        found = "none" if not matches else ", ".join(path.name for path in matches)
        raise FileNotFoundError(f"expected one file data/{SEEDS_DIR}/{seed}_*.txt, found {found}")
    return matches[0]


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


def load_readings() -> dict[str, ReadingKind]:
    """The kinds of alternative reading the registry declares, by name."""
    return parsed_readings(claims_path())


def parsed_readings(path: Path) -> dict[str, ReadingKind]:
    """The ``readings`` mapping of the registry file ``path``, validated."""
    label = registry_label(path)
    kinds = {}
    for name, entry in registry_document(path)["readings"].items():
        if not isinstance(name, str) or not re.fullmatch(KEBAB, name):
            raise UserError(f"{label}: readings: {name!r}: expected a kebab-case name")
        try:
            kinds[name] = ReadingKind.model_validate(entry)
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "entry"
            raise UserError(f"{label}: readings: {name}: {field}: {first['msg']}") from None
    return kinds


def parsed_claims(path: Path) -> list[Claim]:
    """The claims in the registry file ``path``, validated against the schema and the seed articles."""
    label = registry_label(path)
    entries = registry_entries(path)
    kinds = parsed_readings(path)

    claims: list[Claim] = []
    seen: set[str] = set()
    seeds: dict[str, str] = {}
    for index, entry in enumerate(entries):
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
            except UnicodeDecodeError:
                raise UserError(
                    f"{who}: seed: {seed_path(claim.seed).name} is not UTF-8 text: expected the article "
                    "saved as UTF-8"
                ) from None
        if claim.quote not in seeds[claim.seed]:
            raise UserError(
                f"{who}: quote: not found verbatim in seed {seed_path(claim.seed).name}; "
                "copy the sentence exactly as the article prints it"
            )
        claims.append(claim)
    for claim in claims:
        undeclared = [kind for kind in claim.alternatives if kind not in kinds]
        if undeclared:
            raise UserError(
                f"{label}: claim {claim.id!r}: alternatives: {undeclared[0]!r} is not declared under "
                f"readings; expected one of {', '.join(kinds) or '(none declared)'}"
            )
        unknown = [
            other for other in (*claim.related, *claim.pairs) if other not in seen or other == claim.id
        ]
        if unknown:
            raise UserError(
                f"{label}: claim {claim.id!r}: related/pairs: unknown or self-referencing id {unknown[0]!r}"
            )
    return claims


def claims_for(notebook: str, categories: Iterable[str] | None = None) -> list[Claim]:
    """The claims a notebook shows, in registry order; only those of ``categories`` when given."""
    wanted = None if categories is None else set(categories)
    return [
        claim
        for claim in load_claims()
        if claim.notebook == notebook and (wanted is None or claim.category in wanted)
    ]


def claims_by_id(ids: Iterable[str]) -> dict[str, Claim]:
    """The registry's claims with ``ids``, keyed by id in the order given (one read of the registry)."""
    wanted = list(ids)
    found = {claim.id: claim for claim in load_claims() if claim.id in wanted}
    missing = [claim_id for claim_id in wanted if claim_id not in found]
    if missing:
        raise UserError(f"data/claims.yaml: no claim with id {missing[0]!r}")
    return {claim_id: found[claim_id] for claim_id in wanted}


def judged(claim: Claim, computed: float | str | None) -> tuple[Verdict, float | None]:
    """The claim's verdict and the signed relative error of ``computed`` against the reported value.

    A not-checkable claim gives ``(Verdict.NOT_CHECKABLE, None)``; a checkable one needs ``computed`` (a
    date claim an ISO date, ``YYYY`` to ``YYYY-MM-DD``). The relative error is ``None`` for a date or when
    the reported value is 0.
    """
    if not claim.checkable:
        return Verdict.NOT_CHECKABLE, None
    if computed is None:
        where = (
            f"document {claim.evidence.document!r}"
            if claim.evidence
            else f"{claim.result!r} by {claim.notebook}"
        )
        raise UserError(f"claim {claim.id!r}: no value recorded under {where}")
    if claim.unit == "date":
        assert claim.reported_date is not None  # guaranteed for checkable date claims by the model
        return date_verdict(claim.reported_date, str(computed), claim.date_tolerance_days), None
    assert claim.reported is not None  # guaranteed for checkable claims by the model
    computed = float(computed)
    tolerance = claim.tolerance or Tolerance(holds=0, rounding=0)
    outcome = verdict(claim.reported, computed, tolerance, claim.relation)
    error = relative_error(claim.reported, computed) if claim.reported != 0 else None
    return outcome, error
