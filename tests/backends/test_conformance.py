"""What every search backend must do, run for each of them with a deterministic stand-in
for training (so scores, and the proposals that follow them, repeat exactly).

A new backend joins by adding its name to `BACKENDS` below.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from _stub_trials import TWO_FAMILIES, scored

from deepenough import models
from deepenough.backends import (
    BackendSettings,
    Proposal,
    TrialResult,
    count_towards_total,
    make_backend,
    run_trials,
)
from deepenough.spaces import Config, load_space

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


@pytest.fixture(params=list(BACKENDS))
def backend_factory(request, space):
    name, tuner = BACKENDS[request.param]

    def make(run_dir: Path, seed: int = 0, trials: int = 24):
        # 24 trials: the Bayesian oracle samples 8 at random before its Gaussian process
        # (which takes seconds a proposal) begins, so that only the longer tests reach it.
        run_dir.mkdir(parents=True, exist_ok=True)
        settings = BackendSettings(run_dir, "maximize", seed, tuner=tuner, trials=trials)
        return make_backend(name, space, settings)

    return make


def test_proposals_stay_in_the_space_and_conditional_values_in_their_family(
    backend_factory, space, tmp_path: Path
) -> None:
    backend = backend_factory(tmp_path)
    run_trials(backend, scored, n_trials=11)
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


def test_the_trial_count_is_respected(backend_factory, tmp_path: Path) -> None:
    backend = backend_factory(tmp_path)
    done = run_trials(backend, scored, n_trials=7)
    assert len(done) == 7 and len(backend.finished()) == 7
    assert [t.number for t in backend.finished()] == list(range(7))


def test_the_time_budget_is_respected(backend_factory, tmp_path: Path) -> None:
    backend = backend_factory(tmp_path)
    assert run_trials(backend, scored, n_trials=50, deadline=time.monotonic() - 1) == []

    def slow(proposal: Proposal) -> TrialResult:
        time.sleep(0.1)
        return scored(proposal)

    started = time.monotonic()
    done = run_trials(backend, slow, n_trials=500, deadline=started + 0.7)
    assert 2 <= len(done) <= 7
    assert time.monotonic() - started < 0.7 + 0.1  # no trial started without time for it


def test_the_same_seed_proposes_the_same_configs(backend_factory, tmp_path: Path) -> None:
    runs = []
    for name, seed, trials in (("a", 11, 10), ("b", 11, 10), ("c", 12, 4)):
        backend = backend_factory(tmp_path / name, seed=seed)
        run_trials(backend, scored, n_trials=trials)
        runs.append([t.config for t in backend.finished()])
    assert runs[0] == runs[1]
    assert runs[0][:4] != runs[2]  # the seed matters


def test_a_failing_trial_is_recorded_and_the_search_goes_on(backend_factory, tmp_path) -> None:
    def every_third_fails(proposal: Proposal) -> TrialResult:
        if proposal.number % 3 == 1:
            return TrialResult(proposal.number, proposal.config, "failed", error="boom")
        return scored(proposal)

    backend = backend_factory(tmp_path)
    run_trials(backend, every_third_fails, n_trials=9)
    statuses = [t.status for t in backend.finished()]
    assert statuses == ["complete", "failed", "complete"] * 3
    assert all(t.error == "boom" for t in backend.finished() if t.status == "failed")


def test_every_trial_keeps_the_results_contract(backend_factory, tmp_path: Path) -> None:
    backend = backend_factory(tmp_path)
    run_trials(backend, scored, n_trials=5)
    for trial in backend.finished():
        entry = trial.to_dict()
        assert set(entry) >= RESULTS_KEYS
        assert entry["status"] == "complete" and entry["value"] is not None
        assert len(entry["history"]["validation"]) == entry["best_epoch"]
        assert TrialResult.from_dict(entry) == trial


def test_resume_continues_instead_of_restarting(backend_factory, tmp_path: Path) -> None:
    first = backend_factory(tmp_path)
    run_trials(first, scored, n_trials=4)
    before = first.finished()

    resumed = backend_factory(tmp_path)
    assert resumed.finished() == before
    run_trials(resumed, scored, n_trials=8)  # --trials is the study's total
    after = resumed.finished()
    assert after[:4] == before and [t.number for t in after] == list(range(8))

    replayed = [t.config for t in after[4:]] == [t.config for t in before]
    assert not replayed  # a restarted sampler would propose its first configs again


def test_a_trial_left_running_is_interrupted_and_trained_again(backend_factory, tmp_path):
    crashed = backend_factory(tmp_path)
    run_trials(crashed, scored, n_trials=2)
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
    run_trials(reopened, scored, n_trials=5)
    finished = reopened.finished()
    assert [t.status for t in finished].count("interrupted") == 1
    assert [t.extra["rerun_of"] for t in finished if "rerun_of" in t.extra] == [lost.number]
    assert count_towards_total(finished) == 5


def test_ctrl_c_records_the_running_trial_as_interrupted(backend_factory, tmp_path) -> None:
    backend = backend_factory(tmp_path)

    def interrupted_at_the_third(proposal: Proposal) -> TrialResult:
        if proposal.number == 2:
            raise KeyboardInterrupt
        return scored(proposal)

    def reference_third(finished: list[TrialResult]) -> Config | None:
        return Config("mlp", {"depth": 4}, {}) if len(finished) == 2 else None

    with pytest.raises(KeyboardInterrupt):
        run_trials(backend, interrupted_at_the_third, n_trials=4, plan=reference_third)
    assert [t.status for t in backend.finished()] == ["complete", "complete", "interrupted"]
    assert "Ctrl-C" in backend.finished()[-1].error

    resumed = backend_factory(tmp_path)
    run_trials(resumed, scored, n_trials=4)
    finished = resumed.finished()
    assert [t.extra.get("rerun_of") for t in finished] == [None, None, None, 2, None]
    assert finished[3].config == finished[2].config
    assert finished[3].config.hyperparameters["depth"] == 4  # the fixed values, again


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
