"""Every depth class is searched, whatever the sampler prefers.

A study starts with one reference config per depth class (linear, shallow,
deep) that the space can express. After that, a class whose trials fall below
its minimum share of the trials so far gets the next trial: its family and the
hyperparameters that decide depth are fixed (drawn at random among those of
the class), and the backend samples the rest.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from deepenough import models
from deepenough.backends import TrialResult, count_towards_total
from deepenough.spaces import (
    CategoricalParam,
    Config,
    FixedParam,
    FloatParam,
    IntParam,
    Param,
    SearchSpace,
)

DEPTH_CLASSES = ("linear", "shallow", "deep")
MIN_SHARE = {"linear": 0.1, "shallow": 0.25, "deep": 0.25}
"""The least share of the trials so far that each depth class is given."""
REFERENCE_FAMILIES = {"linear": ("mlp",), "shallow": ("mlp",), "deep": ("cnn", "mlp")}
"""Preferred families of each class's reference config; any other family of the class
serves when none of these is in the space."""
MAX_DEPTH_COMBINATIONS = 10_000


@dataclass(frozen=True)
class DepthChoice:
    family: str
    values: Mapping[str, Any]
    """The family's depth hyperparameters."""
    depth: int


class DepthPlan:
    """Decides which trials have their depth class fixed; see the module docstring."""

    def __init__(self, space: SearchSpace, seed: int = 0) -> None:
        self.space = space
        self.seed = seed
        self.choices: dict[str, list[DepthChoice]] = {c: [] for c in DEPTH_CLASSES}
        for choice in depth_choices(space):
            self.choices[space.depth_class(choice.depth)].append(choice)

    @property
    def classes(self) -> tuple[str, ...]:
        """The depth classes the space can express."""
        return tuple(c for c in DEPTH_CLASSES if self.choices[c])

    def __call__(self, finished: list[TrialResult]) -> Config | None:
        """The values to fix in the next trial, or None to let the sampler choose."""
        counts = Counter(t.depth_class for t in finished)
        for depth_class in self.classes:
            if counts[depth_class] == 0:
                return self.reference(depth_class)
        n = count_towards_total(finished) + 1
        deficits = {c: math.floor(MIN_SHARE[c] * n) - counts[c] for c in self.classes}
        if not deficits:
            return None
        neediest = max(deficits, key=lambda c: deficits[c])
        if deficits[neediest] <= 0:
            return None
        rng = np.random.default_rng([self.seed, len(finished)])
        choices = self.choices[neediest]
        families = sorted({c.family for c in choices})
        family = families[rng.integers(len(families))]
        of_family = [c for c in choices if c.family == family]
        choice = of_family[rng.integers(len(of_family))]
        return Config(family, dict(choice.values), {})

    def reference(self, depth_class: str) -> Config:
        """A complete middle-of-the-range config of `depth_class`, its depth nearest
        linear 0, shallow `shallow_max_depth`, deep `shallow_max_depth + 2`."""
        target = {"linear": 0, "shallow": self.space.shallow_max_depth}.get(
            depth_class, self.space.shallow_max_depth + 2
        )
        choices = self.choices[depth_class]
        preferred = [
            f for f in REFERENCE_FAMILIES[depth_class] if any(c.family == f for c in choices)
        ]
        family = preferred[0] if preferred else choices[0].family
        choice = min(
            (c for c in choices if c.family == family), key=lambda c: abs(c.depth - target)
        )
        hyperparameters = {
            name: _middle(param)
            for name, param in self.space.families[family].hyperparameters.items()
        }
        training = {name: _middle(param) for name, param in self.space.training.items()}
        return Config(family, {**hyperparameters, **choice.values}, training)


def depth_choices(space: SearchSpace) -> list[DepthChoice]:
    """Every combination of each family's depth hyperparameters that the space allows."""
    out = []
    for name, family in space.families.items():
        names = models.depth_params(name)
        value_lists = [_values(family.hyperparameters[n]) for n in names]
        for combination in itertools.islice(
            itertools.product(*value_lists), MAX_DEPTH_COMBINATIONS
        ):
            values = dict(zip(names, combination, strict=True))
            out.append(DepthChoice(name, values, models.depth(Config(name, values, {}))))
    return out


def _values(param: Param) -> list[Any]:
    match param:
        case FixedParam(value=value):
            return [value]
        case IntParam(low=low, high=high, step=step):
            return list(range(low, high + 1, step))
        case CategoricalParam(choices=choices):
            return list(choices)
        case FloatParam(low=low, high=high):
            return [low, high]
    raise TypeError(f"unknown parameter declaration {param!r}")


def _middle(param: Param) -> Any:
    """The middle of a range (geometric for log scales), or the first choice."""
    match param:
        case FixedParam(value=value):
            return value
        case CategoricalParam(choices=choices):
            return choices[0]
        case IntParam(low=low, high=high, step=step, log=log):
            middle = math.sqrt(low * high) if log else (low + high) / 2
            return low + step * round((middle - low) / step)
        case FloatParam(low=low, high=high, step=step, log=log):
            middle = math.sqrt(low * high) if log else (low + high) / 2
            return middle if step is None else low + step * round((middle - low) / step)
    raise TypeError(f"unknown parameter declaration {param!r}")
