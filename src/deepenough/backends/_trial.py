"""What a backend proposes and what it is told back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from deepenough.spaces import Config

TrialStatus = Literal["complete", "pruned", "failed", "interrupted"]
"""`interrupted`: the process stopped (Ctrl-C, a kill, a crash) while the trial trained;
a resumed search trains its config again under a new number."""

EpochReporter = Callable[[int, float], bool]
"""Called after each epoch with (epoch, validation value); returns True to prune."""


def _never_prune(epoch: int, value: float) -> bool:
    return False


@dataclass(frozen=True)
class Proposal:
    """A config to train, its trial number, and where to report epoch values for pruning."""

    number: int
    config: Config
    report: EpochReporter = _never_prune


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

    def to_dict(self) -> dict[str, Any]:
        """The results.json entry of this trial."""
        return {
            "number": self.number,
            "family": self.config.family,
            "depth": self.depth,
            "depth_class": self.depth_class,
            "width": self.width,
            "hyperparameters": self.config.flat(),
            "n_params": self.n_params,
            "fit_seconds": round(self.fit_seconds, 4),
            "status": self.status,
            "value": self.value,
            "validation_loss": self.validation_loss,
            "best_epoch": self.best_epoch,
            "history": {
                "train": list(self.history_train),
                "validation": list(self.history_validation),
            },
            "error": self.error,
            **self.extra,
        }

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> TrialResult:
        known = {
            "number",
            "family",
            "depth",
            "depth_class",
            "width",
            "hyperparameters",
            "n_params",
            "fit_seconds",
            "status",
            "value",
            "validation_loss",
            "best_epoch",
            "history",
            "error",
        }
        return cls(
            number=entry["number"],
            config=Config.from_flat(entry["hyperparameters"]),
            status=entry["status"],
            depth=entry.get("depth"),
            depth_class=entry.get("depth_class"),
            width=entry.get("width"),
            value=entry.get("value"),
            validation_loss=entry.get("validation_loss"),
            best_epoch=entry.get("best_epoch"),
            history_train=tuple(entry.get("history", {}).get("train", ())),
            history_validation=tuple(entry.get("history", {}).get("validation", ())),
            n_params=entry.get("n_params"),
            fit_seconds=entry.get("fit_seconds", 0.0),
            error=entry.get("error"),
            extra={k: v for k, v in entry.items() if k not in known},
        )
