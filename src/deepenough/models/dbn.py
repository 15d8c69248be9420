"""Deep belief network (Hinton, Osindero & Teh 2006): stacked RBMs, pre-trained without
labels one layer at a time, then fine-tuned with a head.

`build` returns the supervised model: `layers` sigmoid Dense layers of `units`, then the
head. `pretrain` trains one RBM per Dense layer by CD-1 (see `_rbm`) and copies its
weights and hidden biases into that layer; nothing of the RBMs is kept, so the model is
built-in Dense layers only. Depth counts the sigmoid layers, as the MLP counts its own.

The first RBM sees the packed features: a column whose training values are all 0 or 1
(a one-hot category, a missing-value flag) is a Bernoulli visible unit, every other
column (the standardised numbers, sequence steps) a Gaussian unit of unit variance, and
that RBM learns at `GAUSSIAN_RATE_FACTOR` times `pretrain_learning_rate`. Each RBM above
it is Bernoulli and learns from the mean-field output (hidden probabilities) of the one
below. Pre-training is sized in updates per layer (`pretrain_steps`), not epochs, so a
150-row table gets as many as a large one, and it is seeded from NumPy's global seed
(`keras.utils.set_random_seed`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import keras
import numpy as np
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._head import features_input, output_layer
from deepenough.models._rbm import binary_columns, train_rbm
from deepenough.spaces import Config, FamilySchema, ParamRule

logger = logging.getLogger(__name__)

ARCHITECTURE_TYPE = "symmetrically connected"

SCHEMA = FamilySchema(
    hyperparameters={
        "layers": ParamRule(int, 2, low=1, high=16),
        "units": ParamRule(int, 64, low=1, high=8192),
        "pretrain_steps": ParamRule(int, 1000, low=0, high=1_000_000),
        "pretrain_learning_rate": ParamRule(float, 0.05, low=1e-6, high=1.0),
    },
    modalities=frozenset({"tabular", "sequence"}),
)

STARTING_POINTS = {
    # Hinton's guide to training RBMs: CD-1 at a learning rate near 0.1.
    "tabular": {"layers": 2, "units": 128, "pretrain_steps": 1000, "pretrain_learning_rate": 0.1},
}

DEPTH_PARAMS = ("layers",)
WIDTH_PARAM = "units"

GAUSSIAN_RATE_FACTOR = 0.1
"""The guide asks for a learning rate one to two orders of magnitude smaller when the
visible units are Gaussian: their reconstructions are unbounded, so large steps diverge."""

MAX_PRETRAINING_ROWS_PER_UPDATE = 4
"""Pre-training draws at most this many rows per update (`pretrain_steps` × batch size ×
4) from large data, so that its memory and its mean-field passes stay bounded."""


def depth(hyperparameters: Mapping[str, Any]) -> int:
    return int(hyperparameters["layers"])


def build(config: Config, spec: DataSpec) -> keras.Model:
    p = config.hyperparameters
    x = inputs = features_input(spec)
    for name in _layer_names(p):
        x = layers.Dense(int(p["units"]), activation="sigmoid", name=name)(x)
    return keras.Model(inputs, output_layer(spec)(x), name="dbn")


def pretrain(model: keras.Model, config: Config, x: np.ndarray) -> None:
    """Train one RBM per sigmoid layer of `model` on `x` (no labels), bottom up, and put
    each RBM's weights and hidden biases into its layer."""
    p = config.hyperparameters
    steps = int(p["pretrain_steps"])
    if steps == 0:
        return
    batch_size = int(config.training["batch_size"])
    rng = np.random.default_rng(np.random.randint(2**31))
    visible = _pretraining_rows(x, steps * batch_size * MAX_PRETRAINING_ROWS_PER_UPDATE, rng)
    binary = binary_columns(visible)
    for name in _layer_names(p):
        rate = float(p["pretrain_learning_rate"]) * (1.0 if binary.all() else GAUSSIAN_RATE_FACTOR)
        rbm = train_rbm(
            visible,
            int(p["units"]),
            binary=binary,
            steps=steps,
            learning_rate=rate,
            batch_size=batch_size,
            rng=rng,
        )
        model.get_layer(name).set_weights([rbm.weights, rbm.hidden_bias])
        if logger.isEnabledFor(logging.DEBUG):  # the error costs a pass over the rows
            logger.debug("%s: reconstruction error %.4f", name, rbm.reconstruction_error(visible))
        visible = rbm.hidden_probabilities(visible)
        binary = np.ones(visible.shape[1], dtype=bool)  # the RBMs above are Bernoulli


def _layer_names(p: Mapping[str, Any]) -> list[str]:
    return [f"rbm_{i}" for i in range(depth(p))]


def _pretraining_rows(x: np.ndarray, limit: int, rng: np.random.Generator) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if len(x) <= limit:
        return x
    return x[np.sort(rng.choice(len(x), size=limit, replace=False))]
