"""One trial end to end: build the proposed model, fit it, and say how it ended."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import keras

from deepenough import models
from deepenough.backends import Proposal, TrialResult
from deepenough.data import DataSpec
from deepenough.metrics import Metric
from deepenough.spaces import SearchSpace
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

    def __call__(self, proposal: Proposal) -> TrialResult:
        config = proposal.config
        depth = models.depth(config)
        base = {
            "number": proposal.number,
            "config": config,
            "depth": depth,
            "depth_class": self.space.depth_class(depth),
            "width": models.width(config),
        }
        try:
            keras.utils.set_random_seed(self.seed + proposal.number)
            model = models.build(config, self.spec)
            n_params = int(model.count_params())
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
                max_seconds=self.max_trial_seconds,
            )
        except Exception as error:  # a trial's failure must not end the search
            logger.warning("trial %d failed: %s", proposal.number, error)
            return TrialResult(**base, status="failed", error=_reason(error))
        finally:
            keras.utils.clear_session(free_memory=True)
        if not fitted.history_validation or fitted.best_epoch == 0:
            return TrialResult(
                **base,
                status="failed",
                n_params=n_params,
                fit_seconds=fitted.fit_seconds,
                history_train=fitted.history_train,
                history_validation=fitted.history_validation,
                error="the validation score was never finite",
            )
        return TrialResult(
            **base,
            status="pruned" if fitted.pruned else "complete",
            value=fitted.best_value,
            validation_loss=round(fitted.best_loss, 6),
            best_epoch=fitted.best_epoch,
            history_train=fitted.history_train,
            history_validation=fitted.history_validation,
            n_params=n_params,
            fit_seconds=pretrain_seconds + fitted.fit_seconds,
            extra={"time_capped": True} if fitted.time_capped else {},
        )


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")
