"""Documents: dated facts from the snapshot's ``documents`` table, each with its source's exact words.

A fact id can have several rows (one per source). A row's ``value`` is a figure in its ``unit``, several
figures separated by ``/`` (a price list: cache hit / cache miss / output), a date written ``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``, or several full dates separated by ``/`` (the days something happened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

TABLE = "documents"
DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Document:
    """One source's statement of one fact."""

    id: str
    fact: str
    value: str
    unit: str
    fact_date: str
    source: str
    source_kind: str
    source_date: str
    exact_words: str
    note: str

    @property
    def figures(self) -> tuple[float, ...]:
        """The row's figures in ``unit`` (a price list gives several), or ``()`` when it states none."""
        parts = [part.strip() for part in self.value.split("/")] if self.value else []
        try:
            return tuple(float(part.replace(",", "")) for part in parts)
        except ValueError:
            return ()

    @property
    def date(self) -> str | None:
        """The date the row states (``value`` if it is a date, else ``fact_date``), or ``None``."""
        for text in (self.value, self.fact_date):
            if text and DATE_RE.fullmatch(text):
                return text
        return None

    @property
    def days(self) -> tuple[date, ...]:
        """The full dates of a ``/``-separated list of ``YYYY-MM-DD`` (the days something happened),
        or ``()`` when ``value`` is not such a list."""
        parts = [part.strip() for part in self.value.split("/")] if self.value else []
        if not parts or not all(DAY_RE.fullmatch(part) for part in parts):
            return ()
        return tuple(date.fromisoformat(part) for part in parts)

    @property
    def citation(self) -> str:
        """Where the words come from, for a reader: source, kind and date."""
        dated = f", {self.source_date}" if self.source_date else ""
        return f"{self.source} ({self.source_kind}{dated})"


def document_rows(fact_id: str) -> list[Document]:
    """Every row stating the fact ``fact_id``, primary sources first; an unknown id is one clear error."""
    by_id = documents_by_id(snapshot.shared_table(TABLE))
    if fact_id not in by_id:
        raise UserError(
            f"document {fact_id!r} is not in data snapshot {snapshot.active_snapshot()}; "
            f"expected one of {', '.join(sorted(by_id))}"
        )
    return list(by_id[fact_id])


_INDEXED: list[tuple[pd.DataFrame, dict[str, list[Document]]]] = []  # the last table indexed


def documents_by_id(table: pd.DataFrame) -> dict[str, list[Document]]:
    """The rows of the ``documents`` table as Documents by fact id, primary sources first in each;
    built once per table read (the frame is the snapshot's cached one, so a new file state is a new
    frame)."""
    if _INDEXED and _INDEXED[0][0] is table:
        return _INDEXED[0][1]
    by_id: dict[str, list[Document]] = {}
    for record in table.to_dict("records"):
        document = Document(**{field: str(record[field]) for field in Document.__dataclass_fields__})
        by_id.setdefault(document.id, []).append(document)
    for documents in by_id.values():
        documents.sort(key=lambda document: document.source_kind != "primary")
    _INDEXED[:] = [(table, by_id)]
    return by_id


def stating(fact_id: str, kind: str = "figure", source_kind: str | None = None) -> Document:
    """The first row of ``fact_id`` (primary sources first) that states a ``figure`` or a ``date``.

    ``source_kind`` (``primary`` or ``secondary``) restricts the rows considered.
    """
    for document in document_rows(fact_id):
        if source_kind and document.source_kind != source_kind:
            continue
        if (kind == "figure" and document.figures) or (kind == "date" and document.date):
            return document
    which = f"{source_kind} " if source_kind else ""
    raise UserError(f"document {fact_id!r}: no {which}row states a {kind}")


def stated_days(fact_id: str) -> tuple[date, ...]:
    """The days the first row of ``fact_id`` (primary sources first) lists; a row listing none is one
    clear error."""
    for document in document_rows(fact_id):
        if document.days:
            return document.days
    raise UserError(f"document {fact_id!r}: no row lists days, YYYY-MM-DD/YYYY-MM-DD")


def stated_day(fact_id: str) -> date:
    """The full date (``YYYY-MM-DD``) the first dated row of ``fact_id`` states; a month or a year alone
    is one clear error."""
    stated = stating(fact_id, "date").date
    if stated is None or len(stated) != len("YYYY-MM-DD"):
        raise UserError(f"document {fact_id!r}: expected a full date, YYYY-MM-DD, got {stated!r}")
    return date.fromisoformat(stated)
