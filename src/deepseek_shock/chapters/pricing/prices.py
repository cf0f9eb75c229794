"""The articles' price arithmetic: token prices, GPU fleets and parameter counts.

Every price in the arithmetic is a figure an article printed, read from ``data/claims.yaml`` (never
typed in this module), and the chapter checks what the articles derived from those figures: "98%
cheaper", "1/200", a fall "from USD 60 to USD 2", the value of a fleet of GPUs. An analyst can replace
the two prices of one comparison with current list prices. The list prices themselves are in the
snapshot's documents table; the printed prices are judged against them there, and ``listed_price_values``
gives the comparisons under the other tiers of those lists.

Units: token prices in USD per million tokens; GPU prices in USD per GPU; fleet values in USD (USD
millions or billions where the key says so); parameter counts in billions; percentages in percent
(``98`` means 98 %); durations in years.
"""

from __future__ import annotations

from dataclasses import dataclass

from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.chapters.dates import years_between
from deepseek_shock.chapters.pricing.listings import listing_values
from deepseek_shock.chapters.pricing.params import PRICE_TIERS, PricingParams
from deepseek_shock.chapters.pricing.status import status_values
from deepseek_shock.data import snapshot
from deepseek_shock.data.documents import stated_day, stating
from deepseek_shock.data.printed import printed_figure
from deepseek_shock.errors import UserError

# Claims whose printed figures are the chapter's inputs (read from data/claims.yaml, never typed).
CLAIM_CACHED_DEEPSEEK = "deepseek-price-0-14-usd-per-million-tokens"
CLAIM_CACHED_OPENAI = "openai-price-7-50-usd-per-million-tokens"
CLAIM_DISCOUNT = "deepseek-98pct-cheaper-than-openai"
CLAIM_OUTPUT_DEEPSEEK = "deepseek-price-1-4-cents-per-million-tokens"
CLAIM_OUTPUT_META = "meta-largest-model-2-80-usd-per-million-tokens"
CLAIM_OUTPUT_RATIO = "deepseek-charges-1-200-of-us-model"
CLAIM_WORDS = "million-tokens-about-700k-words"
CLAIM_COST_RATIO = "deepseek-cost-1-50-of-openai"
CLAIM_DOUBAO = "doubao-running-cost-85pct-below-average"
CLAIM_FIRST_PRICE = "openai-first-model-60-usd-per-million-tokens"
CLAIM_GPT4_NOW = "gpt4-now-2-usd-per-million-tokens"
CLAIM_FALL_YEARS = "openai-price-60-to-2-usd-in-two-years"
CLAIM_GPU_PRICE = "a100-worth-10k-usd"
CLAIM_GPT4_GPUS = "gpt4-needs-25k-a100s"
CLAIM_GPT4_VALUE = "gpt4-a100s-worth-250m"
CLAIM_GPT5_GPUS = "gpt5-needs-50k-gpus"
CLAIM_GPT5_VALUE = "gpt5-gpus-worth-nearly-2b"
CLAIM_GPT4_RUN = "gpt4-training-run-63m"  # in the training-cost chapter
DOC_H100_PRICE = "h100-price-2023"
CLAIM_R1_PARAMETERS = "deepseek-r1-671b-parameters"
CLAIM_QWQ_PARAMETERS = "qwq-32b-32-billion-parameters"
# Unit conversions (not press figures).
TOKENS_PER_MILLION = 1_000_000
USD_PER_MILLION = 1e6
USD_PER_BILLION = 1e9
PARAMETERS_PER_BILLION = 1e9
# The snapshot's DeepSeek-V3 rows; DeepSeek-R1 is trained from DeepSeek-V3-Base, with the same architecture.
V3_MODEL = "DeepSeek-V3"
TIERS: tuple[str, ...] = tuple(PRICE_TIERS)
# Per tier: the seed, the claims holding DeepSeek's and the compared model's printed prices, the compared
# model as the article names it, and a short name of the tier.
TIER_SOURCES: dict[str, dict[str, str]] = {
    "cached_input": {
        "seed": "002",
        "deepseek": CLAIM_CACHED_DEEPSEEK,
        "other": CLAIM_CACHED_OPENAI,
        "other_label": "OpenAI",
        "tier_label": "cached input",
    },
    "output": {
        "seed": "001",
        "deepseek": CLAIM_OUTPUT_DEEPSEEK,
        "other": CLAIM_OUTPUT_META,
        "other_label": "Meta's largest model",
        "tier_label": "output",
    },
}
Published = dict[str, tuple[float, str]]
# Price lists in the snapshot's documents table, and which of their figures is the output price.
R1_PRICES = "deepseek-api-price-r1"  # cache hit / cache miss / output
V3_PROMO_PRICES = "deepseek-api-promo-v3"  # the same tiers, introductory prices until 8 February 2025
O1_PRICES = "openai-o1-price"  # input / cached input / output
GPT4_LAUNCH_PRICES = "openai-gpt4-launch-price"  # input / output, March 2023
GPT4O_PRICES = "openai-gpt4o-price"  # input / output, the snapshot gpt-4o pointed to in January 2025
SEED_001_DATE = "yicai-hsi-article-date"  # the day seed 001, which quotes Kass, was published
LIST_OUTPUT_PART: dict[str, int] = {R1_PRICES: 3, V3_PROMO_PRICES: 3, O1_PRICES: 3}


def price_ratio(deepseek: float, other: float) -> float:
    """DeepSeek's price as a fraction of the other's (both USD per million tokens): ``deepseek / other``."""
    return _positive("deepseek price", deepseek) / _positive("other price", other)


def times_cheaper(deepseek: float, other: float) -> float:
    """How many times DeepSeek's price goes into the other's: ``other / deepseek`` (the N of "1/N")."""
    return 1 / price_ratio(deepseek, other)


def discount_pct(deepseek: float, other: float) -> float:
    """How much cheaper DeepSeek is, percent of the other's price: ``(1 - deepseek / other) × 100``.

    Negative when DeepSeek is the dearer of the two.
    """
    return (1 - price_ratio(deepseek, other)) * 100


def fall_factor(start: float, end: float) -> float:
    """How many times a price fell from ``start`` to ``end`` (same unit): ``start / end``."""
    return _positive("start price", start) / _positive("end price", end)


def fall_pct(start: float, end: float) -> float:
    """The fall from ``start`` to ``end``, percent of ``start`` (negative for a rise)."""
    return (1 - 1 / fall_factor(start, end)) * 100


def annual_fall_factor(start: float, end: float, years: float) -> float:
    """What the price was divided by each year, compounding, to go from ``start`` to ``end`` in ``years``."""
    return fall_factor(start, end) ** (1 / _positive("years", years))


def annual_fall_pct(start: float, end: float, years: float) -> float:
    """The constant yearly fall, percent a year, that takes ``start`` to ``end`` in ``years`` years."""
    return (1 - 1 / annual_fall_factor(start, end, years)) * 100


def words_per_token(words: float, tokens: float) -> float:
    """Words of text per token, from a count of ``words`` said to equal ``tokens`` tokens."""
    return _positive("words", words) / _positive("tokens", tokens)


def fleet_value(gpus: float, price_per_gpu: float) -> float:
    """What ``gpus`` GPUs cost at ``price_per_gpu`` USD each, USD."""
    return _positive("gpus", gpus) * _positive("price per GPU", price_per_gpu)


def implied_price_per_gpu(value: float, gpus: float) -> float:
    """The price per GPU, USD, at which ``gpus`` GPUs are worth ``value`` USD."""
    return _positive("value", value) / _positive("gpus", gpus)


def gpus_for_value(value: float, price_per_gpu: float) -> float:
    """How many GPUs ``value`` USD buys at ``price_per_gpu`` USD each."""
    return _positive("value", value) / _positive("price per GPU", price_per_gpu)


def usd_text(price: float) -> str:
    """A price per million tokens as text, without the currency: two decimals from USD 0.10 up
    (``7.50``, but ``60`` for a whole price), two significant digits below (``0.014``), no decimals
    from USD 100 up."""
    price = _positive("price", price)
    if price >= 100:
        return f"{price:,.0f}"
    if price >= 0.1:
        return f"{price:.2f}".removesuffix(".00")
    return f"{price:.2g}"


@dataclass(frozen=True)
class Comparison:
    """Two prices per million tokens compared: DeepSeek's and another model's (USD per million tokens)."""

    tier: str
    deepseek: float
    other: float
    other_label: str
    deepseek_given: bool = False
    other_given: bool = False

    def __post_init__(self) -> None:
        if self.tier not in TIER_SOURCES:
            raise UserError(f"price_tier {self.tier!r}: expected one of {', '.join(TIERS)}")
        object.__setattr__(self, "deepseek", _positive("deepseek price", self.deepseek))
        object.__setattr__(self, "other", _positive("other price", self.other))

    @property
    def ratio(self) -> float:
        """DeepSeek's price over the other's."""
        return price_ratio(self.deepseek, self.other)

    @property
    def times_cheaper(self) -> float:
        """The other's price over DeepSeek's (the N of "1/N")."""
        return times_cheaper(self.deepseek, self.other)

    @property
    def discount_pct(self) -> float:
        """How much cheaper DeepSeek is, percent of the other's price."""
        return discount_pct(self.deepseek, self.other)

    @property
    def as_printed(self) -> bool:
        """Whether both prices are the article's own figures."""
        return not (self.deepseek_given or self.other_given)

    def source_text(self) -> str:
        """Where the two prices come from, in words."""
        if self.as_printed:
            return f"both as printed in seed article {TIER_SOURCES[self.tier]['seed']}"
        if self.deepseek_given and self.other_given:
            return "both given as parameters"
        given = "DeepSeek's" if self.deepseek_given else "the compared model's"
        return f"{given} given as a parameter, the other as printed"


def article_comparison(tier: str) -> Comparison:
    """The comparison of ``tier`` with the prices its article printed."""
    if tier not in TIER_SOURCES:
        raise UserError(f"price_tier {tier!r}: expected one of {', '.join(TIERS)}")
    source = TIER_SOURCES[tier]
    return Comparison(
        tier, printed_figure(source["deepseek"]), printed_figure(source["other"]), source["other_label"]
    )


def comparison_in_use(params: PricingParams, tier: str) -> Comparison:
    """The comparison of ``tier`` under ``params``: the parameters' prices replace the printed ones in
    the tier ``params.price_tier`` names; any other tier keeps its printed prices."""
    printed = article_comparison(tier)
    if tier != params.price_tier:
        return printed
    deepseek, other = params.deepseek_usd_per_m_tokens, params.comparison_usd_per_m_tokens
    return Comparison(
        tier,
        printed.deepseek if deepseek is None else deepseek,
        printed.other if other is None else other,
        params.comparison_label or printed.other_label,
        deepseek_given=deepseek is not None,
        other_given=other is not None,
    )


def selected_comparison(params: PricingParams) -> Comparison:
    """The comparison the parameters act on (``params.price_tier``)."""
    return comparison_in_use(params, params.price_tier)


def comparison_values(comparison: Comparison, prefix: str) -> Published:
    """A comparison's prices and ratios under keys starting with ``prefix``."""
    return {
        f"{prefix}_deepseek_usd": (comparison.deepseek, "USD per million tokens"),
        f"{prefix}_comparison_usd": (comparison.other, "USD per million tokens"),
        f"{prefix}_price_ratio": (comparison.ratio, "ratio"),
        f"{prefix}_times_cheaper": (comparison.times_cheaper, "ratio"),
        f"{prefix}_discount_pct": (comparison.discount_pct, "percent"),
    }


def token_price_values(params: PricingParams) -> Published:
    """Both comparisons as printed and as in use, the selected one, and the printed derived figures."""
    values: Published = {}
    for tier in TIERS:
        values.update(comparison_values(article_comparison(tier), f"printed_{tier}"))
        values.update(comparison_values(comparison_in_use(params, tier), tier))
    values.update(comparison_values(selected_comparison(params), "selected"))
    cost_ratio = _positive(CLAIM_COST_RATIO, printed_figure(CLAIM_COST_RATIO))
    output_ratio = _positive(CLAIM_OUTPUT_RATIO, printed_figure(CLAIM_OUTPUT_RATIO))
    values.update(
        {
            "article_discount_pct": (printed_figure(CLAIM_DISCOUNT), "percent"),
            "article_output_ratio": (output_ratio, "ratio"),
            "article_output_ratio_denominator": (1 / output_ratio, "ratio"),
            "article_cost_ratio": (cost_ratio, "ratio"),
            "article_cost_ratio_denominator": (1 / cost_ratio, "ratio"),
            "article_doubao_below_average_pct": (printed_figure(CLAIM_DOUBAO), "percent"),
            "selected_prices_given": (
                float(params.deepseek_usd_per_m_tokens is not None)
                + float(params.comparison_usd_per_m_tokens is not None),
                "prices",
            ),
        }
    )
    return values


def words_values() -> Published:
    """Seed 001's "a million tokens is about 700,000 words", as words per token and tokens per word."""
    words = printed_figure(CLAIM_WORDS)
    per_token = words_per_token(words, TOKENS_PER_MILLION)
    return {
        "article_words_per_million_tokens": (words, "words"),
        "words_per_token": (per_token, "words per token"),
        "tokens_per_word": (1 / per_token, "tokens per word"),
    }


def price_fall_values() -> Published:
    """Kass's fall from the first model's price to GPT-4's now, its yearly pace over his years, and the
    years from GPT-4's launch price to the article's day (or, the other reading, to GPT-4o's price)."""
    start, end = printed_figure(CLAIM_FIRST_PRICE), printed_figure(CLAIM_GPT4_NOW)
    years = printed_figure(CLAIM_FALL_YEARS)
    launch = stated_day(GPT4_LAUNCH_PRICES)
    return {
        "documented_fall_years": (years_between(launch, stated_day(SEED_001_DATE)), "years"),
        "documented_fall_years__price-date": (years_between(launch, stated_day(GPT4O_PRICES)), "years"),
        "article_first_model_usd": (start, "USD per million tokens"),
        "article_gpt4_now_usd": (end, "USD per million tokens"),
        "article_fall_years": (years, "years"),
        "price_fall_factor": (fall_factor(start, end), "ratio"),
        "price_fall_pct": (fall_pct(start, end), "percent"),
        "price_annual_fall_pct": (annual_fall_pct(start, end, years), "percent per year"),
        "price_annual_fall_factor": (annual_fall_factor(start, end, years), "ratio"),
    }


def gpu_values() -> Published:
    """Seed 003's GPU arithmetic: GPT-4's and GPT-5's fleets at the paragraph's own price per GPU, and
    GPT-5's at an H100's reported 2023 price (the other reading of a clause that names no chip)."""
    price = printed_figure(CLAIM_GPU_PRICE)
    gpt4_gpus, gpt5_gpus = printed_figure(CLAIM_GPT4_GPUS), printed_figure(CLAIM_GPT5_GPUS)
    gpt4_value = fleet_value(gpt4_gpus, price)
    gpt5_value = fleet_value(gpt5_gpus, price)
    gpt5_printed = printed_figure(CLAIM_GPT5_VALUE) * USD_PER_BILLION
    gpt5_implied_price = implied_price_per_gpu(gpt5_printed, gpt5_gpus)
    gpt4_run = printed_figure(CLAIM_GPT4_RUN)
    h100_price = stating(DOC_H100_PRICE).figures[0]
    return {
        "article_gpu_price_usd": (price, "USD per GPU"),
        "article_gpt4_gpus": (gpt4_gpus, "GPUs"),
        "article_gpt4_gpu_value_usd_m": (printed_figure(CLAIM_GPT4_VALUE), "USD million"),
        "article_gpt5_gpus": (gpt5_gpus, "GPUs"),
        "article_gpt5_gpu_value_usd_b": (printed_figure(CLAIM_GPT5_VALUE), "USD billion"),
        "article_gpt4_run_cost_usd_m": (gpt4_run / USD_PER_MILLION, "USD million"),
        "gpt4_gpu_value_usd_m": (gpt4_value / USD_PER_MILLION, "USD million"),
        "gpt5_gpu_value_usd_b": (gpt5_value / USD_PER_BILLION, "USD billion"),
        "gpt5_gpu_value_usd_m": (gpt5_value / USD_PER_MILLION, "USD million"),
        "h100_price_usd": (h100_price, "USD per GPU"),
        "gpt5_gpu_value_usd_b__h100": (fleet_value(gpt5_gpus, h100_price) / USD_PER_BILLION, "USD billion"),
        "gpt5_value_share_of_printed_pct": (100 * gpt5_value / gpt5_printed, "percent"),
        "gpt5_implied_price_per_gpu_usd": (gpt5_implied_price, "USD per GPU"),
        "gpt5_implied_price_multiple": (gpt5_implied_price / price, "ratio"),
        "gpt5_gpus_at_stated_price": (gpus_for_value(gpt5_printed, price), "GPUs"),
        "gpt4_run_cost_per_gpu_usd": (implied_price_per_gpu(gpt4_run, gpt4_gpus), "USD per GPU"),
        "gpt4_gpu_value_over_run_cost": (gpt4_value / _positive("GPT-4 run cost", gpt4_run), "ratio"),
    }


def parameter_values() -> Published:
    """DeepSeek-R1's parameters (DeepSeek-V3's, from the snapshot) against QwQ-32B's printed count."""
    total = snapshot.training_metric(V3_MODEL, "total_parameters") / PARAMETERS_PER_BILLION
    active = snapshot.training_metric(V3_MODEL, "activated_parameters_per_token") / PARAMETERS_PER_BILLION
    qwq = printed_figure(CLAIM_QWQ_PARAMETERS)
    return {
        "r1_total_parameters_b": (total, "billion parameters"),
        "r1_active_parameters_b": (active, "billion parameters"),
        "r1_active_share_pct": (100 * active / _positive("total parameters", total), "percent"),
        "article_r1_parameters_b": (printed_figure(CLAIM_R1_PARAMETERS), "billion parameters"),
        "article_qwq_parameters_b": (qwq, "billion parameters"),
        "r1_total_over_qwq": (total / _positive("QwQ parameters", qwq), "ratio"),
        "r1_active_over_qwq": (active / qwq, "ratio"),
    }


def listed_price(fact_id: str, part: int) -> float:
    """Figure ``part`` (1-based) of the price list ``fact_id`` in the snapshot's documents table, USD per
    million tokens."""
    figures = stating(fact_id).figures
    if not 1 <= part <= len(figures):
        raise UserError(f"document {fact_id!r}: no figure {part} among the {len(figures)} it lists")
    return figures[part - 1]


def listed_price_values() -> Published:
    """The list prices the documents record (USD per million tokens) and the articles' comparisons under
    other readings: R1's output price against o1's (discount, percent, and ratio), and DeepSeek-V3's
    introductory output price against the Meta price seed 001 printed (ratio). Keys ending ``__<kind>``
    are alternative readings of a claim's result (the kinds are declared in the claims registry)."""
    r1 = listed_price(R1_PRICES, LIST_OUTPUT_PART[R1_PRICES])
    o1 = listed_price(O1_PRICES, LIST_OUTPUT_PART[O1_PRICES])
    v3 = listed_price(V3_PROMO_PRICES, LIST_OUTPUT_PART[V3_PROMO_PRICES])
    return {
        "listed_r1_output_usd": (r1, "USD per million tokens"),
        "listed_o1_output_usd": (o1, "USD per million tokens"),
        "listed_v3_promo_output_usd": (v3, "USD per million tokens"),
        "listed_gpt4_launch_output_usd": (listed_price(GPT4_LAUNCH_PRICES, 2), "USD per million tokens"),
        "listed_gpt4o_input_usd": (listed_price(GPT4O_PRICES, 1), "USD per million tokens"),
        "cached_input_discount_pct__output-tier": (discount_pct(r1, o1), "percent"),
        "printed_cached_input_price_ratio__output-tier": (price_ratio(r1, o1), "ratio"),
        "output_price_ratio__documented-price": (price_ratio(v3, printed_figure(CLAIM_OUTPUT_META)), "ratio"),
    }


def chapter_values(params: PricingParams) -> Published:
    """Every number the pricing chapter publishes under ``params``: key -> (value, unit)."""
    return {
        **token_price_values(params),
        **words_values(),
        **price_fall_values(),
        **gpu_values(),
        **parameter_values(),
        **listed_price_values(),
        **listing_values(),
        **status_values(),
    }


def chapter_labels(params: PricingParams) -> dict[str, str]:
    """The words the chapter's prose needs about the selected comparison: key -> text."""
    selected = selected_comparison(params)
    return {
        "selected_tier": params.price_tier,
        "selected_tier_label": TIER_SOURCES[params.price_tier]["tier_label"],
        "selected_comparison_label": selected.other_label,
        "selected_prices_source": selected.source_text(),
        "selected_deepseek_usd_text": usd_text(selected.deepseek),
        "selected_comparison_usd_text": usd_text(selected.other),
    }
