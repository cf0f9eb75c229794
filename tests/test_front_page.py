"""The landing page: the scoreboard counts the ledger, the headlines come from the ledger and link to
their chapters, and the headline chart is computed from the snapshot and the printed figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deepseek_shock.build.front_page import CHART_NAME, front_page_markdown, notebook_title
from deepseek_shock.chapters.market.shares import BILLION, market_value_usd
from deepseek_shock.chapters.nvda_drawdown import figures, press, week
from deepseek_shock.claims import headlines, scoreboard
from deepseek_shock.claims.registry import claims_by_id, load_claims
from deepseek_shock.claims.verdicts import Verdict
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError


def rows_with(verdicts: list[str]) -> list[dict]:
    """Ledger-like rows: the registry's first claims, given these verdicts (a value for each)."""
    return [
        {"id": claim.id, "verdict": verdict, "computed": 1.0 if claim.checkable else None}
        for claim, verdict in zip(load_claims(), verdicts, strict=False)
    ]


def test_verdict_totals_count_every_row_and_name_every_verdict():
    rows = rows_with(["holds", "holds", "not-checkable", "contradicted"])
    assert scoreboard.verdict_totals(rows) == {
        Verdict.HOLDS: 2,
        Verdict.ROUNDING: 0,
        Verdict.CONTRADICTED: 1,
        Verdict.NOT_CHECKABLE: 1,
    }


def test_scoreboard_shows_each_count_in_words_and_with_its_verdict_badge():
    totals = {Verdict.HOLDS: 1, Verdict.ROUNDING: 0, Verdict.CONTRADICTED: 12, Verdict.NOT_CHECKABLE: 1_203}
    board = scoreboard.scoreboard_html(totals, "ledger.html")
    assert '<span class="ds-scoreboard-count">1,216</span> claims from the press checked' in board
    tiles = re.findall(
        r'<li class="ds-score ds-claim-([a-z-]+)" data-verdict="\1">'
        r'<span class="ds-score-count">([\d,]+)</span> '
        r'<span class="ds-score-words">([^<]+)</span> <span class="ds-verdict ds-verdict-\1">([^<]+)</span>',
        board,
    )
    assert tiles == [
        ("holds", "1", "claim holds as printed", "Holds"),
        ("rounding", "0", "claims hold only as rounded figures", "Holds only as a rounded figure"),
        ("contradicted", "12", "claims are contradicted by the data", "Contradicted"),
        ("not-checkable", "1,203", "claims cannot be checked from public data", "Not checkable"),
    ]
    assert '<a href="ledger.html">claims ledger</a>' in board


def test_the_committed_headlines_name_claims_of_the_registry():
    found = headlines.load_headlines()
    assert 5 <= len(found) <= 6
    claims = claims_by_id([headline.claim for headline in found])
    assert len({claim.notebook for claim in claims.values()}) == len(found)  # one chapter each


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("headlines: [{heading: Cost, claim: no-such-claim}]", "headline 1: claim: no claim with id"),
        (
            "headlines: [{heading: Cost 2025, claim: v3-gpu-hours-2788k}]",
            "heading: a heading holds no digits",
        ),
        ("headlines: [{heading: Cost}]", "headline 1: claim: Field required"),
        ("headlines: [{heading: Cost, claim: v3-gpu-hours-2788k, note: x}]", "headline 1: note:"),
        ("headings: []", "expected a single key 'headlines' holding a list"),
        ("headlines: [", "malformed YAML"),
    ],
)
def test_bad_headlines_are_one_clear_error(tmp_path: Path, text: str, message: str):
    path = tmp_path / "headlines.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=re.escape(message)):
        headlines.load_headlines(path)


def test_headlines_that_are_not_utf8_are_one_clear_error(tmp_path: Path):
    path = tmp_path / "headlines.yaml"
    path.write_bytes("headlines: [{heading: 成本, claim: v3-gpu-hours-2788k}]".encode("gb18030"))
    with pytest.raises(UserError, match=r"headlines\.yaml is not UTF-8 text"):
        headlines.load_headlines(path)


def test_a_headline_shows_the_ledgers_figures_verdict_what_was_measured_and_its_chapter():
    chosen = [headlines.Headline(heading="Training cost", claim="v3-final-run-cost-5576k")]
    rows = [{"id": "v3-final-run-cost-5576k", "computed": 5_000_000.0}]
    chapters = {"training_cost": ("../notebooks/training_cost.html", "The <training> run")}
    block = headlines.headlines_html(chosen, rows, chapters)
    assert '<h3 class="ds-headline-heading">Training cost</h3>' in block
    assert '<span class="ds-verdict ds-verdict-contradicted">Contradicted</span>' in block
    assert "printed USD 5,576,000; reproduced USD 5,000,000." in block
    assert '<a href="../notebooks/training_cost.html#claim-v3-final-run-cost-5576k">' in block
    assert '<a href="../notebooks/training_cost.html">Chapter: The &lt;training&gt; run</a>' in block
    assert "<strong>Measured:</strong> Notional rental cost of DeepSeek-V3" in block
    with pytest.raises(UserError, match="not shown by any chapter"):
        headlines.headlines_html(chosen, rows, {})


def test_first_sentence_stops_at_the_first_full_stop():
    assert headlines.first_sentence("One, 2.5 times.  Two.") == "One, 2.5 times."
    assert headlines.first_sentence("No stop") == "No stop"


def test_notebook_title_is_the_first_level_one_heading():
    notebook = {
        "cells": [
            {"cell_type": "code", "source": "# not a heading"},
            {"cell_type": "markdown", "source": ["Intro\n", "# The title\n", "# Later"]},
        ]
    }
    assert notebook_title(notebook) == "The title"
    assert notebook_title({"cells": []}) == "untitled chapter"


def test_front_page_counts_the_rows_and_links_each_headline_to_its_chapter():
    found = headlines.load_headlines()
    claims = claims_by_id([headline.claim for headline in found])
    rows = [
        {
            "id": claim.id,
            "verdict": "holds" if claim.checkable else "not-checkable",
            "computed": 1.0,
            "related": list(claim.related),
            "independence": claim.independence,
            "robustness": ("fragile" if claim.alternatives else "one-reading") if claim.checkable else None,
        }
        for claim in load_claims()
    ]
    notebooks = {
        claim.notebook: {"cells": [{"cell_type": "markdown", "source": f"# Chapter {claim.notebook}"}]}
        for claim in claims.values()
    }
    page = front_page_markdown(rows, notebooks, '<figure class="ds-chart" id="fig-x"></figure>')
    assert (
        page.index("## The verdicts at a glance")
        < page.index("## NVIDIA's week")
        < page.index("## Headline findings")
    )
    checkable = sum(claim.checkable for claim in load_claims())
    assert f'data-verdict="holds"><span class="ds-score-count">{checkable:,}</span>' in page
    assert f'<span class="ds-scoreboard-count">{len(rows):,}</span>' in page
    for claim in claims.values():
        assert f'href="../notebooks/{claim.notebook}.html">Chapter: Chapter {claim.notebook}</a>' in page
    assert '<figure class="ds-chart" id="fig-x"></figure>' in page
    assert "distinct figures" in page and "Of the claims that hold" in page and "are fragile" in page


# --- the headline chart ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def event() -> press.PressEvent:
    return press.press_event()


def test_week_values_are_closes_times_the_count_in_force(event):
    values = week.week_values(event)
    assert values["date"].iloc[0].date() <= press.PRESS_REFERENCE <= values["date"].iloc[-1].date()
    assert values["date"].iloc[-1].date() == press.PRESS_WEEK_END
    assert values["date"].is_monotonic_increasing
    on_event = values.set_index("date").loc[str(press.PRESS_EVENT)]
    assert on_event["close"] == pytest.approx(event.one_day.end_price)
    assert on_event["value_usd_b"] == pytest.approx(
        market_value_usd(event.one_day.end_price, event.in_force) / BILLION
    )


def test_printed_losses_are_placed_at_the_value_they_imply(event):
    marks = week.printed_loss_marks(event)
    before = market_value_usd(event.one_day.start_price, event.in_force) / BILLION
    assert list(marks["claim"]) == sorted(press.VALUE_CLAIMS, key=printed_figure)
    for row in marks.itertuples():
        assert row.printed_loss_usd_b == printed_figure(row.claim)
        assert row.implied_value_usd_b == pytest.approx(before - row.printed_loss_usd_b)


def test_the_headline_chart_is_valid_and_described_with_its_figures(event):
    values, marks = week.week_values(event), week.printed_loss_marks(event)
    chart = figures.week_value_chart(event, values, marks)
    chart.to_dict(validate=True)
    description = figures.week_value_description(event, values, marks)
    loss = market_value_usd(event.one_day.start_price - event.one_day.end_price, event.in_force) / BILLION
    assert f"a loss of USD {loss:,.1f} billion" in description
    assert figures.billions_text(marks["printed_loss_usd_b"]) in description
    assert "does not start at zero" in description
    assert re.fullmatch(r"[a-z0-9-]+", CHART_NAME)


def test_billions_text_lists_in_words():
    assert figures.billions_text([590.0]) == "590"
    assert figures.billions_text([590.0, 592.7, 600.0]) == "590, 592.7 and 600"
    assert json.dumps(figures.billions_text([1234.56])) == '"1,234.6"'


def test_the_headline_chart_is_drawn_once_per_state_of_its_inputs(project, monkeypatch, tmp_path):
    from deepseek_shock.build import front_page

    drawn: list[int] = []
    monkeypatch.setattr(
        front_page, "headline_chart_html", lambda: drawn.append(1) or f"<figure {len(drawn)}>"
    )
    cache = tmp_path / "cache"
    assert front_page.headline_chart_cached(cache) == "<figure 1>"
    assert front_page.headline_chart_cached(cache) == "<figure 1>"
    registry = project / "data" / "claims.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# a printed figure may have changed\n")
    assert front_page.headline_chart_cached(cache) == "<figure 2>"
    assert len(list(cache.iterdir())) == 1


def test_a_chart_write_cut_short_leaves_no_cache_entry(project, monkeypatch, tmp_path):
    from deepseek_shock.build import front_page, pipeline

    monkeypatch.setattr(front_page, "headline_chart_html", lambda: "<figure>")

    def killed(source: str, target: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.os, "replace", killed)
    cache = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        front_page.headline_chart_cached(cache)
    assert not list(cache.glob(f"{CHART_NAME}-*.html"))
