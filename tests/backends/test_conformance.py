"""What every search backend must do, run for each of them with a deterministic stand-in
for training (so scores, and the proposals that follow them, repeat exactly).

A new backend joins by adding its name to `BACKENDS` below.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from _stub_trials import TWO_FAMILIES, scored

from deepenough import models
from deepenough.backends import (
    BackendSettings,
    InProcess,
    Proposal,
    TrialResult,
    count_towards_total,
    make_backend,
    run_trials,
    trial_from_entry,
)
from deepenough.spaces import Config, FamilySchema, ParamRule, SearchSpace, load_space

BACKENDS = {
    "optuna": ("optuna", None),
    "kerastuner-random": ("kerastuner", "random"),
    "kerastuner-bayesian": ("kerastuner", "bayesian"),
    "kerastuner-hyperband": ("kerastuner", "hyperband"),
}

RESULTS_KEYS = {
    "number",
    "family",
    "depth",
    "depth_class",
    "width",
    "hyperparameters",
    "n_params",
    "fit_seconds",
    "status",
    "value",
    "validation_loss",
    "best_epoch",
    "history",
    "error",
}


@pytest.fixture
def space(tmp_path: Path):
    path = tmp_path / "two.yaml"
    path.write_text(TWO_FAMILIES)
    return load_space(path, models.catalog())


SLOW_BACKENDS = {"kerastuner-bayesian"}
"""Its Gaussian process takes seconds a proposal: in the whole suite, not the quick loop."""


WORKERS = (1, 2)
"""Trials in flight: each test runs with one and with two."""


@pytest.fixture(
    params=[
        pytest.param((name, workers), marks=pytest.mark.slow, id=f"{name}-{workers}")
        if name in SLOW_BACKENDS
        else pytest.param((name, workers), id=f"{name}-{workers}")
        for name in BACKENDS
        for workers in WORKERS
    ]
)
def backend_factory(request, space):
    name, workers = request.param
    backend, tuner = BACKENDS[name]

    def make(run_dir: Path, seed: int = 0, trials: int = 24, of: SearchSpace | None = None):
        # 24 trials: the Bayesian oracle samples 8 at random before its Gaussian process
        # (which takes seconds a proposal) begins, so that only the longer tests reach it.
        run_dir.mkdir(parents=True, exist_ok=True)
        settings = BackendSettings(
            run_dir, "maximize", seed, tuner=tuner, trials=trials, workers=workers
        )
        return make_backend(backend, of or space, settings)

    make.workers = workers
    return make


@pytest.fixture
def workers(backend_factory) -> int:
    return backend_factory.workers


def run(backend, objective, workers: int, **options) -> list[TrialResult]:
    """`run_trials` with `workers` trials in flight (results come back newest first)."""
    return run_trials(backend, InProcess(objective, workers), **options)


def test_proposals_stay_in_the_space_and_conditional_values_in_their_family(
    backend_factory, workers, space, tmp_path: Path
) -> None:
    backend = backend_factory(tmp_path)
    run(backend, scored, workers, n_trials=11)
    finished = backend.finished()
    assert {t.config.family for t in finished} == {"mlp", "resmlp"}  # both are explored
    for trial in finished:
        config = trial.config
        declared = space.families[config.family].hyperparameters
        assert set(config.hyperparameters) == set(declared)  # nothing from the other family
        params = config.hyperparameters
        if config.family == "mlp":
            assert 0 <= params["depth"] <= 4 and 4 <= params["width"] <= 64
            assert params["activation"] in {"relu", "tanh"} and params["dropout"] == 0.0
        else:
            assert 1 <= params["blocks"] <= 3 and params["d"] in {8, 16, 24, 32}
            assert 1.0 <= params["hidden_factor"] <= 2.0 and params["hidden_dropout"] == 0.0
        assert 1e-3 <= config.training["learning_rate"] <= 3e-2
        assert config.training["batch_size"] in {16, 32}
        assert config.training["max_epochs"] == 9  # the space's, also for Hyperband


def test_the_trial_count_is_respected(backend_factory, workers, tmp_path: Path) -> None:
    backend = backend_factory(tmp_path)
    done = run(backend, scored, workers, n_trials=7)
    assert len(done) == 7 and len(backend.finished()) == 7
    assert [t.number for t in backend.finished()] == list(range(7))


def test_the_time_budget_is_respected(backend_factory, workers, tmp_path: Path) -> None:
    backend = backend_factory(tmp_path)
    assert run(backend, scored, workers, n_trials=50, deadline=time.monotonic() - 1) == []

    def slow(proposal: Proposal) -> TrialResult:
        time.sleep(0.1)
        return scored(proposal)

    started = time.monotonic()
    done = run(backend, slow, workers, n_trials=500, deadline=started + 0.7)
    assert 2 <= len(done) <= 7
    # No trial started without time for it; in process, trials in flight train one after
    # another, so the last ones end up to one trial's time later each.
    assert time.monotonic() - started < 0.7 + 0.1 * workers


def test_the_same_seed_proposes_the_same_configs(backend_factory, workers, tmp_path: Path) -> None:
    runs = []
    for name, seed, trials in (("a", 11, 10), ("b", 11, 10), ("c", 12, 4)):
        backend = backend_factory(tmp_path / name, seed=seed)
        run(backend, scored, workers, n_trials=trials)
        runs.append([t.config for t in backend.finished()])
    assert runs[0] == runs[1]
    assert runs[0][:4] != runs[2]  # the seed matters


def test_a_failing_trial_is_recorded_and_the_search_goes_on(
    backend_factory, workers, tmp_path
) -> None:
    def every_third_fails(proposal: Proposal) -> TrialResult:
        if proposal.number % 3 == 1:
            return TrialResult(proposal.number, proposal.config, "failed", error="boom")
        return scored(proposal)

    backend = backend_factory(tmp_path)
    run(backend, every_third_fails, workers, n_trials=9)
    statuses = [t.status for t in backend.finished()]
    assert statuses == ["complete", "failed", "complete"] * 3
    assert all(t.error == "boom" for t in backend.finished() if t.status == "failed")


def test_every_trial_keeps_the_results_contract(backend_factory, workers, tmp_path: Path) -> None:
    backend = backend_factory(tmp_path)
    run(backend, scored, workers, n_trials=5)
    for trial in backend.finished():
        entry = trial.to_record().to_dict()
        assert set(entry) >= RESULTS_KEYS
        assert entry["status"] == "complete" and entry["value"] is not None
        assert len(entry["history"]["validation"]) == entry["best_epoch"]
        assert trial_from_entry(entry) == trial


def test_resume_continues_instead_of_restarting(backend_factory, workers, tmp_path: Path) -> None:
    first = backend_factory(tmp_path)
    run(first, scored, workers, n_trials=4)
    before = first.finished()

    resumed = backend_factory(tmp_path)
    assert resumed.finished() == before
    run(resumed, scored, workers, n_trials=8)  # --trials is the study's total
    after = resumed.finished()
    assert after[:4] == before and [t.number for t in after] == list(range(8))

    replayed = [t.config for t in after[4:]] == [t.config for t in before]
    assert not replayed  # a restarted sampler would propose its first configs again


def test_a_trial_left_running_is_interrupted_and_trained_again(backend_factory, workers, tmp_path):
    crashed = backend_factory(tmp_path)
    run(crashed, scored, workers, n_trials=2)
    # The process dies during a trial with fixed values (a depth-class reference): the
    # state shows it running, with the values it trained.
    lost = crashed.ask(Config("resmlp", {"blocks": 3}, {"learning_rate": 0.02}))

    resumed = backend_factory(tmp_path)
    interrupted = resumed.finished()[-1]
    assert (interrupted.number, interrupted.status) == (lost.number, "interrupted")
    assert interrupted.config.flat() == {**lost.config.flat(), "max_epochs": 9}
    again = resumed.ask()
    assert again.number > lost.number and again.config == lost.config
    assert resumed.tell(scored(again)).extra.get("rerun_of") == lost.number

    reopened = backend_factory(tmp_path)  # no second re-run
    run(reopened, scored, workers, n_trials=5)
    finished = reopened.finished()
    assert [t.status for t in finished].count("interrupted") == 1
    assert [t.extra["rerun_of"] for t in finished if "rerun_of" in t.extra] == [lost.number]
    assert count_towards_total(finished) == 5


def test_ctrl_c_records_every_running_trial_as_interrupted(
    backend_factory, workers, tmp_path
) -> None:
    backend = backend_factory(tmp_path)

    def interrupted_at_the_third(proposal: Proposal) -> TrialResult:
        if proposal.number == 2:
            raise KeyboardInterrupt
        return scored(proposal)

    def reference_third(finished: list[TrialResult], running: list[Config]) -> Config | None:
        return Config("mlp", {"depth": 4}, {}) if len(finished) + len(running) == 2 else None

    with pytest.raises(KeyboardInterrupt):
        run(backend, interrupted_at_the_third, workers, n_trials=4, plan=reference_third)
    statuses = [t.status for t in backend.finished()]
    # One worker: trial 2 was the only one running. Two: trial 0 was still training
    # (results come back newest first) when trial 2 was interrupted.
    if workers == 1:
        assert statuses == ["complete", "complete", "interrupted"]
    else:
        assert statuses == ["interrupted", "complete", "interrupted"]
    assert all("Ctrl-C" in t.error for t in backend.finished() if t.status == "interrupted")
    interrupted = {t.number: t for t in backend.finished() if t.status == "interrupted"}

    resumed = backend_factory(tmp_path)
    run(resumed, scored, workers, n_trials=4)
    finished = resumed.finished()
    reruns = {t.extra["rerun_of"]: t for t in finished if "rerun_of" in t.extra}
    assert set(reruns) == set(interrupted)  # each interrupted config again, once
    for number, trial in interrupted.items():
        assert reruns[number].config == trial.config
    assert reruns[2].config.hyperparameters["depth"] == 4  # the fixed values, again
    assert count_towards_total(finished) == 4


class Pending:
    """A `Runner` with two slots whose proposals train until a result is asked for."""

    slots = 2

    def __init__(self) -> None:
        self.training: list[Proposal] = []
        self.stopped: list[int] | None = None

    def start(self, proposal: Proposal) -> None:
        self.training.append(proposal)

    def next_result(self) -> TrialResult:
        return scored(self.training.pop(0))

    def stop(self) -> None:
        self.stopped = [p.number for p in self.training]
        self.training.clear()


def test_ctrl_c_between_two_results_stops_the_trial_still_training(
    backend_factory, tmp_path
) -> None:
    backend, runner = backend_factory(tmp_path), Pending()

    def on_trial(result: TrialResult) -> None:
        raise KeyboardInterrupt  # while the listener shows the first result

    with pytest.raises(KeyboardInterrupt):
        run_trials(backend, runner, n_trials=4, on_trial=on_trial)
    assert runner.stopped == [1] and not runner.training
    assert [t.status for t in backend.finished()] == ["complete", "interrupted"]


def test_fixed_values_are_used_and_the_rest_is_sampled(backend_factory, tmp_path) -> None:
    backend = backend_factory(tmp_path)
    widths = set()
    for _ in range(6):
        proposal = backend.ask(Config("mlp", {"depth": 3}, {"learning_rate": 0.005}))
        params = proposal.config.hyperparameters
        assert proposal.config.family == "mlp" and set(params) == {
            "depth",
            "width",
            "activation",
            "dropout",
        }
        assert params["depth"] == 3 and proposal.config.training["learning_rate"] == 0.005
        assert 4 <= params["width"] <= 64 and params["activation"] in {"relu", "tanh"}
        widths.add(params["width"])
        backend.tell(scored(proposal))
    assert len(widths) > 1  # what is not fixed is still sampled
    assert [t.config.hyperparameters["depth"] for t in backend.finished()] == [3] * 6


# The call order of `Backend`'s contract.


def test_a_proposal_is_finished_once_told_and_not_before(backend_factory, tmp_path) -> None:
    backend = backend_factory(tmp_path)
    assert backend.finished() == []
    first = backend.ask()
    assert first.number == 0 and backend.finished() == []  # outstanding: not finished yet
    told = backend.tell(replace(scored(first), fit_seconds=0.123456789))
    assert told.number == first.number and backend.finished() == [told]  # as `tell` said
    second = backend.ask()
    assert second.number == 1 and backend.finished() == [told]
    last = backend.tell(scored(second))
    assert backend.finished() == [told, last]


def test_telling_a_number_not_outstanding_raises_and_changes_nothing(
    backend_factory, tmp_path
) -> None:
    backend = backend_factory(tmp_path)
    with pytest.raises(KeyError, match="no proposal numbered 0"):
        backend.tell(TrialResult(0, Config("mlp", {}, {}), "failed"))  # nothing asked yet
    proposal = backend.ask()
    result = scored(proposal)
    with pytest.raises(KeyError, match="no proposal numbered 7"):
        backend.tell(replace(result, number=7))  # a number never asked
    assert backend.finished() == []
    backend.tell(result)  # the outstanding proposal is still told as usual
    with pytest.raises(KeyError, match="no proposal numbered 0"):
        backend.tell(result)  # told already
    assert [t.number for t in backend.finished()] == [0]
    assert [t.number for t in backend_factory(tmp_path).finished()] == [0]


def test_outstanding_proposals_are_numbered_apart_and_told_in_any_order(
    backend_factory, tmp_path
) -> None:
    backend = backend_factory(tmp_path)
    first, second, third = backend.ask(), backend.ask(), backend.ask()
    assert len({first.number, second.number, third.number}) == 3
    configs = [first.config, second.config, third.config]
    assert all(a != b for a in configs for b in configs if a is not b)  # each sampled anew
    later = backend.tell(scored(second))
    assert backend.finished() == [later]
    earlier = backend.tell(scored(first))
    assert backend.finished() == [earlier, later]  # by number
    backend.tell(scored(third))
    assert [t.number for t in backend_factory(tmp_path).finished()] == sorted(
        [first.number, second.number, third.number]
    )


# Categorical choices come back as written: a boolean stays a bool, never 1 or 'True'.

SWEEP = """\
families:
  toy:
    hyperparameters:
      flag: {type: categorical, choices: [true, false]}
      mixed: {type: categorical, choices: [relu, 3, 0.5, true]}
training:
  learning_rate: {type: float, low: 1.0e-3, high: 3.0e-2, log: true}
  batch_size: 16
  max_epochs: 9
  patience: 3
"""
SWEEP_CATALOG = {
    # A family whose rules take any plain value, so that the loader keeps mixed choices.
    "toy": FamilySchema({"flag": ParamRule(bool, False), "mixed": ParamRule(object, "relu")})
}
CHOICES = {"flag": [True, False], "mixed": ["relu", 3, 0.5, True]}


def typed(config: Config) -> dict[str, tuple[type, Any]]:
    """`config`'s values with their types, so that `True` and `1` compare unequal."""
    return {name: (type(value), value) for name, value in config.flat().items()}


def typed_choices(config: Config) -> dict[str, tuple[type, Any]]:
    return {name: typed(config)[name] for name in CHOICES}


@pytest.fixture
def sweep(tmp_path: Path) -> SearchSpace:
    path = tmp_path / "sweep.yaml"
    path.write_text(SWEEP)
    return load_space(path, SWEEP_CATALOG)


def test_sampled_choices_keep_their_type_and_survive_a_resume(
    backend_factory, workers, sweep, tmp_path
) -> None:
    trained: dict[int, Config] = {}

    def recording(proposal: Proposal) -> TrialResult:
        trained[proposal.number] = proposal.config
        return scored(proposal)

    # 20 trials show every choice (Optuna's TPE needs 16 with this seed); with 60 planned,
    # the Bayesian oracle draws all 20 at random, before its slow Gaussian process.
    backend = backend_factory(tmp_path / "run", trials=60, of=sweep)
    run(backend, recording, workers, n_trials=20)
    finished = backend.finished()
    proposed = [trained[n] for n in sorted(trained)]
    for name, choices in CHOICES.items():
        written = {(type(c), c) for c in choices}
        assert {typed(c)[name] for c in proposed} == written  # every choice, as written
        assert {typed(t.config)[name] for t in finished} == written
    assert [typed_choices(t.config) for t in finished] == list(map(typed_choices, proposed))
    lost = backend.ask()  # the process dies during this trial

    resumed = backend_factory(tmp_path / "run", trials=60, of=sweep)
    assert [typed(t.config) for t in resumed.finished()[:-1]] == [typed(t.config) for t in finished]
    interrupted = resumed.finished()[-1]  # rebuilt from the backend's own state
    assert typed_choices(interrupted.config) == typed_choices(lost.config)
    again = resumed.ask()
    assert typed(again.config) == typed(lost.config)


def test_fixed_choices_keep_their_type(backend_factory, sweep, tmp_path) -> None:
    backend = backend_factory(tmp_path, of=sweep)
    for mixed, flag in zip(CHOICES["mixed"], [False, True, False, True], strict=True):
        proposal = backend.ask(Config("toy", {"mixed": mixed, "flag": flag}, {}))
        wanted = {"flag": (bool, flag), "mixed": (type(mixed), mixed)}
        assert typed_choices(proposal.config) == wanted
        assert typed_choices(backend.tell(scored(proposal)).config) == wanted
    recorded = [typed_choices(t.config) for t in backend_factory(tmp_path, of=sweep).finished()]
    assert recorded == [typed_choices(t.config) for t in backend.finished()]
