"""The market chapters' rulings under the published parameters: every claim of nvda_drawdown and
market_selloff gets the verdict listed here, its alternative readings are recorded, and its key values
match the values worked out independently (the ruling plan's scripts, from the reference files)."""

from __future__ import annotations

import json
import re

import pytest

from deepseek_shock.chapters.catalog import computations, resolve
from deepseek_shock.claims.evidence import reproduced
from deepseek_shock.claims.registry import claims_for, judged, load_readings
from deepseek_shock.paths import project_root

NOTEBOOKS = ("nvda_drawdown", "market_selloff")
VERDICTS: dict[str, tuple[str, ...]] = {
    "holds": (
        "market-value-lost-about-1-trillion",
        "nasdaq-100-futures-3pct-selloff",
        "nasdaq-futures-japan-tech-fell-jan-27",
        "nasdaq-100-index-100-companies",
        "goldman-china-ai-six-themes",
        "deutsche-bank-sputnik-report-feb-5",
        "goldman-msci-china-upside-16pct",
        "us-gdp-2024-real-growth-2-8pct",
        "us-gdp-q4-2024-annualized-2-3pct",
        "ai-stocks-worst-day-since-chatgpt",
        "amzn-fell-over-10pct-in-february",
        "apple-microsoft-report-this-week",
        "asml-under-pressure-after-open",
        "big-five-up-38pct-in-2024",
        "hyperscalers-reported-one-after-another",
        "merit-interactive-limit-up",
        "sp500-tech-sector-worst-day-in-4-years",
        "us-gdp-2024-forecast-1-7pct",
        "msft-meta-reported-last-week",
        "blue-chips-rose-jan-27",
        "broadcom-fell-over-10pct-jan-27",
        "chatgpt-100m-users-by-january-2023",
        "china-bull-market-began-2024",
        "data-centre-companies-hit-jan-27",
        "dow-rose-0-7pct-jan-27",
        "dow-rose-289-points-jan-27",
        "euro-stoxx-50-eleven-countries",
        "goldman-china-ai-report-feb-17",
        "goldman-csi-300-target-4700",
        "goldman-csi-300-upside-19pct",
        "goldman-msci-china-target-85",
        "googl-fell-over-10pct-in-february",
        "hang-seng-best-major-index",
        "instagram-two-and-a-half-years-to-100m-users",
        "micron-fell-over-10pct-jan-27",
        "nasdaq-composite-repeated-records",
        "nasdaq-up-35pct-since-start-of-2024",
        "nvda-1-1pct-of-sp500-end-2022",
        "nvda-6-8pct-of-sp500",
        "nvda-avgo-among-hardest-hit",
        "nvda-earnings-call-late-february",
        "nvda-earnings-over-63b",
        "nvda-fall-16pct-last-week",
        "nvda-fall-17pct-jan-27",
        "nvda-fall-17pct-wsj",
        "nvda-fall-nearly-17pct",
        "nvda-later-recovered-lost-ground",
        "nvda-lowest-since-october",
        "nvda-most-valuable-company",
        "nvda-record-any-listed-company",
        "nvda-record-us-corporate-history",
        "nvda-record-us-market-history",
        "nvda-sales-surging-for-two-years",
        "nvda-up-171pct-in-2024",
        "nvda-up-196pct-since-start-of-2024",
        "nvda-up-8x-since-end-2022",
        "nvda-value-loss-590b",
        "nvda-value-loss-5927",
        "nvda-value-loss-cny-4-3-trillion",
        "nvda-value-loss-nearly-600b",
        "nvdl-fell-34pct-jan-27",
        "nvdl-worst-day-ever",
        "power-stocks-fell-sharply-jan-27",
        "shanghai-composite-above-3300",
        "solactive-us-2000-ranks-1001-to-3000",
        "soxl-erased-gains-since-end-2023",
        "soxl-fell-23pct-jan-27",
        "sp500-fell-sharply-jan-27",
        "sp500-most-stocks-rose",
        "sp500-tech-sector-fell-5-6pct",
        "sp500-total-return-25pct-in-2024",
        "stocks-up-two-years-running",
    ),
    "not-checkable": (
        "a-share-deepseek-stocks-top-over-130pct",
        "a-share-deepseek-stocks-up-42pct",
        "ai-boom-trillions-of-stock-gains",
        "amd-premarket-fell-over-5pct",
        "arm-premarket-fell-over-10pct",
        "broadcom-premarket-fell-over-12pct",
        "deepseek-says-cuda-mainstream-3-5-years",
        "deepseek-says-cuda-share-falls-5-10-years",
        "hang-seng-tech-up-28pct-since-holiday",
        "leveraged-etf-assets-100b",
        "leveraged-etf-assets-60b-end-2022",
        "micron-premarket-fell-nearly-9pct",
        "nasdaq-100-forward-pe-27x",
        "nasdaq-100-futures-fell-2-6pct",
        "nasdaq-100-three-year-average-pe-24x",
        "neuberger-berman-aum-over-500b",
        "nvda-bearish-options-jumped",
        "nvda-options-exceed-four-megacaps",
        "nvda-options-over-500b-in-2024",
        "nvda-pe-33x",
        "nvda-premarket-fall-12pct",
        "productivity-beneficiaries-beat-phases-7pct",
        "siemens-energy-fell-22pct",
        "smci-premarket-fell-over-10pct",
        "solactive-2000-rose-0-3pct-last-week",
        "soxl-fund-size-10b",
        "sp500-futures-fell-1-4pct",
        "sp500-tech-8x-forward-sales",
        "sp500-tech-price-to-sales-decade-high",
        "star-50-up-14pct-since-holiday",
        "tesla-amazon-meta-premarket-fell-about-5pct",
        "top-seven-share-highest-since-1980",
        "tsmc-premarket-fell-nearly-10pct",
        "ubs-ai-revenue-within-about-a-year",
        "us-tech-fund-inflows-23b-in-2024",
    ),
    "contradicted": (
        "leveraged-funds-top-five-by-volume",
        "hang-seng-tech-rose-2pct-jan-27",
        "hang-seng-tech-up-23pct-since-january-low",
        "nvda-stunning-report-early-2023",
        "korea-tech-market-closed-lower",
        "nvda-590b-paired-with-week-16pct",
        "hang-seng-near-technical-bull-market",
        "hang-seng-up-15pct-past-month",
        "industrials-fell-1-2pct-last-week",
        "magnificent-seven-41pct-of-2024-return",
        "msft-fell-over-10pct-in-february",
        "nasdaq-100-fell-1-6pct-last-week",
        "nvda-4pct-of-sp500-performance",
        "nvda-and-four-customers-700-points",
        "nvda-quarter-of-sp500-return-this-year",
        "sp500-rose-0-4pct-last-week",
        "tech-sector-fell-3-8pct-last-week",
        "utilities-fell-1-4pct-last-week",
    ),
    "rounding": (
        "european-stocks-rose-1-2pct-last-week",
        "sp500-ex-five-down-12pct",
        "sp500-index-500-stocks",
        "top-seven-34pct-of-sp500",
        "us-gdp-2024-beat-forecast-one-point",
    ),
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, object]]:
    return {
        notebook: {key: value for key, (value, _) in computations()[notebook](resolve(notebook)).items()}
        for notebook in NOTEBOOKS
    }


def test_every_market_claim_gets_its_listed_verdict(results) -> None:
    found: dict[str, set[str]] = {}
    for notebook in NOTEBOOKS:
        for claim in claims_for(notebook):
            verdict, _ = judged(claim, reproduced(claim, results[notebook]))
            found.setdefault(verdict.value, set()).add(claim.id)
    assert found == {verdict: set(ids) for verdict, ids in VERDICTS.items()}


def test_ruled_claims_state_reading_independence_and_record_their_alternatives(results) -> None:
    kinds = load_readings()
    for notebook in NOTEBOOKS:
        for claim in claims_for(notebook):
            if not claim.checkable:
                continue
            assert claim.independence, claim.id
            assert claim.reading and claim.reading.words, claim.id
            for kind in claim.alternatives:
                assert kind in kinds, (claim.id, kind)
                other = results[notebook].get(f"{claim.result}__{kind}")
                assert other is not None, (claim.id, kind)
                judged(claim, other)  # judged like the claim's own value


@pytest.mark.parametrize(
    ("notebook", "key", "expected", "tolerance"),
    [
        ("market_selloff", "sp500_it_day_decline_pct", 5.6142, 1e-4),
        ("market_selloff", "sp500_it_week_change_pct", -4.5615, 1e-4),
        ("market_selloff", "sp500_it_week_change_pct__to-thursday", -3.8047, 1e-4),
        ("market_selloff", "sp500_utilities_week_change_pct", -2.0469, 1e-4),
        ("market_selloff", "sp500_industrials_week_change_pct", -1.8527, 1e-4),
        ("market_selloff", "sp500_share_rising_pct", 70.1613, 1e-4),
        ("market_selloff", "nvda_weight_pct", 6.7958, 1e-4),
        ("market_selloff", "top_seven_weight_pct", 33.0897, 1e-4),
        ("market_selloff", "nvda_weight_end_2022_pct", 1.1282, 1e-3),
        ("market_selloff", "five_points_since_2022", 1025.94, 0.5),
        ("market_selloff", "printed_ex_five_fall_pct", 11.4731, 1e-4),
        ("market_selloff", "nvda_points_share_of_level_pct", 6.2239, 1e-2),
        ("market_selloff", "seven_share_of_2024_return_pct", 54.5564, 1e-2),
        ("market_selloff", "ndx_week_decline_pct", 1.3592, 1e-4),
        ("market_selloff", "eurostoxx50_week_change_pct", 1.2933, 1e-4),
        ("market_selloff", "csi300_upside_pct", 19.3193, 1e-4),
        ("market_selloff", "shanghai_low_after_crossing", 3303.67, 1e-2),
        ("market_selloff", "ixic_record_closes_2024", 49, 0),
        ("market_selloff", "nvda_recovered_share_pct__close", 89.6, 0.05),
        ("market_selloff", "nq_futures_decline_pct", 2.9791, 1e-4),
        ("market_selloff", "hstech_day_change_pct", 0.6383, 1e-4),
        ("market_selloff", "leveraged_nasdaq_funds_ahead", 5, 0),
        ("market_selloff", "leveraged_nvidia_funds_ahead", 1, 0),
        ("market_selloff", "hstech_rise_from_january_low_pct", 21.8003, 1e-4),
        ("market_selloff", "nq_futures_least_decline_pct", 0.6401, 1e-4),
        ("market_selloff", "tokyo_decline_pct_advantest", 8.6070, 1e-4),
        ("market_selloff", "futures_and_tokyo_tech_least_decline_pct__nikkei", 0.6401, 1e-4),
        ("nvda_drawdown", "nvda_rise_since_2022_ratio", 8.1032, 1e-4),
        ("nvda_drawdown", "nvda_net_income_4q_usd_b", 63.074, 1e-6),
        ("nvda_drawdown", "nvda_loss_cny_trillion", 4.2975, 1e-4),
        ("nvda_drawdown", "nvda_sales_rising_years", 1.9959, 1e-4),
    ],
)
def test_key_values_match_the_independent_plan(results, notebook, key, expected, tolerance) -> None:
    assert results[notebook][key] == pytest.approx(expected, abs=tolerance)


CARDS_CALL = re.compile(r"claims_for\(\s*[\"'](\w+)[\"']\s*(?:,\s*\[([^\]]*)\])?\s*\)")


def shown_categories(notebook: str) -> set[str] | None:
    """The categories whose cards the notebook's code shows (``None``: a call without categories shows
    them all)."""
    cells = json.loads((project_root() / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
    found: set[str] = set()
    for cell in cells:
        if cell["cell_type"] != "code" or "cards_html(" not in "".join(cell["source"]):
            continue
        for name, categories in CARDS_CALL.findall("".join(cell["source"])):
            if name == notebook:
                if not categories:
                    return None
                found |= {part.strip().strip("\"'") for part in categories.split(",")}
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_claim_of_a_market_notebook_is_on_its_page(notebook: str) -> None:
    shown = shown_categories(notebook)
    if shown is None:
        return
    missing = sorted({claim.id for claim in claims_for(notebook) if claim.category not in shown})
    assert not missing, f"{notebook} shows no card for {missing}"
