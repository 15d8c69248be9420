"""The one table of architecture families, checked against `Family` on import.

Adding a family means adding its module and one line in `FAMILIES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
import numpy as np

from deepenough.data import DataSpec
from deepenough.models import autoencoder, cnn, dbn, mlp, recursive, resmlp, rnn
from deepenough.models._family import Family, PretrainingFamily, verified
from deepenough.spaces import Config, FamilySchema

FAMILIES: Mapping[str, Family] = verified(
    {
        "mlp": mlp,
        "resmlp": resmlp,
        "recursive": recursive,
        "autoencoder": autoencoder,
        "dbn": dbn,
        "cnn": cnn,
        "rnn": rnn,
    }
)


def catalog() -> dict[str, FamilySchema]:
    """Every family's schema, keyed by name: what a search space is checked against."""
    return {name: module.SCHEMA for name, module in FAMILIES.items()}


def build(config: Config, spec: DataSpec) -> keras.Model:
    return FAMILIES[config.family].build(config, spec)


def depth(config: Config) -> int:
    """Hidden Dense, convolution and recurrent layers, each application of a shared one counted."""
    return FAMILIES[config.family].depth(config.hyperparameters)


def width(config: Config) -> int | None:
    """Units, filters or cells per hidden layer; None for a linear model."""
    if depth(config) == 0:
        return None
    return int(config.hyperparameters[FAMILIES[config.family].WIDTH_PARAM])


def starting_point(family: str, modality: str) -> dict[str, Any]:
    """Hyperparameters known to train well for `modality` (see `Family.STARTING_POINTS`),
    each one the family's default where the literature gives none."""
    module = FAMILIES[family]
    defaults = {name: rule.default for name, rule in module.SCHEMA.hyperparameters.items()}
    return {**defaults, **module.STARTING_POINTS.get(modality, {})}


def depth_params(family: str) -> tuple[str, ...]:
    """The hyperparameters that decide a family's depth."""
    return FAMILIES[family].DEPTH_PARAMS


def pretrain(model: keras.Model, config: Config, x: np.ndarray) -> None:
    """Run the family's unsupervised stage on the training features, if it has one."""
    family = FAMILIES[config.family]
    if isinstance(family, PretrainingFamily):
        family.pretrain(model, config, x)
