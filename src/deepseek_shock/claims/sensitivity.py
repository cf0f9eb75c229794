"""Sensitivity: a claim re-judged under every other defensible reading its registry entry names.

A reading kind (the week instead of the day, the 10-K share count instead of the 10-Q's, the cross-check
price series) is declared once in the registry's ``readings``; a claim naming it is judged again on the
value its notebook records under ``<result>__<kind>``. A verdict is robust when every reading gives it,
fragile when some reading flips it, and rests on one reading when the claim names no other (its words
admit one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deepseek_shock.claims.registry import RESULT_KEY_SEPARATOR, Claim, ReadingKind, judged
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.errors import UserError

ROBUST = "robust"
FRAGILE = "fragile"
ONE_READING = "one-reading"
ROBUSTNESS_LABELS = {ROBUST: "robust", FRAGILE: "fragile", ONE_READING: "one reading only"}


@dataclass(frozen=True)
class Alternative:
    """A claim judged under one other reading: the kind, its label, the value and the verdict."""

    kind: str
    label: str
    value: float | str
    verdict: Verdict


def alternative_key(claim: Claim, kind: str) -> str:
    """The result key a notebook records ``claim``'s value under the reading ``kind``."""
    if claim.result is None:
        raise UserError(f"claim {claim.id!r}: alternatives need a result key")
    return f"{claim.result}{RESULT_KEY_SEPARATOR}{kind}"


def alternatives(
    claim: Claim, results: Mapping[str, Any], kinds: Mapping[str, ReadingKind]
) -> list[Alternative]:
    """``claim`` judged under each reading kind it names, on its notebook's ``results``.

    A kind whose value the notebook did not record is one clear error naming the key expected.
    """
    judged_under = []
    for kind in claim.alternatives:
        key = alternative_key(claim, kind)
        if key not in results or results[key] is None:
            raise UserError(
                f"data/claims.yaml: claim {claim.id!r}: alternative {kind!r} expects notebook "
                f"{claim.notebook!r} to record {key!r}; it does not"
            )
        value = results[key]
        judged_under.append(Alternative(kind, kinds[kind].label, value, judged(claim, value)[0]))
    return judged_under


def robustness(verdict: Verdict, judged_under: list[Alternative]) -> str | None:
    """``robust`` if every alternative gives ``verdict``, ``fragile`` if one differs, ``one-reading`` for a
    ruled claim judged under no other reading; ``None`` for a claim not ruled."""
    if verdict is Verdict.NOT_CHECKABLE:
        return None
    if not judged_under:
        return ONE_READING
    return ROBUST if all(alternative.verdict is verdict for alternative in judged_under) else FRAGILE
