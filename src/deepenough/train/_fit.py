"""Fit one model on packed features, scoring the objective metric after every epoch."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from deepenough.backends import EpochReporter
from deepenough.data import DataSpec
from deepenough.metrics import Metric, prediction_loss

PREDICT_CHUNK = 8192
MIN_STEPS_PER_EPOCH = 16
"""An epoch is at least this many optimizer steps (and a whole multiple of them): a small
training set is repeated within it, so that patience, `max_epochs` and the pruner's
warm-up mean enough training whatever the data size (40 rows in batches of 32 would
otherwise be 2 steps an epoch). Each call into the compiled graph runs this many steps,
which on a CPU makes small models train several times faster than one step a call."""
MIN_LOSS_IMPROVEMENT = 1e-3
"""A tie in the metric counts as an improvement only when the loss falls by this fraction."""
MAX_TRAIN_ROWS_SCORED = 5000
"""Train-set scores per epoch use at most this many rows (a fixed subset) to stay cheap."""


class NonFiniteLoss(FloatingPointError):
    """Training diverged (loss or predictions not finite); the trial fails with this message."""


@dataclass(frozen=True)
class PackedData:
    """Packed features and targets (class indices, or floats in the target's units)."""

    x: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, rows: np.ndarray) -> PackedData:
        return PackedData(self.x[rows], self.y[rows])


@dataclass(frozen=True)
class FitReport:
    history_train: tuple[float, ...]
    history_validation: tuple[float, ...]
    best_epoch: int
    best_value: float
    best_loss: float
    pruned: bool
    fit_seconds: float
    time_capped: bool = False


def compile_model(model: keras.Model, spec: DataSpec, learning_rate: float) -> None:
    """Compile `model` for training, unless it is compiled already (a trial's next fold,
    after `restart`): compiling again would drop its traced train step."""
    if model.compiled:
        return
    loss = "sparse_categorical_crossentropy" if spec.task == "classification" else "mse"
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=loss,
        steps_per_execution=MIN_STEPS_PER_EPOCH,
    )


def state(model: keras.Model) -> list[np.ndarray]:
    """Everything `model` holds: its weights and its layers' random seeds."""
    return [np.asarray(variable) for variable in model.variables]


def restart(model: keras.Model, start: list[np.ndarray]) -> None:
    """Put a trained `model` back to `start` (a `state`) with its optimizer's state
    cleared, as if freshly built and compiled but keeping its traced train step: tracing
    it again costs about 0.6 s a fit, a large share of a fold on a few hundred rows."""
    for variable, value in zip(model.variables, start, strict=True):
        variable.assign(value)
    for variable in model.optimizer.variables:
        if variable.path.rsplit("/", 1)[-1] != "learning_rate":
            variable.assign(np.zeros(variable.shape, dtype=variable.dtype))


def predict(model: keras.Model, x: np.ndarray, spec: DataSpec) -> np.ndarray:
    """Class probabilities, or predictions in the target's own units.

    Through the model's traced predict function, not an eager call: a trial scores its
    validation and train rows after every epoch, and an eager bidirectional GRU took 2.6 s
    for that on 1,600 rows of 128 steps against 0.3 s traced, more than the epoch's own
    training. Tracing costs 0.05–0.4 s once per model (twice: the second shape relaxes
    the batch size)."""
    out = np.concatenate(
        [
            np.asarray(model.predict_on_batch(x[i : i + PREDICT_CHUNK]))
            for i in range(0, max(len(x), 1), PREDICT_CHUNK)
        ]
    )
    if spec.task == "regression":
        return out[:, 0] * spec.target_std + spec.target_mean
    return out


def fit_with_validation(
    model: keras.Model,
    train: PackedData,
    validation: PackedData,
    *,
    spec: DataSpec,
    metric: Metric,
    training: Mapping[str, Any],
    report: EpochReporter,
    max_seconds: float | None = None,
) -> FitReport:
    """Train until early stopping, pruning, `max_epochs` or `max_seconds`; keep the best
    epoch's weights."""
    scorer = _EpochScorer(
        train, validation, spec, metric, int(training["patience"]), report, max_seconds
    )
    fit_seconds = fit_epochs(
        model,
        train,
        spec=spec,
        training=training,
        epochs=int(training["max_epochs"]),
        callback=scorer,
    )
    if scorer.best_weights is not None:
        model.set_weights(scorer.best_weights)
    return FitReport(
        history_train=tuple(scorer.history_train),
        history_validation=tuple(scorer.history_validation),
        best_epoch=scorer.best_epoch,
        best_value=scorer.best_value,
        best_loss=scorer.best_loss,
        pruned=scorer.pruned,
        fit_seconds=fit_seconds,
        time_capped=scorer.time_capped,
    )


def fit_epochs(
    model: keras.Model,
    data: PackedData,
    *,
    spec: DataSpec,
    training: Mapping[str, Any],
    epochs: int,
    callback: keras.callbacks.Callback | None = None,
) -> float:
    """Compile and train for up to `epochs` epochs (exactly that many in the final refit,
    which passes no callback); fails on a non-finite loss; returns the seconds taken."""
    compile_model(model, spec, training["learning_rate"])
    batch_size = int(training["batch_size"])
    # One endless stream, reshuffled on every pass: Keras then keeps a single iterator
    # instead of starting one per epoch, a large share of an epoch's time on small data.
    stream = (
        tf.data.Dataset.from_tensor_slices((data.x, _fit_target(data.y, spec)))
        .shuffle(len(data), reshuffle_each_iteration=True)
        .repeat()
        .batch(batch_size)
    )
    started = time.perf_counter()
    model.fit(
        stream,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch(len(data), batch_size),
        callbacks=[callback or _StopOnNonFinite()],
        shuffle=False,
        verbose=0,
    )
    return time.perf_counter() - started


def steps_per_epoch(rows: int, batch_size: int) -> int:
    """One pass over the rows, rounded up to a whole multiple of `MIN_STEPS_PER_EPOCH`."""
    batches = math.ceil(max(rows, 1) / batch_size)
    return MIN_STEPS_PER_EPOCH * math.ceil(batches / MIN_STEPS_PER_EPOCH)


def repeat_rows(values: np.ndarray, batch_size: int) -> np.ndarray:
    """`values` repeated whole until one pass holds `MIN_STEPS_PER_EPOCH` batches."""
    repeats = math.ceil(MIN_STEPS_PER_EPOCH * batch_size / max(len(values), 1))
    return np.concatenate([values] * repeats) if repeats > 1 else values


def _fit_target(y: np.ndarray, spec: DataSpec) -> np.ndarray:
    if spec.task == "regression":
        return ((y - spec.target_mean) / spec.target_std).astype(np.float32)
    return y


class _StopOnNonFinite(keras.callbacks.Callback):
    """Fails the fit once its loss or its weights are NaN or infinite. The weights are
    checked too: in a traced graph a fused ReLU turns NaN into 0, so NaN weights can
    leave the loss and the predictions finite."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            raise NonFiniteLoss(f"the training loss became {loss} in epoch {epoch + 1}")
        if not all(np.isfinite(weights).all() for weights in self.model.get_weights()):
            raise NonFiniteLoss(f"the model's weights became NaN or infinite in epoch {epoch + 1}")


class _EpochScorer(_StopOnNonFinite):
    """Scores train and validation data after each epoch; stops early, prunes, keeps the best.

    The best epoch has the best validation metric; among equal metric values (common
    for accuracy on a small validation set) the one whose validation loss is clearly lower.
    """

    def __init__(
        self,
        train: PackedData,
        validation: PackedData,
        spec: DataSpec,
        metric: Metric,
        patience: int,
        report: EpochReporter,
        max_seconds: float | None = None,
    ) -> None:
        super().__init__()
        self.deadline = None if max_seconds is None else time.perf_counter() + max_seconds
        self.time_capped = False
        rows = np.random.default_rng(0).permutation(len(train))[:MAX_TRAIN_ROWS_SCORED]
        self.train = PackedData(train.x[np.sort(rows)], train.y[np.sort(rows)])
        self.validation = validation
        self.spec, self.metric, self.patience, self.report = spec, metric, patience, report
        self.history_train: list[float] = []
        self.history_validation: list[float] = []
        self.best_value = math.nan
        self.best_loss = math.inf
        self.best_epoch = 0
        self.best_weights: list[np.ndarray] | None = None
        self.pruned = False

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        super().on_epoch_end(epoch, logs)
        value, loss = self._score(self.validation, epoch)
        self.history_train.append(self._score(self.train, epoch)[0])
        self.history_validation.append(value)
        if math.isfinite(value) and (
            math.isnan(self.best_value)
            or self.metric.better(value, self.best_value)
            or (value == self.best_value and loss < self.best_loss * (1 - MIN_LOSS_IMPROVEMENT))
        ):
            self.best_value, self.best_loss, self.best_epoch = value, loss, epoch + 1
            self.best_weights = self.model.get_weights()
        if self.report(epoch + 1, value):
            self.pruned = True
            self.model.stop_training = True
        elif epoch + 1 - self.best_epoch >= self.patience:
            self.model.stop_training = True
        elif self.deadline is not None and time.perf_counter() > self.deadline:
            self.time_capped = True
            self.model.stop_training = True

    def _score(self, data: PackedData, epoch: int) -> tuple[float, float]:
        """(metric value, loss) of the model's predictions for `data`."""
        predictions = predict(self.model, data.x, self.spec)
        if not np.isfinite(predictions).all():
            # Cross-entropy clips probabilities, so NaN weights can hide behind a finite loss.
            raise NonFiniteLoss(
                f"the model's predictions became NaN or infinite in epoch {epoch + 1}"
            )
        return (
            round(self.metric.score(data.y, predictions), 6),
            prediction_loss(self.spec.task, data.y, predictions),
        )
