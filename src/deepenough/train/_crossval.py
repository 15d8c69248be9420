"""K-fold cross-validation of a config: every fold refit for a fixed number of epochs."""

from __future__ import annotations

import gc

import keras
import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold

from deepenough import models
from deepenough.data import DataSpec
from deepenough.metrics import Metric
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


def cross_validate(
    config: Config,
    spec: DataSpec,
    data: PackedData,
    folds: Folds,
    *,
    metric: Metric,
    epochs: int,
    seed: int = 0,
) -> list[float]:
    """The metric on each fold's held-out rows after training on the rest for `epochs`."""
    scores = []
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
        scores.append(
            round(metric.score(data.y[held_out], predict(model, data.x[held_out], spec)), 6)
        )
        keras.utils.clear_session(free_memory=True)
        gc.collect()
    return scores
