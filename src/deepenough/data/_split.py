"""Split rows into train, validation and test sets, stratified for classification."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from deepenough.data._columns import infinite
from deepenough.data._spec import Split
from deepenough.data._target import encode_labels, label_strings
from deepenough.errors import DataError

logger = logging.getLogger(__name__)

TEST_FRACTION = 0.2
VALIDATION_FRACTION = 0.2
MIN_ROWS_PER_CLASS_TO_STRATIFY = 5
NO_TEST_BELOW_ROWS = 100
"""Without --test-data, fewer rows than this keep no test hold-out: its 20% would be under
20 rows, whose accuracy has a standard error of up to 11 points, while those rows would
cost every model a fifth of its training data. The verdict's repeated paired folds over
every row are the estimate instead."""
CROSS_VALIDATE_BELOW_ROWS = 1000
"""With fewer train + validation rows than this, trials are scored by k-fold
cross-validation over them (see `search_folds`): a 20% validation split would hold under
200 rows, too few to rank trials whose scores differ by a point or two."""
FIVE_FOLDS_BELOW_ROWS = 200
"""Below this many train + validation rows, a fit costs little and five folds (each
training on 80%) score a trial; from here up to `CROSS_VALIDATE_BELOW_ROWS`, three."""


def search_folds(rows: int) -> int:
    """How many folds of `rows` train + validation rows score each trial; 0 means the
    validation split alone."""
    if rows >= CROSS_VALIDATE_BELOW_ROWS:
        return 0
    return 5 if rows < FIVE_FOLDS_BELOW_ROWS else 3


def split_rows(
    frame: pd.DataFrame,
    target: str,
    features: list[str],
    y: np.ndarray,
    *,
    task: str,
    classes: tuple[str, ...],
    seed: int,
    test_frame: pd.DataFrame | None,
) -> tuple[Split, Split, Split]:
    """Train, validation and test `Split`s of `frame`'s `features` and the encoded target `y`.

    Without `test_frame`, rows are split 60/20/20, or 80/20 into train and validation
    with no test set below `NO_TEST_BELOW_ROWS` rows; with it, 80/20, and `test_frame`
    (--test-data) is the test set.
    """
    hold_out = test_frame is None and len(y) >= NO_TEST_BELOW_ROWS
    if test_frame is None and not hold_out:
        logger.info(
            "%s are too few to hold out a test set: every row trains, and the verdict's "
            "cross-validated folds estimate the score",
            rows_text(len(y)),
        )
    train_idx, valid_idx, test_idx = split_indices(y, classes, task, seed, hold_out)
    if test_frame is None:
        test_features, y_test = frame.iloc[test_idx][features], y[test_idx]
    else:
        test_features, y_test = prepare_test(test_frame, target, features, task, classes)
    train = Split(frame.iloc[train_idx][features].reset_index(drop=True), y[train_idx])
    validation = Split(frame.iloc[valid_idx][features].reset_index(drop=True), y[valid_idx])
    return train, validation, Split(test_features.reset_index(drop=True), y_test)


def split_indices(
    y: np.ndarray, classes: tuple[str, ...], task: str, seed: int, with_test: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted train, validation and test row indices; the test ones are empty unless `with_test`.

    Classification splits keep the class proportions when every class has at least
    `MIN_ROWS_PER_CLASS_TO_STRATIFY` rows, and split at random (with a warning) otherwise.
    """
    indices = np.arange(len(y))
    stratify = task == "classification" and _can_stratify(y)
    if task == "classification" and not stratify:
        _warn_unstratified(y, classes)
    test_idx = np.array([], dtype=int)
    if with_test:
        indices, test_idx = train_test_split(
            indices,
            test_size=TEST_FRACTION,
            random_state=seed,
            stratify=y if stratify else None,
        )
    fraction = VALIDATION_FRACTION / (1 - TEST_FRACTION) if with_test else VALIDATION_FRACTION
    train_idx, valid_idx = train_test_split(
        indices,
        test_size=fraction,
        random_state=seed,
        stratify=y[indices] if stratify else None,
    )
    return np.sort(train_idx), np.sort(valid_idx), np.sort(test_idx)


def prepare_test(
    test: pd.DataFrame, target: str, features: list[str], task: str, classes: tuple[str, ...]
) -> tuple[pd.DataFrame, np.ndarray]:
    """--test-data's feature columns and encoded target, without rows whose target is missing.

    Refuses a test set that lacks a column, has no row with a target, or holds a
    class the training data never shows.
    """
    missing = [c for c in [*features, target] if c not in test.columns]
    if missing:
        raise DataError(
            f"--test-data lacks columns the training data has: {', '.join(map(repr, missing[:5]))}",
            fix="Give the test set the same header as the training data.",
        )
    if task == "regression":  # text such as '?' marks a missing target, as in training
        test = test.assign(**{target: pd.to_numeric(test[target], errors="coerce")})
    test = test.loc[test[target].notna().to_numpy() & ~infinite(test[target])]
    if test.empty:
        raise DataError("--test-data has no row with a target", fix="Fill in its target column.")
    if task == "regression":
        return test[features], test[target].to_numpy(dtype=np.float64)
    return test[features], encode_labels(label_strings(test[target]), classes, "--test-data")


def rows_text(count: int) -> str:
    """`count` rows in words: "1 row", "3 rows"."""
    return f"{count} row" if count == 1 else f"{count} rows"


def _can_stratify(y: np.ndarray) -> bool:
    return int(np.bincount(y).min()) >= MIN_ROWS_PER_CLASS_TO_STRATIFY


def _warn_unstratified(y: np.ndarray, classes: tuple[str, ...]) -> None:
    """Name the classes too rare to split in proportion."""
    counts = np.bincount(y, minlength=len(classes))
    rare = [
        f"{c!r} ({rows_text(n)})"
        for c, n in zip(classes, counts, strict=True)
        if n < MIN_ROWS_PER_CLASS_TO_STRATIFY
    ]
    logger.warning(
        "%s fewer than %d rows, too few to split in proportion: the split is random, so "
        "%s be missing from training or from the test set",
        f"class {rare[0]} has" if len(rare) == 1 else f"classes {', '.join(rare)} have",
        MIN_ROWS_PER_CLASS_TO_STRATIFY,
        "it may" if len(rare) == 1 else "they may",
    )
