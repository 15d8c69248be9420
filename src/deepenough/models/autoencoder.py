"""Unsupervised pre-training: a denoising autoencoder's encoder, fine-tuned with a head.

`build` returns the supervised model (encoder, then head) and trains nothing.
`pretrain` then fits a denoising autoencoder whose encoder *is* that model's
encoder layers (shared weights) on the training features, without labels;
supervised training fine-tunes from there. Depth counts the encoder's Dense
layers, the code layer included.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
import numpy as np
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._head import features_input, output_layer
from deepenough.models.mlp import ACTIVATIONS
from deepenough.spaces import Config, FamilySchema, ParamRule

ARCHITECTURE_TYPE = "unsupervised pre-trained"

SCHEMA = FamilySchema(
    hyperparameters={
        "encoder_depth": ParamRule(int, 2, low=1, high=16),
        "width": ParamRule(int, 64, low=1, high=8192),
        "code_size": ParamRule(int, 16, low=1, high=4096),
        "activation": ParamRule(str, "relu", choices=ACTIVATIONS),
        "noise": ParamRule(float, 0.1, low=0.0, high=2.0),
        "pretrain_epochs": ParamRule(int, 20, low=0, high=1000),
    },
    modalities=frozenset({"tabular", "sequence"}),
)

STARTING_POINTS = {
    # A denoising autoencoder of one wide layer (Vincent et al. 2010's noise level).
    "tabular": {"encoder_depth": 1, "width": 128, "code_size": 32, "noise": 0.1},
}

DEPTH_PARAMS = ("encoder_depth",)
WIDTH_PARAM = "width"


def depth(hyperparameters: Mapping[str, Any]) -> int:
    return int(hyperparameters["encoder_depth"])


def build(config: Config, spec: DataSpec) -> keras.Model:
    inputs = features_input(spec)
    x = inputs
    for layer in _encoder_layers(config.hyperparameters):
        x = layer(x)
    return keras.Model(inputs, output_layer(spec)(x), name="autoencoder")


def pretrain(model: keras.Model, config: Config, x: np.ndarray) -> None:
    """Fit the model's encoder as a denoising autoencoder on `x` (no labels); the caller
    passes `x` repeated as for supervised epochs (see `train.repeat_rows`)."""
    p = config.hyperparameters
    if int(p["pretrain_epochs"]) == 0:
        return
    inputs = keras.Input(shape=(x.shape[1],))
    h = layers.GaussianNoise(p["noise"])(inputs)
    for layer in _encoder_names(p):
        h = model.get_layer(layer)(h)
    for _ in range(int(p["encoder_depth"]) - 1):
        h = layers.Dense(p["width"], activation=p["activation"])(h)
    autoencoder = keras.Model(inputs, layers.Dense(x.shape[1])(h))
    autoencoder.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.training["learning_rate"]),
        loss="mse",
    )
    autoencoder.fit(
        x,
        x,
        epochs=int(p["pretrain_epochs"]),
        batch_size=int(config.training["batch_size"]),
        verbose=0,
    )


def _encoder_names(p: Mapping[str, Any]) -> list[str]:
    return [f"encoder_{i}" for i in range(int(p["encoder_depth"]) - 1)] + ["code"]


def _encoder_layers(p: Mapping[str, Any]) -> list[layers.Layer]:
    names = _encoder_names(p)
    sizes = [p["width"]] * (len(names) - 1) + [p["code_size"]]
    return [
        layers.Dense(size, activation=p["activation"], name=name)
        for name, size in zip(names, sizes, strict=True)
    ]
