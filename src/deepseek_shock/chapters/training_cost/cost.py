"""The arithmetic of DeepSeek-V3's training cost: GPU-hours by stage times a rental price.

The technical report (arXiv:2412.19437, Table 1) gives H800 GPU-hours for pre-training, context
extension and post-training and prices them at an assumed rental rate. The cost is notional: a
rental-equivalent price of the final run's GPU time, not what DeepSeek spent.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from deepseek_shock.chapters.checks import positive as _positive
from deepseek_shock.chapters.training_cost.company import company_values
from deepseek_shock.chapters.training_cost.params import TrainingCostParams
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError

MODEL = "DeepSeek-V3"
FAMILY = "Llama 3.1 (8B+70B+405B)"  # the comparison family's total, an alternative reading of "Llama"
STAGES: dict[str, str] = {
    "pretraining": "Pre-training",
    "context_extension": "Context extension",
    "post_training": "Post-training",
}


@dataclass(frozen=True)
class Breakdown:
    """H800 GPU-hours of the final training run, by stage."""

    pretraining: float
    context_extension: float
    post_training: float

    def __post_init__(self) -> None:
        for stage in STAGES:
            object.__setattr__(self, stage, _positive(f"{stage}_gpu_hours", getattr(self, stage)))

    @property
    def total(self) -> float:
        """All stages, GPU-hours."""
        return self.pretraining + self.context_extension + self.post_training

    def by_stage(self) -> dict[str, float]:
        """GPU-hours keyed by stage (``pretraining``, ``context_extension``, ``post_training``)."""
        return {stage: getattr(self, stage) for stage in STAGES}


def breakdown_from_snapshot(params: TrainingCostParams) -> Breakdown:
    """The parameters' GPU-hours, each empty one taken from Table 1 of the report in the snapshot."""
    hours = {}
    for stage in STAGES:
        given = getattr(params, f"{stage}_gpu_hours")
        hours[stage] = given if given is not None else report_metric(f"{stage}_gpu_hours")
    return Breakdown(**hours)


def report_metric(metric: str) -> float:
    """One DeepSeek-V3 figure from the snapshot's ``training_compute`` table, in that row's unit."""
    return snapshot.training_metric(MODEL, metric)


def hours_beyond_stages(total: float, stages: dict[str, float]) -> float:
    """GPU-hours of a reported ``total`` not accounted for by its ``stages`` (0 when the total is the
    stages' sum)."""
    return total - sum(stages.values())


def report_hours_beyond_final_run() -> float:
    """H800 GPU-hours in the report's cost estimate beyond the final run's three stages (its Table 1)."""
    stages = {stage: report_metric(f"{stage}_gpu_hours") for stage in STAGES}
    return hours_beyond_stages(report_metric("total_training_gpu_hours"), stages)


def reported_price_per_gpu_hour() -> float:
    """The rental price the report assumes, USD per H800 GPU-hour (from the snapshot)."""
    return report_metric("assumed_rental_price")


def price_per_gpu_hour(params: TrainingCostParams) -> float:
    """The price in use, USD per GPU-hour: the parameter, or the report's assumption when empty."""
    if params.price_per_gpu_hour is not None:
        return _positive("price_per_gpu_hour", params.price_per_gpu_hour)
    return reported_price_per_gpu_hour()


def rental_cost(gpu_hours: float, price: float) -> float:
    """``gpu_hours`` rented at ``price`` USD per GPU-hour, USD."""
    return _positive("gpu_hours", gpu_hours) * _positive("price_per_gpu_hour", price)


def stage_costs(breakdown: Breakdown, price: float) -> dict[str, float]:
    """Rental cost of each stage at ``price`` USD per GPU-hour, USD, keyed like ``Breakdown.by_stage``."""
    return {stage: rental_cost(hours, price) for stage, hours in breakdown.by_stage().items()}


def training_cost(breakdown: Breakdown, price: float) -> float:
    """Rental cost of the whole run at ``price`` USD per GPU-hour, USD."""
    return rental_cost(breakdown.total, price)


def implied_price(cost_usd: float, gpu_hours: float) -> float:
    """The rental price, USD per GPU-hour, at which ``gpu_hours`` cost ``cost_usd`` USD."""
    return _positive("cost_usd", cost_usd) / _positive("gpu_hours", gpu_hours)


def cost_table(breakdown: Breakdown, price: float) -> pd.DataFrame:
    """Table 1 recomputed: one row per stage and a total, GPU-hours and cost (USD millions)."""
    costs = stage_costs(breakdown, price)
    rows = [(STAGES[stage], hours, costs[stage] / 1e6) for stage, hours in breakdown.by_stage().items()]
    rows.append(("Total", breakdown.total, training_cost(breakdown, price) / 1e6))
    return pd.DataFrame(rows, columns=["stage", "h800_gpu_hours", "cost_usd_m"])


def report_quote(metric: str) -> str:
    """The report's own words behind ``metric``, as stored in the snapshot's ``quote`` column."""
    table = snapshot.load_table("training_compute")
    rows = table[(table["model"] == MODEL) & (table["metric"] == metric)]
    if rows.empty:
        raise UserError(f"training_compute: no quote for {MODEL} metric {metric!r}")
    return str(rows["quote"].iloc[0]).strip().strip('"')


def cluster_size() -> float:
    """H800 GPUs in the cluster DeepSeek-V3 was trained on (from the snapshot)."""
    return report_metric("cluster_size")


def wall_clock_days(gpu_hours: float, gpus: float) -> float:
    """Days ``gpus`` GPUs take to deliver ``gpu_hours``, running all day: ``gpu_hours / gpus / 24``."""
    return _positive("gpu_hours", gpu_hours) / _positive("gpus", gpus) / 24


def activated_share(activated_parameters: float, total_parameters: float) -> float:
    """Fraction of a mixture-of-experts model's parameters active for each token (0-1)."""
    return _positive("activated_parameters", activated_parameters) / _positive(
        "total_parameters", total_parameters
    )


def comparison_gpu_hours(params: TrainingCostParams) -> float:
    """GPU-hours of the comparison model: the parameter, or the snapshot's figure when empty.

    The schema has checked that the snapshot has the model's figure.
    """
    if params.comparison_gpu_hours is not None:
        return _positive("comparison_gpu_hours", params.comparison_gpu_hours)
    return snapshot.training_metric(params.comparison_model, "training_gpu_hours")


def compute_ratio(other_gpu_hours: float, gpu_hours: float) -> float:
    """``other_gpu_hours / gpu_hours``: how many times more GPU-hours the other run used.

    A ratio of GPU-hours, possibly on different chips (Llama 3.1 on H100s, DeepSeek-V3 on H800s),
    so it is not a ratio of floating-point work nor of money.
    """
    return _positive("other_gpu_hours", other_gpu_hours) / _positive("gpu_hours", gpu_hours)


def cost_ratio_equal_price(other_gpu_hours: float, gpu_hours: float, price: float) -> float:
    """Cost of the other run over this one when both rent GPUs at ``price`` USD per GPU-hour.

    The price cancels, so this equals ``compute_ratio``: it is what "costs N times as much" can
    mean when one side published no dollar figure and a uniform rental price is assumed.
    """
    return rental_cost(other_gpu_hours, price) / rental_cost(gpu_hours, price)


def chapter_values(params: TrainingCostParams) -> dict[str, tuple[float | str, str]]:
    """Every number the training-cost chapter publishes under ``params``: key -> (value, unit)."""
    breakdown = breakdown_from_snapshot(params)
    price = price_per_gpu_hour(params)
    total_cost = training_cost(breakdown, price)
    costs = stage_costs(breakdown, price)
    other = comparison_gpu_hours(params)
    gpus = cluster_size()
    values: dict[str, tuple[float | str, str]] = {"total_gpu_hours": (breakdown.total, "GPU-hours")}
    for stage, hours in breakdown.by_stage().items():
        values[f"{stage}_gpu_hours"] = (hours, "GPU-hours")
        values[f"{stage}_cost_usd_m"] = (costs[stage] / 1e6, "USD million")
    values.update(
        {
            "price_per_gpu_hour": (price, "USD per GPU-hour"),
            "report_gpu_hours_beyond_final_run": (report_hours_beyond_final_run(), "GPU-hours"),
            "reported_price_per_gpu_hour": (reported_price_per_gpu_hour(), "USD per GPU-hour"),
            "implied_price_per_gpu_hour": (
                implied_price(
                    report_metric("total_training_cost"), report_metric("total_training_gpu_hours")
                ),
                "USD per GPU-hour",
            ),
            "total_cost_usd": (total_cost, "USD"),
            "total_cost_usd_m": (total_cost / 1e6, "USD million"),
            "cluster_size_gpus": (gpus, "GPUs"),
            "wall_clock_days": (wall_clock_days(breakdown.total, gpus), "days"),
            "activated_share_percent": (
                100
                * activated_share(
                    report_metric("activated_parameters_per_token"), report_metric("total_parameters")
                ),
                "percent",
            ),
            "comparison_gpu_hours": (other, "GPU-hours"),
            "compute_ratio": (compute_ratio(other, breakdown.total), "ratio"),
            "comparison_cost_usd_m_equal_price": (rental_cost(other, price) / 1e6, "USD million"),
            "cost_ratio_equal_price": (cost_ratio_equal_price(other, breakdown.total, price), "ratio"),
            # Alternative readings (``<result>__<kind>``, kinds declared in the claims registry): the
            # whole Llama 3.1 family against the full run, and the comparison model against pre-training.
            "cost_ratio_equal_price__model-family": (
                cost_ratio_equal_price(
                    snapshot.training_metric(FAMILY, "training_gpu_hours"), breakdown.total, price
                ),
                "ratio",
            ),
            "cost_ratio_equal_price__pretraining-only": (
                cost_ratio_equal_price(other, breakdown.pretraining, price),
                "ratio",
            ),
        }
    )
    values.update(company_values())
    return values
