"""Declared hyperparameters: the distributions a search space may give a name.

The vocabulary is Optuna's: `int` and `float` with `low`, `high`, `step`,
`log`; `categorical` with `choices`; and a plain value for a constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IntParam:
    low: int
    high: int
    step: int = 1
    log: bool = False

    def values_for_check(self) -> tuple[Any, ...]:
        return (self.low, self.high)


@dataclass(frozen=True)
class FloatParam:
    low: float
    high: float
    step: float | None = None
    log: bool = False

    def values_for_check(self) -> tuple[Any, ...]:
        return (self.low, self.high)


@dataclass(frozen=True)
class CategoricalParam:
    choices: tuple[Any, ...]

    def values_for_check(self) -> tuple[Any, ...]:
        return self.choices


@dataclass(frozen=True)
class FixedParam:
    value: Any

    def values_for_check(self) -> tuple[Any, ...]:
        return (self.value,)


Param = IntParam | FloatParam | CategoricalParam | FixedParam


class ParamFormatError(ValueError):
    """A parameter declaration breaks a rule; the message states rule and value."""


_KEYS = {
    "int": {"type", "low", "high", "step", "log"},
    "float": {"type", "low", "high", "step", "log"},
    "categorical": {"type", "choices"},
}


def parse_param(raw: Any) -> Param:
    """One declaration: a mapping with `type`, or a plain value meaning a constant."""
    if not isinstance(raw, dict):
        if isinstance(raw, list):
            raise ParamFormatError(
                f"a list is not a parameter, got {raw!r}; "
                "write {type: categorical, choices: [...]} to choose among values"
            )
        return FixedParam(raw)
    kind = raw.get("type")
    if kind not in _KEYS:
        raise ParamFormatError(
            f"`type` must be one of int, float, categorical, but got type={kind!r}"
        )
    unknown = sorted(set(raw) - _KEYS[kind])
    if unknown:
        raise ParamFormatError(
            f"a {kind} parameter takes only {sorted(_KEYS[kind])}, but got {unknown}"
        )
    if kind == "categorical":
        return _parse_categorical(raw)
    return _parse_range(kind, raw)


def _parse_categorical(raw: dict[str, Any]) -> CategoricalParam:
    choices = raw.get("choices")
    if not isinstance(choices, list) or not choices:
        raise ParamFormatError(f"`choices` must be a non-empty list, but got choices={choices!r}")
    if len(set(map(repr, choices))) != len(choices):
        raise ParamFormatError(f"`choices` must be distinct, but got choices={choices!r}")
    if any(isinstance(c, dict | list) for c in choices):
        raise ParamFormatError(f"`choices` must be plain values, but got choices={choices!r}")
    return CategoricalParam(tuple(choices))


def _parse_range(kind: str, raw: dict[str, Any]) -> IntParam | FloatParam:
    number = int if kind == "int" else (int, float)
    # Checked one by one below, so each is Any until then.
    low: Any = raw.get("low")
    high: Any = raw.get("high")
    step: Any = raw.get("step")
    log: Any = raw.get("log", False)
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, number):
            raise ParamFormatError(f"`{name}` must be {_a(kind)} number, but got {name}={value!r}")
    if low > high:
        raise ParamFormatError(f"`low <= high` must hold, but got (low={low!r}, high={high!r})")
    if not isinstance(log, bool):
        raise ParamFormatError(f"`log` must be true or false, but got log={log!r}")
    if log and low <= 0:
        raise ParamFormatError(f"`low > 0` must hold when log is true, but got low={low!r}")
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, number) or step <= 0:
            raise ParamFormatError(f"`step` must be a positive number, but got step={step!r}")
        if log and (kind == "float" or step != 1):
            raise ParamFormatError(
                f"`step` and `log` cannot be used together, but got (step={step!r}, log=true)"
            )
    if kind == "int":
        return IntParam(low, high, step or 1, log)
    return FloatParam(float(low), float(high), None if step is None else float(step), log)


def _a(kind: str) -> str:
    return "an integer" if kind == "int" else "a"
