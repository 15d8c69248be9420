"""Refit the chosen trial on train + validation, save it as one .keras file, score the test set."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np
import pandas as pd

from deepenough import models
from deepenough._files import atomic_path
from deepenough.backends import TrialResult
from deepenough.data import Dataset
from deepenough.export._inputs import inputs_from_frame
from deepenough.export._wrap import wrap_for_export
from deepenough.metrics import score_all
from deepenough.results import TestPredictions
from deepenough.train import PackedData, fit_epochs, repeat_rows

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    trial: int
    epochs: int
    fit_seconds: float
    test: dict[str, float]
    test_predictions: TestPredictions | None
    """None, as `test` is empty, when the data kept no test set."""
    """For the report: the confusion matrix, or actual and predicted values."""


def export_trial(
    trial: TrialResult,
    dataset: Dataset,
    train_and_validation: PackedData,
    path: Path,
    *,
    seed: int = 0,
) -> ExportReport:
    """Refit `trial`'s config for its best epoch count and save the raw-column model to `path`.

    The test set is scored by the file as reloaded with plain `keras.saving.load_model`,
    so the recorded score is the score of what users load.
    """
    keras.utils.set_random_seed(seed)
    body = models.build(trial.config, dataset.spec)
    epochs = max(int(trial.best_epoch or 1), 1)
    batch_size = int(trial.config.training["batch_size"])
    models.pretrain(body, trial.config, repeat_rows(train_and_validation.x, batch_size))
    fit_seconds = fit_epochs(
        body, train_and_validation, spec=dataset.spec, training=trial.config.training, epochs=epochs
    )
    model = wrap_for_export(body, dataset.spec)
    spec, test_rows = dataset.spec, dataset.test
    with atomic_path(path) as temporary:
        model.save(temporary)
        reloaded = keras.saving.load_model(temporary)
        # Categories outside a column's vocabulary (rare ones beyond the kept most
        # frequent, or new in the test rows) share the slot they shared in training.
        if not len(test_rows.target):  # tiny data keeps no test set (data.NO_TEST_BELOW_ROWS)
            return ExportReport(path, trial.number, epochs, fit_seconds, {}, None)
        outputs = predict_frame(reloaded, test_rows.features, allow_unseen=True)
    logger.debug("exported trial %d to %s", trial.number, path)
    return ExportReport(
        path,
        trial.number,
        epochs,
        fit_seconds,
        score_outputs(outputs, test_rows.target, spec.task),
        describe_predictions(outputs, test_rows.target, spec.task, spec.classes),
    )


def predict_frame(model: keras.Model, frame: pd.DataFrame, **options: Any) -> dict[str, np.ndarray]:
    """The exported model's outputs for the rows of `frame` (see `inputs_from_frame`)."""
    outputs = model.predict(inputs_from_frame(model, frame, **options), verbose=0)
    if "label" in outputs:
        outputs["label"] = np.array([v.decode("utf-8") for v in outputs["label"]], dtype=object)
    return outputs


def score_outputs(outputs: dict[str, np.ndarray], target: np.ndarray, task: str):
    predictions = outputs["probabilities"] if task == "classification" else outputs["prediction"]
    return score_all(task, target, predictions)  # type: ignore[arg-type]


MAX_PLOTTED_POINTS = 2000
"""Regression test rows kept for the predicted-vs-actual plot (an even subsample beyond)."""


def describe_predictions(
    outputs: dict[str, np.ndarray], target: np.ndarray, task: str, classes: tuple[str, ...]
) -> TestPredictions:
    """Classification: the confusion matrix (rows actual, columns predicted, in `classes`
    order). Regression: actual and predicted values, at most `MAX_PLOTTED_POINTS` of them."""
    if task == "classification":
        predicted = np.argmax(outputs["probabilities"], axis=1)
        matrix = np.zeros((len(classes), len(classes)), dtype=int)
        np.add.at(matrix, (target.astype(int), predicted), 1)
        return TestPredictions(
            labels=tuple(classes), confusion=tuple(tuple(row) for row in matrix.tolist())
        )
    keep = np.unique(
        np.linspace(0, len(target) - 1, min(len(target), MAX_PLOTTED_POINTS)).astype(int)
    )
    return TestPredictions(
        actual=tuple(float(f"{v:.6g}") for v in target[keep]),
        predicted=tuple(float(f"{v:.6g}") for v in np.ravel(outputs["prediction"])[keep]),
    )
