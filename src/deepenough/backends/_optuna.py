"""The Optuna backend: seeded multivariate TPE, median pruning, a journal file per run."""

from __future__ import annotations

import logging
import math
import warnings
from typing import Any

import numpy as np
import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

from deepenough.backends import STATE_FILES
from deepenough.backends._base import Backend, BackendSettings
from deepenough.backends._trial import Proposal, TrialResult, trial_from_entry
from deepenough.spaces import (
    CategoricalParam,
    Config,
    FixedParam,
    FloatParam,
    IntParam,
    Param,
    SearchSpace,
)

logger = logging.getLogger(__name__)

RESULT_ATTR = "deepenough_result"
RERUN_ATTR = "deepenough_rerun_of"
"""On a trial that trains an interrupted trial's config again: that trial's number."""
STALE_TRIAL = "the process stopped during this trial; a resumed search trains this config again"
PRUNER_WARMUP_EPOCHS = 10
"""No trial is pruned before this epoch: slow learners (a linear model at a small learning
rate) trail at first, and pruning them early would bias the shallow-versus-deep comparison."""
PRUNER_STARTUP_TRIALS = 3
"""A family's trials are pruned only once this many of that family have completed."""
_STATES = {
    "complete": TrialState.COMPLETE,
    "pruned": TrialState.PRUNED,
    "failed": TrialState.FAIL,
    "interrupted": TrialState.FAIL,
}


class OptunaBackend(Backend):
    name = "optuna"
    state_file = STATE_FILES["optuna"]

    def __init__(self, space: SearchSpace, settings: BackendSettings) -> None:
        super().__init__(space, settings)
        self.study = optuna.create_study(
            storage=self._storage(),
            study_name=settings.study_name,
            direction=settings.direction,
            load_if_exists=True,
            sampler=_sampler(settings.seed, settings.workers),
            pruner=FamilyMedianPruner(PRUNER_STARTUP_TRIALS, PRUNER_WARMUP_EPOCHS),
        )
        done = len(self.study.get_trials(deepcopy=False))
        if done:
            # A sampler seeded as at the start would draw the first trials' configs
            # again; seeded by the study's length, a resumed search goes on and still
            # repeats itself.
            self.study.sampler = _sampler(settings.seed + done, settings.workers)
        self._running: dict[int, optuna.Trial] = {}
        if not settings.storage:
            self._recover()

    def _recover(self) -> None:
        """Resume after a crash: a trial the journal still shows running belonged to a
        process that is gone (one search at a time holds a run directory), so it is
        marked interrupted; every interrupted trial's config is queued to run again,
        once. A storage URL is shared by live workers, whose running trials are not
        stale, so this applies to the run's own journal only."""
        for trial in self.study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
            self.study.tell(trial.number, state=TrialState.FAIL)  # left by a dead process
            logger.warning("trial %d was interrupted; its config will run again", trial.number)
        trials = self.study.get_trials(deepcopy=False)
        rerun = {t.user_attrs.get(RERUN_ATTR) for t in trials}
        for trial in trials:
            if (
                trial.state.is_finished()
                and trial.number not in rerun
                and self._result(trial).status == "interrupted"
            ):
                self.study.enqueue_trial(trial.params, user_attrs={RERUN_ATTR: trial.number})

    def ask(self, fixed: Config | None = None) -> Proposal:
        if fixed is not None:
            self.study.enqueue_trial(_optuna_params(fixed))
        trial = self.study.ask()
        self._running[trial.number] = trial
        families = list(self.space.families)
        family = trial.suggest_categorical("family", families)
        hyperparameters = {
            name: _suggest(trial, f"{family}.{name}", param)
            for name, param in self.space.families[family].hyperparameters.items()
        }
        training = {name: _suggest(trial, name, p) for name, p in self.space.training.items()}

        def report(epoch: int, value: float) -> bool:
            trial.report(value, epoch)
            return trial.should_prune()

        return Proposal(trial.number, Config(family, hyperparameters, training), report)

    def tell(self, result: TrialResult) -> TrialResult:
        trial = self._running.pop(result.number, None)
        if trial is None:
            raise KeyError(f"no proposal numbered {result.number} is waiting for its result")
        entry = result.to_record().to_dict()
        if RERUN_ATTR in trial.user_attrs:
            entry["rerun_of"] = trial.user_attrs[RERUN_ATTR]
        trial.set_user_attr(RESULT_ATTR, entry)
        if result.status == "complete":
            self.study.tell(trial, result.value)
        else:
            self.study.tell(trial, state=_STATES[result.status])
        return trial_from_entry(entry)

    def finished(self) -> list[TrialResult]:
        return [
            self._result(trial)
            for trial in self.study.get_trials(deepcopy=False)
            if trial.state.is_finished() and (RESULT_ATTR in trial.user_attrs or trial.params)
        ]

    def _result(self, trial: optuna.trial.FrozenTrial) -> TrialResult:
        """What we recorded for a finished trial; a trial failed without a record was
        stopped by a crash (see `_recover`)."""
        entry = trial.user_attrs.get(RESULT_ATTR)
        if entry is not None:
            return trial_from_entry(entry)
        config = _config_from_params(trial.params, self.space)
        return TrialResult(trial.number, config, "interrupted", error=STALE_TRIAL)

    def _storage(self) -> Any:
        if self.settings.storage:
            return self.settings.storage
        path = self.settings.run_dir / self.state_file
        return JournalStorage(JournalFileBackend(str(path)))


class FamilyMedianPruner(optuna.pruners.BasePruner):
    """Optuna's median rule within a family: a trial stops when its best value so far
    trails the median, at the same epoch, of the completed trials of its own family.

    Families start at different speeds (a convolutional net trails an MLP for its first
    epochs and then passes it), so a rule across families would stop the slow starters
    before they show what they can do, and tilt the search towards fast ones."""

    def __init__(self, startup_trials: int, warmup_epochs: int) -> None:
        self.startup_trials = startup_trials
        self.warmup_epochs = warmup_epochs

    def prune(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> bool:
        epoch = trial.last_step
        if epoch is None or epoch < self.warmup_epochs:
            return False
        family = trial.params.get("family")
        peers = [
            t
            for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
            if t.params.get("family") == family
        ]
        at_epoch = [
            v for t in peers if math.isfinite(v := t.intermediate_values.get(epoch, math.nan))
        ]
        if len(peers) < self.startup_trials or not at_epoch:
            return False
        sign = 1.0 if study.direction == optuna.study.StudyDirection.MAXIMIZE else -1.0
        values = [sign * v for v in trial.intermediate_values.values() if math.isfinite(v)]
        return not values or max(values) < sign * float(np.median(at_epoch))


def _sampler(seed: int, workers: int = 1) -> optuna.samplers.TPESampler:
    """Seeded multivariate TPE; with several workers, the constant liar: each trial still
    running counts as a bad one, so that the next proposal goes elsewhere."""
    with warnings.catch_warnings():
        # `group` (conditional families sampled jointly) and `constant_liar` are marked
        # experimental.
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.samplers.TPESampler(
            seed=seed, multivariate=True, group=True, constant_liar=workers > 1
        )


def _optuna_params(config: Config) -> dict[str, Any]:
    """`config` under the parameter names that `ask` suggests."""
    return {
        "family": config.family,
        **{f"{config.family}.{k}": v for k, v in config.hyperparameters.items()},
        **config.training,
    }


def _config_from_params(params: dict[str, Any], space: SearchSpace) -> Config:
    """The inverse of `_optuna_params`; constants come from the space."""
    family = params["family"]

    def value(name: str, key: str, param: Param) -> Any:
        return param.value if isinstance(param, FixedParam) else params.get(key)

    hyperparameters = {
        name: value(name, f"{family}.{name}", p)
        for name, p in space.families[family].hyperparameters.items()
    }
    training = {name: value(name, name, p) for name, p in space.training.items()}
    return Config(family, hyperparameters, training)


def _suggest(trial: optuna.Trial, name: str, param: Param) -> Any:
    match param:
        case FixedParam(value=value):
            return value
        case IntParam(low=low, high=high, step=step, log=log):
            return trial.suggest_int(name, low, high, step=step, log=log)
        case FloatParam(low=low, high=high, step=step, log=log):
            return trial.suggest_float(name, low, high, step=step, log=log)
        case CategoricalParam(choices=choices):
            return trial.suggest_categorical(name, list(choices))
    raise TypeError(f"unknown parameter declaration {param!r}")
