"""Recurrent network over the time steps of a sequence: SimpleRNN, LSTM or GRU layers,
optionally bidirectional. Depth counts recurrent layers (a bidirectional pair once)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._head import features_input, output_layer, structured
from deepenough.spaces import Config, FamilySchema, ParamRule

CELLS = {"simple": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}

ARCHITECTURE_TYPE = "recurrent"

SCHEMA = FamilySchema(
    hyperparameters={
        "cell": ParamRule(str, "gru", choices=tuple(CELLS)),
        "layers": ParamRule(int, 1, low=1, high=8),
        "units": ParamRule(int, 64, low=1, high=2048),
        "bidirectional": ParamRule(bool, False),
    },
    modalities=frozenset({"sequence"}),
)

STARTING_POINTS = {"sequence": {"cell": "gru", "layers": 1, "units": 64, "bidirectional": True}}

DEPTH_PARAMS = ("layers",)
WIDTH_PARAM = "units"


def depth(hyperparameters: Mapping[str, Any]) -> int:
    return int(hyperparameters["layers"])


def build(config: Config, spec: DataSpec) -> keras.Model:
    p = config.hyperparameters
    inputs = features_input(spec)
    x = structured(inputs, spec)
    n_layers = int(p["layers"])
    for i in range(n_layers):
        cell = CELLS[p["cell"]](p["units"], return_sequences=i < n_layers - 1, name=f"rnn_{i}")
        x = (
            layers.Bidirectional(cell, name=f"bidirectional_{i}")(x)
            if p["bidirectional"]
            else (cell(x))
        )
    return keras.Model(inputs, output_layer(spec)(x), name="rnn")
