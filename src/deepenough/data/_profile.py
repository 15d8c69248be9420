"""The data profile: what results.json's `data` section says about the data set."""

from __future__ import annotations

import numpy as np
import pandas as pd

from deepenough.data._columns import describe_column
from deepenough.data._modality import Layout
from deepenough.data._spec import ColumnKind, DataSpec, Split
from deepenough.data._split import search_folds
from deepenough.results import ColumnProfile, DataProfile, SplitSizes, TargetSummary
from deepenough.results import Layout as LayoutSummary


def profile_data(
    frame: pd.DataFrame,
    *,
    kinds: dict[str, ColumnKind],
    dropped: dict[str, str],
    dropped_rows: int,
    layout: Layout,
    spec: DataSpec,
    task_reason: str,
    splits: tuple[Split, Split, Split],
) -> DataProfile:
    """Rows, columns, task and modality with their reasons, split sizes, the target, the layout.

    `frame` holds the rows with a target; `dropped_rows` counts those without one.
    Columns that form a sequence or an image are summed up under "layout" instead of
    listed one by one.
    """
    train, validation, test = splits
    classes, train_classes = (
        _class_counts(spec.classes, splits) if spec.task == "classification" else (None, None)
    )
    return DataProfile(
        rows=int(len(frame) + dropped_rows),
        rows_without_target=dropped_rows,
        columns=_column_entries(frame, kinds, dropped, layout),
        target=spec.target,
        task=spec.task,
        task_reason=task_reason,
        modality=spec.modality,
        split=SplitSizes(
            train=len(train),
            validation=len(validation),
            test=len(test),
            search_folds=search_folds(len(train) + len(validation)),
        ),
        classes=classes,
        train_classes=train_classes,
        target_summary=(_target_summary(frame[spec.target]) if spec.task == "regression" else None),
        modality_reason=layout.reason,
        layout=_layout_summary(layout) if layout.modality != "tabular" else None,
    )


def _column_entries(
    frame: pd.DataFrame, kinds: dict[str, ColumnKind], dropped: dict[str, str], layout: Layout
) -> tuple[ColumnProfile, ...]:
    """One entry per feature column, with why it was dropped (or None); not sequence or
    image columns, which the layout sums up."""
    in_layout = set(layout.columns) if layout.modality != "tabular" else set()
    entries = []
    for name, kind in kinds.items():
        if name in in_layout:
            continue
        entries.append(
            ColumnProfile(**describe_column(frame[name], kind), dropped=dropped.get(name))
        )
    return tuple(entries)


def _class_counts(
    classes: tuple[str, ...], splits: tuple[Split, Split, Split]
) -> tuple[dict[str, int], dict[str, int]]:
    """Rows per class over all splits, and in training."""
    train, validation, test = splits
    everywhere = np.concatenate([train.target, validation.target, test.target])
    total = np.bincount(everywhere, minlength=len(classes))
    in_train = np.bincount(train.target, minlength=len(classes))
    return (
        {c: int(n) for c, n in zip(classes, total, strict=True)},
        {c: int(n) for c, n in zip(classes, in_train, strict=True)},
    )


def _target_summary(target: pd.Series) -> TargetSummary:
    """Mean, standard deviation, minimum and maximum of a regression target."""
    values = target.to_numpy(dtype=float)
    return TargetSummary(
        mean=float(values.mean()),
        std=float(values.std()),
        min=float(values.min()),
        max=float(values.max()),
    )


def _layout_summary(layout: Layout) -> LayoutSummary:
    """A sequence's or image's channels, length, image shape and number of columns."""
    return LayoutSummary(
        channels=tuple(layout.channels),
        length=layout.length,
        image_shape=tuple(layout.image_shape) if layout.image_shape else None,
        columns=len(layout.columns),
    )
