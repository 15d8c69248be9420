"""What every family shares: the packed input, its reshaping, and the output layer."""

from __future__ import annotations

import keras
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._features import feature_width

BATCH_NORM_MOMENTUM = 0.9
"""Keras' default 0.99 needs hundreds of steps before its moving averages, which inference
uses, fit the data: on small data sets validation then sits at chance for many epochs."""


def batch_norm(name: str) -> layers.BatchNormalization:
    return layers.BatchNormalization(momentum=BATCH_NORM_MOMENTUM, name=name)


def features_input(spec: DataSpec) -> keras.KerasTensor:
    """The packed feature vector a family's body takes."""
    return keras.Input(shape=(feature_width(spec),), name="features")


def structured(packed: keras.KerasTensor, spec: DataSpec) -> keras.KerasTensor:
    """Packed features as (steps, channels) for sequences or (height, width, channels) for
    images; tabular data stays flat."""
    if spec.modality == "sequence":
        x = layers.Reshape((spec.channels, spec.sequence_length), name="to_channels")(packed)
        return layers.Permute((2, 1), name="to_steps")(x)
    if spec.modality == "image":
        height, width, channels = spec.image_shape  # type: ignore[misc]
        if spec.channels == channels > 1:  # one column run per channel
            x = layers.Reshape((channels, height, width), name="to_planes")(packed)
            return layers.Permute((2, 3, 1), name="to_pixels")(x)
        return layers.Reshape((height, width, channels), name="to_pixels")(packed)
    return packed


def output_layer(spec: DataSpec) -> layers.Dense:
    """Softmax over the classes, or one linear unit predicting the standardised target."""
    if spec.task == "classification":
        return layers.Dense(spec.n_outputs, activation="softmax", name="output")
    return layers.Dense(1, name="output")
