"""Feed-forward network: `depth` Dense layers of `width` units; depth 0 is a linear model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._head import features_input, output_layer
from deepenough.spaces import Config, FamilySchema, ParamRule

ACTIVATIONS = ("relu", "gelu", "tanh", "elu", "selu", "swish", "sigmoid")

ARCHITECTURE_TYPE = "feed-forward"

SCHEMA = FamilySchema(
    hyperparameters={
        "depth": ParamRule(int, 2, low=0, high=64),
        "width": ParamRule(int, 64, low=1, high=8192),
        "activation": ParamRule(str, "relu", choices=ACTIVATIONS),
        "dropout": ParamRule(float, 0.0, low=0.0, high=0.9),
    },
    modalities=frozenset({"tabular", "sequence", "image"}),
)

STARTING_POINTS = {
    # Fawaz et al. 2019's time-series MLP (three wide ReLU layers with dropout), within
    # the default space's widths; for tables, the tuned MLP of Gorishniy et al. 2021.
    "tabular": {"depth": 2, "width": 256, "activation": "relu", "dropout": 0.1},
    "sequence": {"depth": 3, "width": 256, "activation": "relu", "dropout": 0.2},
    "image": {"depth": 2, "width": 256, "activation": "relu", "dropout": 0.2},
}

DEPTH_PARAMS = ("depth",)
WIDTH_PARAM = "width"


def depth(hyperparameters: Mapping[str, Any]) -> int:
    return int(hyperparameters["depth"])


def build(config: Config, spec: DataSpec) -> keras.Model:
    params = config.hyperparameters
    inputs = features_input(spec)
    x = inputs
    for i in range(depth(params)):
        x = layers.Dense(params["width"], activation=params["activation"], name=f"dense_{i}")(x)
        if params["dropout"] > 0:
            x = layers.Dropout(float(params["dropout"]), name=f"dropout_{i}")(x)
    return keras.Model(inputs, output_layer(spec)(x), name="mlp")
