"""Re-training the finalists: paired fold scores and the data-size crossover."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import cast

import numpy as np
from scipy import stats
from sklearn.model_selection import train_test_split

from deepenough.backends import TrialResult
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.results import Crossover
from deepenough.spaces import Config
from deepenough.train import (
    FoldFit,
    FoldFitter,
    FoldJob,
    Folds,
    LatencyJob,
    PackedData,
    WorkerPool,
)

logger = logging.getLogger(__name__)

MIN_PAIRED_FOLDS = 2
CROSSOVER_FRACTIONS = (0.1, 0.25, 0.5, 1.0)
CROSSOVER_FOLDS = 3
MIN_CROSSOVER_ROWS = 8

Progress = Callable[[str], None]


def epochs_to_refit(trial: TrialResult) -> int:
    """The epochs a finalist is re-trained for: its best epoch in the search."""
    return max(int(trial.best_epoch or 1), 1)


class Refits:
    """Re-trainings of configs on folds of `data`: on a `WorkerPool`, as many at once as
    it has workers, or without one in this process, one at a time."""

    def __init__(
        self, spec: DataSpec, data: PackedData, metric: Metric, pool: WorkerPool | None = None
    ) -> None:
        self.spec, self.data, self.metric, self.pool = spec, data, metric, pool
        self.slots = pool.size if pool is not None else 1
        self.running = 0
        self._queued: deque[tuple[Hashable, FoldJob]] = deque()
        self._fitter = FoldFitter(spec, data, metric)
        if pool is not None:
            pool.use(self._fitter)

    def free(self) -> bool:
        return self.running < self.slots

    def submit(self, key: Hashable, job: FoldJob) -> None:
        self.running += 1
        if self.pool is None:
            self._queued.append((key, job))
        else:
            self.pool.submit(key, job)

    def next(self) -> tuple[Hashable, FoldFit | None]:
        """The next re-training to end, and its fit (None: its worker was lost)."""
        if self.pool is None:
            key, job = self._queued.popleft()
            self.running -= 1
            return key, cast(FoldFit, self._fitter(job))
        done = self.pool.wait()
        self.running -= 1
        if done.error is not None:
            logger.warning("a re-training was lost: %s", done.error)
            return done.key, None
        return done.key, done.result

    def stop(self) -> None:
        """Stop every re-training still running and forget the queued ones."""
        if self.pool is not None:
            self.pool.stop_running()
        self._queued.clear()
        self.running = 0

    def latencies(self, configs: Mapping[str, Config]) -> dict[str, float] | None:
        """Each config's prediction latency timed with nothing else running, one after
        another on one worker (None with a single worker: its fits were timed alone)."""
        if self.pool is None or self.slots == 1:
            return None
        found = {}
        for name, config in configs.items():
            self.pool.submit(name, LatencyJob(config))
            done = self.pool.wait()
            if done.error is not None:
                return None
            found[name] = float(done.result)
        return found

    def drain(self) -> Iterator[tuple[Hashable, FoldFit | None]]:
        while self.running:
            yield self.next()


@dataclass(frozen=True)
class Paired:
    """Each finalist's fits on the folds that every finalist finished, and those folds."""

    fits: dict[str, list[FoldFit]]
    folds: Folds


def paired_fits(
    finalists: Mapping[str, TrialResult],
    refits: Refits,
    folds: Folds,
    *,
    seed: int,
    deadline: float | None = None,
    progress: Progress | None = None,
) -> Paired:
    """Every finalist refit on the same folds, fold after fold (several at once with
    several workers). With a `deadline` (monotonic), no fold starts that would likely
    end past it, but never fewer than `MIN_PAIRED_FOLDS` start. Only folds that every
    finalist finished are kept. Ctrl-C stops the running re-trainings and re-raises
    `KeyboardInterrupt` with the folds finished before it (see `Interrupted`)."""
    fits: dict[str, dict[int, FoldFit]] = {name: {} for name in finalists}
    last: dict[str, float] = {}  # each finalist's latest fit, in wall seconds
    queue: deque[tuple[tuple[int, str], FoldJob]] = deque()
    next_fold, stopped = 0, False
    try:
        while True:
            while refits.free() and not stopped:
                if not queue:
                    if next_fold >= len(folds):
                        break
                    fold_seconds = sum(last.values()) / min(refits.slots, len(finalists))
                    if (
                        next_fold >= MIN_PAIRED_FOLDS
                        and deadline is not None
                        and time.monotonic() + fold_seconds > deadline
                    ):
                        logger.info(
                            "time budget: paired re-evaluation stopped after %d of %d folds",
                            next_fold,
                            len(folds),
                        )
                        stopped = True
                        break
                    if progress:
                        progress(f"re-training the finalists: fold {next_fold + 1} of {len(folds)}")
                    train_rows, held_out = folds[next_fold]
                    queue.extend(
                        (
                            (next_fold, name),
                            FoldJob(
                                trial.config,
                                train_rows,
                                held_out,
                                epochs_to_refit(trial),
                                seed + next_fold,
                            ),
                        )
                        for name, trial in finalists.items()
                    )
                    next_fold += 1
                refits.submit(*queue.popleft())
            if not refits.running:
                return _paired(fits, folds)
            key, fit = refits.next()
            i, name = cast(tuple[int, str], key)
            if fit is not None:
                fits[name][i] = fit
                last[name] = fit.wall_seconds
    except KeyboardInterrupt:
        refits.stop()  # Ctrl-C may arrive outside `next`, with re-trainings running
        paired = _paired(fits, folds)
        logger.warning(
            "interrupted; judging on the %d folds every finalist finished", len(paired.folds)
        )
        raise Interrupted(paired) from None


def _paired(fits: Mapping[str, Mapping[int, FoldFit]], folds: Folds) -> Paired:
    kept = [i for i in range(len(folds)) if all(i in by_fold for by_fold in fits.values())]
    return Paired(
        {name: [by_fold[i] for i in kept] for name, by_fold in fits.items()},
        [folds[i] for i in kept],
    )


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during re-training; `paired` holds the paired folds finished before it."""

    def __init__(self, paired: Paired) -> None:
        super().__init__()
        self.paired = paired


def crossover(
    shallow: TrialResult,
    deep: TrialResult,
    paired: Paired,
    refits: Refits,
    *,
    task: str,
    sign: float,
    rope: float,
    seed: int,
    deadline: float | None = None,
    progress: Progress | None = None,
) -> Crossover:
    """Shallow and deep finalists refit on 10/25/50/100 % of each of the first paired
    folds' training rows and scored on its held-out rows (100 % reuses the paired fits).

    `deep_overtakes_at` is the smallest fraction from which deep leads by more than the
    ROPE at every larger fraction. The trend is the least-squares slope of deep's
    advantage against log2(fraction), i.e. per doubling of the data; more data would
    likely favour depth when the advantage at 100 % plus one doubling's slope exceeds
    the ROPE.
    """
    folds = paired.folds[:CROSSOVER_FOLDS]
    full = paired.fits
    estimate = sum(f.wall_seconds for name in ("shallow", "deep") for f in full[name])
    estimate *= (len(CROSSOVER_FRACTIONS) - 1) / max(len(full["shallow"]), 1) * len(folds)
    estimate /= refits.slots
    if deadline is not None and time.monotonic() + estimate > deadline:
        return Crossover(skipped=f"the time budget left no room (about {estimate:.0f} s needed)")
    finalists = {"shallow": shallow, "deep": deep}
    scores: dict[tuple[float, str], list[float]] = {
        (fraction, name): [] for fraction in CROSSOVER_FRACTIONS for name in finalists
    }
    sizes: dict[float, list[int]] = {fraction: [] for fraction in CROSSOVER_FRACTIONS}
    jobs: deque[tuple[tuple[float, str], FoldJob]] = deque()
    for fraction in CROSSOVER_FRACTIONS:
        for i, (train_rows, held_out) in enumerate(folds):
            subset = _subset(train_rows, refits.data.y, task, fraction, seed + i)
            sizes[fraction].append(len(subset))
            for name, trial in finalists.items():
                if fraction == 1.0:
                    scores[fraction, name].append(full[name][i].score)
                else:
                    job = FoldJob(trial.config, subset, held_out, epochs_to_refit(trial), seed + i)
                    jobs.append(((fraction, name), job))
    announced = set()
    while jobs or refits.running:
        while jobs and refits.free():
            key, job = jobs.popleft()
            if progress and key[0] not in announced:
                announced.add(key[0])
                progress(f"data-size crossover: {key[0]:.0%} of the training rows")
            refits.submit(key, job)
        done, fit = refits.next()
        if fit is None:
            for _ in refits.drain():
                pass
            return Crossover(skipped="a re-training was lost (its worker ended)")
        scores[cast(tuple[float, str], done)].append(fit.score)
    means = {
        name: [round(float(np.mean(scores[f, name])), 6) for f in CROSSOVER_FRACTIONS]
        for name in finalists
    }
    advantage = [
        round(sign * (d - s), 6) for d, s in zip(means["deep"], means["shallow"], strict=True)
    ]
    slope = float(stats.linregress(np.log2(CROSSOVER_FRACTIONS), advantage).slope)
    return Crossover(
        fractions=CROSSOVER_FRACTIONS,
        rows=tuple(int(np.mean(sizes[f])) for f in CROSSOVER_FRACTIONS),
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
