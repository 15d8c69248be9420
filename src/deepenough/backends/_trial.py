"""What a backend proposes and what it is told back."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from deepenough.results import History, TrialRecord, TrialStatus
from deepenough.spaces import Config

EpochReporter = Callable[[int, float], bool]
"""Called after each epoch with (epoch, validation value); returns True to prune."""


def never_prune(epoch: int, value: float) -> bool:
    return False


@dataclass(frozen=True)
class Proposal:
    """A config to train, its trial number, and where to report epoch values for pruning."""

    number: int
    config: Config
    report: EpochReporter = never_prune


@dataclass(frozen=True)
class TrialResult:
    number: int
    config: Config
    status: TrialStatus
    depth: int | None = None
    depth_class: str | None = None
    value: float | None = None
    validation_loss: float | None = None
    """Loss at the best epoch: breaks ties between equal metric values."""
    best_epoch: int | None = None
    history_train: tuple[float, ...] = ()
    history_validation: tuple[float, ...] = ()
    n_params: int | None = None
    width: int | None = None
    """Units, filters or cells per hidden layer (None for a linear model)."""
    fit_seconds: float = 0.0
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fits(self) -> int:
        """How many models the trial trained: one per fold when folds scored it."""
        return max(len(self.extra.get("folds", ())), 1)

    def to_record(self) -> TrialRecord:
        """The results.json entry of this trial."""
        return TrialRecord(
            number=self.number,
            family=self.config.family,
            depth=self.depth,
            depth_class=self.depth_class,
            width=self.width,
            hyperparameters=self.config.flat(),
            n_params=self.n_params,
            fit_seconds=round(self.fit_seconds, 4),
            status=self.status,
            value=self.value,
            validation_loss=self.validation_loss,
            best_epoch=self.best_epoch,
            history=History(train=self.history_train, validation=self.history_validation),
            error=self.error,
            extra=dict(self.extra),
        )

    @classmethod
    def from_record(cls, record: TrialRecord) -> TrialResult:
        return cls(
            number=record.number,
            config=Config.from_flat(record.hyperparameters),
            status=record.status,
            depth=record.depth,
            depth_class=record.depth_class,
            width=record.width,
            value=record.value,
            validation_loss=record.validation_loss,
            best_epoch=record.best_epoch,
            history_train=_finite_or_nan(record.history.train),
            history_validation=_finite_or_nan(record.history.validation),
            n_params=record.n_params,
            fit_seconds=record.fit_seconds,
            error=record.error,
            extra=dict(record.extra),
        )


def trial_from_entry(entry: dict[str, Any]) -> TrialResult:
    """A trial from its results.json entry, as a backend keeps it in its state."""
    return TrialResult.from_record(TrialRecord.from_dict(entry))


def _finite_or_nan(values: tuple[float | None, ...]) -> tuple[float, ...]:
    """A history as results.json has it (null where a score was not finite) as floats."""
    return tuple(math.nan if v is None else v for v in values)
