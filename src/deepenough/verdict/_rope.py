"""The region of practical equivalence (ROPE): differences smaller than it count as none."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from deepenough.metrics import Metric
from deepenough.results import Rope

ABSOLUTE_ROPE = 0.01
"""Default ROPE for metrics on a fixed scale (accuracy, balanced accuracy, ROC AUC, R²)."""
RELATIVE_ROPE = 0.01
"""Default ROPE for error metrics (RMSE, MAE): this share of the shallow finalist's mean."""
RELATIVE_ROPE_METRICS = frozenset({"rmse", "mae"})


def default_rope(metric: Metric, base: float) -> float:
    """The default ROPE of `metric` for scores about `base`."""
    if metric.name not in RELATIVE_ROPE_METRICS:
        return ABSOLUTE_ROPE
    return round(RELATIVE_ROPE * abs(base), 6)


def verdict_rope(metric: Metric, scores: Mapping[str, list[float]], given: float | None) -> Rope:
    """The ROPE the verdict uses: `given`, else the metric's default around the paired
    scores of the shallow finalist (the deep or linear one when shallow has none)."""
    if given is not None:
        return Rope(value=float(given), rule=f"given: {given} {metric.name}")
    if metric.name not in RELATIVE_ROPE_METRICS:
        return Rope(
            value=ABSOLUTE_ROPE,
            rule=f"default for {metric.name}: {ABSOLUTE_ROPE} in absolute terms",
        )
    reference = next((scores[c] for c in ("shallow", "deep", "linear") if scores.get(c)), [])
    base = abs(float(np.mean(reference))) if reference else 0.0
    return Rope(
        value=default_rope(metric, base),
        rule=f"default for {metric.name}: {RELATIVE_ROPE:.0%} of the shallow finalist's mean "
        f"{metric.name} ({base:.4g})",
    )
