"""The decision, its evidence and the export, with re-training stubbed by known scores.

`fit_fold` (real Keras training, covered in tests/train and by the end-to-end CLI run)
is replaced by a function of the config's depth, the fold and the training rows, so
that each case has a known answer.
"""

import math
import time
from collections import deque
from dataclasses import replace

import numpy as np
import pytest

from deepenough import models
from deepenough.backends import TrialResult
from deepenough.data import load_dataset
from deepenough.metrics import get_metric
from deepenough.results import Crossover, Probabilities, Rope
from deepenough.spaces import Config, load_space
from deepenough.train import Done, FoldFit, PackedData, _crossval
from deepenough.verdict import finalists, judge, verdict_seconds
from deepenough.verdict._finalists import FIT_OVERHEAD_SECONDS, refit_seconds, smoothed_score

TRAINING = {"learning_rate": 0.01, "batch_size": 32, "max_epochs": 3, "patience": 2}
SPACE = load_space("default", models.catalog()).for_modality("tabular")
DEPTHS = {"linear": 0, "shallow": 2, "deep": 4}


def trial(number: int, depth_class: str, value: float = 0.9) -> TrialResult:
    depth = DEPTHS[depth_class]
    config = Config(
        "mlp", {"depth": depth, "width": 8, "activation": "relu", "dropout": 0.0}, TRAINING
    )
    return TrialResult(
        number, config, "complete", depth, depth_class, value, 0.3, 2, n_params=10 + depth
    )


TRIALS = [trial(0, "linear"), trial(1, "shallow"), trial(2, "deep"), trial(3, "deep", 0.8)]


def stub(monkeypatch, score, seen=None, overhead=0.5) -> None:
    """Re-training gives `score(depth_class, fold_seed, train_rows)` on held-out rows and
    reports `overhead` seconds of building and scoring on top of its training."""

    def fit_fold(config, spec, data, train_rows, held_out, *, metric, epochs, seed, compiled):
        depth_class = SPACE.depth_class(models.depth(config))
        if seen is not None:
            seen.append((depth_class, seed, len(train_rows)))
        value = score(depth_class, seed, train_rows)
        seconds = 0.1 * (1 + DEPTHS[depth_class])
        return FoldFit(value, value + 0.01, seconds, 1.0, seconds + overhead)

    monkeypatch.setattr(_crossval, "fit_fold", fit_fold)


@pytest.fixture
def classification(classification_frame):
    dataset = load_dataset(classification_frame)
    y = dataset.train.target
    return dataset.spec, PackedData(np.zeros((len(y), 1), np.float32), y)


@pytest.fixture
def regression(regression_frame):
    dataset = load_dataset(regression_frame)
    y = dataset.train.target
    return dataset.spec, PackedData(np.zeros((len(y), 1), np.float32), y)


def fold_noise(seed: int) -> float:
    return 0.02 * math.sin(3 * seed)  # shared by every finalist on a fold: paired


def run(data, metric="accuracy", trials=TRIALS, **kwargs):
    spec, packed = data
    return judge(trials, SPACE, spec, get_metric(metric, spec.task), packed, **kwargs)


def test_a_steady_deep_win_says_deep_and_exports_the_deep_finalist(
    monkeypatch, classification
) -> None:
    base = {"linear": 0.70, "shallow": 0.80, "deep": 0.85}
    seen = []
    stub(monkeypatch, lambda c, seed, rows: base[c] + fold_noise(seed), seen)
    verdict = run(classification)
    evidence = verdict.evidence
    assert evidence.decision == "deep" and evidence.headline == "deep needed"
    assert verdict.export.number == 2 and "deep" in verdict.reason
    assert evidence.difference == pytest.approx(0.05)
    assert evidence.interval[0] > 0.01
    assert evidence.probabilities.deep_better >= 0.95
    assert evidence.deep.trial == 2  # the best deep trial by validation, not trial 3
    lengths = {len(evidence.finalist(c).scores) for c in ("linear", "shallow", "deep")}
    assert lengths == {evidence.folds * evidence.repeats} == {10}
    # paired: every finalist saw the same fold seeds in the same order
    paired = [s for s in seen if s[2] == max(x[2] for x in seen)]
    by_class = {c: [seed for d, seed, _ in paired if d == c] for c in DEPTHS}
    assert by_class["linear"] == by_class["shallow"] == by_class["deep"]
    assert evidence.cost.ratio.params == pytest.approx(14 / 12, abs=1e-3)
    assert evidence.memorisation.deep.gap == pytest.approx(0.01)
    assert evidence.linear_suffices is False


def test_equal_scores_say_shallow_and_a_linear_model_within_the_rope_is_exported(
    monkeypatch, classification
) -> None:
    stub(monkeypatch, lambda c, seed, rows: 0.9 + fold_noise(seed))
    verdict = run(classification)
    assert verdict.evidence.decision == "shallow"
    assert verdict.evidence.probabilities == Probabilities(
        deep_better=0.0, equivalent=1.0, shallow_better=0.0
    )
    assert verdict.evidence.linear_suffices is True
    assert verdict.export.number == 0 and "linear" in verdict.reason
    assert "no hidden layer is needed" in verdict.evidence.explanation


def test_a_weak_linear_model_leaves_the_shallow_finalist_exported(
    monkeypatch, classification
) -> None:
    base = {"linear": 0.6, "shallow": 0.9, "deep": 0.9}
    stub(monkeypatch, lambda c, seed, rows: base[c] + fold_noise(seed))
    verdict = run(classification)
    assert verdict.evidence.decision == "shallow"
    assert verdict.evidence.linear_suffices is False
    assert verdict.export.number == 1


def test_a_noisy_small_edge_is_inconclusive_and_says_what_would_settle_it(
    monkeypatch, classification
) -> None:
    def score(c, seed, rows):
        own = 0.03 * math.sin(7 * seed + (1 if c == "deep" else 0))
        return 0.85 + (0.02 if c == "deep" else 0.0) + own

    stub(monkeypatch, score)
    verdict = run(classification)
    evidence = verdict.evidence
    assert evidence.decision == "inconclusive"
    assert 0.05 <= evidence.probabilities.deep_better < 0.95
    assert evidence.headline.startswith("inconclusive: ")
    assert "settle" in evidence.headline
    means = {c: evidence.finalist(c).mean for c in ("shallow", "deep")}
    better = max(means, key=means.get)
    assert verdict.export.number == evidence.finalist(better).trial


def test_regression_uses_a_rope_of_one_percent_of_the_shallow_rmse(monkeypatch, regression) -> None:
    base = {"linear": 12.0, "shallow": 10.0, "deep": 8.0}  # lower RMSE is better
    stub(monkeypatch, lambda c, seed, rows: base[c] * (1 + fold_noise(seed)))
    evidence = run(regression, metric="rmse").evidence
    shallow_mean = evidence.shallow.mean
    assert evidence.rope.value == pytest.approx(0.01 * shallow_mean, abs=1e-6)
    assert "1% of the shallow finalist" in evidence.rope.rule
    assert evidence.difference > 0  # positive: deep better, though its RMSE is lower
    assert evidence.decision == "deep"


def test_a_given_rope_is_used_and_recorded(monkeypatch, classification) -> None:
    base = {"linear": 0.70, "shallow": 0.80, "deep": 0.85}
    stub(monkeypatch, lambda c, seed, rows: base[c] + fold_noise(seed))
    evidence = run(classification, rope=0.1).evidence
    assert evidence.rope == Rope(value=0.1, rule="given: 0.1 accuracy")
    assert evidence.decision == "shallow"  # a 5-point win is inside a 10-point ROPE


def test_without_a_deep_trial_the_verdict_is_inconclusive(monkeypatch, classification) -> None:
    stub(monkeypatch, lambda c, seed, rows: 0.9)
    verdict = run(classification, trials=TRIALS[:2])
    assert verdict.evidence.decision == "inconclusive"
    assert "no deep config was scored" in verdict.evidence.headline
    assert verdict.evidence.deep is None
    assert verdict.export.number in (0, 1)


def test_no_scored_trial_gives_no_verdict(classification) -> None:
    failed = TrialResult(0, TRIALS[0].config, "failed", 0, "linear")
    assert run(classification, trials=[failed]) is None


def test_a_passed_deadline_keeps_two_paired_folds_and_skips_the_crossover(
    monkeypatch, classification
) -> None:
    stub(monkeypatch, lambda c, seed, rows: 0.9 + fold_noise(seed))
    evidence = run(classification, deadline=time.monotonic() - 1).evidence
    assert evidence.paired_folds == 2
    assert all(len(evidence.finalist(c).scores) == 2 for c in DEPTHS)
    assert evidence.crossover is not None and evidence.crossover.skipped


def test_the_crossover_is_skipped_when_its_whole_refits_would_pass_the_deadline(
    monkeypatch, classification
) -> None:
    stub(monkeypatch, lambda c, seed, rows: 0.9 + fold_noise(seed), overhead=10.0)
    evidence = run(classification, deadline=time.monotonic() + 60).evidence
    assert evidence.paired_folds == 10
    # (0.3 + 10) s shallow + (0.5 + 10) s deep, for 3 fractions on 3 folds: 187 s, where
    # their training alone (7 s) would fit in the 60 s left
    skipped = "the time budget left no room (about 187 s needed)"
    assert evidence.crossover == Crossover(skipped=skipped)


def test_the_crossover_finds_where_deep_overtakes_shallow(monkeypatch, classification) -> None:
    _, packed = classification
    n = len(packed)

    def score(c, seed, rows):
        share = len(rows) / (0.8 * n)  # share of a fold's training rows
        advantage = 0.1 * math.log2(share) + 0.13 if c == "deep" else 0.0  # grows with data
        return 0.8 + advantage + fold_noise(seed)

    stub(monkeypatch, score)
    crossover = run(classification).evidence.crossover
    assert crossover.fractions == (0.1, 0.25, 0.5, 1.0)
    assert crossover.difference[0] < 0 < crossover.difference[-1]
    assert crossover.deep_overtakes_at == 0.5
    assert crossover.trend_per_doubling == pytest.approx(0.1, abs=0.02)
    assert crossover.more_data_favours_depth is True


def test_ctrl_c_while_re_training_judges_on_the_folds_every_finalist_finished(
    monkeypatch, classification
) -> None:
    seen = []

    def score(c, seed, rows):
        if len(seen) == 5:  # fold 2: linear done, then Ctrl-C during shallow
            raise KeyboardInterrupt
        return 0.9

    stub(monkeypatch, score, seen)
    verdict = run(classification)
    evidence = verdict.evidence
    assert evidence.interrupted is True and evidence.paired_folds == 1
    assert all(len(evidence.finalist(c).scores) == 1 for c in DEPTHS)
    assert evidence.crossover == Crossover(skipped="interrupted")
    assert evidence.decision == "inconclusive" and evidence.probabilities is None
    assert "one paired fold" in evidence.headline


class TwoWorkers:
    """A `WorkerPool` of two workers whose jobs run when they are waited for."""

    size = 2

    def __init__(self) -> None:
        self.running: deque = deque()

    def use(self, handler) -> None:
        self.handler = handler

    def submit(self, key, job) -> None:
        if len(self.running) == self.size:
            raise RuntimeError("every worker is busy")
        self.running.append((key, job))

    def wait(self) -> Done:
        key, job = self.running.popleft()
        return Done(key, self.handler(job))

    def stop_running(self) -> None:
        self.running.clear()


def test_ctrl_c_between_two_re_trainings_stops_the_one_still_running(
    monkeypatch, classification
) -> None:
    stub(monkeypatch, lambda c, seed, rows: 0.9)
    pool = TwoWorkers()

    def progress(message: str) -> None:
        if "fold 2" in message:  # fold 1's last fit is still running
            raise KeyboardInterrupt

    evidence = run(classification, pool=pool, progress=progress).evidence
    assert evidence.interrupted is True and not pool.running  # the workers are free again


def test_deep_is_compared_with_the_linear_finalist_when_it_beats_the_shallow_one(
    monkeypatch, classification
) -> None:
    base = {"linear": 0.90, "shallow": 0.86, "deep": 0.88}  # a linear task
    stub(monkeypatch, lambda c, seed, rows: base[c] + fold_noise(seed))
    evidence = run(classification).evidence
    assert evidence.against == "linear"
    assert evidence.difference == pytest.approx(-0.02)  # deep minus linear
    assert evidence.decision == "shallow" and evidence.linear_suffices is True
    assert "the linear one (mlp, depth 0) 0.9" in evidence.explanation

    base["linear"] = 0.70  # a weak linear model: deep is compared with shallow again
    evidence = run(classification).evidence
    assert evidence.against == "shallow"
    assert evidence.difference == pytest.approx(0.02)


def timed(number: int, depth_class: str, value: float, seconds: float) -> TrialResult:
    """A trial that trained 4 epochs in `seconds`, its best being the second."""
    base = trial(number, depth_class, value)
    return TrialResult(
        number,
        base.config,
        "complete",
        base.depth,
        depth_class,
        value,
        0.3,
        2,
        history_validation=(0.5, value, value, value),
        n_params=base.n_params,
        fit_seconds=seconds,
    )


def test_the_finalist_is_the_cheapest_trial_within_the_rope_of_the_class_best() -> None:
    metric = get_metric("accuracy", "classification")
    slow_best = timed(0, "deep", 0.950, 80.0)
    cheap_near = timed(1, "deep", 0.942, 8.0)  # 0.008 below: inside the ROPE (0.01)
    cheapest_far = timed(2, "deep", 0.930, 1.0)  # 0.020 below: outside
    trials = [slow_best, cheap_near, cheapest_far, timed(3, "shallow", 0.9, 1.0)]
    assert finalists(trials, metric)["deep"] is cheap_near
    assert finalists(trials, metric, rope=0.005)["deep"] is slow_best  # a given ROPE rules
    assert refit_seconds(slow_best) == pytest.approx(40.0)  # 20 s an epoch, best epoch 2


def test_a_smoothed_score_is_the_best_mean_of_three_consecutive_epochs() -> None:
    accuracy = get_metric("accuracy", "classification")
    rmse = get_metric("rmse", "regression")
    spiky = replace(timed(0, "deep", 0.95, 4.0), history_validation=(0.80, 0.95, 0.80, 0.80))
    assert smoothed_score(spiky, accuracy) == pytest.approx(0.85)
    errors = replace(spiky, value=50.0, history_validation=(60.0, 50.0, 55.0, 52.0))
    assert smoothed_score(errors, rmse) == pytest.approx((50 + 55 + 52) / 3)  # lower is better
    short = replace(spiky, history_validation=(0.7, 0.8))
    assert smoothed_score(short, accuracy) == pytest.approx(0.75)  # every epoch there is
    diverged = replace(spiky, history_validation=(math.nan, math.nan, math.nan))
    assert smoothed_score(diverged, accuracy) == 0.95  # no finite window: the trial's value


def test_a_lucky_peak_loses_to_a_steady_trial_and_a_pruned_trial_can_be_the_finalist() -> None:
    metric = get_metric("accuracy", "classification")
    spiky = replace(timed(0, "shallow", 0.95, 1.0), history_validation=(0.80, 0.95, 0.80, 0.80))
    steady = replace(timed(1, "shallow", 0.91, 4.0), history_validation=(0.5, 0.90, 0.91, 0.90))
    assert finalists([spiky, steady], metric)["shallow"] is steady  # cheaper, but 0.05 behind
    pruned = replace(steady, number=2, status="pruned", value=0.96, history_validation=(0.96,) * 4)
    assert finalists([spiky, steady, pruned], metric)["shallow"] is pruned


def test_the_verdict_time_is_its_finalists_refits_on_every_fold() -> None:
    metric = get_metric("accuracy", "classification")
    trials = [timed(0, "shallow", 0.9, 4.0), timed(1, "deep", 0.9, 12.0)]
    # 10 folds, each training on 9/10 of 200 rows where trials trained on 120:
    # 10 × (1.5 × (2 + 6) seconds + 2 fits' overhead)
    assert verdict_seconds(trials, metric, rows=200, train_rows=120) == pytest.approx(
        120.0 + 10 * 2 * FIT_OVERHEAD_SECONDS
    )
    assert verdict_seconds([], metric, rows=200, train_rows=120) == 0.0
