"""What each named hyperparameter may be: the rules a declared space is checked against.

A family module states its rules in a `FamilySchema`; the training
hyperparameters' rules live here. Space files are checked against both, so a
typo in a name or a value out of range fails at load time with its key path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deepenough.spaces._params import FixedParam, FloatParam, IntParam, Param


@dataclass(frozen=True)
class ParamRule:
    """One hyperparameter's type, bounds (inclusive) or allowed values, and default."""

    kind: type
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] | None = None

    def violation(self, param: Param) -> str | None:
        """Why `param` cannot feed this hyperparameter, or None when it can."""
        if self.kind is not float and isinstance(param, FloatParam):
            return f"must be {self._describe()}, but a float range was given"
        if self.kind is str and isinstance(param, IntParam):
            return f"must be {self._describe()}, but an int range was given"
        for value in param.values_for_check():
            problem = self._value_violation(value)
            if problem:
                return problem
        return None

    def _value_violation(self, value: Any) -> str | None:
        numeric = self.kind in (int, float)
        type_ok = (
            isinstance(value, int | float) and not isinstance(value, bool)
            if self.kind is float
            else isinstance(value, self.kind) and not (numeric and isinstance(value, bool))
        )
        if not type_ok:
            return f"must be {self._describe()}, but got {value!r}"
        if self.choices is not None and value not in self.choices:
            return f"must be {self._describe()}, but got {value!r}"
        if self.low is not None and value < self.low:
            return f"must be {self._describe()}, but got {value!r}"
        if self.high is not None and value > self.high:
            return f"must be {self._describe()}, but got {value!r}"
        return None

    def _describe(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(map(str, self.choices))
        name = {int: "an integer", float: "a number", str: "text", bool: "true or false"}[self.kind]
        if self.low is not None and self.high is not None:
            return f"{name} from {self.low} to {self.high}"
        if self.low is not None:
            return f"{name} >= {self.low}"
        return name


@dataclass(frozen=True)
class FamilySchema:
    """A family's hyperparameter rules and the data modalities it applies to."""

    hyperparameters: Mapping[str, ParamRule]
    modalities: frozenset[str] = field(default_factory=lambda: frozenset({"tabular"}))


TRAINING_RULES: Mapping[str, ParamRule] = {
    "learning_rate": ParamRule(float, 1e-3, low=1e-7, high=10.0),
    "batch_size": ParamRule(int, 64, low=1, high=65536),
    "max_epochs": ParamRule(int, 100, low=1, high=100000),
    "patience": ParamRule(int, 10, low=1, high=100000),
}


def fill_defaults(params: dict[str, Param], rules: Mapping[str, ParamRule]) -> dict[str, Param]:
    """`params` plus a constant at its default for every rule it leaves out."""
    filled: dict[str, Param] = {name: FixedParam(rule.default) for name, rule in rules.items()}
    filled.update(params)
    return filled
