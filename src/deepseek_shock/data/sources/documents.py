"""The snapshot's documents: dated facts from primary and secondary sources, each with its exact words.

A claim checked against a document is judged like any other, and its evidence names the document: the
source (a URL or ``owner/repo path@commit``), its date and the words relied on.
"""

from __future__ import annotations

from deepseek_shock.data.schema import KnownGap, Provenance, Table, text

FOUND_FILE = "documents-found.csv"  # in the project's data/reference/: rows the project found itself

TABLES: tuple[Table, ...] = (
    Table(
        name="documents",
        title="Documents: dated facts with their sources' exact words",
        description="Release dates, API price lists, company facts and market notices, each row one source's "
        "statement of one fact, quoted verbatim.",
        source_file="extracts-3/documents.csv",
        more_files=(FOUND_FILE,),
        columns=(
            text("id", "Fact id (kebab-case); several rows can support one fact"),
            text("fact", "The fact in English"),
            text("value", "The fact's figure (a number in unit) or date, where it has one", nullable=True),
            text("unit", "Unit of value", nullable=True),
            text("fact_date", "When the fact holds or happened: YYYY-MM-DD, YYYY-MM or YYYY", nullable=True),
            text("source", "URL of the stored page, or owner/repo path@commit"),
            text(
                "source_kind", "primary (the organisation's own page, repository, paper or post) or secondary"
            ),
            text("source_date", "Date of the source, where known", nullable=True),
            text("exact_words", "The source's words relied on, verbatim (at most 300 characters)"),
            text("note", "Caveats: vintage, what the words do and do not say", nullable=True),
        ),
        key=("id", "source", "exact_words"),
    ),
)

PROVENANCE: dict[str, Provenance] = {
    "documents": Provenance(
        source="Stored copies of public web pages (cited by URL) and public GitHub repositories (cited "
        "owner/repo path@commit): the reference folder's extracts-3/documents.csv, compiled on 2026-12-04 "
        "(its SOURCES-documents.md lists what was searched for, found and not found), and the project's own "
        f"data/reference/{FOUND_FILE}, rows found on 2026-12-04 and 2026-12-05 for claims that had no "
        "record (data/reference/README.md).",
        adjustment_basis="Not applicable: quotations, with the figure and date they state.",
        caveats=(
            "A 'secondary' row quotes a news report, an aggregator or a third party's copy of a primary "
            "text; "
            "its note says which.",
            "Prices and counts are as of the source's date (its vintage), which can differ from the "
            "article's "
            "date; a row's note says so where it matters.",
        ),
    ),
}

KNOWN_GAPS: tuple[KnownGap, ...] = (
    KnownGap(
        "Not found in any stored public copy: Neuberger Berman's end-2024 assets, OpenAI's January-2025 "
        "price "
        "page, Mistral's 7 March 2025 statement, DeepSeek's own user counts and outage history, and the "
        "exact "
        "close of Siemens Energy on 27 January 2025.",
        ("documents",),
    ),
)
