"""Convolutional network: 1-D for sequences, 2-D for images.

Plain blocks are FCN-style (Wang et al. 2017): convolution, batch norm, ReLU.
Residual blocks are ResNet-style: two such convolutions plus a shortcut (a 1x1
convolution where the width changes). Global average pooling feeds the head.
Images are max-pooled after each block while they are at least 8 pixels wide.
Depth counts the convolutions on the main path (shortcuts are not counted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
from keras import layers

from deepenough.data import DataSpec
from deepenough.models._head import batch_norm, features_input, output_layer, structured
from deepenough.spaces import Config, FamilySchema, ParamRule

ARCHITECTURE_TYPE = "convolutional"

SCHEMA = FamilySchema(
    hyperparameters={
        "blocks": ParamRule(int, 3, low=1, high=16),
        "filters": ParamRule(int, 64, low=1, high=1024),
        "kernel_size": ParamRule(int, 5, low=1, high=64),
        "residual": ParamRule(bool, False),
    },
    modalities=frozenset({"sequence", "image"}),
)

STARTING_POINTS = {
    # The FCN of Wang et al. 2017, strongest of Fawaz et al. 2019's baselines: three
    # convolution blocks, batch normalisation, global pooling; its long first kernel.
    "sequence": {"blocks": 3, "filters": 128, "kernel_size": 8, "residual": False},
    "image": {"blocks": 3, "filters": 64, "kernel_size": 3, "residual": False},
}

DEPTH_PARAMS = ("blocks", "residual")
WIDTH_PARAM = "filters"


def depth(hyperparameters: Mapping[str, Any]) -> int:
    return int(hyperparameters["blocks"]) * (2 if hyperparameters["residual"] else 1)


def build(config: Config, spec: DataSpec) -> keras.Model:
    p = config.hyperparameters
    image = spec.modality == "image"
    conv = layers.Conv2D if image else layers.Conv1D
    inputs = features_input(spec)
    x = structured(inputs, spec)
    for i in range(int(p["blocks"])):
        if p["residual"]:
            h = _conv_bn(conv, p, x, f"block_{i}_a", relu=True)
            h = _conv_bn(conv, p, h, f"block_{i}_b", relu=False)
            shortcut = x
            if x.shape[-1] != p["filters"]:
                shortcut = conv(p["filters"], 1, padding="same", name=f"block_{i}_shortcut")(x)
            x = layers.Activation("relu", name=f"block_{i}_relu")(
                layers.Add(name=f"block_{i}_add")([shortcut, h])
            )
        else:
            x = _conv_bn(conv, p, x, f"block_{i}", relu=True)
        if image and min(x.shape[1], x.shape[2]) >= 8:
            x = layers.MaxPooling2D(2, name=f"block_{i}_pool")(x)
    pool = layers.GlobalAveragePooling2D if image else layers.GlobalAveragePooling1D
    x = pool(name="global_pool")(x)
    return keras.Model(inputs, output_layer(spec)(x), name="cnn")


def _conv_bn(conv, p, x, name: str, *, relu: bool):
    x = conv(p["filters"], p["kernel_size"], padding="same", name=f"{name}_conv")(x)
    x = batch_norm(f"{name}_norm")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x) if relu else x
