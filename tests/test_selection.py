"""Choosing the exported trial: by validation on large data, by cross-validation on small."""

import numpy as np
import pytest

from deepenough import _selection, models
from deepenough._selection import rank_by_validation, select_winner
from deepenough.backends import TrialResult
from deepenough.data import load_dataset
from deepenough.metrics import get_metric
from deepenough.spaces import Config
from deepenough.train import PackedData

TRAINING = {"learning_rate": 0.02, "batch_size": 32, "max_epochs": 3, "patience": 2}
ACCURACY = get_metric("accuracy", "classification")


def trial(number: int, value: float, depth: int, loss: float = 0.5, status="complete"):
    config = Config(
        "mlp", {"depth": depth, "width": 8, "activation": "relu", "dropout": 0.0}, TRAINING
    )
    return TrialResult(
        number,
        config,
        status,
        depth=depth,
        value=value,
        validation_loss=loss,
        best_epoch=2,
        n_params=10 * (depth + 1),
    )


@pytest.fixture
def packed(classification_frame):
    dataset = load_dataset(classification_frame)
    encoder = models.build_encoder(dataset.spec)
    x = models.encode(encoder, classification_frame.drop(columns="label"), dataset.spec)
    y = np.concatenate([dataset.train.target, dataset.validation.target, dataset.test.target])
    return dataset.spec, PackedData(x[: len(y)], y)


def test_ranking_breaks_ties_by_loss_then_size_and_prefers_complete() -> None:
    trials = [
        trial(0, 0.9, 3, loss=0.2),
        trial(1, 0.9, 1, loss=0.1),
        trial(2, 0.95, 2, status="pruned"),
        trial(3, 0.9, 0, loss=0.1),
    ]
    assert [t.number for t in rank_by_validation(trials, ACCURACY)] == [3, 1, 0]
    only_pruned = [trial(5, 0.7, 1, status="pruned"), trial(6, 0.8, 1, status="pruned")]
    assert rank_by_validation(only_pruned, ACCURACY)[0].number == 6
    assert rank_by_validation([trial(7, 0.5, 1, status="failed")], ACCURACY) == []


def test_small_data_is_chosen_by_cross_validation(packed) -> None:
    spec, data = packed
    trials = [trial(0, 1.0, 2), trial(1, 1.0, 0), trial(2, 0.9, 1), trial(3, 1.0, 2)]
    selection = select_winner(trials, ACCURACY, spec, data)
    details = selection.details
    assert details["method"] == "cross-validation" and details["folds"] == 5
    assert set(details["scores"]) == {"0", "1", "2"}  # trial 3 repeats trial 0's config
    assert all(len(scores) == 5 for scores in details["scores"].values())
    best_mean = max(details["means"].values())
    assert details["means"][str(selection.winner.number)] == best_mean
    tied = [t for t in trials if details["means"].get(str(t.number)) == best_mean]
    assert selection.winner.n_params == min(t.n_params for t in tied)  # ties: simpler model
    assert "5-fold cross-validation" in selection.reason


def test_candidates_start_with_the_best_of_each_family() -> None:
    cnn = Config("cnn", {"blocks": 1, "filters": 4, "kernel_size": 3, "residual": False}, TRAINING)
    trials = [trial(n, 1.0, 1 + n, loss=0.01 * n) for n in range(8)]
    trials.append(TrialResult(9, cnn, "complete", depth=1, value=1.0, validation_loss=0.5))
    candidates = _selection._candidates(rank_by_validation(trials, ACCURACY))
    assert len(candidates) == _selection.CV_CANDIDATES
    assert [c.config.family for c in candidates[:2]] == ["mlp", "cnn"]


def test_large_data_is_chosen_by_validation(packed, monkeypatch) -> None:
    spec, data = packed
    monkeypatch.setattr(_selection, "CV_MAX_ROWS", 10)
    selection = select_winner([trial(0, 0.8, 1), trial(1, 0.9, 2)], ACCURACY, spec, data)
    assert selection.winner.number == 1 and selection.details == {"method": "validation"}


def test_a_passed_deadline_still_scores_one_candidate(packed) -> None:
    spec, data = packed
    selection = select_winner(
        [trial(0, 1.0, 1), trial(1, 0.9, 2)], ACCURACY, spec, data, deadline=0.0
    )
    assert list(selection.details["scores"]) == ["0"]
