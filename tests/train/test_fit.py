import numpy as np
import pytest
from _objectives import config, objective_for, packed_train

from deepenough.backends import Proposal
from deepenough.spaces import Config


def test_a_trial_records_history_params_and_timing(classification_frame, tiny_space) -> None:
    result = objective_for(classification_frame, tiny_space)(Proposal(0, config(depth=3)))
    assert result.status == "complete"
    assert result.depth == 3 and result.depth_class == "deep"
    assert len(result.history_train) == len(result.history_validation) == 3
    assert result.value == max(result.history_validation)
    assert result.history_validation[result.best_epoch - 1] == result.value
    assert result.n_params > 0 and result.fit_seconds > 0
    assert all(0.0 <= v <= 1.0 for v in result.history_train)


def test_regression_scores_are_in_target_units(regression_frame, tiny_space) -> None:
    result = objective_for(regression_frame, tiny_space)(Proposal(0, config(depth=1)))
    assert result.status == "complete"
    # an untrained-ish net on y ~ 100 ± 25 has an RMSE on the target's scale, not a unit scale
    assert 2.0 < result.value < 80.0


def test_early_stopping_ends_at_patience(classification_frame, tiny_space) -> None:
    result = objective_for(classification_frame, tiny_space)(
        Proposal(0, config(learning_rate=1e-7, max_epochs=30, patience=2))
    )
    assert len(result.history_validation) < 30


def test_pruning_request_ends_the_trial_as_pruned(classification_frame, tiny_space) -> None:
    result = objective_for(classification_frame, tiny_space)(
        Proposal(0, config(), report=lambda epoch, value: epoch >= 2)
    )
    assert result.status == "pruned"
    assert len(result.history_validation) == 2


def test_non_finite_loss_fails_the_trial_with_the_reason(classification_frame, tiny_space) -> None:
    def poison(x):
        return np.where(np.arange(len(x))[:, None] == 0, np.nan, x).astype("float32")

    result = objective_for(classification_frame, tiny_space, poison)(Proposal(4, config()))
    assert result.status == "failed"
    assert "NonFiniteLoss" in result.error and "epoch 1" in result.error
    assert result.number == 4


def test_a_builder_error_fails_only_that_trial(classification_frame, tiny_space) -> None:
    bad = Config(
        "mlp", {"depth": 2, "width": 8, "activation": "nonsense", "dropout": 0.0}, config().training
    )
    result = objective_for(classification_frame, tiny_space)(Proposal(1, bad))
    assert result.status == "failed" and "nonsense" in result.error


def test_small_training_sets_are_repeated_to_a_minimum_of_steps() -> None:
    from deepenough.train import repeat_rows
    from deepenough.train._fit import MIN_STEPS_PER_EPOCH

    rows = np.arange(40)
    repeated = repeat_rows(rows, batch_size=32)
    assert len(repeated) >= MIN_STEPS_PER_EPOCH * 32
    assert len(repeated) % 40 == 0 and set(repeated) == set(rows)
    assert len(repeat_rows(np.arange(5000), batch_size=32)) == 5000


def test_a_trial_time_cap_keeps_the_best_epoch_so_far(classification_frame, tiny_space) -> None:
    objective = objective_for(classification_frame, tiny_space)
    capped = type(objective)(**{**objective.__dict__, "max_trial_seconds": 0.0})
    result = capped(Proposal(0, config(max_epochs=30, patience=30)))
    assert result.status == "complete"
    assert len(result.history_validation) == 1 and result.best_epoch == 1
    assert result.to_record().to_dict()["time_capped"] is True


def test_a_trial_running_when_the_search_ends_is_pruned(classification_frame, tiny_space) -> None:
    import time

    objective = objective_for(classification_frame, tiny_space)
    ending = type(objective)(**{**objective.__dict__, "search_deadline": time.monotonic()})
    result = ending(Proposal(0, config(max_epochs=30, patience=30)))
    assert result.status == "pruned"
    assert len(result.history_validation) == 1 and result.best_epoch == 1
    assert result.error == "stopped after epoch 1: the search's time budget ran out"
    assert "time_capped" not in result.to_record().to_dict()


def test_a_model_over_the_parameter_budget_is_not_trained(classification_frame, tiny_space) -> None:
    objective = objective_for(classification_frame, tiny_space)
    capped = type(objective)(**{**objective.__dict__, "max_params": 50})
    result = capped(Proposal(0, config(depth=3)))
    assert result.status == "failed" and result.n_params > 50
    assert result.history_validation == () and result.fit_seconds == 0.0
    assert result.error == f"not trained: {result.n_params:,} parameters exceed --max-params 50"
    assert capped(Proposal(1, config(depth=0))).status == "complete"  # 2 inputs → 3 classes


def test_with_folds_a_trial_scores_the_mean_of_one_fit_per_fold(
    classification_frame, tiny_space
) -> None:
    reported: list[int] = []

    def report(epoch: int, value: float) -> bool:
        reported.append(epoch)
        return False

    objective = objective_for(classification_frame, tiny_space, folds=3)
    result = objective(Proposal(0, config(max_epochs=4), report=report))
    assert result.status == "complete"
    folds = result.extra["folds"]
    assert len(folds) == result.fits == 3
    assert result.value == pytest.approx(np.mean(folds), abs=1e-6)
    assert len(set(folds)) > 1  # each fold scores other rows
    # only the first fit reports to the pruner, so every trial's curve means the same
    assert reported == [1, 2, 3, 4] and len(result.history_validation) == 4


def test_a_trial_pruned_in_its_first_fold_trains_no_other(classification_frame, tiny_space) -> None:
    objective = objective_for(classification_frame, tiny_space, folds=3)
    result = objective(Proposal(0, config(), report=lambda epoch, value: epoch >= 2))
    assert result.status == "pruned"
    assert "folds" not in result.extra and result.fits == 1


def test_a_time_cap_leaves_every_fold_about_as_many_epochs(
    classification_frame, tiny_space
) -> None:
    first_fold: list[int] = []

    def report(epoch: int, value: float) -> bool:
        first_fold.append(epoch)
        return False

    objective = objective_for(classification_frame, tiny_space, folds=3, max_trial_seconds=9.0)
    result = objective(Proposal(0, config(max_epochs=10_000, patience=10_000), report=report))
    assert result.fits == 3 and result.extra["time_capped"]
    # each fold had a third of the time: the epochs all reached are most of the first's
    assert len(first_fold) > 2  # the first fold's time was not all of it
    assert len(result.history_validation) >= len(first_fold) / 2
    # an epoch longer than the whole cap: no other fold starts
    objective = objective_for(classification_frame, tiny_space, folds=3, max_trial_seconds=0.01)
    assert objective(Proposal(1, config())).fits == 1


def test_folds_choose_the_epoch_where_their_mean_curve_is_best() -> None:
    from deepenough.train._fit import FitReport
    from deepenough.train._objective import Fitted

    def fold(curve: tuple[float, ...]) -> FitReport:
        best = max(range(len(curve)), key=curve.__getitem__)
        return FitReport(curve, curve, best + 1, curve[best], 0.1, False, 1.0)

    early, late = fold((0.9, 0.8, 0.85, 0.7)), fold((0.5, 0.9, 0.95))
    fitted = Fitted.combine([early, late], 2.0, sign=1.0)
    # each fold's own best (epochs 1 and 3) would refit for 2 epochs; the mean curve
    # (0.7, 0.85, 0.9) is best at the third, the last epoch both folds reached
    assert (fitted.best_epoch, fitted.best_value) == (3, 0.9)
    assert fitted.history_validation == fitted.history_train == (0.7, 0.85, 0.9)
    assert fitted.fold_values == (0.85, 0.95)
    lower = Fitted.combine([fold((3.0, 1.0, 2.0)), fold((2.0, 2.0, 1.0))], 2.0, sign=-1.0)
    assert (lower.best_epoch, lower.best_value) == (3, 1.5)  # ties: the later epoch


def test_a_restarted_model_trains_as_a_freshly_built_one(classification_frame) -> None:
    import keras

    from deepenough import models
    from deepenough.train._fit import fit_epochs, restart, state

    spec, data = packed_train(classification_frame)
    trial = config(depth=2, dropout=0.3)  # the layers' seeds restart too

    def trained(model: keras.Model) -> list[np.ndarray]:
        keras.utils.set_random_seed(7)
        fit_epochs(model, data, spec=spec, training=trial.training, epochs=2)
        return model.get_weights()

    keras.utils.set_random_seed(0)
    model = models.build(trial, spec)
    initial = state(model)
    first = trained(model)
    restart(model, initial)
    again = trained(model)  # the same compiled model, back at its start
    keras.utils.set_random_seed(0)
    fresh = trained(models.build(trial, spec))
    assert not np.allclose(first[0], initial[0])  # it did train
    for restarted, built in zip(again, fresh, strict=True):
        np.testing.assert_allclose(restarted, built, rtol=1e-5, atol=1e-6)


def test_fold_refits_of_one_config_reuse_its_model_and_score_as_fresh_ones(
    classification_frame,
) -> None:
    from deepenough.metrics import get_metric
    from deepenough.train._crossval import CompiledModels, fit_fold, make_folds

    spec, data = packed_train(classification_frame)
    trial = config(depth=2, dropout=0.3)  # the layers' seeds restart too
    folds = make_folds(data.y, "classification", 3, seed=0)
    metric = get_metric(None, "classification")
    compiled = CompiledModels()

    def scores(**cache: CompiledModels) -> list[float]:
        return [
            fit_fold(trial, spec, data, *folds[i], metric=metric, epochs=3, seed=i, **cache).score
            for i in range(3)
        ]

    reused = scores(compiled=compiled)
    assert len(compiled._models) == 1  # one model, restarted for each fold
    assert reused == pytest.approx(scores(), abs=1e-6)  # a fresh build for each
