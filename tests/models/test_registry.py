"""Every registered family meets the `Family` contract; broken modules are refused by name."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest

from deepenough import models
from deepenough.models._family import verified
from deepenough.spaces import FamilySchema, ParamRule, builtin_spaces, resolve_space


def family_module(**changes: Any) -> ModuleType:
    """A minimal valid family module `deepenough.models.fake`; a change set to None
    removes that attribute."""
    module = ModuleType("deepenough.models.fake")
    attributes: dict[str, Any] = {
        "ARCHITECTURE_TYPE": "feed-forward",
        "SCHEMA": FamilySchema(
            {"layers": ParamRule(int, 2, low=0, high=8), "width": ParamRule(int, 8, low=1)}
        ),
        "DEPTH_PARAMS": ("layers",),
        "WIDTH_PARAM": "width",
        "STARTING_POINTS": {"tabular": {"layers": 3}},
        "depth": lambda hyperparameters: int(hyperparameters["layers"]),
        "build": lambda config, spec: None,
    }
    attributes.update(changes)
    for name, value in attributes.items():
        if value is not None:
            setattr(module, name, value)
    return module


def refusal(**changes: Any) -> str:
    with pytest.raises(TypeError) as error:
        verified({"fake": family_module(**changes)})
    return str(error.value)


@pytest.mark.parametrize("name", list(models.FAMILIES))
def test_every_registered_family_meets_the_contract(name: str) -> None:
    module = importlib.import_module(f"deepenough.models.{name}")
    assert models.FAMILIES[name] is module
    assert verified({name: module}) == {name: module}


def test_the_pretrained_families_have_an_unsupervised_stage() -> None:
    staged = {n for n, f in models.FAMILIES.items() if isinstance(f, models.PretrainingFamily)}
    assert staged == {"autoencoder", "dbn"}


def test_the_families_cover_the_six_classic_types() -> None:
    types = {name: family.ARCHITECTURE_TYPE for name, family in models.FAMILIES.items()}
    assert set(types.values()) == set(models.ARCHITECTURE_TYPES)
    assert types["dbn"] == "symmetrically connected"


@pytest.mark.parametrize("space", builtin_spaces())
def test_each_built_in_space_names_its_families_classic_type(space: str) -> None:
    """`automl spaces show` prints these comments, so they must not drift from the code."""
    families = resolve_space(space)[1].split("\nfamilies:\n")[1].split("\n\n")[0]
    family_lines = [line.strip() for line in families.splitlines() if line[2] != " "]
    assert family_lines
    for line in family_lines:
        name, comment = line.split(":  # ")
        assert comment.startswith(models.FAMILIES[name].ARCHITECTURE_TYPE), line


def test_the_minimal_fake_family_passes() -> None:
    module = family_module()
    assert verified({"fake": module}) == {"fake": module}


def test_a_module_without_build_is_refused() -> None:
    assert refusal(build=None) == (
        "family module deepenough.models.fake: `build` must be a function "
        "`build(config, spec)`, but got nothing (it is missing)"
    )


def test_a_width_param_outside_the_schema_is_refused() -> None:
    assert refusal(WIDTH_PARAM="units") == (
        "family module deepenough.models.fake: `WIDTH_PARAM` must name one of its "
        "hyperparameters ['layers', 'width'], but got 'units' (str)"
    )


def test_a_depth_that_is_not_callable_is_refused() -> None:
    message = refusal(depth=3)
    assert message.startswith("family module deepenough.models.fake: `depth` must be a function")
    assert message.endswith("but got 3 (int)")


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"ARCHITECTURE_TYPE": None}, "`ARCHITECTURE_TYPE` must be one of ['feed-forward'"),
        ({"ARCHITECTURE_TYPE": "transformer"}, "`ARCHITECTURE_TYPE` must be one of"),
        ({"SCHEMA": {"layers": 2}}, "`SCHEMA` must be a FamilySchema"),
        ({"DEPTH_PARAMS": ["layers"]}, "`DEPTH_PARAMS` must be a non-empty tuple of str"),
        ({"DEPTH_PARAMS": ()}, "`DEPTH_PARAMS` must be a non-empty tuple of str"),
        ({"DEPTH_PARAMS": ("blocks",)}, "`DEPTH_PARAMS` must name only its hyperparameters"),
        ({"WIDTH_PARAM": None}, "`WIDTH_PARAM` must name one of its hyperparameters"),
        ({"STARTING_POINTS": None}, "`STARTING_POINTS` must map modalities to hyperparameters"),
        ({"STARTING_POINTS": {"image": {}}}, "`STARTING_POINTS` must name only its modalities"),
        ({"STARTING_POINTS": {"tabular": {"units": 3}}}, "'units' is not one of its"),
        ({"STARTING_POINTS": {"tabular": {"layers": 9}}}, "'layers' must be an integer from 0"),
        ({"build": lambda config: None}, "`build` must take `build(config, spec)`"),
        ({"pretrain": "yes"}, "`pretrain` must be a function `pretrain(model, config, x)`"),
        ({"DEPTH_PARAMS": ("width",)}, "`depth` must read only the hyperparameters in"),
        ({"depth": lambda hyperparameters: -1}, "`depth` must return an int >= 0"),
    ],
)
def test_each_rule_names_its_attribute(changes: dict[str, Any], rule: str) -> None:
    assert rule in refusal(**changes)
