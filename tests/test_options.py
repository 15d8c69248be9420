"""One path for options: `SearchOptions.build` parses, decides the run directory, wraps the
data and checks every value in one message shape, for the CLI and the API alike."""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

import pandas as pd
import pytest

from deepenough import _api, cli
from deepenough._checks import non_negative, one_of, positive, whole_number
from deepenough._input import DataInput
from deepenough._options import SearchOptions, parse_duration
from deepenough.errors import UserError


def test_both_front_ends_take_the_builders_arguments_under_the_same_names() -> None:
    built = set(inspect.signature(SearchOptions.build).parameters) - {"command"}
    assert set(inspect.signature(_api.search).parameters) - {"listener"} == built
    assert set(inspect.signature(cli.search).parameters) - {"verbose", "quiet"} == built


def test_the_run_directory_is_out_or_reports_slash_the_data_stem(tmp_path: Path) -> None:
    assert SearchOptions.build("data/penguins.csv").run_dir == Path("reports/penguins")
    assert SearchOptions.build(pd.DataFrame({"a": [1]})).run_dir == Path("reports/dataframe")
    assert SearchOptions.build("x.csv", out=str(tmp_path)).run_dir == tmp_path


def test_durations_are_seconds() -> None:
    options = SearchOptions.build("x.csv", time_budget="1.5h", trial_timeout=90)
    assert (options.time_budget, options.trial_timeout) == (5400.0, 90)
    assert parse_duration("10m", "--time-budget", example="10m") == 600.0
    assert parse_duration(None, "--time-budget", example="10m") is None


def test_the_data_is_named_and_hashed_once(tmp_path: Path) -> None:
    csv = tmp_path / "penguins.csv"
    csv.write_text("a,b\n1,2\n")
    from_file = DataInput.of(str(csv))
    assert (from_file.source, from_file.stem, from_file.describe()) == (
        "penguins.csv",
        "penguins",
        str(csv),
    )
    assert from_file.sha256() == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert DataInput.of(from_file) is from_file

    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    from_frame = DataInput.of(frame)
    assert (from_frame.source, from_frame.stem, from_frame.describe()) == (
        "DataFrame",
        "dataframe",
        "DataFrame",
    )
    assert from_frame.sha256() == DataInput.of(frame.copy()).sha256()
    assert from_frame.sha256() != DataInput.of(frame.rename(columns={"b": "c"})).sha256()


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (
            lambda: whole_number("--trials", 0, low=1, example=30),
            "`--trials` must be a whole number of at least 1, but got 0. "
            "Pass for example --trials 30.",
        ),
        (
            lambda: whole_number("--seed", True, low=0, high=9, example=0),
            "`--seed` must be a whole number from 0 to 9, but got True. Pass for example --seed 0.",
        ),
        (
            lambda: whole_number("--folds", 2.0, low=2, example=5, optional=True),
            "`--folds` must be a whole number of at least 2, but got 2.0. "
            "Pass for example --folds 5, or leave it out for the default.",
        ),
        (
            lambda: positive("--time-budget", float("nan"), example="10m"),
            "`--time-budget` must be positive, but got nan. Pass for example --time-budget 10m.",
        ),
        (
            lambda: non_negative("--rope", float("inf"), example=0.02),
            "`--rope` must be zero or positive, but got inf. Pass for example --rope 0.02.",
        ),
        (
            lambda: one_of("--backend", "x", ("optuna", "kerastuner")),
            "`--backend` must be optuna or kerastuner, but got 'x'. "
            "Pass for example --backend optuna.",
        ),
        (
            lambda: parse_duration("soon", "--trial-timeout", example="5m"),
            "`--trial-timeout` must be a duration such as 90s, 10m or 1.5h, but got 'soon'. "
            "Pass for example --trial-timeout 5m, or leave it out for the default.",
        ),
    ],
)
def test_every_refusal_has_one_shape(check, message: str) -> None:
    with pytest.raises(UserError) as refused:
        check()
    assert str(refused.value) == message


def test_checks_pass_good_values_through() -> None:
    assert whole_number("--trials", 3, low=1, example=30) == 3
    assert whole_number("--folds", None, low=2, example=5, optional=True) is None
    assert positive("--time-budget", float("inf"), example="10m") == float("inf")
    assert non_negative("--rope", 0, example=0.02) == 0
    assert one_of("--tuner", "hyperband", ("random", "hyperband")) == "hyperband"


def test_options_built_directly_are_checked_too() -> None:
    options = SearchOptions.build("x.csv")
    fields = {name: getattr(options, name) for name in options.__dataclass_fields__}
    with pytest.raises(UserError, match="`--repeats` must be a whole number of at least 1"):
        SearchOptions(**fields | {"repeats": 0})
