"""A validated search space and the configs drawn from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from deepenough.spaces._params import Param
from deepenough.spaces._rules import TRAINING_RULES

DEFAULT_SHALLOW_MAX_DEPTH = 2


@dataclass(frozen=True)
class FamilySpace:
    """One architecture family and the distributions of its hyperparameters."""

    name: str
    hyperparameters: Mapping[str, Param]
    modalities: frozenset[str]


@dataclass(frozen=True)
class SearchSpace:
    families: Mapping[str, FamilySpace]
    training: Mapping[str, Param]
    shallow_max_depth: int = DEFAULT_SHALLOW_MAX_DEPTH
    source: str = "<memory>"
    description: str = ""

    def depth_class(self, depth: int) -> str:
        """linear (no hidden layer), shallow (up to `shallow_max_depth`) or deep."""
        if depth == 0:
            return "linear"
        return "shallow" if depth <= self.shallow_max_depth else "deep"

    def for_modality(self, modality: str) -> SearchSpace:
        """The families of this space that apply to `modality`."""
        families = {n: f for n, f in self.families.items() if modality in f.modalities}
        return replace(self, families=families)


@dataclass(frozen=True)
class Config:
    """One point of a search space: a family, its hyperparameters and the training ones."""

    family: str
    hyperparameters: Mapping[str, Any]
    training: Mapping[str, Any]

    def flat(self) -> dict[str, Any]:
        """Every value under its plain name, family first (as results.json stores it)."""
        return {"family": self.family, **self.hyperparameters, **self.training}

    @classmethod
    def from_flat(cls, flat: Mapping[str, Any]) -> Config:
        """The inverse of `flat`: training names are the fixed set in `TRAINING_RULES`."""
        values = {k: v for k, v in flat.items() if k != "family"}
        return cls(
            flat["family"],
            {k: v for k, v in values.items() if k not in TRAINING_RULES},
            {k: v for k, v in values.items() if k in TRAINING_RULES},
        )
