"""What a claim is judged against: a value its notebook recorded, or a document's figure or date.

``reproduced`` is the one place that decides it, so a chapter page, the ledger and an edition's
verdicts can never judge a claim against different values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deepseek_shock.claims.registry import Claim
from deepseek_shock.data.documents import Document, stating
from deepseek_shock.errors import UserError


def cited_document(claim: Claim) -> Document | None:
    """The documents-table row a claim's evidence names, or ``None`` for a claim without evidence."""
    if claim.evidence is None:
        return None
    kind = "date" if claim.unit == "date" else "figure"
    try:
        return stating(claim.evidence.document, kind, claim.evidence.source_kind)
    except UserError as err:
        raise UserError(f"data/claims.yaml: claim {claim.id!r}: evidence: {err}") from None


def document_value(claim: Claim) -> float | str:
    """The figure (in the claim's unit) or date a claim's document states."""
    document = cited_document(claim)
    if document is None or claim.evidence is None:
        raise UserError(f"claim {claim.id!r} cites no document")
    if claim.unit == "date":
        assert document.date is not None  # ``stating`` returned a row that states a date
        return document.date
    figures = document.figures
    part = claim.evidence.part or 1
    if part > len(figures):
        raise UserError(
            f"data/claims.yaml: claim {claim.id!r}: evidence: part {part} of document "
            f"{document.id!r}, which states {len(figures)} figure(s) ({document.value!r})"
        )
    return figures[part - 1] * claim.evidence.scale


def reproduced(claim: Claim, results: Mapping[str, Any]) -> float | str | None:
    """The value ``claim`` is judged against: its document's, else ``results[claim.result]``.

    ``results`` maps the claim's notebook's result keys to values; ``None`` for a not-checkable claim or a
    result the notebook did not record.
    """
    if not claim.checkable:
        return None
    if claim.evidence is not None:
        return document_value(claim)
    return results.get(claim.result) if claim.result is not None else None
