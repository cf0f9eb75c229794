"""The training-cost chapter's parameters: GPU-hours by stage, the rental price and the comparison model."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator

from deepseek_shock.chapters.parameters import NotebookParams
from deepseek_shock.data import snapshot
from deepseek_shock.errors import UserError, quoted


class TrainingCostParams(NotebookParams):
    """Parameters of ``notebooks/training_cost.ipynb``.

    GPU-hour fields left empty (``null``) take the DeepSeek-V3 technical report's Table 1 values
    from the data snapshot; the price left empty takes the report's assumed rental price. The
    comparison model is checked against the snapshot before anything runs.
    """

    tables: ClassVar[tuple[str, ...]] = ("training_compute", "documents")

    price_per_gpu_hour: float | None = Field(
        None, gt=0, le=1000, description="Rental price, USD per H800 GPU-hour (empty: the report's $2)"
    )
    pretraining_gpu_hours: float | None = Field(None, gt=0, description="Pre-training, H800 GPU-hours")
    context_extension_gpu_hours: float | None = Field(
        None, gt=0, description="Context extension, H800 GPU-hours"
    )
    post_training_gpu_hours: float | None = Field(None, gt=0, description="Post-training, H800 GPU-hours")
    comparison_model: str = Field(
        "Llama 3.1 405B", min_length=1, description="Model compared with, as named in the snapshot"
    )
    comparison_gpu_hours: float | None = Field(
        None, gt=0, description="GPU-hours of the comparison model (empty: from the snapshot)"
    )
    price_grid_min: float = Field(0.5, gt=0, le=1000, description="Chart's lowest price, USD per GPU-hour")
    price_grid_max: float = Field(6.0, gt=0, le=1000, description="Chart's highest price, USD per GPU-hour")

    @model_validator(mode="after")
    def _grid_is_ordered(self) -> TrainingCostParams:
        if self.price_grid_max <= self.price_grid_min:
            raise ValueError("price_grid_max must be greater than price_grid_min")
        return self

    @model_validator(mode="after")
    def _comparison_model_in_snapshot(self) -> TrainingCostParams:
        if self.comparison_gpu_hours is None:
            known = snapshot.training_models("training_gpu_hours")
            if self.comparison_model not in known:
                raise UserError(
                    f"comparison_model {quoted(self.comparison_model)}: no training GPU-hours in the "
                    f"snapshot; expected one of {', '.join(known)}, or give comparison_gpu_hours"
                )
        return self
