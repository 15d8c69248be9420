"""Re-training the finalists: paired fold scores and the data-size crossover."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping

import numpy as np
from scipy import stats
from sklearn.model_selection import train_test_split

from deepenough.backends import TrialResult
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.results import Crossover
from deepenough.train import FoldFit, Folds, PackedData, fit_fold

logger = logging.getLogger(__name__)

MIN_PAIRED_FOLDS = 2
CROSSOVER_FRACTIONS = (0.1, 0.25, 0.5, 1.0)
CROSSOVER_FOLDS = 3
MIN_CROSSOVER_ROWS = 8

Progress = Callable[[str], None]


def epochs_to_refit(trial: TrialResult) -> int:
    """The epochs a finalist is re-trained for: its best epoch in the search."""
    return max(int(trial.best_epoch or 1), 1)


def paired_fits(
    finalists: Mapping[str, TrialResult],
    spec: DataSpec,
    data: PackedData,
    folds: Folds,
    *,
    metric: Metric,
    seed: int,
    deadline: float | None = None,
    progress: Progress | None = None,
) -> dict[str, list[FoldFit]]:
    """Every finalist refit on the same folds, fold by fold, so that any prefix of the
    folds is paired. With a `deadline` (monotonic), stops before a fold that would likely
    end past it, but never before `MIN_PAIRED_FOLDS` folds. Ctrl-C keeps the folds that
    every finalist finished and re-raises `KeyboardInterrupt` once the caller has them
    (see `Interrupted`)."""
    fits: dict[str, list[FoldFit]] = {name: [] for name in finalists}
    last = 0.0
    for i, (train_rows, held_out) in enumerate(folds):
        started = time.monotonic()
        if i >= MIN_PAIRED_FOLDS and deadline is not None and started + last > deadline:
            logger.info(
                "time budget: paired re-evaluation stopped after %d of %d folds", i, len(folds)
            )
            break
        if progress:
            progress(f"re-training the finalists: fold {i + 1} of {len(folds)}")
        fold = {}
        try:
            for name, trial in finalists.items():
                fold[name] = fit_fold(
                    trial.config,
                    spec,
                    data,
                    train_rows,
                    held_out,
                    metric=metric,
                    epochs=epochs_to_refit(trial),
                    seed=seed + i,
                )
        except KeyboardInterrupt:
            logger.warning("interrupted; judging on the %d folds every finalist finished", i)
            raise Interrupted(fits) from None
        for name, fit in fold.items():
            fits[name].append(fit)
        last = time.monotonic() - started
    return fits


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during re-training; `fits` holds the paired folds finished before it."""

    def __init__(self, fits: dict[str, list[FoldFit]]) -> None:
        super().__init__()
        self.fits = fits


def crossover(
    shallow: TrialResult,
    deep: TrialResult,
    full: Mapping[str, list[FoldFit]],
    spec: DataSpec,
    data: PackedData,
    folds: Folds,
    *,
    metric: Metric,
    rope: float,
    seed: int,
    deadline: float | None = None,
    progress: Progress | None = None,
) -> Crossover:
    """Shallow and deep finalists refit on 10/25/50/100 % of each of the first folds'
    training rows and scored on its held-out rows (100 % reuses the paired fits).

    `deep_overtakes_at` is the smallest fraction from which deep leads by more than the
    ROPE at every larger fraction. The trend is the least-squares slope of deep's
    advantage against log2(fraction), i.e. per doubling of the data; more data would
    likely favour depth when the advantage at 100 % plus one doubling's slope exceeds
    the ROPE.
    """
    folds = folds[: min(CROSSOVER_FOLDS, len(full["shallow"]))]
    sign = metric.sign
    estimate = sum(f.wall_seconds for name in ("shallow", "deep") for f in full[name])
    estimate *= (len(CROSSOVER_FRACTIONS) - 1) / max(len(full["shallow"]), 1) * len(folds)
    if deadline is not None and time.monotonic() + estimate > deadline:
        return Crossover(skipped=f"the time budget left no room (about {estimate:.0f} s needed)")
    means: dict[str, list[float]] = {"shallow": [], "deep": []}
    rows = []
    for fraction in CROSSOVER_FRACTIONS:
        if progress:
            progress(f"data-size crossover: {fraction:.0%} of the training rows")
        scores: dict[str, list[float]] = {"shallow": [], "deep": []}
        sizes = []
        for i, (train_rows, held_out) in enumerate(folds):
            subset = _subset(train_rows, data.y, spec.task, fraction, seed + i)
            sizes.append(len(subset))
            for name, trial in (("shallow", shallow), ("deep", deep)):
                if fraction == 1.0:
                    scores[name].append(full[name][i].score)
                    continue
                fit = fit_fold(
                    trial.config,
                    spec,
                    data,
                    subset,
                    held_out,
                    metric=metric,
                    epochs=epochs_to_refit(trial),
                    seed=seed + i,
                )
                scores[name].append(fit.score)
        rows.append(int(np.mean(sizes)))
        for name in means:
            means[name].append(round(float(np.mean(scores[name])), 6))
    advantage = [
        round(sign * (d - s), 6) for d, s in zip(means["deep"], means["shallow"], strict=True)
    ]
    slope = float(stats.linregress(np.log2(CROSSOVER_FRACTIONS), advantage).slope)
    return Crossover(
        fractions=CROSSOVER_FRACTIONS,
        rows=tuple(rows),
        folds=len(folds),
        shallow=tuple(means["shallow"]),
        deep=tuple(means["deep"]),
        difference=tuple(advantage),
        deep_overtakes_at=_overtakes_at(advantage, rope),
        trend_per_doubling=round(slope, 6),
        more_data_favours_depth=bool(slope > 0 and advantage[-1] + slope > rope),
    )


def _overtakes_at(advantage: list[float], rope: float) -> float | None:
    at = None
    for fraction, value in zip(reversed(CROSSOVER_FRACTIONS), reversed(advantage), strict=True):
        if value <= rope:
            break
        at = fraction
    return at


def _subset(rows: np.ndarray, y: np.ndarray, task: str, fraction: float, seed: int) -> np.ndarray:
    """`fraction` of `rows` (at least `MIN_CROSSOVER_ROWS`), stratified where possible."""
    if fraction >= 1.0:
        return rows
    size = min(len(rows), max(MIN_CROSSOVER_ROWS, math.ceil(fraction * len(rows))))
    if size >= len(rows):
        return rows
    try:
        stratify = y[rows] if task == "classification" else None
        subset, _ = train_test_split(rows, train_size=size, stratify=stratify, random_state=seed)
    except ValueError:  # a class too rare to stratify at this size
        subset = np.random.default_rng(seed).choice(rows, size=size, replace=False)
    return np.sort(subset)
