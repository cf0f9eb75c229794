"""Figures that documents state, picked by fact and unit (a fact can have rows in several units)."""

from __future__ import annotations

from deepseek_shock.data.documents import document_rows
from deepseek_shock.errors import UserError


def stated_figure(fact_id: str, unit: str) -> float:
    """The first figure of the first row of ``fact_id`` whose unit is ``unit`` (primary sources first)."""
    for document in document_rows(fact_id):
        if document.unit == unit and document.figures:
            return document.figures[0]
    raise UserError(f"document {fact_id!r}: no row states a figure in {unit!r}")
