"""The Optuna backend: seeded multivariate TPE, median pruning, a journal file per run."""

from __future__ import annotations

import logging
import warnings
from typing import Any

import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

from deepenough.backends._base import Backend, BackendSettings
from deepenough.backends._trial import Proposal, TrialResult
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
PRUNER_WARMUP_EPOCHS = 10
"""No trial is pruned before this epoch: slow learners (a linear model at a small learning
rate) trail at first, and pruning them early would bias the shallow-versus-deep comparison."""
_STATES = {"complete": TrialState.COMPLETE, "pruned": TrialState.PRUNED, "failed": TrialState.FAIL}


class OptunaBackend(Backend):
    name = "optuna"
    state_file = "study.journal"

    def __init__(self, space: SearchSpace, settings: BackendSettings) -> None:
        super().__init__(space, settings)
        with warnings.catch_warnings():
            # `group` (conditional families sampled jointly) is marked experimental.
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            sampler = optuna.samplers.TPESampler(seed=settings.seed, multivariate=True, group=True)
        self.study = optuna.create_study(
            storage=self._storage(),
            study_name=settings.study_name,
            direction=settings.direction,
            load_if_exists=True,
            sampler=sampler,
            pruner=optuna.pruners.MedianPruner(
                n_startup_trials=5, n_warmup_steps=PRUNER_WARMUP_EPOCHS
            ),
        )
        self._running: dict[int, optuna.Trial] = {}

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

    def tell(self, result: TrialResult) -> None:
        trial = self._running.pop(result.number)
        trial.set_user_attr(RESULT_ATTR, result.to_dict())
        if result.status == "complete":
            self.study.tell(trial, result.value)
        else:
            self.study.tell(trial, state=_STATES[result.status])

    def finished(self) -> list[TrialResult]:
        results = []
        for trial in self.study.get_trials(deepcopy=False):
            entry = trial.user_attrs.get(RESULT_ATTR)
            if trial.state.is_finished() and entry is not None:
                results.append(TrialResult.from_dict(entry))
        return results

    def _storage(self) -> Any:
        if self.settings.storage:
            return self.settings.storage
        path = self.settings.run_dir / self.state_file
        return JournalStorage(JournalFileBackend(str(path)))


def _optuna_params(config: Config) -> dict[str, Any]:
    """`config` under the parameter names that `ask` suggests."""
    return {
        "family": config.family,
        **{f"{config.family}.{k}": v for k, v in config.hyperparameters.items()},
        **config.training,
    }


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
