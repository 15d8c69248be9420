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
    workers: int = 1
    """Trials the search keeps in flight at once."""


class SearchExhausted(Exception):
    """The backend has no config left to propose (a finished Hyperband schedule, or a
    small discrete space tried in full)."""


class SearchBusy(Exception):
    """The backend can propose nothing until a running trial ends (Hyperband between the
    rounds of a bracket)."""


class Backend(abc.ABC):
    """Proposes configs from a `SearchSpace` and keeps every finished trial.

    Call order:
        Every `ask` returns a `Proposal` whose number is new to the run, and is followed
        by exactly one `tell` of a `TrialResult` with that number: complete, pruned or
        failed, or interrupted when the process stops while it trains. `tell` of a number
        that is not outstanding (never asked, already told, or asked by another instance)
        raises `KeyError` and changes nothing. `finished()` may be called at any time; it
        holds every told trial (and every trial a new instance recorded as interrupted),
        by number, as `tell` returned it, and never a proposal still outstanding.
        Numbers are never reused, and an interrupted trial keeps its own.

    Outstanding proposals:
        The search keeps up to `settings.workers` proposals outstanding. A backend gives
        every outstanding proposal its own number and its own pruning reporter, accepts
        their tells in any order, and records each one still outstanding when its
        process dies as interrupted. `OptunaBackend` makes each its own Optuna trial
        (with several workers, TPE's constant liar stands in for the pending ones);
        `KerasTunerBackend` gives each its own tuner id. `SearchBusy` from `ask` means
        "nothing until a running trial ends" (Hyperband between a bracket's rounds); the
        caller waits for a result and asks again.

    Ownership:
        The instance, and so the process, that asked for a proposal owns the running
        trial: only it may `tell` the result, and `Proposal.report` (pruning) reaches the
        backend only in that process; a child process that trains sends its epoch values
        back to the owner and never touches the backend. An instance is used by one
        thread. One search at a time holds a run directory, so a new instance takes any
        trial its stored state shows running as left by a dead process: it is recorded
        as interrupted, and its config is proposed again, once, under a new number with
        `extra["rerun_of"]`. With a `storage` URL, which live workers share,
        `OptunaBackend` does neither: other processes' running trials are alive.

    Resume:
        A backend owns its state on disk (inside `settings.run_dir` unless a storage URL
        says otherwise), so a new instance over the same settings continues where the
        last one stopped: `finished()` returns the earlier trials with every value and its
        type as recorded, numbering goes on, and the sampler does not start its sequence
        again. `KerasTunerBackend` refuses another tuner or space with a `UserError`.

    Exhaustion:
        `SearchExhausted` from `ask` means the backend has nothing left to propose: the
        search ends normally, no proposal is left outstanding, and `exhausted` says why.
        `KerasTunerBackend` raises it when its oracle stops: it found no untried values
        in 20 draws, as in a small discrete space tried in full (Hyperband's iterations
        never run out). `OptunaBackend` never raises it: TPE keeps proposing, if need be
        configs it tried before.

    Fixed values (`ask(fixed)`):
        `OptunaBackend` enqueues them as an Optuna trial and samples the rest with TPE.
        The queue runs in order, so when a re-run of an interrupted trial is queued the
        re-run is proposed first and the fixed values go to the next `ask`.
        `KerasTunerBackend` writes them over the oracle's sample for its new trial, and
        draws at random (seeded by the trial number) the hyperparameters a fixed family
        makes active that the oracle did not sample; a re-run of an interrupted trial,
        or a config Hyperband's halving promotes to a longer round, is proposed as it
        was, and `fixed` is then dropped.
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
        recorded, and as `finished()` will return it, with what the backend adds (such as
        the interrupted trial whose config the proposal trained again). Raises `KeyError`
        when no proposal with that number is outstanding."""

    @abc.abstractmethod
    def finished(self) -> list[TrialResult]:
        """Every finished trial (complete, pruned, failed or interrupted), oldest first."""
