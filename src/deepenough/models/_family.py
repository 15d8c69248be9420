"""What a family module must provide, and the check that it does."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, Protocol, cast, runtime_checkable

import keras
import numpy as np

from deepenough.data import DataSpec
from deepenough.spaces import Config, FamilySchema, FixedParam

ARCHITECTURE_TYPES = (
    "feed-forward",
    "recurrent",
    "convolutional",
    "recursive",
    "unsupervised pre-trained",
    "symmetrically connected",
)
"""The classic picture of "neural networks versus deep learning": every family is one."""


class Family(Protocol):
    """An architecture family: one module, registered in `models.FAMILIES`.

    `build` is pure: it returns a fresh, uncompiled model for one config and
    trains nothing, so every trial, fold and the final refit start from the same
    kind of graph. Training, including any unsupervised stage, happens outside it
    (see `PretrainingFamily`).

    The registry checks every module against this contract when `deepenough.models`
    is imported (`verified`); adding a family means adding its module and one line
    in `FAMILIES`.
    """

    ARCHITECTURE_TYPE: str
    """Which of the six classic types of neural network the family stands for (one of
    `ARCHITECTURE_TYPES`), as the README, the spaces and the report name it."""

    SCHEMA: FamilySchema
    """The family's hyperparameter rules and the data modalities it applies to;
    `spaces` validates search-space YAML against it."""

    DEPTH_PARAMS: tuple[str, ...]
    """The hyperparameters that `depth` reads, all of them in `SCHEMA`: a search fixes
    these to steer a trial into a depth class (`verdict.DepthPlan`)."""

    WIDTH_PARAM: str
    """The hyperparameter in `SCHEMA` that sets units, filters or cells per layer."""

    STARTING_POINTS: Mapping[str, Mapping[str, Any]]
    """For each modality the family applies to (any of them may be left out), values of
    its hyperparameters known to train well there, from the literature: the first
    trials of the family start from these (`verdict.DepthPlan`), so that a short search
    is already competitive. The hyperparameters left out take their `SCHEMA` default."""

    def depth(self, hyperparameters: Mapping[str, Any]) -> int:
        """Hidden Dense, convolution and recurrent layers that `build` would make,
        each application of a shared layer counted; 0 for a linear model.

        Reads only the `DEPTH_PARAMS` entries of `hyperparameters`, so it is cheap
        and needs no data.
        """
        ...

    def build(self, config: Config, spec: DataSpec) -> keras.Model:
        """The model mapping packed features (`spec.feature_width` wide) to the output
        head for `spec`'s task; pure, with no training and no compile."""
        ...


@runtime_checkable
class PretrainingFamily(Family, Protocol):
    """A family with an unsupervised stage, run by `models.pretrain` before supervised
    training in every trial and in the final refit."""

    def pretrain(self, model: keras.Model, config: Config, x: np.ndarray) -> None:
        """Fit part of `model` (made by `build` for `config`) in place on the training
        features `x`, without labels."""
        ...


_FUNCTIONS = {"depth": ("hyperparameters",), "build": ("config", "spec")}
_OPTIONAL_FUNCTIONS = {"pretrain": ("model", "config", "x")}


def verified(modules: Mapping[str, ModuleType]) -> dict[str, Family]:
    """`modules` as families, once each has been checked against `Family`.

    Raises TypeError naming the module, the attribute and the rule it breaks.
    """
    for module in modules.values():
        problem = _violation(module)
        if problem:
            raise TypeError(f"family module {module.__name__}: {problem}")
    return {name: cast(Family, module) for name, module in modules.items()}


def _violation(module: ModuleType) -> str | None:
    """Why `module` is not a `Family`, or None when it is."""
    architecture_type = getattr(module, "ARCHITECTURE_TYPE", None)
    if architecture_type not in ARCHITECTURE_TYPES:
        return (
            f"`ARCHITECTURE_TYPE` must be one of {list(ARCHITECTURE_TYPES)}, "
            f"but got {_shown(module, 'ARCHITECTURE_TYPE')}"
        )
    schema = getattr(module, "SCHEMA", None)
    if not isinstance(schema, FamilySchema):
        return f"`SCHEMA` must be a FamilySchema, but got {_shown(module, 'SCHEMA')}"
    names = set(schema.hyperparameters)
    depth_params = getattr(module, "DEPTH_PARAMS", None)
    if (
        not isinstance(depth_params, tuple)
        or not depth_params
        or not all(isinstance(name, str) for name in depth_params)
    ):
        return (
            "`DEPTH_PARAMS` must be a non-empty tuple of str, "
            f"but got {_shown(module, 'DEPTH_PARAMS')}"
        )
    unknown = [name for name in depth_params if name not in names]
    if unknown:
        return (
            f"`DEPTH_PARAMS` must name only its hyperparameters {sorted(names)}, "
            f"but got {unknown[0]!r}"
        )
    width_param = getattr(module, "WIDTH_PARAM", None)
    if not isinstance(width_param, str) or width_param not in names:
        return (
            f"`WIDTH_PARAM` must name one of its hyperparameters {sorted(names)}, "
            f"but got {_shown(module, 'WIDTH_PARAM')}"
        )
    problem = _starting_points_violation(getattr(module, "STARTING_POINTS", None), schema)
    if problem:
        return problem
    for attribute, arguments in _FUNCTIONS.items():
        problem = _function_violation(module, attribute, arguments)
        if problem:
            return problem
    for attribute, arguments in _OPTIONAL_FUNCTIONS.items():
        if hasattr(module, attribute):
            problem = _function_violation(module, attribute, arguments)
            if problem:
                return problem
    return _depth_violation(module.depth, schema, depth_params)


def _starting_points_violation(points: Any, schema: FamilySchema) -> str | None:
    if not isinstance(points, Mapping) or not all(isinstance(v, Mapping) for v in points.values()):
        return f"`STARTING_POINTS` must map modalities to hyperparameters, but got {points!r}"
    for modality, values in points.items():
        if modality not in schema.modalities:
            return (
                f"`STARTING_POINTS` must name only its modalities {sorted(schema.modalities)}, "
                f"but got {modality!r}"
            )
        for name, value in values.items():
            rule = schema.hyperparameters.get(name)
            problem = (
                f"is not one of its hyperparameters {sorted(schema.hyperparameters)}"
                if rule is None
                else rule.violation(FixedParam(value))
            )
            if problem:
                return f"`STARTING_POINTS[{modality!r}]` {name!r} {problem}"
    return None


def _function_violation(
    module: ModuleType, attribute: str, arguments: tuple[str, ...]
) -> str | None:
    wanted = f"`{attribute}({', '.join(arguments)})`"
    function = getattr(module, attribute, None)
    if not callable(function):
        return f"`{attribute}` must be a function {wanted}, but got {_shown(module, attribute)}"
    try:
        signature = inspect.signature(function)
    except ValueError:  # no signature to read (some builtins): trust it
        return None
    try:
        signature.bind(*arguments)
    except TypeError:
        return f"`{attribute}` must take {wanted}, but its signature is {signature}"
    return None


def _depth_violation(
    depth: Callable[[Mapping[str, Any]], Any], schema: FamilySchema, depth_params: tuple[str, ...]
) -> str | None:
    """Whether `depth` runs on the defaults of `DEPTH_PARAMS` alone and returns an int >= 0."""
    defaults = {name: schema.hyperparameters[name].default for name in depth_params}
    try:
        layers = depth(defaults)
    except KeyError as missing:
        return (
            f"`depth` must read only the hyperparameters in `DEPTH_PARAMS` {depth_params}, "
            f"but it read {missing}"
        )
    if isinstance(layers, bool) or not isinstance(layers, int) or layers < 0:
        return f"`depth` must return an int >= 0, but got {layers!r} for the defaults {defaults}"
    return None


def _shown(module: ModuleType, attribute: str) -> str:
    if not hasattr(module, attribute):
        return "nothing (it is missing)"
    value = getattr(module, attribute)
    return f"{value!r} ({type(value).__name__})"
