"""K-fold cross-validation of a config: every fold refit for a fixed number of epochs."""

from __future__ import annotations

import gc
from dataclasses import dataclass

import keras
import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold

from deepenough import models
from deepenough.data import DataSpec
from deepenough.metrics import Metric, prediction_loss
from deepenough.spaces import Config
from deepenough.train._fit import PackedData, fit_epochs, predict, repeat_rows

Folds = list[tuple[np.ndarray, np.ndarray]]


def make_folds(y: np.ndarray, task: str, k: int, seed: int) -> Folds:
    """`k` (train, validation) index pairs, stratified by class for classification."""
    if task == "classification":
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        return list(splitter.split(np.zeros(len(y)), y))
    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y))))


def max_folds(y: np.ndarray, task: str, wanted: int) -> int:
    """At most `wanted` folds, and no more than the rarest class has rows (at least 2)."""
    if task != "classification":
        return max(2, min(wanted, len(y)))
    return max(2, min(wanted, int(np.bincount(y).min())))


@dataclass(frozen=True)
class CrossValidation:
    scores: list[float]
    """The metric on each fold's held-out rows."""
    loss: float
    """Cross-entropy (or squared error) of all out-of-fold predictions together: a finer
    measure than the metric, pooled over every row rather than one small split."""


def cross_validate(
    config: Config,
    spec: DataSpec,
    data: PackedData,
    folds: Folds,
    *,
    metric: Metric,
    epochs: int,
    seed: int = 0,
) -> CrossValidation:
    """Train on all but one fold for `epochs`, score the held-out fold, for every fold."""
    scores, losses = [], []
    batch_size = int(config.training["batch_size"])
    for fold, (train_rows, held_out) in enumerate(folds):
        keras.utils.set_random_seed(seed + fold)
        model = models.build(config, spec)
        models.pretrain(model, config, repeat_rows(data.x[train_rows], batch_size))
        fit_epochs(
            model,
            PackedData(data.x[train_rows], data.y[train_rows]),
            spec=spec,
            training=config.training,
            epochs=epochs,
        )
        predictions = predict(model, data.x[held_out], spec)
        scores.append(round(metric.score(data.y[held_out], predictions), 6))
        losses.append(prediction_loss(spec.task, data.y[held_out], predictions) * len(held_out))
        keras.utils.clear_session(free_memory=True)
        gc.collect()
    return CrossValidation(scores, round(sum(losses) / sum(len(h) for _, h in folds), 6))
