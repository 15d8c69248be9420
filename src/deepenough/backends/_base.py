"""The contract every search backend keeps: propose a config, record a result, resume."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

from deepenough.backends._trial import Proposal, TrialResult
from deepenough.spaces import Config, SearchSpace


@dataclass(frozen=True)
class BackendSettings:
    """Everything a backend needs besides the space, in one object."""

    run_dir: Path
    direction: Literal["maximize", "minimize"]
    seed: int = 0
    storage: str | None = None
    study_name: str = "deepenough"
    tuner: str | None = None
    """KerasTuner's algorithm: random, bayesian (the default) or hyperband."""
    trials: int | None = None
    """The trials the search means to run; a backend may size its schedule to them."""


class SearchExhausted(Exception):
    """The backend has no config left to propose (a finished Hyperband schedule, or a
    small discrete space tried in full)."""


class Backend(abc.ABC):
    """Proposes configs from a `SearchSpace` and keeps every finished trial.

    A backend owns its state on disk (inside `settings.run_dir` unless a
    storage URL says otherwise), so a new instance over the same settings
    resumes where the last one stopped.
    """

    name: ClassVar[str]
    state_file: ClassVar[str]
    """Name of the backend's state inside the run directory."""
    exhausted: str | None = None
    """Why `ask` raised `SearchExhausted`, once it has."""

    def __init__(self, space: SearchSpace, settings: BackendSettings) -> None:
        self.space = space
        self.settings = settings

    @abc.abstractmethod
    def ask(self, fixed: Config | None = None) -> Proposal:
        """The next config to train. `fixed` holds values to use instead of sampling
        (its family, and any of that family's hyperparameters and training values);
        the backend samples whatever it leaves out. Raises `SearchExhausted` when it
        has nothing left to propose."""

    @abc.abstractmethod
    def tell(self, result: TrialResult) -> TrialResult:
        """Record how the proposal numbered `result.number` ended; returns the result as
        recorded, with what the backend adds (such as the interrupted trial whose config
        the proposal trained again)."""

    @abc.abstractmethod
    def finished(self) -> list[TrialResult]:
        """Every finished trial (complete, pruned or failed), oldest first."""
