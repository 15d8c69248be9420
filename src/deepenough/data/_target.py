"""The target column: which task it poses and how it is encoded for training."""

from __future__ import annotations

import numpy as np
import pandas as pd

from deepenough.errors import DataError
from deepenough.metrics import Task

MAX_INTEGER_CLASSES = 20
"""An integer target with at most this many distinct values is read as class labels."""

TASKS: tuple[Task, ...] = ("classification", "regression")


def infer_task(target: pd.Series, requested: str | None) -> tuple[Task, str]:
    """The task and, in words, why it was chosen."""
    if requested is not None:
        task = requested.strip().lower()
        if task not in TASKS:
            raise DataError(
                f"Unknown task {requested!r}", fix="Use --task classification or --task regression."
            )
        if task == "regression" and not pd.api.types.is_numeric_dtype(target):
            raise DataError(
                f"--task regression needs a numeric target, but {target.name!r} holds text "
                f"such as {target.dropna().iloc[0]!r}",
                fix="Choose a numeric --target or use --task classification.",
            )
        return task, "set by --task"
    if pd.api.types.is_bool_dtype(target) or not pd.api.types.is_numeric_dtype(target):
        return "classification", "the target holds labels, not numbers"
    values = target.to_numpy(dtype=float)
    n_unique = len(np.unique(values))
    if np.all(values == np.round(values)) and n_unique <= MAX_INTEGER_CLASSES:
        return (
            "classification",
            f"the target holds {n_unique} distinct integers (at most {MAX_INTEGER_CLASSES} "
            "are read as classes; --task regression overrides)",
        )
    return "regression", "the target holds continuous numbers"


def label_strings(target: pd.Series) -> np.ndarray:
    """Class labels as text; whole floats lose their '.0' so 1.0 and 1 are one class."""
    if pd.api.types.is_float_dtype(target):
        values = target.to_numpy(dtype=float)
        if np.all(values == np.round(values)):
            return np.array([str(int(v)) for v in values], dtype=object)
    return np.array([str(v) for v in target], dtype=object)


def sorted_classes(labels: np.ndarray) -> tuple[str, ...]:
    """Distinct labels, in numeric order when every label is a number."""
    unique = sorted(set(labels))
    try:
        return tuple(sorted(unique, key=float))
    except ValueError:
        return tuple(unique)


def check_classes(labels: np.ndarray, target_name: str) -> tuple[str, ...]:
    classes = sorted_classes(labels)
    if len(classes) < 2:
        raise DataError(
            f"Target {target_name!r} has a single class ({classes[0]!r}), so there is "
            "nothing to learn",
            fix="Choose another --target, or add rows of the other classes.",
        )
    return classes


def encode_labels(labels: np.ndarray, classes: tuple[str, ...], where: str) -> np.ndarray:
    """Class indices of `labels`; a label outside `classes` is an error naming `where`."""
    index = {label: i for i, label in enumerate(classes)}
    unknown = sorted({label for label in labels if label not in index})
    if unknown:
        raise DataError(
            f"{where} has target labels the training data never shows: {', '.join(unknown[:5])}",
            fix="Use a test set whose classes all appear in the training data.",
        )
    return np.array([index[label] for label in labels], dtype=np.int64)
