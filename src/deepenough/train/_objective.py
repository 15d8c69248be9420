"""One trial end to end: build the proposed model, fit it, and say how it ended."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass

import keras
import numpy as np

from deepenough import models
from deepenough.backends import EpochReporter, Proposal, TrialResult, never_prune
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.spaces import Config, SearchSpace
from deepenough.train._crossval import make_folds, max_folds
from deepenough.train._fit import (
    FitReport,
    PackedData,
    fit_with_validation,
    repeat_rows,
    restart,
    state,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrialObjective:
    """Turns a proposal into a `TrialResult`; any error in one trial fails that trial only."""

    spec: DataSpec
    space: SearchSpace
    metric: Metric
    train: PackedData
    validation: PackedData
    seed: int = 0
    max_trial_seconds: float | None = None
    """Training stops after the epoch that passes this; the best epoch so far is kept."""
    search_deadline: float | None = None
    """`time.monotonic()` instant at which the search ends: a trial still training then
    stops after its current epoch and is recorded as pruned."""
    max_params: int | None = None
    """A model with more parameters is rejected before training (a failed trial)."""
    folds: int = 0
    """With 2 or more, a trial's value is the best of its mean validation curve over that
    many folds of train + validation (small data, see `data.search_folds`); otherwise the
    validation split's best."""

    def __call__(self, proposal: Proposal) -> TrialResult:
        config = proposal.config
        depth = models.depth(config)
        trial = functools.partial(
            TrialResult,
            number=proposal.number,
            config=config,
            depth=depth,
            depth_class=self.space.depth_class(depth),
            width=models.width(config),
        )
        try:
            keras.utils.set_random_seed(self.seed + proposal.number)
            model = models.build(config, self.spec)
            n_params = int(model.count_params())
            if self.max_params is not None and n_params > self.max_params:
                return trial(
                    status="failed",
                    n_params=n_params,
                    error=f"not trained: {n_params:,} parameters exceed --max-params "
                    f"{self.max_params:,}",
                )
            limit, cut_off = self._time_limit()
            fitted = self._fit_folds(model, proposal, limit)
        except Exception as error:  # a trial's failure must not end the search
            logger.warning("trial %d failed: %s", proposal.number, error)
            return trial(status="failed", error=_reason(error))
        finally:
            keras.utils.clear_session(free_memory=True)
        if not fitted.history_validation or fitted.best_epoch == 0:
            return trial(
                status="failed",
                n_params=n_params,
                fit_seconds=fitted.fit_seconds,
                history_train=fitted.history_train,
                history_validation=fitted.history_validation,
                error="the validation score was never finite",
            )
        stopped_by_search = fitted.time_capped and cut_off
        return trial(
            status="pruned" if fitted.pruned or stopped_by_search else "complete",
            value=fitted.best_value,
            validation_loss=round(fitted.best_loss, 6),
            best_epoch=fitted.best_epoch,
            history_train=fitted.history_train,
            history_validation=fitted.history_validation,
            n_params=n_params,
            fit_seconds=fitted.fit_seconds,
            error=f"stopped after epoch {len(fitted.history_validation)}: the search's time "
            "budget ran out"
            if stopped_by_search
            else None,
            extra={
                **({"time_capped": True} if fitted.time_capped and not cut_off else {}),
                **({"folds": list(fitted.fold_values)} if len(fitted.fold_values) > 1 else {}),
            },
        )

    def _fit_folds(self, model: keras.Model, proposal: Proposal, limit: float | None) -> Fitted:
        """Fit `model` on the training split, or on each of `folds` folds of train +
        validation, restarted from its initial state each time, within `limit` seconds
        in all: each fold gets an equal share of what is left, so that a time cap leaves
        every fold about as many epochs, and no fold starts once the limit is spent (an
        epoch can outlast a share). Only the first fit reports its epochs to the pruner,
        so that every trial's curve means the same."""
        config = proposal.config
        started = time.perf_counter()
        fits: list[FitReport] = []
        splits = self._splits()
        initial = state(model)
        for index, (train, validation) in enumerate(splits):
            if index:  # the same start as a fresh build, without tracing the model again
                keras.utils.set_random_seed(self.seed + proposal.number)
                restart(model, initial)
            left = None
            if limit is not None:
                left = max(limit - (time.perf_counter() - started), 0.0) / (len(splits) - index)
            batch_size = int(config.training["batch_size"])
            models.pretrain(model, config, repeat_rows(train.x, batch_size))
            fits.append(
                fit_with_validation(
                    model,
                    train,
                    validation,
                    spec=self.spec,
                    metric=self.metric,
                    training=config.training,
                    report=proposal.report if index == 0 else never_prune,
                    max_seconds=left,
                )
            )
            last = fits[-1]
            spent = limit is not None and time.perf_counter() - started >= limit
            if last.pruned or last.best_epoch == 0 or spent:
                break
        return Fitted.combine(fits, time.perf_counter() - started, self.metric.sign)

    def _splits(self) -> list[tuple[PackedData, PackedData]]:
        """(train, validation) pairs: the split itself, or `folds` folds of both."""
        if self.folds < 2:
            return [(self.train, self.validation)]
        both = PackedData(
            np.concatenate([self.train.x, self.validation.x]),
            np.concatenate([self.train.y, self.validation.y]),
        )
        k = max_folds(both.y, self.spec.task, self.folds)
        return [
            (both.subset(fit_rows), both.subset(held_out))
            for fit_rows, held_out in make_folds(both.y, self.spec.task, k, self.seed)
        ]

    def run(self, request: tuple[int, Config], report: EpochReporter) -> TrialResult:
        """A worker's job (see `WorkerPool`): the trial numbered and configured by
        `request`, reporting each epoch's value to `report`."""
        number, config = request
        return self(Proposal(number, config, report))

    def _time_limit(self) -> tuple[float | None, bool]:
        """Seconds this trial may train, and whether the search's end is what limits it."""
        if self.search_deadline is None:
            return self.max_trial_seconds, False
        left = max(self.search_deadline - time.monotonic(), 0.0)
        if self.max_trial_seconds is not None and self.max_trial_seconds <= left:
            return self.max_trial_seconds, False
        return left, True


@dataclass(frozen=True)
class Fitted(FitReport):
    """A trial's fits taken together (see `combine`)."""

    fold_values: tuple[float, ...] = ()

    @classmethod
    def combine(cls, fits: list[FitReport], seconds: float, sign: float) -> Fitted:
        """One fit as it is; several (folds) by their mean curves over the epochs every
        fold reached, which become the trial's curves: the best epoch is the validation
        curve's best (what the verdict and the export train for), the value its height
        there, each fold's score at that epoch kept. A fold's own best epoch on a few
        dozen rows is often one of the first, where the net has barely trained and a
        refit that long is a matter of luck. A trial fails if any fit never scored, and
        is pruned or cut off if any was."""
        first = fits[0]
        failed = any(f.best_epoch == 0 for f in fits)
        best_epoch, best_value = first.best_epoch, first.best_value
        folds: tuple[float, ...] = (first.best_value,)
        history_train, history_validation = first.history_train, first.history_validation
        if failed:
            best_epoch = 0
        elif len(fits) > 1:
            epochs = min(len(f.history_validation) for f in fits)
            curves = np.array([f.history_validation[:epochs] for f in fits], dtype=float)
            mean = curves.mean(axis=0)
            finite = np.where(np.isfinite(mean), sign * mean, -np.inf)
            best = int(np.flatnonzero(finite == finite.max())[-1])  # ties: the later epoch
            best_epoch, best_value = best + 1, round(float(mean[best]), 6)
            folds = tuple(round(float(v), 6) for v in curves[:, best])
            history_validation = tuple(round(float(v), 6) for v in mean)
            train = np.array([f.history_train[:epochs] for f in fits], dtype=float)
            history_train = tuple(round(float(v), 6) for v in train.mean(axis=0))
        return cls(
            **{
                **vars(first),
                "history_train": history_train,
                "history_validation": history_validation,
                "best_epoch": best_epoch,
                "best_value": best_value,
                "best_loss": float(np.mean([f.best_loss for f in fits])),
                "pruned": any(f.pruned for f in fits),
                "time_capped": any(f.time_capped for f in fits),
                "fit_seconds": seconds,
            },
            fold_values=folds,
        )


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")
