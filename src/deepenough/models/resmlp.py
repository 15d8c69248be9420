"""Residual MLP (Gorishniy et al. 2021, "Revisiting deep learning models for tabular data").

Dense(d), then `blocks` times: x + Dropout(Linear(Dropout(ReLU(Linear(Norm(x)))))),
then Norm, ReLU and the head. Depth counts the first projection and two Dense
layers per block.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._head import batch_norm, features_input, output_layer
from deepenough.spaces import Config, FamilySchema, ParamRule

ARCHITECTURE_TYPE = "feed-forward"

SCHEMA = FamilySchema(
    hyperparameters={
        "blocks": ParamRule(int, 2, low=0, high=32),
        "d": ParamRule(int, 64, low=1, high=4096),
        "hidden_factor": ParamRule(float, 2.0, low=0.25, high=8.0),
        "hidden_dropout": ParamRule(float, 0.1, low=0.0, high=0.9),
        "residual_dropout": ParamRule(float, 0.0, low=0.0, high=0.9),
        "normalization": ParamRule(str, "batch", choices=("batch", "layer")),
    },
    modalities=frozenset({"tabular", "sequence", "image"}),
)

STARTING_POINTS = {
    # The ResNet defaults of Gorishniy et al. 2021 ("Revisiting deep learning models for
    # tabular data").
    "tabular": {
        "blocks": 2,
        "d": 128,
        "hidden_factor": 2.0,
        "hidden_dropout": 0.2,
        "residual_dropout": 0.0,
        "normalization": "batch",
    },
}

DEPTH_PARAMS = ("blocks",)
WIDTH_PARAM = "d"


def depth(hyperparameters: Mapping[str, Any]) -> int:
    return 1 + 2 * int(hyperparameters["blocks"])


def build(config: Config, spec: DataSpec) -> keras.Model:
    p = config.hyperparameters
    d, hidden = int(p["d"]), max(1, round(p["d"] * p["hidden_factor"]))
    inputs = features_input(spec)
    x = layers.Dense(d, name="project")(inputs)
    for i in range(int(p["blocks"])):
        h = _norm(p["normalization"], f"block_{i}_norm")(x)
        h = layers.Dense(hidden, activation="relu", name=f"block_{i}_hidden")(h)
        h = layers.Dropout(p["hidden_dropout"], name=f"block_{i}_hidden_dropout")(h)
        h = layers.Dense(d, name=f"block_{i}_out")(h)
        h = layers.Dropout(p["residual_dropout"], name=f"block_{i}_residual_dropout")(h)
        x = layers.Add(name=f"block_{i}_add")([x, h])
    x = _norm(p["normalization"], "final_norm")(x)
    x = layers.Activation("relu", name="final_relu")(x)
    return keras.Model(inputs, output_layer(spec)(x), name="resmlp")


def _norm(kind: str, name: str) -> layers.Layer:
    return batch_norm(name) if kind == "batch" else layers.LayerNormalization(name=name)
