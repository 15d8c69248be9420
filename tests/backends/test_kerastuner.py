"""What the KerasTuner backend does beyond the conformance suite: the translation of the
space, Hyperband's schedule and partial trials, and the size of its state."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import keras_tuner
import pytest
from _stub_trials import TWO_FAMILIES, scored

from deepenough import models
from deepenough.backends import BackendSettings, make_backend, run_trials
from deepenough.backends._kerastuner_space import SpaceHyperModel
from deepenough.backends._kerastuner_tuner import _hyperband_trials, hyperband_max_epochs
from deepenough.errors import UserError
from deepenough.spaces import CategoricalParam, Config, load_space


def space_from(tmp_path: Path, text: str = TWO_FAMILIES):
    path = tmp_path / "space.yaml"
    path.write_text(text)
    return load_space(path, models.catalog())


def backend(tmp_path: Path, tuner: str, trials: int = 12, text: str = TWO_FAMILIES):
    settings = BackendSettings(tmp_path / "run", "maximize", 0, tuner=tuner, trials=trials)
    (tmp_path / "run").mkdir(exist_ok=True)
    return make_backend("kerastuner", space_from(tmp_path, text), settings)


@pytest.mark.parametrize("max_epochs", [1, 2, 3, 8, 9, 10, 26, 27, 30])
def test_the_iteration_size_matches_kerastuners_own_oracle(tmp_path, max_epochs) -> None:
    tuner = keras_tuner.Hyperband(
        SpaceHyperModel(space_from(tmp_path)),
        objective=keras_tuner.Objective("score", "max"),
        max_epochs=max_epochs,
        factor=3,
        hyperband_iterations=1,
        seed=1,
        directory=str(tmp_path),
        project_name="hyperband",
    )
    oracle = tuner.oracle
    oracle.verbose = 0
    created = 0
    while (trial := oracle.create_trial("t")).status == "RUNNING":
        created += 1
        oracle.update_trial(trial.trial_id, {"score": created % 7})
        trial.status = "COMPLETED"
        oracle.end_trial(trial)
    assert _hyperband_trials(max_epochs, 3) == created


def test_hyperband_is_sized_to_the_trial_count() -> None:
    assert hyperband_max_epochs(trials=30, max_epochs=100) == 26  # 30 trials: 3, 9, 26 epochs
    assert hyperband_max_epochs(trials=22, max_epochs=100) == 8
    assert hyperband_max_epochs(trials=30, max_epochs=9) == 9  # never more than the space's
    assert hyperband_max_epochs(trials=1, max_epochs=100) == 1


def test_hyperband_trials_are_partial_and_keep_the_full_config(tmp_path: Path) -> None:
    tuner = backend(tmp_path, "hyperband", trials=23)  # 23 trials: brackets up to 9 epochs
    trained = []

    def recording(proposal):
        trained.append(proposal.config.training["max_epochs"])
        return scored(proposal)

    run_trials(tuner, recording, n_trials=23)
    finished = tuner.finished()
    assert sorted(set(trained)) == [1, 3, 9]  # the epochs each bracket's rounds allow
    for epochs, trial in zip(trained, finished, strict=True):
        assert trial.config.training["max_epochs"] == 9  # the space's, for the verdict
        assert trial.extra.get("epoch_budget") == (epochs if epochs < 9 else None)
    promoted = [t for t in finished if t.extra.get("epoch_budget") == 3]
    earlier = [t.config for t in finished if t.extra.get("epoch_budget") == 1]
    assert any(t.config in earlier for t in promoted)  # later rounds train the best again


def test_a_familys_hyperparameters_are_active_only_with_that_family(tmp_path: Path) -> None:
    tuner = backend(tmp_path, "random")
    run_trials(tuner, scored, n_trials=10)
    for trial in tuner.oracle.trials.values():
        family = trial.hyperparameters.values["family"]
        names = {n for n in trial.hyperparameters.values if "." in n}
        assert names and all(n.startswith(f"{family}.") for n in names)


def test_choices_of_mixed_types_are_chosen_by_index(tmp_path: Path) -> None:
    mixed = TWO_FAMILIES.replace(
        "hidden_factor: {type: float, low: 1.0, high: 2.0}",
        "hidden_factor: {type: categorical, choices: [1, 1.5, 2.0]}",  # int and float
    )
    tuner = backend(tmp_path, "random", text=mixed)
    factors = []
    for _ in range(12):
        proposal = tuner.ask(Config("resmlp", {}, {}))
        factors.append(proposal.config.hyperparameters["hidden_factor"])
        tuner.tell(scored(proposal))
    assert set(map(repr, factors)) == {"1", "1.5", "2.0"}  # each back as it was written


def test_a_fixed_choice_keeps_its_type_beside_an_equal_one(tmp_path: Path) -> None:
    equal = TWO_FAMILIES.replace(
        "hidden_factor: {type: float, low: 1.0, high: 2.0}",
        "hidden_factor: {type: categorical, choices: [1, 1.0, 2.0]}",  # 1 == 1.0
    )
    tuner = backend(tmp_path, "random", text=equal)
    for wanted in (1.0, 1, 2.0):
        proposal = tuner.ask(Config("resmlp", {"hidden_factor": wanted}, {}))
        assert repr(proposal.config.hyperparameters["hidden_factor"]) == repr(wanted)
        tuner.tell(scored(proposal))
    factors = [t.config.hyperparameters["hidden_factor"] for t in tuner.finished()]
    assert list(map(repr, factors)) == ["1.0", "1", "2.0"]


def test_a_hundred_trials_keep_the_state_small(tmp_path: Path) -> None:
    long = TWO_FAMILIES.replace("max_epochs: 9", "max_epochs: 100")
    tuner = backend(tmp_path, "random", trials=100, text=long)
    run_trials(tuner, scored, n_trials=100)  # 100 epochs of history each
    state = tmp_path / "run" / "kerastuner"
    size = sum(f.stat().st_size for f in state.rglob("*") if f.is_file())
    assert size < 2 * 2**20
    assert not [f for f in state.rglob("*") if f.suffix in {".h5", ".keras", ".weights"}]


def test_a_run_of_the_other_backend_is_not_mixed_in(tmp_path: Path) -> None:
    space = space_from(tmp_path)
    settings = BackendSettings(tmp_path, "maximize", 0)
    run_trials(make_backend("optuna", space, settings), scored, n_trials=1)
    with pytest.raises(UserError, match="holds a search run with the optuna backend"):
        make_backend("kerastuner", space, settings)


def test_booleans_come_back_as_booleans(tmp_path: Path) -> None:
    space = space_from(tmp_path)
    mlp = space.families["mlp"]
    flagged = {**mlp.hyperparameters, "flag": CategoricalParam((False, True))}
    space = replace(space, families={"mlp": replace(mlp, hyperparameters=flagged)})
    settings = BackendSettings(tmp_path, "maximize", 0, tuner="random")
    tuner = make_backend("kerastuner", space, settings)
    run_trials(tuner, scored, n_trials=8)
    flags = [t.config.hyperparameters["flag"] for t in tuner.finished()]
    assert set(flags) == {False, True} and all(type(f) is bool for f in flags)


def test_a_resumed_run_keeps_its_tuner_and_its_space(tmp_path: Path) -> None:
    run_trials(backend(tmp_path, "hyperband"), scored, n_trials=3)
    settings = BackendSettings(tmp_path / "run", "maximize", 0)  # no --tuner
    resumed = make_backend("kerastuner", space_from(tmp_path), settings)
    assert resumed.tuner_name == "hyperband" and len(resumed.finished()) == 3
    with pytest.raises(UserError, match="searched with --tuner hyperband"):
        backend(tmp_path, "random")
    with pytest.raises(UserError, match="search space differs"):
        backend(tmp_path, "hyperband", text=TWO_FAMILIES.replace("high: 4", "high: 5"))


def test_a_record_cut_short_by_a_crash_is_dropped_and_the_next_starts_afresh(tmp_path) -> None:
    first = backend(tmp_path, "random")
    run_trials(first, scored, n_trials=2)
    records = tmp_path / "run" / "kerastuner" / "deepenough_trials.jsonl"
    whole = records.read_text()
    records.write_text(whole + whole.splitlines()[0][:40])  # a kill in mid-write
    resumed = backend(tmp_path, "random")
    assert len(resumed.finished()) == 2
    run_trials(resumed, scored, n_trials=3)
    assert [t.number for t in backend(tmp_path, "random").finished()] == [0, 1, 2]
