"""One vocabulary for checking option values, and one message shape for every refusal.

Each check names the option as the CLI spells it, the rule and the value, and ends with
an example that passes, whichever front end (`automl search` or `deepenough.search`) got
the value:

    `--trials` must be a whole number of at least 1, but got 0. Pass for example --trials 30.

Options that may be left out (`optional=True`) accept None and say so in the fix.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, NoReturn, TypeVar

from deepenough.errors import UserError

_LEAVE_OUT = ", or leave it out for the default"
_Choice = TypeVar("_Choice")


def refuse(
    flag: str, rule: str, value: Any, *, example: object, optional: bool = False
) -> NoReturn:
    """Raise the one message shape: "`flag` must be rule, but got value. Pass for example ..."."""
    raise UserError(
        f"`{flag}` must be {rule}, but got {value!r}",
        fix=f"Pass for example {flag} {example}{_LEAVE_OUT if optional else ''}.",
    )


def whole_number(
    flag: str,
    value: Any,
    *,
    low: int,
    high: int | None = None,
    example: int,
    optional: bool = False,
) -> int | None:
    """`value` if it is a Python int (not a bool) from `low` to `high` (inclusive; None:
    no end)."""
    if value is None and optional:
        return None
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if not is_int or value < low or (high is not None and value > high):
        rule = f"of at least {low}" if high is None else f"from {low} to {high}"
        refuse(flag, f"a whole number {rule}", value, example=example, optional=optional)
    return value


def positive(flag: str, value: Any, *, example: object, optional: bool = False) -> float | None:
    """`value` if it is a number above zero (infinity included, NaN not)."""
    return _number(flag, value, "positive", example, optional, above_zero=True)


def non_negative(flag: str, value: Any, *, example: object, optional: bool = False) -> float | None:
    """`value` if it is a finite number, zero or above."""
    return _number(flag, value, "zero or positive", example, optional, above_zero=False)


def one_of(
    flag: str,
    value: Any,
    choices: Sequence[_Choice],
    *,
    example: _Choice | None = None,
    optional: bool = False,
) -> _Choice | None:
    """`value` if it is one of `choices`; the example is `example` or the first choice."""
    if value is None and optional:
        return None
    if value not in choices:
        names = [str(choice) for choice in choices]
        rule = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        shown = choices[0] if example is None else example
        refuse(flag, rule, value, example=shown, optional=optional)
    return value


def _number(
    flag: str, value: Any, rule: str, example: object, optional: bool, *, above_zero: bool
) -> float | None:
    if value is None and optional:
        return None
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not is_number or not (value > 0 if above_zero else 0 <= value < math.inf):
        refuse(flag, rule, value, example=example, optional=optional)
    return value
