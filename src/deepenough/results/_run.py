"""results.json as a whole: the trials, the exported model, its test scores, the manifest.

`SCHEMA_VERSION` says what changed; every file written so far reads back, and no key
is renamed or removed (the README's contract: add freely, never rename or remove):

- 1: the first results.json.
- 2: written through these records: `verdict.against` is always present (null before
  the finalists are compared), and unknown keys of a trial are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from deepenough.results._data import DataProfile
from deepenough.results._record import Record, optional
from deepenough.results._verdict import VerdictEvidence

SCHEMA_VERSION = 2

TrialStatus = Literal["complete", "pruned", "failed", "interrupted"]
"""`interrupted`: the process stopped (Ctrl-C, a kill, a crash) while the trial trained;
a resumed search trains its config again under a new number."""
RunStatus = Literal["complete", "interrupted", "failed"]


@dataclass(frozen=True, kw_only=True)
class History(Record):
    """The objective metric after each epoch (null where it was not finite)."""

    train: tuple[float | None, ...] = ()
    validation: tuple[float | None, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TrialRecord(Record):
    """One trial as results.json keeps it."""

    number: int
    family: str
    depth: int | None = None
    depth_class: str | None = None
    width: int | None = None
    """Units, filters or cells per hidden layer (None for a linear model)."""
    hyperparameters: Mapping[str, Any] = field(default_factory=dict)
    """The config, flat: the family, its hyperparameters and the training values."""
    n_params: int | None = None
    fit_seconds: float = 0.0
    status: TrialStatus
    value: float | None = None
    validation_loss: float | None = None
    best_epoch: int | None = None
    history: History = History()
    error: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    """What a backend or the training adds (`epoch_budget`, `time_capped`, ...)."""


@dataclass(frozen=True, kw_only=True)
class MetricInfo(Record):
    name: str
    direction: Literal["maximize", "minimize"]


@dataclass(frozen=True, kw_only=True)
class SpaceInfo(Record):
    source: str
    families: tuple[str, ...]
    shallow_max_depth: int
    architecture_types: Mapping[str, str] = field(default_factory=dict)
    """Each family's classic architecture type ("feed-forward", "recurrent", ...); empty in
    files written before families named one."""


@dataclass(frozen=True, kw_only=True)
class Best(Record):
    """The exported trial: its validation score and, if re-trained, its mean paired score."""

    trial: int
    value: float | None
    paired_mean: float | None = optional()


@dataclass(frozen=True, kw_only=True)
class Export(Record):
    trial: int
    reason: str
    file: str
    epochs: int
    fit_seconds: float


@dataclass(frozen=True, kw_only=True)
class TestPredictions(Record):
    """The exported model on the test rows: a confusion matrix (rows: actual, columns:
    predicted, in `labels` order) for classes, predicted and actual values otherwise."""

    labels: tuple[str, ...] | None = optional()
    confusion: tuple[tuple[int, ...], ...] | None = optional()
    actual: tuple[float, ...] | None = optional()
    predicted: tuple[float, ...] | None = optional()


@dataclass(frozen=True, kw_only=True)
class Importance(Record):
    evaluator: str
    trials: int
    importance: Mapping[str, float]
    """Each hyperparameter's share of the variance of the score (they sum to 1)."""


@dataclass(frozen=True, kw_only=True)
class Manifest(Record):
    """What it takes to reproduce the run."""

    versions: Mapping[str, str]
    seed: int
    command: str
    data_sha256: str
    finished_at: str | None = optional()
    requested_trials: int | None = optional()
    wall_seconds: float | None = optional()
    workers: int | None = optional()
    """Training workers (trials in flight at once)."""
    devices: tuple[str, ...] | None = optional()
    """What the workers trained on: each GPU's name, or the CPU."""


@dataclass(frozen=True, kw_only=True)
class Results(Record):
    """results.json: built by the search, read by the report, the CLI and the API."""

    schema_version: int = SCHEMA_VERSION
    status: RunStatus
    stop_reason: str
    task: str
    target: str
    metric: MetricInfo
    classes: tuple[str, ...] = ()
    space: SpaceInfo
    backend: str = "optuna"
    trials: tuple[TrialRecord, ...] = ()
    best: Best | None = None
    export: Export | None = None
    verdict: VerdictEvidence | None = None
    test: Mapping[str, float | None] = field(default_factory=dict)
    """The exported model's test scores, by metric name (empty before the export)."""
    test_predictions: TestPredictions | None = None
    importance: Importance | None = None
    data: DataProfile
    manifest: Manifest
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Keys a later version wrote, kept so that a re-render loses nothing."""

    def trial(self, number: int) -> TrialRecord:
        """The trial numbered `number`."""
        return next(t for t in self.trials if t.number == number)
