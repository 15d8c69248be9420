"""Every registered family meets the `Family` contract; broken modules are refused by name."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest

from deepenough import models
from deepenough.models._family import verified
from deepenough.spaces import FamilySchema, ParamRule


def family_module(**changes: Any) -> ModuleType:
    """A minimal valid family module `deepenough.models.fake`; a change set to None
    removes that attribute."""
    module = ModuleType("deepenough.models.fake")
    attributes: dict[str, Any] = {
        "SCHEMA": FamilySchema(
            {"layers": ParamRule(int, 2, low=0, high=8), "width": ParamRule(int, 8, low=1)}
        ),
        "DEPTH_PARAMS": ("layers",),
        "WIDTH_PARAM": "width",
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


def test_only_the_autoencoder_has_an_unsupervised_stage() -> None:
    staged = {n for n, f in models.FAMILIES.items() if isinstance(f, models.PretrainingFamily)}
    assert staged == {"autoencoder"}


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
        ({"SCHEMA": {"layers": 2}}, "`SCHEMA` must be a FamilySchema"),
        ({"DEPTH_PARAMS": ["layers"]}, "`DEPTH_PARAMS` must be a non-empty tuple of str"),
        ({"DEPTH_PARAMS": ()}, "`DEPTH_PARAMS` must be a non-empty tuple of str"),
        ({"DEPTH_PARAMS": ("blocks",)}, "`DEPTH_PARAMS` must name only its hyperparameters"),
        ({"WIDTH_PARAM": None}, "`WIDTH_PARAM` must name one of its hyperparameters"),
        ({"build": lambda config: None}, "`build` must take `build(config, spec)`"),
        ({"pretrain": "yes"}, "`pretrain` must be a function `pretrain(model, config, x)`"),
        ({"DEPTH_PARAMS": ("width",)}, "`depth` must read only the hyperparameters in"),
        ({"depth": lambda hyperparameters: -1}, "`depth` must return an int >= 0"),
    ],
)
def test_each_rule_names_its_attribute(changes: dict[str, Any], rule: str) -> None:
    assert rule in refusal(**changes)
