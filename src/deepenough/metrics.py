"""Objective metrics: one table of names, directions and scoring functions.

Every scorer takes the true targets and the model's predictions in one shape
for each task: class probabilities `(n, k)` for classification (targets are
class indices) and values in the target's own units for regression.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from deepenough.errors import UserError

Task = Literal["classification", "regression"]


@dataclass(frozen=True)
class Metric:
    name: str
    direction: Literal["maximize", "minimize"]
    task: Task
    score: Callable[[np.ndarray, np.ndarray], float]

    @property
    def sign(self) -> float:
        """+1 when higher scores are better, -1 when lower are: `sign * score` is
        higher-is-better for every metric."""
        return 1.0 if self.direction == "maximize" else -1.0

    def better(self, a: float, b: float) -> bool:
        """Whether score `a` is strictly better than score `b`."""
        return a > b if self.direction == "maximize" else a < b


def _accuracy(y: np.ndarray, proba: np.ndarray) -> float:
    return float(np.mean(np.argmax(proba, axis=1) == y))


def _balanced_accuracy(y: np.ndarray, proba: np.ndarray) -> float:
    from sklearn.metrics import balanced_accuracy_score

    return float(balanced_accuracy_score(y, np.argmax(proba, axis=1)))


def _roc_auc(y: np.ndarray, proba: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    if len(np.unique(y)) < 2:
        return float("nan")
    if proba.shape[1] == 2:
        return float(roc_auc_score(y, proba[:, 1]))
    return float(
        roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=range(proba.shape[1]))
    )


def _rmse(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.ravel(pred) - y) ** 2)))


def _mae(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(np.abs(np.ravel(pred) - y)))


def _r2(y: np.ndarray, pred: np.ndarray) -> float:
    residual = np.sum((y - np.ravel(pred)) ** 2)
    total = np.sum((y - np.mean(y)) ** 2)
    return float(1.0 - residual / total) if total > 0 else float("nan")


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("accuracy", "maximize", "classification", _accuracy),
        Metric("balanced_accuracy", "maximize", "classification", _balanced_accuracy),
        Metric("roc_auc", "maximize", "classification", _roc_auc),
        Metric("rmse", "minimize", "regression", _rmse),
        Metric("mae", "minimize", "regression", _mae),
        Metric("r2", "maximize", "regression", _r2),
    )
}
DEFAULT_METRIC: dict[str, str] = {"classification": "accuracy", "regression": "rmse"}


def get_metric(name: str | None, task: Task) -> Metric:
    """The metric called `name` (or the task's default), checked against the task."""
    if name is None:
        return METRICS[DEFAULT_METRIC[task]]
    key = name.strip().lower().replace("-", "_")
    if key not in METRICS:
        raise UserError(
            f"Unknown metric {name!r}",
            fix=f"Choose one of: {', '.join(METRICS)}.",
        )
    metric = METRICS[key]
    if metric.task != task:
        valid = [m.name for m in METRICS.values() if m.task == task]
        raise UserError(
            f"Metric {metric.name!r} is for {metric.task}, but this is a {task} task",
            fix=f"Use one of: {', '.join(valid)}, or set --task.",
        )
    return metric


def prediction_loss(task: Task, y: np.ndarray, predictions: np.ndarray) -> float:
    """Cross-entropy of class probabilities, or mean squared error: a finer-grained score
    than accuracy, used to break ties between equal metric values (lower is better)."""
    if task == "classification":
        picked = predictions[np.arange(len(y)), y]
        return float(np.mean(-np.log(np.clip(picked, 1e-12, 1.0)))) + 0.0  # no -0.0
    return float(np.mean((np.ravel(predictions) - y) ** 2))


def score_all(task: Task, y: np.ndarray, predictions: np.ndarray) -> dict[str, float]:
    """Every metric that applies to `task`, keyed by name."""
    return {m.name: m.score(y, predictions) for m in METRICS.values() if m.task == task}
