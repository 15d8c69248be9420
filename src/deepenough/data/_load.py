"""Load a CSV (or DataFrame) into a profiled, split `Dataset`."""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from deepenough.data._columns import (
    column_kind,
    drop_reason,
    fit_channels,
    fit_column,
    infinite,
    numbers_among_text,
)
from deepenough.data._modality import Layout, detect_layout, parse_image_shape
from deepenough.data._profile import profile_data
from deepenough.data._read import read_csv
from deepenough.data._spec import ColumnKind, Dataset, DataSpec, Split
from deepenough.data._split import rows_text, split_rows
from deepenough.data._target import (
    check_classes,
    encode_labels,
    infer_task,
    label_strings,
)
from deepenough.errors import DataError
from deepenough.metrics import Task

logger = logging.getLogger(__name__)

MIN_ROWS = 10


def load_dataset(
    data: str | Path | pd.DataFrame,
    *,
    target: str | None = None,
    task: str | None = None,
    test_data: str | Path | pd.DataFrame | None = None,
    seed: int = 0,
    modality: str | None = None,
    image_shape: str | tuple[int, int, int] | None = None,
) -> Dataset:
    """Read, profile and split the data.

    The target is `target` or the last column. Without `test_data`, rows are
    split 60/20/20 into train, validation and test (stratified for
    classification); with it, the data is split 80/20 into train and
    validation and `test_data` is the test set. The modality (tabular,
    sequence, image) is detected from the column layout unless `modality` or
    `image_shape` ("28x28", "32x32x3") says otherwise.
    """
    frame = _as_frame(data, "data")
    target = _resolve_target(frame, target)
    frame, dropped_rows = _drop_missing_target(_numbers_from_text(frame), target)
    found_task, task_reason = infer_task(frame[target], task)
    y, classes = _encode_target(frame[target], found_task)
    kinds, dropped = _column_kinds(frame, target)
    layout = _detect_layout(frame, kinds, dropped, modality, image_shape)
    features, dropped = _choose_features(target, kinds, dropped, layout)
    _note_infinite(frame, features)
    test_frame = None if test_data is None else _as_frame(test_data, "--test-data")
    splits = split_rows(
        frame,
        target,
        features,
        y,
        task=found_task,
        classes=classes,
        seed=seed,
        test_frame=test_frame,
    )
    spec = _fit_spec(found_task, target, classes, layout, kinds, features, splits[0])
    profile = profile_data(
        frame,
        kinds=kinds,
        dropped=dropped,
        dropped_rows=dropped_rows,
        layout=layout,
        spec=spec,
        task_reason=task_reason,
        splits=splits,
    )
    return Dataset(spec, *splits, profile)


def _column_kinds(frame: pd.DataFrame, target: str) -> tuple[dict[str, ColumnKind], dict[str, str]]:
    """Each feature column's kind, and why a column is to be dropped (ID-like, constant, empty)."""
    kinds = {c: column_kind(frame[c]) for c in frame.columns if c != target}
    dropped = {c: reason for c in kinds if (reason := drop_reason(frame[c], kinds[c]))}
    return kinds, dropped


def _detect_layout(
    frame: pd.DataFrame,
    kinds: dict[str, ColumnKind],
    dropped: dict[str, str],
    modality: str | None,
    image_shape: str | tuple[int, int, int] | None,
) -> Layout:
    """Tabular, sequence or image, from the columns that are neither ID-like nor empty.

    A constant column still counts: it may be a time step or a pixel (an image's blank border).
    """
    candidates = [
        c
        for c in kinds
        if not dropped.get(c, "constant").startswith("ID-like")
        and dropped.get(c) != "every value is missing"
    ]
    shape = image_shape if not isinstance(image_shape, str) else parse_image_shape(image_shape)
    return detect_layout(frame, candidates, requested=modality, image_shape=shape)


def _choose_features(
    target: str, kinds: dict[str, ColumnKind], dropped: dict[str, str], layout: Layout
) -> tuple[list[str], dict[str, str]]:
    """The feature columns, and the dropped columns with their reasons, each logged.

    A sequence or image keeps all its columns, constant ones included. Refuses data
    with no feature column left.
    """
    if layout.modality != "tabular":
        dropped = {c: r for c, r in dropped.items() if c not in layout.columns}
    features = list(layout.columns) or [c for c in kinds if c not in dropped]
    if not features:
        reasons = "; ".join(f"{c!r}: {r}" for c, r in list(dropped.items())[:5])
        raise DataError(
            f"No usable feature column is left: every column but the target {target!r} was "
            f"dropped ({reasons})",
            fix="Add informative columns to the data, or check that --target names the target.",
        )
    for column, reason in dropped.items():
        logger.info("dropped column %r: %s", column, reason)
    return features, dropped


def _fit_spec(
    task: Task,
    target: str,
    classes: tuple[str, ...],
    layout: Layout,
    kinds: dict[str, ColumnKind],
    features: list[str],
    train: Split,
) -> DataSpec:
    """The `DataSpec`, with column statistics and target scaling from the training rows."""
    if layout.modality == "tabular":
        columns = tuple(fit_column(c, kinds[c], train.features[c]) for c in features)
    else:
        columns = fit_channels(layout, train.features)
    regression = task == "regression"
    return DataSpec(
        task=task,
        target=target,
        columns=columns,
        classes=classes,
        target_mean=float(np.mean(train.target)) if regression else 0.0,
        target_std=_target_std(train.target) if regression else 1.0,
        modality=layout.modality,
        channels=max(len(layout.channels), 1) if layout.modality != "tabular" else 0,
        sequence_length=layout.length,
        image_shape=layout.image_shape,
    )


def _as_frame(data: str | Path | pd.DataFrame, role: str) -> pd.DataFrame:
    """`data` as a DataFrame: a copy of a DataFrame with its column names stripped, or the
    CSV read from a path. `role` ("data", "--test-data") names it in errors."""
    if isinstance(data, pd.DataFrame):
        if data.empty:
            raise DataError(f"The {role} DataFrame is empty", fix="Pass a DataFrame with rows.")
        frame = data.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame
    return read_csv(data)


def _resolve_target(frame: pd.DataFrame, target: str | None) -> str:
    """The target column's name: `target`, or the last column; refuses duplicate column
    names, a single column, and an unknown `target` (suggesting the closest name)."""
    if frame.columns.has_duplicates:
        duplicated = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise DataError(
            f"Duplicate column names: {', '.join(map(repr, duplicated))}",
            fix="Give every column a distinct name.",
        )
    if len(frame.columns) < 2:
        raise DataError(
            f"The data has {len(frame.columns)} column; it needs at least one feature and a target",
            fix="Check the delimiter and that the file holds features and a target.",
        )
    if target is None:
        return str(frame.columns[-1])
    if target not in frame.columns:
        shown = ", ".join(map(repr, list(frame.columns)[:10]))
        names = [str(c) for c in frame.columns]
        same_but_case = [c for c in names if c.casefold() == target.strip().casefold()]
        close = same_but_case or difflib.get_close_matches(target, names, n=1)
        raise DataError(
            f"Target column {target!r} is not in the data (columns: {shown}"
            f"{', …' if len(names) > 10 else ''})",
            fix=f"Did you mean --target {close[0]!r}?"
            if close
            else "Pass one of these names to --target.",
        )
    return target


def _numbers_from_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns of numbers with a few text values ('?', 'n.a.') as numbers, the text missing."""
    converted = {c: v for c in frame.columns if (v := numbers_among_text(frame[c])) is not None}
    return frame.assign(**converted) if converted else frame


def _note_infinite(frame: pd.DataFrame, features: list[str]) -> None:
    """Warn about each feature column with infinite values, which count as missing."""
    for column in features:
        count = int(infinite(frame[column]).sum())
        if count:
            logger.warning(
                "column %r has %d infinite value%s (inf or -inf); %s treated as missing",
                column,
                count,
                "s" if count > 1 else "",
                "they are" if count > 1 else "it is",
            )


def _drop_missing_target(frame: pd.DataFrame, target: str) -> tuple[pd.DataFrame, int]:
    """Rows whose target is missing (or infinite) are dropped: there is nothing to learn."""
    is_infinite = infinite(frame[target])
    missing = frame[target].isna().to_numpy() | is_infinite
    if missing.all():
        raise DataError(
            f"Target column {target!r} has no values (every row is missing)",
            fix="Fill in the target, or choose another column with --target.",
        )
    kept = frame.loc[~missing].reset_index(drop=True)
    if len(kept) < MIN_ROWS:
        raise DataError(
            f"The data has {rows_text(len(kept))} with a target; at least {MIN_ROWS} are needed "
            "to train, validate and test",
            fix="Use a larger data set.",
        )
    if missing.any():
        n_infinite = int(is_infinite.sum())
        n_missing = int(missing.sum()) - n_infinite
        why = "missing" if not n_infinite else "infinite"
        if n_missing and n_infinite:
            why = f"missing ({n_missing}) or infinite ({n_infinite})"
        logger.info("dropped %s whose target %r is %s", rows_text(missing.sum()), target, why)
    return kept, int(missing.sum())


def _encode_target(values: pd.Series, task: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """The target as floats (regression) or class indices, with the sorted class names."""
    if task == "regression":
        return values.to_numpy(dtype=np.float64), ()
    labels = label_strings(values)
    classes = check_classes(labels, str(values.name))
    return encode_labels(labels, classes, "data"), classes


def _target_std(y: np.ndarray) -> float:
    """The standard deviation that scales a regression target; 1 for a constant one."""
    std = float(np.std(y))
    return std if std > 0 else 1.0
