"""Each depth class's finalist, and how long re-training the finalists will take.

Among a class's trials whose smoothed validation score (`smoothed_score`, the best mean
of a few consecutive epochs) is within the ROPE of the class's best, the finalist is the
cheapest to re-train. A single epoch's peak on one validation split is partly luck, and
a lead smaller than the ROPE is by definition no practical difference; the cheaper
finalist leaves time for more paired folds (the spirit of the one-standard-error rule:
the simplest model that is as good within the noise). A pruned trial counts with the
epochs it trained, so a strong config stopped by the pruner, which compares it with
trials of every depth class, can still be its class's finalist.
"""

from __future__ import annotations

import numpy as np

from deepenough.backends import TrialResult
from deepenough.metrics import Metric
from deepenough.verdict._evidence import epochs_to_refit
from deepenough.verdict._plan import DEPTH_CLASSES
from deepenough.verdict._rope import default_rope

SMALL_DATA_FOLDS = 10
SMALL_DATA_ROWS = 5_000
FOLDS = 5
LARGE_DATA_FOLDS = 3
LARGE_DATA_ROWS = 50_000
"""Folds, repeated once: 10 up to `SMALL_DATA_ROWS` rows, 5 up to `LARGE_DATA_ROWS`, 3
beyond. For the same number of fits, more folds beat repeats: the posterior's scale
goes with 1/(K·R) + 1/(K − 1) (see `_stats`), so 10 × 1 gives 0.21 where 5 × 2 gives
0.35, a 23% narrower interval at about the same cost."""
SMOOTHING_EPOCHS = 3
"""Finalists are chosen by their best mean validation score over this many epochs."""
FIT_OVERHEAD_SECONDS = 1.0
"""What a paired re-training takes beyond its epochs: building and tracing the model,
scoring it on held-out and training rows, timing its predictions. For MLPs on 2 CPU
cores, 0.5 to 1.4 s a fit whether it trains 1 epoch or 21; a trial's seconds per
epoch spread that over all its epochs, so the estimate misses it for short fits."""


def finalists(
    trials: list[TrialResult], metric: Metric, rope: float | None = None
) -> dict[str, TrialResult]:
    """Each depth class's finalist: the cheapest to re-train (`refit_seconds`) of its
    scored trials (complete or pruned) whose `smoothed_score` is within the ROPE
    (`rope`, else the metric's default) of its class's best."""
    out = {}
    for depth_class in DEPTH_CLASSES:
        scored = [
            (smoothed_score(t, metric), t)
            for t in trials
            if t.depth_class == depth_class
            and t.value is not None
            and t.status in ("complete", "pruned")
        ]
        if not scored:
            continue
        scored.sort(key=lambda pair: (-metric.sign * pair[0], pair[1].number))  # best first
        best = scored[0][0]
        tolerance = rope if rope is not None else default_rope(metric, best)
        near = [t for score, t in scored if abs(score - best) <= tolerance]
        out[depth_class] = min(near, key=refit_seconds)  # ties: the better ranked
    return out


def smoothed_score(trial: TrialResult, metric: Metric) -> float:
    """The best mean validation score over `SMOOTHING_EPOCHS` consecutive epochs (over
    every epoch when there are fewer; the trial's value when none is finite)."""
    assert trial.value is not None, "only scored trials have a smoothed score"
    history = np.asarray(trial.history_validation, dtype=float)
    window = min(SMOOTHING_EPOCHS, len(history))
    if window == 0:
        return float(trial.value)
    means = metric.sign * np.convolve(history, np.ones(window) / window, mode="valid")
    finite = means[np.isfinite(means)]
    return float(metric.sign * finite.max()) if finite.size else float(trial.value)


def refit_seconds(trial: TrialResult) -> float:
    """About how long one re-training of `trial` takes on data the size of its training
    split: its seconds per epoch (of one fit, when folds scored it) times its best epoch
    (what the verdict trains for)."""
    epochs = max(len(trial.history_validation), 1)
    return trial.fit_seconds / trial.fits / epochs * epochs_to_refit(trial)


def default_folds(rows: int) -> int:
    """The paired folds for `rows` rows of train + validation (see `SMALL_DATA_FOLDS`)."""
    if rows <= SMALL_DATA_ROWS:
        return SMALL_DATA_FOLDS
    return FOLDS if rows <= LARGE_DATA_ROWS else LARGE_DATA_FOLDS


def verdict_seconds(
    trials: list[TrialResult], metric: Metric, rows: int, train_rows: int, workers: int = 1
) -> float:
    """About how long the paired re-training of the current finalists takes at the
    default folds, on `rows` rows of which trials trained on `train_rows`: their
    epochs, scaled to the folds' rows, and `FIT_OVERHEAD_SECONDS` for each fit, shared
    among `workers` that each re-train one fit at a time."""
    folds = default_folds(rows)
    scale = (folds - 1) / folds * rows / max(train_rows, 1)
    fits = finalists(trials, metric).values()
    total = folds * sum(scale * refit_seconds(t) + FIT_OVERHEAD_SECONDS for t in fits)
    return total / max(min(workers, folds * len(fits)), 1)


EXPORT_OVERHEAD_SECONDS = 4.0
"""What the export takes beyond its refit's epochs: building and tracing the model, then
saving, reloading and scoring the file (2.8 to 3.9 s on 2 CPU cores for MLPs and cnns
on a few hundred rows)."""


def export_seconds(trials: list[TrialResult], metric: Metric, rows: int, train_rows: int) -> float:
    """About how long the export takes, its refit on all `rows` rows included: that of
    the slowest current finalist, since the verdict may choose any of them."""
    scale = rows / max(train_rows, 1)
    fits = finalists(trials, metric).values()
    return max((scale * refit_seconds(t) + EXPORT_OVERHEAD_SECONDS for t in fits), default=0.0)
