import re
from pathlib import Path

import pytest
import yaml

from deepenough import models
from deepenough.errors import SpaceError
from deepenough.spaces import (
    CategoricalParam,
    Config,
    FixedParam,
    FloatParam,
    IntParam,
    builtin_spaces,
    load_space,
    parse_space,
)

CATALOG = models.catalog()


def parse(text: str):
    return parse_space(yaml.safe_load(text), CATALOG, "space.yaml")


def test_every_builtin_space_loads() -> None:
    assert "default" in builtin_spaces()
    for name in builtin_spaces():
        space = load_space(name, CATALOG)
        assert space.families


def test_default_space_is_the_documented_mlp_space() -> None:
    space = load_space("default", CATALOG)
    mlp = space.families["mlp"].hyperparameters
    assert mlp["depth"] == IntParam(0, 8)
    assert isinstance(mlp["width"], IntParam) and mlp["width"].log
    assert isinstance(mlp["activation"], CategoricalParam)
    assert isinstance(mlp["dropout"], FloatParam)
    learning_rate = space.training["learning_rate"]
    assert isinstance(learning_rate, FloatParam) and learning_rate.log
    assert space.shallow_max_depth == 2


def test_omitted_hyperparameters_take_the_family_default() -> None:
    space = parse("families: {mlp: {hyperparameters: {depth: 3}}}")
    params = space.families["mlp"].hyperparameters
    assert params["depth"] == FixedParam(3)
    assert params["activation"] == FixedParam("relu")
    assert space.training["max_epochs"] == FixedParam(100)


def test_depth_classes_follow_shallow_max_depth() -> None:
    space = parse("shallow_max_depth: 3\nfamilies: {mlp: {}}")
    assert [space.depth_class(d) for d in (0, 1, 3, 4)] == ["linear", "shallow", "shallow", "deep"]


@pytest.mark.parametrize(
    ("text", "key_path", "rule"),
    [
        (
            "families: {mlp: {hyperparameters: {depth: {type: int, low: 5, high: 2}}}}",
            "families.mlp.hyperparameters.depth",
            r"`low <= high` must hold, but got \(low=5, high=2\)",
        ),
        (
            "families: {mlp: {hyperparameters: {activation: {type: categorical, choices: []}}}}",
            "families.mlp.hyperparameters.activation",
            "non-empty list",
        ),
        (
            "families: {mlp: {hyperparameters: {width: {type: int, low: 0, high: 9, log: true}}}}",
            "families.mlp.hyperparameters.width",
            "`low > 0` must hold when log is true",
        ),
        (
            "families: {mlp: {hyperparameters: {depth: {type: integer, low: 1, high: 2}}}}",
            "families.mlp.hyperparameters.depth",
            "`type` must be one of",
        ),
        (
            "families: {mlp: {hyperparameters: {depth: {type: int, low: 1.5, high: 2}}}}",
            "families.mlp.hyperparameters.depth",
            "`low` must be an integer",
        ),
        (
            "families: {mlp: {hyperparameters: {depth: {type: int, low: -1, high: 2}}}}",
            "families.mlp.hyperparameters.depth",
            "must be an integer from 0 to 64, but got -1",
        ),
        (
            "families: {mlp: {hyperparameters: {activation: "
            "{type: categorical, choices: [relu, relux]}}}}",
            "families.mlp.hyperparameters.activation",
            "must be one of relu, .*but got 'relux'",
        ),
        (
            "families: {mlp: {hyperparameters: {depht: 2}}}",
            "families.mlp.hyperparameters.depht",
            "unknown hyperparameter",
        ),
        ("families: {transformer: {}}", "families.transformer", "unknown family"),
        ("families: {}", "families", "at least one family"),
        (
            "families: {mlp: {}}\ntraining: {learning_rate: {type: float, low: 0.1, high: 0.01}}",
            "training.learning_rate",
            "`low <= high`",
        ),
        ("families: {mlp: {}}\ntraining: {epochs: 5}", "training.epochs", "unknown hyperparameter"),
        ("families: {mlp: {}}\nshallow_max_depth: 0", "shallow_max_depth", "integer >= 1"),
        ("families: {mlp: {}}\nfamily: mlp", "family", "unknown key"),
        (
            "families: {mlp: {hyperparameters: {depth: [1, 2]}}}",
            "families.mlp.hyperparameters.depth",
            "a list is not a parameter",
        ),
    ],
)
def test_errors_name_file_key_path_rule_and_value(text: str, key_path: str, rule: str) -> None:
    with pytest.raises(SpaceError, match=rf"^space\.yaml: {key_path}: .*{rule}") as caught:
        parse(text)
    assert "\n" not in str(caught.value)
    assert re.search(r"(Fix that entry\.|Did you mean '\w+'\?)$", str(caught.value))


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("families: {mlp: {hyperparameters: {depht: 2}}}", "depth"),
        ("families: {mlp: {}}\ntraining: {epochs: 5}", "max_epochs"),
        ("families: {mlp: {}}\nfamily: mlp", "families"),
        ("families: {mpl: {}}", "mlp"),
    ],
)
def test_an_unknown_name_suggests_the_closest_known_one(text: str, suggestion: str) -> None:
    with pytest.raises(SpaceError, match=rf"Did you mean '{suggestion}'\?$"):
        parse(text)


def test_an_empty_file_says_how_to_start_one(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("")
    with pytest.raises(SpaceError, match=r"empty.yaml is empty.*automl spaces show default"):
        load_space(path, CATALOG)


def test_malformed_yaml_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("families:\n  mlp: {hyperparameters: {depth: 2}\n")
    with pytest.raises(SpaceError, match=r"broken.yaml: not valid YAML at line \d+, column \d+"):
        load_space(path, CATALOG)


def test_unknown_space_name_lists_the_builtin_ones(tmp_path: Path) -> None:
    with pytest.raises(SpaceError, match=r"Unknown search space 'defualt'.*default"):
        load_space("defualt", CATALOG)
    with pytest.raises(SpaceError, match="No such search-space file"):
        load_space(tmp_path / "absent.yaml", CATALOG)


def test_config_flat_round_trip() -> None:
    config = Config("mlp", {"depth": 2, "width": 8}, {"learning_rate": 0.01, "batch_size": 32})
    assert Config.from_flat(config.flat()) == config


@pytest.mark.parametrize(
    ("name", "modality", "families"),
    [
        ("default", "tabular", {"mlp", "resmlp", "recursive", "autoencoder", "dbn"}),
        (
            "default",
            "sequence",
            {"mlp", "resmlp", "recursive", "autoencoder", "dbn", "cnn", "rnn"},
        ),
        ("default", "image", {"mlp", "resmlp", "cnn"}),
        ("tabular", "tabular", {"mlp", "resmlp", "recursive", "autoencoder", "dbn"}),
        ("sequence", "sequence", {"mlp", "resmlp", "dbn", "cnn", "rnn"}),
        ("image", "image", {"mlp", "resmlp", "cnn"}),
        ("quick", "sequence", {"mlp", "cnn", "rnn"}),
    ],
)
def test_spaces_search_the_families_that_apply(name, modality, families) -> None:
    space = load_space(name, CATALOG)
    assert space.description
    assert set(space.for_modality(modality).families) == families


def test_a_family_can_be_limited_to_fewer_modalities() -> None:
    space = parse("families: {mlp: {modalities: [tabular]}, cnn: {}}")
    assert set(space.for_modality("sequence").families) == {"cnn"}
    with pytest.raises(SpaceError, match=r"families.cnn.modalities: must be a list drawn from"):
        parse("families: {cnn: {modalities: [tabular]}}")
