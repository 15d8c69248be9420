"""The YAML search space as KerasTuner hyperparameters, and KerasTuner's values as configs.

Each family's hyperparameters are declared inside a conditional scope on `family` and named
`family.name` (`mlp.width`); training ones keep their plain name. Constants are not
declared: they come from the space. Categorical choices KerasTuner cannot hold as they are
(booleans, or more than one type) are declared as indices into the space's choices, so every
value comes back with the type it was written with.
"""

from __future__ import annotations

from typing import Any

import keras_tuner

from deepenough.spaces import (
    CategoricalParam,
    Config,
    FixedParam,
    FloatParam,
    IntParam,
    Param,
    SearchSpace,
)


class SpaceHyperModel(keras_tuner.HyperModel):
    """The search space as KerasTuner hyperparameters. `family` is a choice, and each
    family's hyperparameters are declared inside `conditional_scope("family", [name])`, so
    the oracle samples them only when that family is chosen. Hyperparameters are named
    `family.name` (`mlp.width`), training ones by their plain name. Constants are not
    declared: they come from the space. It builds no model, as training is deepenough's."""

    def __init__(self, space: SearchSpace) -> None:
        super().__init__(name="deepenough")
        self.space = space

    def build(self, hp: keras_tuner.HyperParameters) -> None:
        hp.Choice("family", list(self.space.families))
        for family, declared in self.space.families.items():
            with hp.conditional_scope("family", [family]):
                for name, param in declared.hyperparameters.items():
                    _declare(hp, f"{family}.{name}", param)
        for name, param in self.space.training.items():
            _declare(hp, name, param)


def _config_from_values(space: SearchSpace, values: dict[str, Any]) -> Config:
    """The config behind KerasTuner's values; constants come from the space."""
    family = values["family"]

    def value(key: str, param: Param) -> Any:
        match param:
            case FixedParam(value=fixed):
                return fixed
            case CategoricalParam(choices=choices) if not _uniform(choices):
                return choices[values[key]]
            case IntParam(low=low, high=high) | FloatParam(low=low, high=high):
                # The Bayesian oracle turns a probability of exactly 1 into
                # max_value + 1 for an integer on a log scale.
                return min(max(values[key], low), high)
        return values[key]

    declared = space.families[family].hyperparameters
    return Config(
        family,
        {name: value(f"{family}.{name}", p) for name, p in declared.items()},
        {name: value(name, p) for name, p in space.training.items()},
    )


def _values_from_config(space: SearchSpace, config: Config) -> dict[str, Any]:
    """The inverse of `_config_from_values`, for the values `config` holds."""
    declared = space.families[config.family].hyperparameters

    def value(param: Param, given: Any) -> Any:
        if isinstance(param, CategoricalParam) and not _uniform(param.choices):
            return _index(param.choices, given)
        return given

    return {
        "family": config.family,
        **{
            f"{config.family}.{k}": value(declared[k], v) for k, v in config.hyperparameters.items()
        },
        **{k: value(space.training[k], v) for k, v in config.training.items()},
    }


def _index(choices: tuple[Any, ...], given: Any) -> int:
    """Where `given` is among `choices`: the choice of its own type first, so that `True`
    finds `true` and not an equal `1` written before it."""
    for index, choice in enumerate(choices):
        if type(choice) is type(given) and choice == given:
            return index
    return choices.index(given)


def _max_epochs(space: SearchSpace) -> int:
    match space.training["max_epochs"]:
        case FixedParam(value=value):
            return int(value)
        case IntParam(high=high):
            return int(high)
        case CategoricalParam(choices=choices):
            return int(max(choices))
    raise TypeError("max_epochs must be a whole number")


def _uniform(choices: tuple[Any, ...]) -> bool:
    """Whether KerasTuner's `Choice` takes the choices as they are: one type among int,
    float and str. Others are chosen by index, booleans too (`Choice` turns them into
    0 and 1)."""
    kinds = {type(c) for c in choices}
    return len(kinds) == 1 and kinds <= {int, float, str}


def _declare(hp: keras_tuner.HyperParameters, name: str, param: Param) -> None:
    match param:
        case FixedParam():
            return
        case IntParam(low=low, high=high, step=step, log=log):
            if log:  # KerasTuner's step is a factor under log sampling
                hp.Int(name, low, high, sampling="log")
            else:
                hp.Int(name, low, high, step=step)
        case FloatParam(low=low, high=high, step=step, log=log):
            hp.Float(name, low, high, step=step, sampling="log" if log else "linear")
        case CategoricalParam(choices=choices):
            if _uniform(choices):
                hp.Choice(name, list(choices))
            else:
                hp.Choice(name, list(range(len(choices))), ordered=False)
        case _:
            raise TypeError(f"unknown parameter declaration {param!r}")


def _fix(hps: keras_tuner.HyperParameters, wanted: dict[str, Any], seed: int) -> None:
    """Set the `wanted` values in a new trial's, and sample what they make active and leave
    out (a fixed family other than the sampled one activates its own hyperparameters)."""
    values = hps.values
    values["family"] = wanted["family"]
    for declared in hps.space:
        if not hps.is_active(declared):
            values.pop(declared.name, None)
        elif declared.name in wanted:
            values[declared.name] = wanted[declared.name]
        elif declared.name not in values:
            values[declared.name] = declared.random_sample(seed)
            seed += 1
