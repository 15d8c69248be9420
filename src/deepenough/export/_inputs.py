"""Turn a DataFrame into the exported model's input dict, checking every column first."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import pandas as pd

from deepenough.data import as_floats, as_strings, numbers_among_text
from deepenough.errors import DataError
from deepenough.models import vocabulary_layer_name


def model_columns(model: keras.Model) -> dict[str, str]:
    """The columns a deepenough model takes: name → "numeric" or "categorical"."""
    tensors = model.input if isinstance(model.input, dict) else {}
    if not tensors:
        raise DataError(
            "This model does not take named columns, so it was not exported by deepenough",
            fix="Pass a best_model.keras written by `automl search`.",
        )
    return {
        name: "categorical" if tensor.dtype == "string" else "numeric"
        for name, tensor in tensors.items()
    }


def category_vocabularies(model: keras.Model) -> dict[str, set[str]]:
    """Known categories of each categorical column that kept all of its training
    categories, read from the model's lookup layers. A column that kept only its most
    frequent ones is left out: other values are expected there, and share one slot."""
    layers = {layer.name for layer in model.layers}
    return {
        name: set(
            model.get_layer(vocabulary_layer_name(name)).get_vocabulary(
                include_special_tokens=False
            )
        )
        for name, kind in model_columns(model).items()
        if kind == "categorical" and vocabulary_layer_name(name) in layers
    }


def inputs_from_frame(
    model: keras.Model, frame: pd.DataFrame, *, allow_unseen: bool = False, source: str = "the data"
) -> dict[str, np.ndarray]:
    """The model's input dict; a missing column, a wrong type or (unless `allow_unseen`) an
    unknown category raises a `DataError` that names it."""
    columns = model_columns(model)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise DataError(
            f"{source} lacks columns the model needs: {', '.join(map(repr, missing[:5]))}",
            fix="Provide every column the model was trained on (extra columns are ignored).",
        )
    inputs: dict[str, Any] = {}
    for name, kind in columns.items():
        if kind == "numeric":
            inputs[name] = _numeric(frame[name], name, source)
        else:
            inputs[name] = as_strings(frame[name])
    if not allow_unseen:
        for name, known in category_vocabularies(model).items():
            unseen = sorted({v for v in inputs[name] if v and v not in known})
            if unseen:
                shown = ", ".join(map(repr, unseen[:3]))
                raise DataError(
                    f"Column {name!r} in {source} has categories the model never saw: {shown}",
                    fix="Fix the values, or pass --allow-unseen to treat them as one "
                    "unknown category.",
                )
    return inputs


def _numeric(values: pd.Series, name: str, source: str) -> np.ndarray:
    """Floats, missing as NaN. As in training, a column that is at least 90% numbers
    has its text read as missing (with a warning); other text is an error."""
    mostly_numbers = numbers_among_text(values.rename(name))
    if mostly_numbers is not None:
        values = mostly_numbers
    floats = as_floats(values)
    bad = values.notna().to_numpy() & np.isnan(floats)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"Column {name!r} in {source} must be numeric, but row {row + 1} holds "
            f"{values.iloc[row]!r}",
            fix="Fix the value or leave it empty for missing.",
        )
    return floats
