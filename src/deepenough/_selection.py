"""Which trial to export: the best by validation, or, on small data, by cross-validation.

A validation split of a small data set is too coarse to choose by: GunPoint's
10 validation rows give accuracy in steps of 10%, and several architectures
score 100% on them while differing by 10 points on the test set. When train +
validation hold at most `CV_MAX_ROWS` rows, up to `CV_CANDIDATES` distinct
configs (the best of each family first, then the next best by validation) are
each re-scored by `CV_FOLDS`-fold cross-validation on train + validation, refit
for their best epoch count. The best mean wins. Equal means go to the lower
out-of-fold loss (cross-entropy over every row's held-out prediction, a proper
scoring rule that punishes a confident miss), then to fewer parameters.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from deepenough.backends import TrialResult
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.train import CrossValidation, PackedData, cross_validate, make_folds, max_folds

logger = logging.getLogger(__name__)

CV_MAX_ROWS = 2000
CV_FOLDS = 5
CV_CANDIDATES = 6


@dataclass(frozen=True)
class Selection:
    winner: TrialResult
    reason: str
    details: dict[str, Any]
    """results.json's `selection`: the method and, for cross-validation, the scores."""


def uses_cross_validation(n_rows: int) -> bool:
    return n_rows <= CV_MAX_ROWS


def rank_by_validation(trials: list[TrialResult], metric: Metric) -> list[TrialResult]:
    """Complete trials best first (ties: lower validation loss, then fewer parameters);
    pruned ones only when no trial completed."""
    sign = -1.0 if metric.direction == "maximize" else 1.0
    for status in ("complete", "pruned"):
        candidates = [t for t in trials if t.status == status and t.value is not None]
        if candidates:
            return sorted(
                candidates,
                key=lambda t: (
                    sign * t.value,
                    t.validation_loss if t.validation_loss is not None else float("inf"),
                    t.n_params or 0,
                    t.number,
                ),
            )
    return []


def select_winner(
    trials: list[TrialResult],
    metric: Metric,
    spec: DataSpec,
    data: PackedData,
    *,
    seed: int = 0,
    deadline: float | None = None,
) -> Selection | None:
    """The trial to export (None when no trial has a score). `data` is train + validation;
    `deadline` (monotonic) stops cross-validating further candidates, never the first."""
    ranked = rank_by_validation(trials, metric)
    if not ranked:
        return None
    by_validation = Selection(
        ranked[0],
        f"best validation {metric.name} among the {ranked[0].status} trials",
        {"method": "validation"},
    )
    candidates = _candidates(ranked)
    if not uses_cross_validation(len(data)) or len(candidates) < 2:
        return by_validation
    k = max_folds(data.y, spec.task, CV_FOLDS)
    folds = make_folds(data.y, spec.task, k, seed)
    results: dict[int, CrossValidation] = {}
    for trial in candidates:
        if results and deadline is not None and time.monotonic() > deadline:
            logger.info(
                "time budget: cross-validated %d of %d candidates", len(results), len(candidates)
            )
            break
        results[trial.number] = cross_validate(
            trial.config,
            spec,
            data,
            folds,
            metric=metric,
            epochs=max(int(trial.best_epoch or 1), 1),
            seed=seed,
        )
    sign = -1.0 if metric.direction == "maximize" else 1.0
    scored = [t for t in candidates if t.number in results]
    winner = min(
        scored,
        key=lambda t: (
            sign * _mean(results[t.number].scores),
            results[t.number].loss,
            t.n_params or 0,
        ),
    )
    return Selection(
        winner,
        f"highest mean {metric.name} in {k}-fold cross-validation on the {len(data)} train + "
        f"validation rows, among the best trials of each family ({len(results)} in all; a "
        f"validation split this small is too coarse to choose by)",
        {
            "method": "cross-validation",
            "folds": k,
            "scores": {str(n): r.scores for n, r in results.items()},
            "means": {str(n): _mean(r.scores) for n, r in results.items()},
            "losses": {str(n): r.loss for n, r in results.items()},
        },
    )


def _mean(scores: list[float]) -> float:
    return round(float(np.mean(scores)), 6)


def _candidates(ranked: list[TrialResult]) -> list[TrialResult]:
    """The best trial of each family, then the next best trials, all of distinct configs."""
    seen, distinct = set(), []
    for trial in ranked:
        key = repr(sorted(trial.config.flat().items()))
        if key not in seen:
            seen.add(key)
            distinct.append(trial)
    families_best = {}
    for trial in distinct:
        families_best.setdefault(trial.config.family, trial)
    rest = [t for t in distinct if t not in families_best.values()]
    return [*families_best.values(), *rest][:CV_CANDIDATES]
