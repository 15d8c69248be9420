from pathlib import Path

import pytest

from deepenough import models
from deepenough.backends import BackendSettings, Proposal, TrialResult, make_backend, run_trials
from deepenough.backends._optuna import PRUNER_WARMUP_EPOCHS
from deepenough.errors import UserError
from deepenough.spaces import load_space


@pytest.fixture
def space(tiny_space: Path):
    return load_space(tiny_space, models.catalog())


def settings(run_dir: Path, seed: int = 0) -> BackendSettings:
    return BackendSettings(run_dir=run_dir, direction="maximize", seed=seed)


def scored(proposal: Proposal) -> TrialResult:
    """A deterministic stand-in for training: the score follows the config."""
    params = proposal.config.hyperparameters
    value = params["width"] / 16 - abs(params["depth"] - 2) * 0.1
    for epoch in range(1, PRUNER_WARMUP_EPOCHS + 3):
        proposal.report(epoch, value)
    return TrialResult(
        proposal.number,
        proposal.config,
        "complete",
        depth=params["depth"],
        value=value,
        best_epoch=1,
        fit_seconds=0.01,
    )


def test_proposals_respect_the_space(space, tmp_path: Path) -> None:
    backend = make_backend("optuna", space, settings(tmp_path))
    for _ in range(8):
        proposal = backend.ask()
        params = proposal.config.hyperparameters
        assert proposal.config.family == "mlp"
        assert 0 <= params["depth"] <= 3 and 4 <= params["width"] <= 16
        assert params["dropout"] == 0.0
        assert proposal.config.training["max_epochs"] == 3
        backend.tell(scored(proposal))
    assert [t.number for t in backend.finished()] == list(range(8))


def test_same_seed_proposes_the_same_configs(space, tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        backend = make_backend("optuna", space, settings(tmp_path / name, seed=7))
        run_trials(backend, scored, n_trials=12)
        runs.append([t.config for t in backend.finished()])
    assert runs[0] == runs[1]


def test_results_survive_a_new_backend_instance(space, tmp_path: Path) -> None:
    first = make_backend("optuna", space, settings(tmp_path))
    run_trials(first, scored, n_trials=3)
    failed = first.ask()
    first.tell(TrialResult(failed.number, failed.config, "failed", error="boom"))
    resumed = make_backend("optuna", space, settings(tmp_path))
    finished = resumed.finished()
    assert [t.status for t in finished] == ["complete"] * 3 + ["failed"]
    assert finished[3].error == "boom"
    assert finished[0] == first.finished()[0]
    run_trials(resumed, scored, n_trials=6)
    assert len(resumed.finished()) == 6  # --trials is the study's total


def test_a_trial_left_running_is_interrupted_and_trained_again_once(space, tmp_path) -> None:
    crashed = make_backend("optuna", space, settings(tmp_path))
    run_trials(crashed, scored, n_trials=2)
    lost = crashed.ask()  # the process dies here: the journal shows the trial running

    resumed = make_backend("optuna", space, settings(tmp_path))
    interrupted = resumed.finished()[-1]
    assert (interrupted.number, interrupted.status) == (lost.number, "interrupted")
    assert interrupted.config == lost.config  # rebuilt from the journal, constants included
    again = resumed.ask()
    assert again.number > lost.number and again.config == lost.config
    assert resumed.tell(scored(again)).extra == {"rerun_of": lost.number}

    resumed.study.enqueue_trial({"family": "mlp"})  # queued, never started: not interrupted
    reopened = make_backend("optuna", space, settings(tmp_path))  # no second re-run
    run_trials(reopened, scored, n_trials=5)
    finished = reopened.finished()
    assert [t.status for t in finished].count("interrupted") == 1
    assert [t.extra.get("rerun_of") for t in finished if t.extra.get("rerun_of")] == [lost.number]
    assert sum(t.config == lost.config for t in finished) == 2
    assert sum(t.status != "interrupted" for t in finished) == 5


def test_ctrl_c_records_the_running_trial_as_interrupted(space, tmp_path) -> None:
    backend = make_backend("optuna", space, settings(tmp_path))

    def interrupted_at_the_third(proposal: Proposal) -> TrialResult:
        if proposal.number == 2:
            raise KeyboardInterrupt
        return scored(proposal)

    with pytest.raises(KeyboardInterrupt):
        run_trials(backend, interrupted_at_the_third, n_trials=4)
    assert [t.status for t in backend.finished()] == ["complete", "complete", "interrupted"]
    assert "Ctrl-C" in backend.finished()[-1].error


def test_pruning_is_reported_through_the_proposal(space, tmp_path: Path) -> None:
    backend = make_backend("optuna", space, settings(tmp_path))
    run_trials(backend, scored, n_trials=6)
    strong, weak = backend.ask(), backend.ask()
    warm = PRUNER_WARMUP_EPOCHS + 1
    assert not weak.report(PRUNER_WARMUP_EPOCHS - 1, -100.0)  # within the warm-up epochs
    assert not strong.report(warm, 100.0)  # above the median of earlier trials: keep going
    assert weak.report(warm, -100.0)  # far below it: prune


def test_time_budget_stops_before_the_trial_count(space, tmp_path: Path) -> None:
    import time

    backend = make_backend("optuna", space, settings(tmp_path))
    done = run_trials(backend, scored, n_trials=50, deadline=time.monotonic() - 1)
    assert done == []


def test_unknown_backend_is_a_user_error(space, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Unknown backend 'optuner'"):
        make_backend("optuner", space, settings(tmp_path))


def test_fixed_values_are_used_and_the_rest_is_sampled(space, tmp_path: Path) -> None:
    from deepenough.spaces import Config

    backend = make_backend("optuna", space, settings(tmp_path))
    widths = set()
    for _ in range(6):
        proposal = backend.ask(Config("mlp", {"depth": 3}, {"learning_rate": 0.005}))
        params = proposal.config.hyperparameters
        assert params["depth"] == 3 and proposal.config.training["learning_rate"] == 0.005
        assert 4 <= params["width"] <= 16 and params["activation"] in {"relu", "tanh"}
        widths.add(params["width"])
        backend.tell(scored(proposal))
    assert len(widths) > 1  # what is not fixed is still sampled
    assert [t.config.hyperparameters["depth"] for t in backend.finished()] == [3] * 6
    assert [t.number for t in backend.finished()] == list(range(6))
