"""Documents and evidence: facts with their sources' words, and claims judged against them."""

from __future__ import annotations

import re
from datetime import date

import pytest

from deepseek_shock.claims.evidence import cited_document, document_value, reproduced
from deepseek_shock.claims.registry import Claim, judged
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.claims.wording import reported_text
from deepseek_shock.data.documents import Document, document_rows, stated_day, stated_days, stating
from deepseek_shock.errors import UserError


def claim(**fields: object) -> Claim:
    """A minimal checkable claim judged against a document."""
    base: dict[str, object] = {
        "id": "probe",
        "seed": "000",
        "quote": "引文",
        "claim_en": "A probe.",
        "reported": 1.0,
        "unit": "USD per million tokens",
        "relation": "approx",
        "definition": "A figure from a document.",
        "tolerance": {"holds": 0.005, "rounding": 0.05},
        "category": "token-prices",
        "notebook": "pricing",
    }
    return Claim.model_validate({**base, **fields})


def test_rows_list_primary_sources_first_and_pin_their_words() -> None:
    rows = document_rows("deepseek-r1-release")
    assert [row.source_kind for row in rows] == ["primary", "secondary"]
    assert rows[0].date == "2025-01-20"
    assert rows[0].exact_words == "Release DeepSeek-R1"


def test_a_price_list_gives_each_figure() -> None:
    r1 = stating("deepseek-api-price-r1", "figure", "primary")
    assert r1.figures == (0.14, 0.55, 2.19)
    assert stating("openai-o1-price").figures == (15.0, 7.5, 60.0)


def test_unknown_fact_lists_what_exists() -> None:
    with pytest.raises(UserError, match=r"document 'no-such-fact' is not in data snapshot .*expected one of"):
        document_rows("no-such-fact")


def test_a_row_without_a_figure_is_skipped_and_none_is_an_error() -> None:
    assert stating("stargate-500b").figures == (500_000_000_000.0,)
    with pytest.raises(UserError, match=r"document 'deepseekmoe-shared-experts': no row states a figure"):
        stating("deepseekmoe-shared-experts")


def test_document_value_picks_a_part_and_scales_it() -> None:
    cached = claim(evidence={"document": "openai-o1-price", "part": 2})
    assert document_value(cached) == 7.5
    billions = claim(unit="USD billion", reported=500, evidence={"document": "stargate-500b", "scale": 1e-9})
    assert document_value(billions) == pytest.approx(500.0)


def test_a_part_beyond_the_list_names_the_claim_and_document() -> None:
    with pytest.raises(UserError, match=r"claim 'probe': evidence: part 4 of document 'openai-o1-price'"):
        document_value(claim(evidence={"document": "openai-o1-price", "part": 4}))


def test_a_date_claim_is_judged_against_the_documents_date() -> None:
    release = claim(
        unit="date", reported=None, reported_date="2025-01-20", evidence={"document": "deepseek-r1-release"}
    )
    assert reproduced(release, {}) == "2025-01-20"
    assert isinstance(cited_document(release), Document)


def test_a_claim_without_evidence_takes_its_recorded_result() -> None:
    recorded = claim(result="deepseek_price")
    assert reproduced(recorded, {"deepseek_price": 0.14}) == 0.14
    assert cited_document(recorded) is None


def test_evidence_and_result_together_are_refused() -> None:
    with pytest.raises(ValueError, match="a recorded result or a document, not both"):
        claim(result="x", evidence={"document": "stargate-500b"})


def test_a_checkable_date_claim_states_its_date() -> None:
    with pytest.raises(ValueError, match="reported_date: a checkable date claim states its date"):
        claim(unit="date", reported=None, evidence={"document": "deepseek-r1-release"})


def test_a_printed_period_is_judged_against_the_documents_date() -> None:
    quarter = claim(
        unit="date",
        reported=None,
        reported_date="2024-07/2024-09",
        evidence={"document": "goldman-genai-report-date"},
    )
    assert reproduced(quarter, {}) == "2024-06"  # the primary row's month: June, not the third quarter
    assert judged(quarter, reproduced(quarter, {}))[0] is Verdict.CONTRADICTED
    assert reported_text(quarter) == "2024-07 to 2024-09"
    with pytest.raises(ValueError, match="the period '2024-09/2024-07' ends before it starts"):
        claim(
            unit="date",
            reported=None,
            reported_date="2024-09/2024-07",
            evidence={"document": "qwq-32b-release"},
        )


def test_documents_found_for_the_other_chapters_pin_two_facts() -> None:
    assert stating("amazon-2025-capex-plan").figures == (26.3,)
    assert stating("trump-inauguration-2025", "date").date == "2025-01-20"
    assert stating("qwq-32b-parameters").figures == (32.5,)


def test_meta_10k_filing_date_is_sec_company_facts_words() -> None:
    (row,) = document_rows("meta-10k-2024-filed")
    assert (row.date, row.source_kind) == ("2025-01-30", "primary")
    assert row.exact_words == '"fy": 2024, "fp": "FY", "form": "10-K", "filed": "2025-01-30"'
    assert "CIK0001326801" in row.source


def test_documents_for_korea_mainland_and_forecasts_pin_their_figures() -> None:
    kospi = document_rows("kospi-2025-01-24")
    assert [row.figures for row in kospi] == [(0.85,), (0.85,)]  # two copies of Yonhap's report
    assert "to close at 2,536.8" in kospi[0].exact_words
    assert stating("merit-300766-closes-2025-01-27").figures == (20.08, 24.1)
    assert stating("chinext-price-limit").figures == (20.0,)
    assert stating("spf-2023q4-gdp-2024").figures == (1.7,)
    assert stating("spf-2024q1-gdp-2024").figures == (2.4,)
    assert stating("nvda-results-2023-02-22", "date").date == "2023-02-22"
    assert stating("nvda-results-2023-05-24", "date").date == "2023-05-24"
    assert stating("sp500-tech-previous-larger-fall", "date").date == "2020-09"


def test_stated_day_is_a_full_date_and_a_month_alone_is_an_error() -> None:
    assert stated_day("meta-10k-2024-filed") == date(2025, 1, 30)
    with pytest.raises(UserError, match="document 'sp500-tech-previous-larger-fall': expected a full date"):
        stated_day("sp500-tech-previous-larger-fall")  # states '2020-09'


def test_a_list_of_days_is_read_as_dates_and_a_row_without_one_is_an_error() -> None:
    technadu, techstartups = document_rows("deepseek-status-incidents-2025-01")
    assert technadu.days == (date(2025, 1, 14), date(2025, 1, 26), date(2025, 1, 27))
    assert "On January 26, DeepSeek R1 API experienced issues" in technadu.exact_words
    assert techstartups.days == (date(2025, 1, 26), date(2025, 1, 27))  # the cross-check
    assert stated_days("deepseek-status-incidents-2025-01") == technadu.days
    assert stating("kospi-2025-01-24").days == ()  # a figure, not days
    with pytest.raises(UserError, match="document 'kospi-2025-01-24': no row lists days"):
        stated_days("kospi-2025-01-24")


def test_futures_and_tokyo_closes_agree_with_their_second_sources() -> None:
    first, second = document_rows("nq-futures-2025-01-27")
    assert first.figures == second.figures == (21911.25, 21771.0, 21258.5)
    for row in (first, second):  # the 27 January row: close, high, low, open and volume
        assert "21258.5,21771.0,20763.75,21771.0,1056136" in row.exact_words
    press = stating("tokyo-tech-2025-01-27-press").figures  # Advantest, TEL, Renesas, SoftBank, percent
    facts = (
        "tokyo-6857-2025-01-27",
        "tokyo-8035-2025-01-27",
        "tokyo-6723-2025-01-27",
        "tokyo-9984-2025-01-27",
    )
    for fact, reported in zip(facts, press, strict=True):
        friday, monday = stating(fact).figures
        assert 100 * (monday / friday - 1) == pytest.approx(reported, abs=0.05)
    assert stating("tokyo-6857-2025-01-27").figures == (10050.0, 9185.0)


def test_monday_etf_volumes_agree_across_their_copies() -> None:
    for ticker, shares in (("soxl", 198_431_800), ("nvdl", 91_940_300), ("tqqq", 80_910_800)):
        rows = document_rows(f"etf-volume-2025-01-27-{ticker}")
        assert len(rows) == 2 and {row.figures for row in rows} == {(shares,)}
    (sqqq,) = document_rows("etf-volume-2025-01-27-sqqq")
    adjusted = int(re.search(r"shows ([\d,]+)", sqqq.note).group(1).replace(",", ""))
    assert sqqq.figures == (adjusted * 5,)  # the split-adjusted copy, before the 1-for-5 reverse split
