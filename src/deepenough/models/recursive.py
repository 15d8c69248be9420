"""Weight-tied ("recursive") network: one block applied k times, depth without more weights.

Dense(width) projects the input; then the same block, x <- Norm(x + Dense(x)),
with one set of weights, is applied `k` times. Depth counts the projection
and each application of the tied layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._head import features_input, output_layer
from deepenough.models.mlp import ACTIVATIONS
from deepenough.spaces import Config, FamilySchema, ParamRule

ARCHITECTURE_TYPE = "recursive"

SCHEMA = FamilySchema(
    hyperparameters={
        "k": ParamRule(int, 3, low=1, high=64),
        "width": ParamRule(int, 64, low=1, high=8192),
        "activation": ParamRule(str, "relu", choices=ACTIVATIONS),
    },
    modalities=frozenset({"tabular", "sequence"}),
)

STARTING_POINTS = {"tabular": {"k": 3, "width": 128, "activation": "relu"}}

DEPTH_PARAMS = ("k",)
WIDTH_PARAM = "width"


def depth(hyperparameters: Mapping[str, Any]) -> int:
    return 1 + int(hyperparameters["k"])


def build(config: Config, spec: DataSpec) -> keras.Model:
    p = config.hyperparameters
    inputs = features_input(spec)
    x = layers.Dense(p["width"], activation=p["activation"], name="project")(inputs)
    tied = layers.Dense(p["width"], activation=p["activation"], name="tied")
    tied_norm = layers.LayerNormalization(name="tied_norm")
    for i in range(int(p["k"])):
        x = tied_norm(layers.Add(name=f"step_{i}")([x, tied(x)]))
    return keras.Model(inputs, output_layer(spec)(x), name="recursive")
