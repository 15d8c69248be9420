"""The exported model: raw columns in, named predictions out, built-in layers only."""

from __future__ import annotations

import keras
from keras import layers, ops

from deepenough.data import DataSpec
from deepenough.models import encoder_graph


def wrap_for_export(body: keras.Model, spec: DataSpec) -> keras.Model:
    """Put the shared encoder in front of `body` and readable outputs behind it.

    Classification: {"label": class name (bytes), "probabilities": (n, k)}.
    Regression: {"prediction": value in the target's units}.
    """
    inputs, packed = encoder_graph(spec)
    raw = body(packed)
    if spec.task == "classification":
        to_label = layers.StringLookup(
            vocabulary=list(spec.classes), invert=True, num_oov_indices=0, name="decode_label"
        )
        outputs = {"label": to_label(ops.argmax(raw, axis=-1)), "probabilities": raw}
    else:
        outputs = {"prediction": ops.squeeze(raw, axis=-1) * spec.target_std + spec.target_mean}
    return keras.Model(inputs, outputs, name="deepenough_model")
