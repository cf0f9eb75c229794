"""The pricing chapter's parameters: your own token prices in place of the articles' figures."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from deepseek_shock.chapters.parameters import NotebookParams

PRICE_TIERS: dict[str, str] = {
    "cached_input": "seed 002's DeepSeek-vs-OpenAI pair, apparently both prices of cached input tokens",
    "output": "seed 001's DeepSeek-vs-Meta pair, printed as prices of output tokens",
}
MAX_PRICE_PER_M_TOKENS = 10_000.0  # USD per million tokens: anything dearer is taken for a typing error


class PricingParams(NotebookParams):
    """Parameters of ``notebooks/pricing.ipynb``: the articles' price arithmetic, with your own prices.

    Prices are in USD per million tokens. Left empty, each takes the figure the article printed (read
    from ``data/claims.yaml``); given, it replaces that figure in the comparison ``price_tier`` picks, so
    the ratios can be recomputed with current list prices. ``comparison_label`` names the model priced.
    """

    tables: ClassVar[tuple[str, ...]] = ("training_compute", "documents", "sp500_constituents")

    price_tier: Literal["cached_input", "output"] = Field(
        "cached_input",
        description="Comparison your prices replace: cached_input (" + PRICE_TIERS["cached_input"] + ") or "
        "output (" + PRICE_TIERS["output"] + ")",
    )
    deepseek_usd_per_m_tokens: float | None = Field(
        None,
        gt=0,
        le=MAX_PRICE_PER_M_TOKENS,
        allow_inf_nan=False,
        description="DeepSeek's price, USD per million tokens, above 0 and at most 10,000 (empty: the "
        "article's figure)",
    )
    comparison_usd_per_m_tokens: float | None = Field(
        None,
        gt=0,
        le=MAX_PRICE_PER_M_TOKENS,
        allow_inf_nan=False,
        description="The compared model's price, USD per million tokens, above 0 and at most 10,000 "
        "(empty: the article's figure)",
    )
    comparison_label: str | None = Field(
        None,
        min_length=1,
        max_length=60,
        description="Name of the compared model, for the chart and text (empty: as the article names it)",
    )
