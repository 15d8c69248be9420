"""Cross-validation folds, and one config refit on a fold and scored on its held-out rows."""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import keras
import numpy as np
from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold

from deepenough import models
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.spaces import Config
from deepenough.train._fit import (
    MAX_TRAIN_ROWS_SCORED,
    PackedData,
    fit_epochs,
    predict,
    repeat_rows,
    restart,
    state,
)

Folds = list[tuple[np.ndarray, np.ndarray]]
LATENCY_ROWS = 1000
LATENCY_PROBE_ROWS = 100
LATENCY_SLOW_SECONDS = 0.1
"""A model that takes longer than this for `LATENCY_PROBE_ROWS` rows is timed once on
`LATENCY_ROWS` rows, not three times after a warm-up: a long-sequence convolution
predicts 1,000 rows in seconds on one core, and the verdict times every fold fit."""


def make_folds(y: np.ndarray, task: str, k: int, seed: int, repeats: int = 1) -> Folds:
    """`k` × `repeats` (train, held-out) index pairs, repeat by repeat, stratified by
    class for classification."""
    splitter = RepeatedStratifiedKFold if task == "classification" else RepeatedKFold
    folds = splitter(n_splits=k, n_repeats=repeats, random_state=seed)
    return list(folds.split(np.zeros(len(y)), y))


def max_folds(y: np.ndarray, task: str, wanted: int) -> int:
    """At most `wanted` folds, and no more than the rarest class has rows (at least 2)."""
    if task != "classification":
        return max(2, min(wanted, len(y)))
    return max(2, min(wanted, int(np.bincount(y).min())))


@dataclass(frozen=True)
class FoldFit:
    score: float
    """The metric on the held-out rows."""
    train_score: float
    """The metric on (up to `MAX_TRAIN_ROWS_SCORED` of) the rows it was trained on."""
    fit_seconds: float
    predict_ms_per_1000: float
    """Milliseconds to predict 1,000 rows (the fastest of three timed calls; one call
    for a slow model, see `LATENCY_SLOW_SECONDS`)."""
    wall_seconds: float
    """The whole re-training: building, training, scoring and timing the model (what a
    time budget pays for it; `fit_seconds` is the training alone)."""


class CompiledModels:
    """The models this process compiled for the last few configs, reused from fit to
    fit: each fit of a config starts from a freshly built model's state (`restart`), so
    it trains exactly as a fresh one would, without tracing the train step again."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._models: OrderedDict[str, keras.Model] = OrderedDict()

    def fresh(self, config: Config, spec: DataSpec, seed: int) -> keras.Model:
        """`config`'s model as built under `seed`, ready to compile or train."""
        keras.utils.set_random_seed(seed)
        built = models.build(config, spec)
        key = json.dumps(config.flat(), sort_keys=True, default=str)
        model = self._models.pop(key, None)
        if model is None or not model.compiled:
            model = built
        else:
            restart(model, state(built))
        self._models[key] = model
        while len(self._models) > self.size:
            self._models.popitem(last=False)
        return model


def fit_fold(
    config: Config,
    spec: DataSpec,
    data: PackedData,
    train_rows: np.ndarray,
    held_out: np.ndarray,
    *,
    metric: Metric,
    epochs: int,
    seed: int = 0,
    compiled: CompiledModels | None = None,
) -> FoldFit:
    """Train `config` afresh on `train_rows` for `epochs` epochs; score both row sets.
    With `compiled`, the model of an earlier fit of `config` is restarted, not rebuilt."""
    begun = time.perf_counter()
    try:
        model = (compiled or CompiledModels(size=0)).fresh(config, spec, seed)
        train = PackedData(data.x[train_rows], data.y[train_rows])
        started = time.perf_counter()
        models.pretrain(model, config, repeat_rows(train.x, int(config.training["batch_size"])))
        fit_epochs(model, train, spec=spec, training=config.training, epochs=epochs)
        fit_seconds = time.perf_counter() - started
        scored = train_rows[:MAX_TRAIN_ROWS_SCORED]
        score = metric.score(data.y[held_out], predict(model, data.x[held_out], spec))
        train_score = metric.score(data.y[scored], predict(model, data.x[scored], spec))
        latency = _latency_ms(model, data.x[held_out], spec)
        return FoldFit(
            score=round(score, 6),
            train_score=round(train_score, 6),
            fit_seconds=round(fit_seconds, 4),
            predict_ms_per_1000=latency,
            wall_seconds=round(time.perf_counter() - begun, 4),
        )
    finally:
        if compiled is None:
            keras.utils.clear_session(free_memory=True)


@dataclass(frozen=True)
class FoldJob:
    """One re-training for a `WorkerPool`: `fit_fold` of `config` on these rows."""

    config: Config
    train_rows: np.ndarray
    held_out: np.ndarray
    epochs: int
    seed: int


@dataclass(frozen=True)
class LatencyJob:
    """Time `config`'s predictions (untrained: the time does not depend on the weights)."""

    config: Config


@dataclass(frozen=True)
class FoldFitter:
    """Runs `FoldJob`s and `LatencyJob`s on the data it carries: a worker's handler, or
    the search process's without workers. It keeps the models it compiled (see
    `CompiledModels`), so a finalist re-trained fold after fold is traced once."""

    spec: DataSpec
    data: PackedData
    metric: Metric
    compiled: CompiledModels = field(default_factory=CompiledModels, compare=False, repr=False)

    def __call__(self, job: FoldJob | LatencyJob, report: object = None) -> FoldFit | float:
        if isinstance(job, LatencyJob):
            return latency_ms(job.config, self.spec, self.data.x)
        return fit_fold(
            job.config,
            self.spec,
            self.data,
            job.train_rows,
            job.held_out,
            metric=self.metric,
            epochs=job.epochs,
            seed=job.seed,
            compiled=self.compiled,
        )


def latency_ms(config: Config, spec: DataSpec, x: np.ndarray) -> float:
    """Milliseconds `config`'s model takes to predict 1,000 rows like `x`'s."""
    try:
        return _latency_ms(models.build(config, spec), x, spec)
    finally:
        keras.utils.clear_session(free_memory=True)


def _latency_ms(model: keras.Model, x: np.ndarray, spec: DataSpec) -> float:
    rows = np.resize(x, (LATENCY_ROWS, *x.shape[1:]))
    started = time.perf_counter()
    predict(model, rows[:LATENCY_PROBE_ROWS], spec)  # warm-up, and a probe of the cost
    slow = time.perf_counter() - started > LATENCY_SLOW_SECONDS
    if not slow:
        predict(model, rows, spec)  # warm-up at the timed size
    timings = []
    for _ in range(1 if slow else 3):
        started = time.perf_counter()
        predict(model, rows, spec)
        timings.append(time.perf_counter() - started)
    return round(1000 * min(timings), 3)
