"""Load a CSV (or DataFrame) into a profiled, split `Dataset`."""

from __future__ import annotations

import difflib
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from deepenough.data._columns import (
    column_kind,
    describe_column,
    drop_reason,
    fit_channels,
    fit_column,
    infinite,
    numbers_among_text,
)
from deepenough.data._modality import detect_layout, parse_image_shape
from deepenough.data._read import read_csv
from deepenough.data._spec import Dataset, DataSpec, Split
from deepenough.data._target import (
    check_classes,
    encode_labels,
    infer_task,
    label_strings,
)
from deepenough.errors import DataError

logger = logging.getLogger(__name__)

MIN_ROWS = 10
TEST_FRACTION = 0.2
VALIDATION_FRACTION = 0.2
MIN_ROWS_PER_CLASS_TO_STRATIFY = 5


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
    frame = _numbers_from_text(frame)
    frame, dropped_rows = _drop_missing_target(frame, target)
    found_task, task_reason = infer_task(frame[target], task)
    y_all, classes = _encode_target(frame[target], found_task)

    kinds = {c: column_kind(frame[c]) for c in frame.columns if c != target}
    dropped = {c: reason for c in kinds if (reason := drop_reason(frame[c], kinds[c]))}
    # A constant column may still be a time step or a pixel (an image's blank border).
    candidates = [
        c
        for c in kinds
        if not dropped.get(c, "constant").startswith("ID-like")
        and dropped.get(c) != "every value is missing"
    ]
    shape = image_shape if not isinstance(image_shape, str) else parse_image_shape(image_shape)
    layout = detect_layout(frame, candidates, requested=modality, image_shape=shape)
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
    _note_infinite(frame, features)

    test_frame = None if test_data is None else _as_frame(test_data, "--test-data")
    train_idx, valid_idx, test_idx = _split_indices(
        y_all, classes, found_task, seed, test_frame is None
    )
    if test_frame is None:
        test_features, y_test = frame.iloc[test_idx][features], y_all[test_idx]
    else:
        test_features, y_test = _prepare_test(test_frame, target, features, found_task, classes)

    train_features = frame.iloc[train_idx][features].reset_index(drop=True)
    if layout.modality == "tabular":
        columns = tuple(fit_column(c, kinds[c], train_features[c]) for c in features)
    else:
        columns = fit_channels(layout, train_features)
    y_train = y_all[train_idx]
    spec = DataSpec(
        task=found_task,
        target=target,
        columns=columns,
        classes=classes,
        target_mean=float(np.mean(y_train)) if found_task == "regression" else 0.0,
        target_std=_target_std(y_train) if found_task == "regression" else 1.0,
        modality=layout.modality,
        channels=max(len(layout.channels), 1) if layout.modality != "tabular" else 0,
        sequence_length=layout.length,
        image_shape=layout.image_shape,
    )
    train = Split(train_features, y_train)
    validation = Split(frame.iloc[valid_idx][features].reset_index(drop=True), y_all[valid_idx])
    test = Split(test_features.reset_index(drop=True), y_test)
    profile = _profile(
        frame, kinds, dropped, dropped_rows, spec, task_reason, (train, validation, test)
    )
    profile["modality_reason"] = layout.reason
    if layout.modality != "tabular":
        profile["layout"] = {
            "channels": list(layout.channels),
            "length": layout.length,
            "image_shape": list(layout.image_shape) if layout.image_shape else None,
            "columns": len(layout.columns),
        }
        profile["columns"] = [c for c in profile["columns"] if c["name"] not in layout.columns]
    return Dataset(spec, train, validation, test, profile)


def _as_frame(data: str | Path | pd.DataFrame, role: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        if data.empty:
            raise DataError(f"The {role} DataFrame is empty", fix="Pass a DataFrame with rows.")
        frame = data.copy()
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame
    return read_csv(data)


def _resolve_target(frame: pd.DataFrame, target: str | None) -> str:
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
            f"The data has {_rows(len(kept))} with a target; at least {MIN_ROWS} are needed "
            "to train, validate and test",
            fix="Use a larger data set.",
        )
    if missing.any():
        n_infinite = int(is_infinite.sum())
        n_missing = int(missing.sum()) - n_infinite
        why = "missing" if not n_infinite else "infinite"
        if n_missing and n_infinite:
            why = f"missing ({n_missing}) or infinite ({n_infinite})"
        logger.info("dropped %s whose target %r is %s", _rows(missing.sum()), target, why)
    return kept, int(missing.sum())


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _encode_target(values: pd.Series, task: str) -> tuple[np.ndarray, tuple[str, ...]]:
    if task == "regression":
        return values.to_numpy(dtype=np.float64), ()
    labels = label_strings(values)
    classes = check_classes(labels, str(values.name))
    return encode_labels(labels, classes, "data"), classes


def _target_std(y: np.ndarray) -> float:
    std = float(np.std(y))
    return std if std > 0 else 1.0


def _split_indices(
    y: np.ndarray, classes: tuple[str, ...], task: str, seed: int, with_test: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indices = np.arange(len(y))
    stratify = task == "classification" and _can_stratify(y)
    if task == "classification" and not stratify:
        counts = np.bincount(y, minlength=len(classes))
        rare = [
            f"{c!r} ({_rows(n)})"
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


def _can_stratify(y: np.ndarray) -> bool:
    return int(np.bincount(y).min()) >= MIN_ROWS_PER_CLASS_TO_STRATIFY


def _prepare_test(
    test: pd.DataFrame, target: str, features: list[str], task: str, classes: tuple[str, ...]
) -> tuple[pd.DataFrame, np.ndarray]:
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


def _profile(
    frame: pd.DataFrame,
    kinds: dict[str, str],
    dropped: dict[str, str],
    dropped_rows: int,
    spec: DataSpec,
    task_reason: str,
    splits: tuple[Split, Split, Split],
) -> dict[str, Any]:
    train, validation, test = splits
    columns = []
    for name, kind in kinds.items():
        entry = describe_column(frame[name], kind)  # type: ignore[arg-type]
        entry["dropped"] = dropped.get(name)
        columns.append(entry)
    profile: dict[str, Any] = {
        "rows": int(len(frame) + dropped_rows),
        "rows_without_target": dropped_rows,
        "columns": columns,
        "target": spec.target,
        "task": spec.task,
        "task_reason": task_reason,
        "modality": spec.modality,
        "split": {"train": len(train), "validation": len(validation), "test": len(test)},
    }
    if spec.task == "classification":
        counts = np.bincount(train.target, minlength=len(spec.classes))
        total = np.bincount(
            np.concatenate([train.target, validation.target, test.target]),
            minlength=len(spec.classes),
        )
        profile["classes"] = {c: int(n) for c, n in zip(spec.classes, total, strict=True)}
        profile["train_classes"] = {c: int(n) for c, n in zip(spec.classes, counts, strict=True)}
    else:
        values = frame[spec.target].to_numpy(dtype=float)
        profile["target_summary"] = {
            "mean": float(values.mean()),
            "std": float(values.std()),
            "min": float(values.min()),
            "max": float(values.max()),
        }
    return profile
