"""Printed figures against the several quantities they could stand for, each cell judged by the claim's
own tolerance: which reading of a sentence its figure fits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from deepseek_shock.claims.registry import Claim, claims_by_id
from deepseek_shock.claims.verdicts import Tolerance, Verdict, verdict
from deepseek_shock.claims.wording import VERDICT_LABELS, quantity_text
from deepseek_shock.errors import UserError


def judged_against(claim: Claim, computed: float) -> Verdict:
    """The verdict ``claim``'s printed figure would get against ``computed`` (its own tolerance)."""
    if claim.reported is None:
        raise UserError(f"claim {claim.id!r} prints no figure to judge")
    tolerance = claim.tolerance or Tolerance(holds=0, rounding=0)
    return verdict(claim.reported, computed, tolerance, claim.relation)


def reconciliation(
    claim_ids: Iterable[str],
    candidates: Mapping[str, float],
    header: str,
    fmt: str,
    printed_prefix: str = "",
    readings: Callable[[float], Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """One row per claim: its printed figure, each candidate quantity with the verdict it would give, and
    what ``readings`` derives from the printed figure.

    ``candidates`` maps a label to a value in the claims' unit; ``header`` names a candidate's column
    (``"{} (USD bn)"``) and ``fmt`` formats its value.
    """
    rows = []
    for claim in claims_by_id(claim_ids).values():
        if claim.reported is None:
            raise UserError(f"claim {claim.id!r} prints no figure to reconcile")
        row = {"Seed": claim.seed, "Printed": printed_prefix + quantity_text(claim.reported, claim.unit)}
        for label, value in candidates.items():
            outcome = judged_against(claim, value)
            row[header.format(label)] = f"{value:{fmt}} ({VERDICT_LABELS[outcome].lower()})"
        row.update(readings(claim.reported) if readings else {})
        rows.append(row)
    return pd.DataFrame(rows)
