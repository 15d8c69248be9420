"""The output layer and what it means, shared by every family."""

from __future__ import annotations

import keras
from keras import layers

from deepenough.data import DataSpec


def output_layer(spec: DataSpec) -> layers.Dense:
    """Softmax over the classes, or one linear unit predicting the standardised target."""
    if spec.task == "classification":
        return layers.Dense(spec.n_outputs, activation="softmax", name="output")
    return layers.Dense(1, name="output")


def features_input(width: int) -> keras.KerasTensor:
    return keras.Input(shape=(width,), name="features")
