"""What the Optuna backend does beyond the conformance suite: pruning, and queued trials."""

from pathlib import Path

import pytest

from deepenough import models
from deepenough.backends import BackendSettings, Proposal, TrialResult, make_backend, run_trials
from deepenough.backends._optuna import PRUNER_STARTUP_TRIALS, PRUNER_WARMUP_EPOCHS
from deepenough.spaces import Config, load_space


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


def test_a_queued_trial_never_started_is_not_interrupted(space, tmp_path) -> None:
    crashed = make_backend("optuna", space, settings(tmp_path))
    run_trials(crashed, scored, n_trials=2)
    lost = crashed.ask()  # the process dies here: the journal shows the trial running
    crashed.study.enqueue_trial({"family": "mlp"})  # queued, never started

    resumed = make_backend("optuna", space, settings(tmp_path))
    assert [t.status for t in resumed.finished()] == ["complete"] * 2 + ["interrupted"]
    assert resumed.finished()[-1].config == lost.config  # rebuilt, constants included
    run_trials(resumed, scored, n_trials=5)
    finished = resumed.finished()
    assert [t.status for t in finished].count("interrupted") == 1
    assert sum(t.config == lost.config for t in finished) == 2


def test_pruning_is_reported_through_the_proposal(space, tmp_path: Path) -> None:
    backend = make_backend("optuna", space, settings(tmp_path))
    run_trials(backend, scored, n_trials=6)
    strong, weak = backend.ask(), backend.ask()
    warm = PRUNER_WARMUP_EPOCHS + 1
    assert not weak.report(PRUNER_WARMUP_EPOCHS - 1, -100.0)  # within the warm-up epochs
    assert not strong.report(warm, 100.0)  # above the median of earlier trials: keep going
    assert weak.report(warm, -100.0)  # far below it: prune


def test_a_trial_is_pruned_only_against_its_own_family(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "families:\n"
        "  mlp:\n    hyperparameters: {depth: 1, width: 8}\n"
        "  recursive:\n    hyperparameters: {k: 2, width: 8}\n"
        "training: {learning_rate: 0.01, batch_size: 32, max_epochs: 30, patience: 5}\n"
    )
    space = load_space(path, models.catalog())
    backend = make_backend("optuna", space, settings(tmp_path))
    for _ in range(PRUNER_STARTUP_TRIALS):  # fast starters, all mlp
        backend.tell(scored(backend.ask(Config("mlp", {}, {}))))
    slow = backend.ask(Config("recursive", {}, {}))
    weak = backend.ask(Config("mlp", {}, {}))
    warm = PRUNER_WARMUP_EPOCHS + 1
    assert not slow.report(warm, -100.0)  # no recursive trial to compare with yet
    assert weak.report(warm, -100.0)  # trails its own family's median
