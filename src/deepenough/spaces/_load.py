"""Read a search-space YAML file and check it against the families' rules."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from deepenough.errors import SpaceError
from deepenough.spaces._params import ParamFormatError, parse_param
from deepenough.spaces._rules import TRAINING_RULES, FamilySchema, ParamRule, fill_defaults
from deepenough.spaces._space import DEFAULT_SHALLOW_MAX_DEPTH, FamilySpace, SearchSpace

BUILTIN_PACKAGE = "deepenough.search_spaces"
_TOP_KEYS = {"shallow_max_depth", "training", "families", "description"}
_FAMILY_KEYS = {"hyperparameters", "modalities"}


def builtin_spaces() -> list[str]:
    """Names of the spaces that ship with deepenough."""
    folder = resources.files(BUILTIN_PACKAGE)
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def resolve_space(name_or_path: str | Path) -> tuple[str, str]:
    """The (source label, YAML text) of a built-in space name or a file path."""
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        if not path.is_file():
            raise SpaceError(
                f"No such search-space file: {path}",
                fix=f"Check the path, or use a built-in space: {', '.join(builtin_spaces())}.",
            )
        return str(path), _read_text(path)
    name = str(name_or_path)
    if name not in builtin_spaces():
        raise SpaceError(
            f"Unknown search space {name!r}",
            fix=f"Use a YAML file path or a built-in space: {', '.join(builtin_spaces())}.",
        )
    return f"built-in space {name!r}", (
        resources.files(BUILTIN_PACKAGE) / f"{name}.yaml"
    ).read_text(encoding="utf-8")


def load_space(name_or_path: str | Path, catalog: Mapping[str, FamilySchema]) -> SearchSpace:
    """Load a space by built-in name or path, checked against `catalog` (family name → schema)."""
    source, text = resolve_space(name_or_path)
    try:
        raw = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as error:
        raise SpaceError(
            f"{source}: YAML tag refused{_where(error, 'problem')}: {error.problem} (a space "
            "is read as plain data, never as Python objects)",
            fix="Remove the tag and write plain values: numbers, text, lists and mappings.",
        ) from None
    except yaml.YAMLError as error:
        raise SpaceError(
            f"{source}: not valid YAML{_where(error, 'problem')}: "
            f"{getattr(error, 'problem', None) or 'invalid YAML'}"
            + (f" ({error.context}{_where(error, 'context')})" if _has_context(error) else ""),
            fix="Fix the YAML syntax.",
        ) from None
    return parse_space(raw, catalog, source)


def parse_space(raw: Any, catalog: Mapping[str, FamilySchema], source: str) -> SearchSpace:
    """Build a `SearchSpace` from parsed YAML; every rule broken names its key path."""
    if raw is None:
        raise SpaceError(
            f"{source} is empty",
            fix="Declare the families to search; `automl spaces show default` prints a space "
            "to start from.",
        )
    if not isinstance(raw, dict):
        _fail(source, "", "the file must hold a mapping with a `families` key", raw)
    unknown = sorted(set(raw) - _TOP_KEYS, key=str)
    if unknown:
        _fail_unknown(source, "", "key", unknown[0], _TOP_KEYS)
    depth = raw.get("shallow_max_depth", DEFAULT_SHALLOW_MAX_DEPTH)
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        _fail(source, "shallow_max_depth", "must be an integer >= 1", depth)
    families_raw = raw.get("families")
    if not isinstance(families_raw, dict) or not families_raw:
        _fail(source, "families", "must map at least one family name to its block", families_raw)
    families = {
        name: _parse_family(source, name, block, catalog) for name, block in families_raw.items()
    }
    training_raw = raw.get("training") or {}
    if not isinstance(training_raw, dict):
        _fail(source, "training", "must map training hyperparameter names to values", training_raw)
    training = _parse_params(source, "training", training_raw, TRAINING_RULES)
    description = raw.get("description", "")
    if not isinstance(description, str):
        _fail(source, "description", "must be text", description)
    return SearchSpace(families, training, depth, source, description)


def _parse_family(
    source: str, name: Any, block: Any, catalog: Mapping[str, FamilySchema]
) -> FamilySpace:
    path = f"families.{name}"
    if name not in catalog:
        _fail_unknown(source, "families", "family", name, catalog)
    schema = catalog[name]
    block = block or {}
    if not isinstance(block, dict):
        _fail(source, path, "must be a mapping with `hyperparameters`", block)
    unknown = sorted(set(block) - _FAMILY_KEYS, key=str)
    if unknown:
        _fail_unknown(source, path, "key", unknown[0], _FAMILY_KEYS)
    modalities = block.get("modalities", sorted(schema.modalities))
    if not isinstance(modalities, list) or not set(modalities) <= set(schema.modalities):
        _fail(
            source,
            f"{path}.modalities",
            f"must be a list drawn from {sorted(schema.modalities)}",
            modalities,
        )
    params_raw = block.get("hyperparameters") or {}
    if not isinstance(params_raw, dict):
        _fail(source, f"{path}.hyperparameters", "must map names to values", params_raw)
    params = _parse_params(source, f"{path}.hyperparameters", params_raw, schema.hyperparameters)
    return FamilySpace(str(name), params, frozenset(modalities))


def _parse_params(
    source: str, path: str, raw: dict[str, Any], rules: Mapping[str, ParamRule]
) -> dict[str, Any]:
    params = {}
    for name, declaration in raw.items():
        key = f"{path}.{name}"
        if name not in rules:
            _fail_unknown(source, path, "hyperparameter", name, rules)
        try:
            param = parse_param(declaration)
        except ParamFormatError as error:
            raise SpaceError(f"{source}: {key}: {error}", fix="Fix that entry.") from None
        problem = rules[name].violation(param)
        if problem:
            raise SpaceError(f"{source}: {key}: {problem}", fix="Fix that entry.")
        params[str(name)] = param
    return fill_defaults(params, rules)


def _fail(source: str, path: str, rule: str, value: Any, fix: str = "Fix that entry.") -> None:
    where = f"{source}: {path}" if path else source
    raise SpaceError(f"{where}: {rule}, but got {value!r}", fix=fix)


def _fail_unknown(source: str, parent: str, what: str, name: Any, known: Iterable[str]) -> None:
    """An unknown key under `parent`, with the closest known name as the likely fix."""
    known = sorted(known)
    close = difflib.get_close_matches(str(name), known, n=1)
    _fail(
        source,
        f"{parent}.{name}" if parent else str(name),
        f"unknown {what}; expected one of {known}",
        name,
        fix=f"Did you mean {close[0]!r}?" if close else "Fix that entry.",
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SpaceError(f"{path} is not UTF-8 text", fix="Save the space as UTF-8 YAML.") from None


def _where(error: yaml.YAMLError, part: str) -> str:
    mark = getattr(error, f"{part}_mark", None)
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _has_context(error: yaml.YAMLError) -> bool:
    """The error says where the construct it broke began (a bracket left open)."""
    return bool(getattr(error, "context", None) and getattr(error, "context_mark", None))
