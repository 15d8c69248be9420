"""The one table of architecture families.

A family is a module with `SCHEMA` (its hyperparameter rules and modalities),
`depth(hyperparameters) -> int` and a pure `build(config, spec) -> keras.Model`
mapping packed features to the output. Adding a family means adding its
module and one line here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

import keras

from deepenough.data import DataSpec
from deepenough.models import mlp
from deepenough.spaces import Config, FamilySchema

FAMILIES: Mapping[str, ModuleType] = {"mlp": mlp}


def catalog() -> dict[str, FamilySchema]:
    """Every family's schema, keyed by name: what a search space is checked against."""
    return {name: module.SCHEMA for name, module in FAMILIES.items()}


def build(config: Config, spec: DataSpec) -> keras.Model:
    return FAMILIES[config.family].build(config, spec)


def depth(config: Config) -> int:
    """Hidden Dense, convolution and recurrent layers, each application of a shared one counted."""
    return FAMILIES[config.family].depth(config.hyperparameters)
