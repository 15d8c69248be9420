"""Raw columns in, one packed float matrix out: the preprocessing every model shares.

Trials train on the packed matrix (one input is far faster than one per
column); the exported model puts the same graph in front of the winner, so the
model users load takes raw columns and encodes them exactly as training did.
Only built-in Keras layers and ops are used, so the file loads in plain Keras.
"""

from __future__ import annotations

import hashlib
import re

import keras
import numpy as np
import pandas as pd
from keras import layers, ops

from deepenough.data import ColumnSpec, DataSpec, as_floats, as_strings

ENCODE_ROWS = 65_536
"""Rows encoded per call (`encode`)."""
_UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_.-]")


def feature_width(spec: DataSpec) -> int:
    """Width of the packed matrix: per numeric column its value (plus a missing flag
    when training saw missing values); per categorical column one slot per known
    category plus one for anything else."""
    return sum(_column_width(c) for c in spec.columns)


def raw_inputs(frame: pd.DataFrame, spec: DataSpec) -> dict[str, np.ndarray]:
    """The model's input dict from a DataFrame: floats (NaN missing) or strings ("" missing)."""
    return {
        c.name: as_floats(frame[c.name]) if c.is_numeric else as_strings(frame[c.name])
        for c in spec.columns
    }


def encoder_graph(spec: DataSpec) -> tuple[dict[str, keras.KerasTensor], keras.KerasTensor]:
    """Symbolic per-column inputs and the packed feature tensor they produce."""
    inputs: dict[str, keras.KerasTensor] = {}
    parts = []
    for column in spec.columns:
        dtype = "float32" if column.is_numeric else "string"
        inputs[column.name] = keras.Input(shape=(), name=_input_name(column.name), dtype=dtype)
        column_2d = layers.Reshape((1,))(inputs[column.name])
        parts.extend(_encode_column(column, column_2d))
    packed = parts[0] if len(parts) == 1 else layers.Concatenate(name="packed_features")(parts)
    return inputs, packed


def build_encoder(spec: DataSpec) -> keras.Model:
    inputs, packed = encoder_graph(spec)
    return keras.Model(inputs, packed, name="encoder")


def encode(encoder: keras.Model, frame: pd.DataFrame, spec: DataSpec) -> np.ndarray:
    """Packed float32 features of `frame`, `ENCODE_ROWS` rows at a time. The encoder is
    called eagerly: tracing it for `predict` took 3.5 s for 251 columns, ten times what
    encoding 20,000 rows of them takes."""
    if frame.empty:
        return np.zeros((0, feature_width(spec)), dtype=np.float32)
    return np.concatenate(
        [
            np.asarray(
                encoder(raw_inputs(frame.iloc[i : i + ENCODE_ROWS], spec), training=False),
                dtype=np.float32,
            )
            for i in range(0, len(frame), ENCODE_ROWS)
        ]
    )


def _encode_column(column: ColumnSpec, value: keras.KerasTensor) -> list[keras.KerasTensor]:
    if not column.is_numeric:
        lookup = layers.StringLookup(
            vocabulary=list(column.vocabulary),
            output_mode="one_hot",
            name=vocabulary_layer_name(column.name, complete=column.vocabulary_complete),
        )
        return [ops.cast(lookup(value), "float32")]
    finite = ops.isfinite(value)
    filled = ops.where(finite, value, column.mean)
    scaled = layers.Normalization(mean=column.mean, variance=column.std**2)(filled)
    if not column.has_missing:
        return [scaled]
    return [scaled, ops.cast(ops.logical_not(finite), "float32")]


def vocabulary_layer_name(column: str, *, complete: bool = True) -> str:
    """Name of the layer holding a categorical column's known categories: `vocabulary__…`
    when it holds every category of the training rows, `frequent__…` when it holds the
    most frequent ones only (so that an exported model says which it is)."""
    return f"{'vocabulary' if complete else 'frequent'}__{_layer_name(column)}"


def _input_name(column: str) -> str:
    """The column's own name where Keras allows it (anything without '/'), so that the
    saved model's input dict keeps the column names."""
    return column if "/" not in column else _layer_name(column)


def _layer_name(column: str) -> str:
    """A valid, unique layer name for a column (TensorFlow name scopes allow only letters,
    digits and `_.-`): other characters become `_`, plus a hash of the name when any was
    replaced, so that `a b` and `a_b` stay apart. The input dict is still keyed by the
    column name itself."""
    safe = _UNSAFE_NAME_CHARACTERS.sub("_", column)
    if safe == column and safe:
        return safe
    return f"{safe}_{hashlib.sha1(column.encode()).hexdigest()[:8]}"


def _column_width(column: ColumnSpec) -> int:
    if column.is_numeric:
        return 2 if column.has_missing else 1
    return len(column.vocabulary) + 1
