"""One trial end to end: build the proposed model, fit it, and say how it ended."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass

import keras

from deepenough import models
from deepenough.backends import EpochReporter, Proposal, TrialResult
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.spaces import Config, SearchSpace
from deepenough.train._fit import PackedData, fit_with_validation, repeat_rows

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
            pretrain_seconds = _timed(
                models.pretrain,
                model,
                config,
                repeat_rows(self.train.x, int(config.training["batch_size"])),
            )
            fitted = fit_with_validation(
                model,
                self.train,
                self.validation,
                spec=self.spec,
                metric=self.metric,
                training=config.training,
                report=proposal.report,
                max_seconds=limit,
            )
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
            fit_seconds=pretrain_seconds + fitted.fit_seconds,
            error=f"stopped after epoch {len(fitted.history_validation)}: the search's time "
            "budget ran out"
            if stopped_by_search
            else None,
            extra={"time_capped": True} if fitted.time_capped and not cut_off else {},
        )

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


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")
