"""Every depth class is searched, whatever the sampler prefers.

A study starts with one reference config per depth class (linear, shallow,
deep) that the space can express: a family's starting point for the data's modality
(values known to train well there, `models.starting_point`), with its depth set for
the class, so that neither class starts handicapped. After that:

- linear gets at least `LINEAR_SHARE` of the trials, and
- shallow and deep are searched with equal effort: when one has had fewer
  trials than the other, it gets the next one.

A trial given to a class has its family and the hyperparameters that decide
depth fixed, and the backend samples the rest. Half the time those are the
family and depth of the class's best trial so far (so the class is tuned where
it is strong), otherwise drawn at random among the class's (so it is explored).
A family's first trial is its starting point, as soon as the classes are even or its
starting point is in the class that needs the next trial, so that a short search has
tried every family at a config known to work. The sampler chooses freely only while
the classes are even, so its preference cannot tilt the comparison.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from deepenough import models
from deepenough.backends import TrialResult, count_towards_total
from deepenough.spaces import (
    TRAINING_RULES,
    CategoricalParam,
    Config,
    FixedParam,
    FloatParam,
    IntParam,
    Param,
    SearchSpace,
)

DEPTH_CLASSES = ("linear", "shallow", "deep")
LINEAR_SHARE = 0.1
"""The least share of the trials so far that the linear class is given."""
EXPLOIT = 0.5
"""The chance that a trial given to a class keeps the family and depth of its best trial."""
REFERENCE_FAMILIES = {"linear": ("mlp",), "shallow": ("mlp",), "deep": ("cnn", "mlp")}
"""Preferred families of each class's reference config; any other family of the class
serves when none of these is in the space."""
LINEAR_LEARNING_RATE = 1e-2
"""The linear reference's learning rate: a linear model's loss is convex, and at the
default 1e-3 it was still improving after 100 epochs on tables of a few hundred rows,
where 1e-2 converged within 10 (reports/benchmarks/peers.md)."""
MAX_DEPTH_COMBINATIONS = 10_000


@dataclass(frozen=True)
class DepthChoice:
    family: str
    values: Mapping[str, Any]
    """The family's depth hyperparameters."""
    depth: int


class DepthPlan:
    """Decides which trials have their depth class fixed; see the module docstring."""

    def __init__(
        self, space: SearchSpace, seed: int = 0, sign: float = 1.0, modality: str = "tabular"
    ) -> None:
        """`sign`: the metric's (`Metric.sign`), +1 when higher scores are better;
        `modality`: the data's, which decides each family's starting point."""
        self.space = space
        self.seed = seed
        self.sign = sign
        self.modality = modality
        self.choices: dict[str, list[DepthChoice]] = {c: [] for c in DEPTH_CLASSES}
        for choice in depth_choices(space):
            self.choices[space.depth_class(choice.depth)].append(choice)

    @property
    def classes(self) -> tuple[str, ...]:
        """The depth classes the space can express."""
        return tuple(c for c in DEPTH_CLASSES if self.choices[c])

    def __call__(
        self, finished: list[TrialResult], running: Sequence[Config] = ()
    ) -> Config | None:
        """The values to fix in the next trial, or None to let the sampler choose.
        Trials still `running` count in their class, so that the shares hold with
        several trials in flight."""
        counts = Counter(t.depth_class for t in finished if t.depth_class is not None)
        counts.update(self.space.depth_class(models.depth(config)) for config in running)
        for depth_class in self.classes:
            if counts[depth_class] == 0:
                return self.reference(depth_class)
        neediest = self._neediest(counts, count_towards_total(finished) + len(running) + 1)
        tried = {t.config.family for t in finished} | {c.family for c in running}
        for family in self.space.families:  # each family's first trial: its starting point
            start = self.start(family)
            fits = neediest in (None, self.space.depth_class(models.depth(start)))
            if family not in tried and fits:
                return start
        if neediest is None:
            return None
        rng = np.random.default_rng([self.seed, len(finished) + len(running)])
        best = self._best(finished, neediest)
        if best is not None and rng.random() < EXPLOIT:
            names = models.depth_params(best.config.family)
            values = {n: best.config.hyperparameters[n] for n in names}
            return Config(best.config.family, values, {})
        choices = self.choices[neediest]
        families = sorted({c.family for c in choices})
        family = families[rng.integers(len(families))]
        of_family = [c for c in choices if c.family == family]
        choice = of_family[rng.integers(len(of_family))]
        return Config(family, dict(choice.values), {})

    def _neediest(self, counts: Counter[str], n: int) -> str | None:
        """The class the next trial goes to, or None when the classes are even."""
        if "linear" in self.classes and counts["linear"] < math.floor(LINEAR_SHARE * n):
            return "linear"
        both = "shallow" in self.classes and "deep" in self.classes
        if both and counts["shallow"] != counts["deep"]:
            return min(("shallow", "deep"), key=lambda c: counts[c])
        return None

    def _best(self, finished: list[TrialResult], depth_class: str) -> TrialResult | None:
        scored = [
            (t.value, t)
            for t in finished
            if t.depth_class == depth_class and t.status == "complete" and t.value is not None
        ]
        return max(scored, key=lambda pair: self.sign * pair[0], default=(None, None))[1]

    def reference(self, depth_class: str) -> Config:
        """A complete config of `depth_class`, its depth nearest linear 0, shallow
        `shallow_max_depth`, deep `shallow_max_depth + 2`; every other value is the
        family's starting point (`start`), but linear learns at `LINEAR_LEARNING_RATE`."""
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
        start = self.start(family)
        training = dict(start.training)
        if depth_class == "linear" and "learning_rate" in self.space.training:
            rate = self.space.training["learning_rate"]
            training["learning_rate"] = _default_within(rate, LINEAR_LEARNING_RATE)
        return Config(family, {**start.hyperparameters, **choice.values}, training)

    def start(self, family: str) -> Config:
        """`family`'s starting point for the data's modality (`models.starting_point`),
        every value moved into the space where it falls outside; the training values are
        the defaults, likewise."""
        known = models.starting_point(family, self.modality)
        hyperparameters = {
            name: _default_within(param, known[name])
            for name, param in self.space.families[family].hyperparameters.items()
        }
        training = {
            name: _default_within(param, TRAINING_RULES[name].default)
            for name, param in self.space.training.items()
        }
        return Config(family, hyperparameters, training)


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


def _default_within(param: Param, default: Any) -> Any:
    """`default` when `param` allows it, else the middle of its range or its first choice."""
    match param:
        case CategoricalParam(choices=choices) if default in choices:
            return default
        case IntParam(low=low, high=high, step=step) if low <= default <= high and (
            (default - low) % step == 0
        ):
            return default
        case FloatParam(low=low, high=high, step=None) if low <= default <= high:
            return default
    return _middle(param)


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
