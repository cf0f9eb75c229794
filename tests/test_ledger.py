"""The ledger: every claim judged against recorded results, in JSON and CSV with the same rows."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest

from deepseek_shock.claims import ledger, scoreboard
from deepseek_shock.claims.registry import load_claims
from deepseek_shock.errors import UserError

REQUIRED = {  # the fields the ledger promises for every claim
    "id",
    "seed",
    "quote",
    "claim_en",
    "reported",
    "unit",
    "computed",
    "verdict",
    "tolerance",
    "notebook",
    "note",
}


def recorded_everything(value: float) -> dict:
    """Results in which every checkable claim's key, and each of its other readings' keys, holds
    ``value`` (a date claim's an ISO date)."""
    results: dict = {}
    for claim in load_claims():
        if claim.checkable and claim.result:
            recorded = {"value": "2025-01-27" if claim.unit == "date" else value, "unit": claim.unit}
            keys = [claim.result, *(f"{claim.result}__{kind}" for kind in claim.alternatives)]
            results.setdefault(claim.notebook, {}).update(dict.fromkeys(keys, recorded))
    return results


def test_every_claim_has_a_row_with_the_required_fields():
    rows = ledger.ledger_rows(recorded_everything(1.0))
    assert len(rows) == len(load_claims())
    for row in rows:
        assert set(row) >= REQUIRED
        assert row["verdict"] in {"holds", "rounding", "contradicted", "not-checkable"}
        if row["verdict"] == "not-checkable":
            assert row["computed"] is None and row["note"] and row["robustness"] is None
        else:  # every ruled claim says what it was read as, checked against, and how robust it is
            assert row["reading"] and row["independence"]
            assert row["robustness"] in {"robust", "fragile", "one-reading"}


def test_a_result_no_notebook_records_is_named():
    results = recorded_everything(1.0)
    claim = next(c for c in load_claims() if c.checkable and c.result)
    del results[claim.notebook][claim.result]
    with pytest.raises(UserError, match=f"claim '{claim.id}': result '{claim.result}' is not recorded"):
        ledger.ledger_rows(results)


def test_a_result_of_the_wrong_kind_is_named():
    results = recorded_everything(1.0)
    claim = next(c for c in load_claims() if c.checkable and c.result and c.unit != "date")
    results[claim.notebook][claim.result]["value"] = "1.0"
    expected = f"claim '{claim.id}': result '{claim.result}' .* is '1.0', not a number"
    with pytest.raises(UserError, match=expected):
        ledger.ledger_rows(results)


def test_verdicts_follow_the_recorded_values():
    claim = next(c for c in load_claims() if c.result and c.relation == "approx" and c.reported)
    results = recorded_everything(1.0)
    results[claim.notebook][claim.result]["value"] = claim.reported
    [row] = [r for r in ledger.ledger_rows(results) if r["id"] == claim.id]
    assert row["verdict"] == "holds"
    results[claim.notebook][claim.result]["value"] = claim.reported * 3
    [row] = [r for r in ledger.ledger_rows(results) if r["id"] == claim.id]
    assert row["verdict"] == "contradicted"


def test_json_and_csv_carry_the_same_claims():
    rows = ledger.ledger_rows(recorded_everything(2.0))
    as_json = json.loads(ledger.ledger_json(rows))
    as_csv = list(csv.DictReader(io.StringIO(ledger.ledger_csv(rows))))
    assert [r["id"] for r in as_json] == [r["id"] for r in as_csv] == [r["id"] for r in rows]
    assert [r["verdict"] for r in as_csv] == [r["verdict"] for r in rows]


def test_page_has_summary_downloads_and_a_filterable_row_per_claim():
    rows = ledger.ledger_rows(recorded_everything(1.0))
    page = ledger.page_markdown(rows, "../data")
    assert page.count('<tr id="ledger-') == len(rows)
    assert "{download}`JSON <../data/ledger.json>`" in page
    assert 'data-filter="verdict"' in page
    assert f"**{len(rows)}**" in page


def summary_row(claim_id: str, verdict: str, related: tuple[str, ...] = (), **fields: object) -> dict:
    """A ledger row with only what the summary reads."""
    return {
        "id": claim_id,
        "verdict": verdict,
        "related": list(related),
        "independence": None,
        "robustness": None,
        **fields,
    }


def test_sentences_repeating_one_figure_count_once() -> None:
    rows = [
        summary_row("a", "holds", ("b",), independence="independent", robustness="fragile"),
        summary_row("b", "holds", independence="independent", robustness="robust"),
        summary_row("c", "holds", ("b",), independence="self-reported", robustness="one-reading"),
        summary_row("d", "contradicted", independence="printed-inputs"),
        summary_row("e", "not-checkable"),
    ]
    assert scoreboard.figure_groups(rows) == [["a", "b", "c"], ["d"], ["e"]]
    summary = scoreboard.ruled_summary(rows)
    assert summary["sentences"] == {"holds": 3, "contradicted": 1, "not-checkable": 1}
    assert summary["distinct_figures"] == 3 and summary["figures"]["holds"] == 1
    assert summary["holds_by_independence"] == {"independent": 2, "self-reported": 1}
    assert (summary["fragile"], summary["with_alternatives"]) == (1, 2)
    note = ledger.summary_note(rows)
    assert "The 5 sentences report 3 distinct figures" in note and "1 of the 2 verdicts" in note
    checked = "2 against independent data or documents; 1 against the source's own figures, restated"
    assert f"Of the claims that hold, {checked}." in note  # the ledger page and the scoreboard agree
    assert f"Of the claims that hold, {html.escape(checked)}.</li>" in scoreboard.what_counts_html(rows)
    assert scoreboard.checked_against_text({}) == "none"


def test_a_reading_on_one_line_says_what_the_card_says() -> None:
    reading = {"start": "2025-01-24", "end": "2025-01-27", "series": "NVDA close", "words": "上周"}
    assert ledger.reading_text(reading) == (
        "window 2025-01-24 to 2025-01-27; series NVDA close; words “上周”"
    )
    assert ledger.reading_text(None) == ""
