"""Frozen dataclasses to and from results.json's plain dicts, driven by their field types.

A `Record` writes its fields in declaration order: a nested record as its dict, a tuple
as a list, a mapping as a dict. A field declared with `optional()` is left out while it
is None, so a key that only some runs have (a regression run's `target_summary`) is
absent, not null, exactly as results.json has always been written. Reading back, a key
an older file lacks takes the field's default, and a key this version does not know is
ignored, or kept in the record's `extra` where the record has one (a trial's
`epoch_budget`, say), so that every key of the file comes out again.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, Self

from deepenough.errors import UserError

EXTRA = "extra"
"""A record's field that keeps the keys its class does not declare, merged into its dict."""
_OMIT_IF_NONE = "omit_if_none"


def optional() -> Any:
    """A field that defaults to None and is left out of the dict while it is None."""
    return dataclasses.field(default=None, metadata={_OMIT_IF_NONE: True})


class ResultsError(UserError):
    """results.json does not hold what its schema says."""


class Record:
    """Base of every results.json record (each subclass is a frozen dataclass)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if field.name == EXTRA:
                out.update({k: _plain(v) for k, v in value.items()})
            elif value is not None or not field.metadata.get(_OMIT_IF_NONE):
                out[field.name] = _plain(value)
        return out

    @classmethod
    def from_dict(cls, entry: Any, path: str = "") -> Self:
        """Read `entry` (a dict from results.json); `path` names it in errors."""
        if not isinstance(entry, Mapping):
            raise _error(path or "results.json", "an object", entry)
        hints = _hints(cls)
        values: dict[str, Any] = {}
        names = set()
        for field in dataclasses.fields(cls):  # type: ignore[arg-type]
            names.add(field.name)
            if field.name == EXTRA:
                continue
            where = f"{path}.{field.name}"
            if field.name in entry:
                values[field.name] = _read(hints[field.name], entry[field.name], where)
            elif (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                raise ResultsError(
                    f"results.json has no `{where.lstrip('.')}`",
                    fix="Re-run the search to write a complete results.json.",
                )
        if EXTRA in names:
            values[EXTRA] = {k: v for k, v in entry.items() if k not in names}
        return cls(**values)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The fields' types, resolved once per record class."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _read(kind: Any, value: Any, path: str) -> Any:
    """`value` as the annotated `kind`: records and their containers are rebuilt, plain
    values pass as they are (JSON has already given them their types)."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return _read(options[0], value, path) if len(options) == 1 else value
    if isinstance(kind, type) and issubclass(kind, Record):
        return kind.from_dict(value, path)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise _error(path, "a list", value)
        args = typing.get_args(kind)
        item = args[0] if len(args) == 2 and args[1] is Ellipsis else Any
        return tuple(_read(item, v, f"{path}[{i}]") for i, v in enumerate(value))
    if origin in (Mapping, dict):
        if not isinstance(value, Mapping):
            raise _error(path, "an object", value)
        item = typing.get_args(kind)[1]
        return {k: _read(item, v, f"{path}.{k}") for k, v in value.items()}
    return value


def _error(path: str, expected: str, value: Any) -> ResultsError:
    return ResultsError(
        f"results.json: `{path.lstrip('.')}` must be {expected}, but got {value!r:.60}",
        fix="Re-run the search to write a new results.json.",
    )
