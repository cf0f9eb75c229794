"""Every table a chapter shows goes through ``tables.styled``: a caption, a stable id, no id on each cell."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from pandas.io.formats.style import Styler

from deepseek_shock.chapters import tables
from deepseek_shock.chapters.capex_cut import figures as capex_figures
from deepseek_shock.chapters.capex_cut.filings import financials, selected
from deepseek_shock.chapters.catalog import resolve
from deepseek_shock.chapters.market.event import PRESS_EVENT, PRESS_REFERENCE
from deepseek_shock.chapters.market_selloff import figures as selloff_figures
from deepseek_shock.chapters.market_selloff.moves import one_day_moves
from deepseek_shock.chapters.nvda_drawdown import figures as drawdown_figures
from deepseek_shock.chapters.power_cagr import figures as power_figures
from deepseek_shock.chapters.pricing import figures as pricing_figures
from deepseek_shock.chapters.training_cost import figures as training_figures
from deepseek_shock.chapters.training_cost.cost import breakdown_from_snapshot


def test_styled_table_has_its_caption_and_id_and_no_cell_ids() -> None:
    frame = pd.DataFrame({"value": [1.5, 2.5]}, index=pd.Index(["x", "y"], name="row"))
    html = tables.styled(frame, "Two values", "two-values").to_html()
    assert '<table id="T_two-values">' in html
    assert "<caption>Two values</caption>" in html
    assert "row_heading" not in html  # the index is hidden
    assert "_row0_col0" not in html and 'class="data row0 col0"' in html
    shown = tables.styled(frame, None, "indexed", index=True).to_html()
    assert "<caption>" not in shown
    assert 'class="row_heading level0 row0" >x</th>' in shown


def chapter_tables() -> dict[str, Callable[[], Styler | None]]:
    """Each chapter table's builder, by the id it gives its table (nothing is read until one is called)."""

    def chosen() -> pd.DataFrame:
        return selected(financials(), resolve("capex_cut").tickers)

    return {
        "capex-sources": lambda: capex_figures.styled_sources_table(financials()),
        "capex-by-company": lambda: capex_figures.styled_capex_table(chosen()),
        "capex-intensity": lambda: capex_figures.styled_intensity_table(chosen(), 2015, 2019),
        "capex-big-six": lambda: capex_figures.styled_big_six_table(financials()),
        "power-lbnl-series": power_figures.styled_lbnl_table,
        "power-lbnl-growth": power_figures.styled_lbnl_growth_table,
        "power-eia-series": power_figures.styled_eia_table,
        "power-demand-windows": power_figures.styled_demand_windows,
        "power-scenarios": lambda: power_figures.styled_scenario_table(resolve("power_cagr")),
        "pricing-token-prices": lambda: pricing_figures.styled_price_table(resolve("pricing")),
        "pricing-gpu-arithmetic": pricing_figures.styled_gpu_table,
        "share-counts-nvda": lambda: drawdown_figures.share_count_table("NVDA", None),
        "training-cost-table": lambda: training_figures.styled_cost_table(
            breakdown_from_snapshot(resolve("training_cost")), 2.0
        ),
        "selloff-moves": lambda: selloff_figures.styled_moves(
            one_day_moves(PRESS_REFERENCE, PRESS_EVENT), PRESS_REFERENCE, PRESS_EVENT
        ),
    }


@pytest.mark.parametrize("uuid", sorted(chapter_tables()))
def test_chapter_tables_carry_no_id_on_each_cell(uuid: str) -> None:
    styler = chapter_tables()[uuid]()
    assert styler is not None
    html = styler.to_html()
    assert f'<table id="T_{uuid}">' in html
    assert "<caption>" in html
    assert "_row0_col0" not in html and "data row0 col0" in html
