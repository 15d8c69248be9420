"""Column kinds, dropped columns and the preprocessing statistics of the kept ones."""

from __future__ import annotations

import logging
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from deepenough.data._modality import Layout
from deepenough.data._spec import ColumnKind, ColumnSpec

logger = logging.getLogger(__name__)

MAX_CATEGORIES = 100
"""A categorical column keeps up to this many of its most frequent values; the rest share a slot."""

MIN_ROWS_FOR_ID_CHECK = 20
MIN_NUMBER_SHARE = 0.9
"""A text column whose values are at least this share numbers is numeric ('?' and 'n.a.'
among numbers mark missing values); the text in it is treated as missing."""
_ID_NAME = re.compile(r"^(id|.*[_ ]id|index|row|unnamed: ?\d+)$", re.IGNORECASE)
_BOOLEAN_STRINGS = {"true", "false", "yes", "no"}


def column_kind(values: pd.Series) -> ColumnKind:
    """numeric, boolean (bool dtype or true/false/yes/no text) or categorical."""
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_numeric_dtype(values):
        return "numeric"
    present = values.dropna()
    if len(present) and {str(v).strip().lower() for v in present.unique()} <= _BOOLEAN_STRINGS:
        return "boolean"
    return "categorical"


def numbers_among_text(values: pd.Series) -> pd.Series | None:
    """A text column that mostly holds numbers, as numbers with the text missing (and a
    warning naming it); None for any other column."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    present = values.dropna()
    numbers = pd.to_numeric(present, errors="coerce")
    if present.empty or numbers.notna().mean() < MIN_NUMBER_SHARE:
        return None
    text = present[numbers.isna()]
    if len(text):
        shown = ", ".join(repr(str(v)) for v in text.unique()[:3])
        logger.warning(
            "column %r mixes numbers with text (%s in %d of %d rows); the text is treated as "
            "missing",
            values.name,
            shown,
            len(text),
            len(values),
        )
    return pd.to_numeric(values, errors="coerce")


def infinite(values: pd.Series) -> np.ndarray:
    """Which values of a numeric column are +inf or -inf (none of a text column)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return np.zeros(len(values), dtype=bool)
    return np.isinf(values.to_numpy(dtype=float, na_value=np.nan))


def drop_reason(values: pd.Series, kind: ColumnKind) -> str | None:
    """Why a feature column carries no usable signal, or None to keep it."""
    present = values.dropna()
    if present.empty:
        return "every value is missing"
    n_unique = present.nunique()
    if n_unique == 1:
        return f"constant (every value is {_plain(present.iloc[0])!r})"
    if kind == "categorical" and _is_dates(present):
        return (
            f"it holds dates (such as {str(present.iloc[0])!r}), which the models do not "
            "read; add numeric columns derived from them (the month, the day of the week) "
            "if they matter"
        )
    all_distinct = n_unique == len(values) and len(values) >= MIN_ROWS_FOR_ID_CHECK
    if not all_distinct:
        return None
    if kind == "categorical":
        return "ID-like (every value is distinct text)"
    if kind == "numeric" and _is_integer_valued(present):
        steps = np.diff(np.sort(present.to_numpy(dtype=float)))
        if _ID_NAME.match(str(values.name)) or np.all(steps == 1):
            return "ID-like (distinct integers numbering the rows)"
    return None


def as_strings(values: pd.Series) -> np.ndarray:
    """A categorical or boolean column as the strings the model takes: missing becomes ""."""
    return np.array(["" if pd.isna(v) else str(v) for v in values], dtype=object)


def as_floats(values: pd.Series) -> np.ndarray:
    """A numeric column as float32, missing as NaN."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float32, na_value=np.nan)


def fit_column(name: str, kind: ColumnKind, train_values: pd.Series) -> ColumnSpec:
    """The column's preprocessing statistics, taken from the training split only."""
    if kind == "numeric":
        floats = as_floats(train_values).astype(np.float64)
        finite = floats[np.isfinite(floats)]
        mean = float(finite.mean()) if finite.size else 0.0
        std = float(finite.std()) if finite.size else 0.0
        return ColumnSpec(
            name=name,
            kind=kind,
            mean=mean,
            std=std if std > 0 else 1.0,
            has_missing=bool(finite.size < floats.size),
        )
    strings = pd.Series(as_strings(train_values))
    counts = strings.value_counts()
    counts = counts.iloc[np.lexsort((counts.index.to_numpy(), -counts.to_numpy()))]
    vocabulary = tuple(str(v) for v in counts.index[:MAX_CATEGORIES])
    if len(counts) > MAX_CATEGORIES:
        logger.info(
            "column %r has %d categories in the training rows; the %d most frequent are kept "
            "and the rest share one",
            name,
            len(counts),
            MAX_CATEGORIES,
        )
    return ColumnSpec(
        name=name,
        kind=kind,
        has_missing=bool((strings == "").any()),
        vocabulary=vocabulary,
        vocabulary_complete=len(counts) <= MAX_CATEGORIES,
    )


def fit_channels(layout: Layout, train: pd.DataFrame) -> tuple[ColumnSpec, ...]:
    """Sequence or image columns: one mean and standard deviation per channel, so the
    shape of each series survives standardisation; gaps take the channel mean."""
    per_channel = len(layout.columns) // max(len(layout.channels), 1)
    specs: list[ColumnSpec] = []
    for start in range(0, len(layout.columns), per_channel):
        names = list(layout.columns[start : start + per_channel])
        values = train[names].to_numpy(dtype=np.float64)
        finite = values[np.isfinite(values)]
        mean = float(finite.mean()) if finite.size else 0.0
        std = float(finite.std()) if finite.size else 0.0
        specs.extend(
            ColumnSpec(name=n, kind="numeric", mean=mean, std=std if std > 0 else 1.0)
            for n in names
        )
    return tuple(specs)


def describe_column(values: pd.Series, kind: ColumnKind) -> dict[str, Any]:
    """The profile entry of one column."""
    return {
        "name": str(values.name),
        "kind": kind,
        "missing": int(values.isna().sum()),
        "unique": int(values.nunique(dropna=True)),
    }


def _is_integer_valued(values: pd.Series) -> bool:
    floats = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return bool(np.all(np.isfinite(floats)) and np.all(floats == np.round(floats)))


def _is_dates(present: pd.Series) -> bool:
    """Every value parses as a date in the format the first one has (2024-01-31, 31/01/2024)."""
    text = present.astype(str).str.strip()
    date_format = guess_datetime_format(text.iloc[0])
    if date_format is None:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(text, format=date_format, errors="coerce")
    return bool(parsed.notna().all())


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds, so that its repr reads 1, not np.int64(1)."""
    return value.item() if isinstance(value, np.generic) else value
