"""The KerasTuner backend: its random, Bayesian or Hyperband oracle proposes configs from the
same YAML space as Optuna's, and deepenough trains them.

Composition, not subclassing: `SpaceHyperModel` declares the space as KerasTuner
hyperparameters (each family's inside a conditional scope), a stock tuner holds the oracle
and its state directory, and `KerasTunerBackend` drives the oracle through its public trial
API (`create_trial`, `update_trial`, `end_trial`), as KerasTuner's distributed workers do.
The tuner's own `search` and `run_trial` are never called: training, pruning and timing
stay in `deepenough.train`, so no checkpoint or TensorBoard log is written.

A Hyperband trial trains from scratch for the epochs its bracket allows (`tuner/epochs`)
instead of continuing a checkpoint, so no checkpoint has to be kept; a trial allowed fewer
epochs than the space's `max_epochs` carries `epoch_budget` in results.json.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import math
import os
import sys
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import keras_tuner
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from deepenough.backends import STATE_FILES, TUNERS
from deepenough.backends._base import Backend, BackendSettings, SearchExhausted
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

STATE_DIR = STATE_FILES["kerastuner"]
OBJECTIVE = "score"
RUN_FILE = "deepenough_run.json"
"""The tuner and a fingerprint of the space, checked when the run is resumed."""
RECORDS = "deepenough_trials.jsonl"
"""One line per finished trial: the results.json entry and the KerasTuner trial id."""
STALE_TRIAL = "the process stopped during this trial; a resumed search trains this config again"
HYPERBAND_FACTOR = 3
DEFAULT_TUNER = "bayesian"
_ENDED = {"complete": "COMPLETED", "pruned": "COMPLETED", "failed": "FAILED"}
"""KerasTuner's end state per status; an interrupted trial is left running, so that the
oracle offers it again when the search resumes."""


class SpaceHyperModel(keras_tuner.HyperModel):
    """The search space as KerasTuner hyperparameters. `family` is a choice, and each
    family's hyperparameters are declared inside `conditional_scope("family", [name])`, so
    the oracle samples them only when that family is chosen. Hyperparameters are named
    `family.name` (`mlp.width`), training ones by their plain name. Constants are not
    declared: they come from the space. It builds no model, as training is deepenough's."""

    def __init__(self, space: SearchSpace) -> None:
        super().__init__(name="deepenough")
        self.space = space

    def build(self, hp: keras_tuner.HyperParameters) -> None:
        hp.Choice("family", list(self.space.families))
        for family, declared in self.space.families.items():
            with hp.conditional_scope("family", [family]):
                for name, param in declared.hyperparameters.items():
                    _declare(hp, f"{family}.{name}", param)
        for name, param in self.space.training.items():
            _declare(hp, name, param)


@dataclass
class _Running:
    trial: Any
    """The oracle's `keras_tuner.engine.trial.Trial`."""
    config: Config
    epoch_budget: int | None
    rerun_of: int | None


class KerasTunerBackend(Backend):
    name = "kerastuner"
    state_file = STATE_DIR

    def __init__(self, space: SearchSpace, settings: BackendSettings) -> None:
        super().__init__(space, settings)
        self.tuner_name = tuner = _settled_tuner(settings, space)
        chatter = io.StringIO()
        with contextlib.redirect_stdout(chatter):  # "Reloading Tuner from …"
            self.tuner = _make_tuner(tuner, space, settings, _max_epochs(space))
        if chatter.getvalue().strip():
            logger.info("%s", chatter.getvalue().strip())
        self.oracle = self.tuner.oracle
        self.oracle.verbose = 0  # its per-trial tables would go to stdout
        self.tuner.save()  # a search that dies before its first trial still resumes
        self._records_path = Path(self.tuner.project_dir) / RECORDS
        self._records: list[dict[str, Any]] = _read_records(self._records_path)
        self._running: dict[int, _Running] = {}
        self._recover()

    def _recover(self) -> None:
        """A trial the oracle still shows running belonged to a process that is gone (one
        search at a time holds a run directory): it is recorded as interrupted, unless
        Ctrl-C recorded it already. The oracle queues it to run again on reload."""
        for trial_id, trial in sorted(self.oracle.trials.items()):
            if trial.status != "RUNNING":
                continue
            last = self._last_record(trial_id)
            if last is not None and last["status"] == "interrupted":
                continue
            config = self._config(trial.hyperparameters.values)
            stale = TrialResult(self._next_number(), config, "interrupted", error=STALE_TRIAL)
            self._append(trial_id, stale.to_dict())
            logger.warning("trial %d was interrupted; its config will run again", stale.number)

    def ask(self, fixed: Config | None = None) -> Proposal:
        if self._running:
            raise RuntimeError("a KerasTuner trial is still running; tell its result first")
        with warnings.catch_warnings():
            # The Bayesian oracle's Gaussian process fit often stops early; KerasTuner
            # expects it, and the warning would interleave with the progress bar.
            warnings.simplefilter("ignore", ConvergenceWarning)
            trial = self.oracle.create_trial(self.tuner.tuner_id)
        if trial.status != "RUNNING":  # STOPPED: Hyperband's schedule, or no new values left
            self.exhausted = f"the {self.tuner_name} tuner had no trial left"
            raise SearchExhausted(self.exhausted)
        number = self._next_number()
        previous = self._last_record(trial.trial_id)  # an interrupted trial offered again
        rerun_of = previous["number"] if previous is not None else None
        values = trial.hyperparameters.values
        promoted = "tuner/trial_id" in values  # a config Hyperband's halving kept: as it is
        if fixed is not None and rerun_of is None and not promoted:
            _fix(trial.hyperparameters, self._values(fixed), seed=_seed(self.settings.seed, number))
            # The oracle wrote the trial as sampled; a resumed search reloads it from
            # this file, and must train again what was trained.
            trial.save(os.path.join(self.tuner.get_trial_dir(trial.trial_id), "trial.json"))
        config = self._config(values)
        budget = values.get("tuner/epochs")
        epoch_budget = int(budget) if budget is not None else None
        if epoch_budget is not None and epoch_budget >= int(config.training["max_epochs"]):
            epoch_budget = None
        self._running[number] = _Running(trial, config, epoch_budget, rerun_of)
        trained = config
        if epoch_budget is not None:
            trained = replace(config, training={**config.training, "max_epochs": epoch_budget})
        return Proposal(number, trained)

    def tell(self, result: TrialResult) -> TrialResult:
        running = self._running.pop(result.number)
        extra = dict(result.extra)
        if running.epoch_budget is not None:
            extra["epoch_budget"] = running.epoch_budget
        if running.rerun_of is not None:
            extra["rerun_of"] = running.rerun_of
        recorded = replace(result, config=running.config, extra=extra)
        self._append(running.trial.trial_id, recorded.to_dict())
        if result.status != "interrupted":
            self._end(running.trial, result)
        return recorded

    def finished(self) -> list[TrialResult]:
        return [TrialResult.from_dict(r["result"]) for r in self._records]

    def _end(self, trial: Any, result: TrialResult) -> None:
        status = _ENDED[result.status]
        if status == "COMPLETED" and result.value is not None and math.isfinite(result.value):
            self.oracle.update_trial(
                trial.trial_id, {OBJECTIVE: result.value}, step=result.best_epoch or 0
            )
        else:
            status = "FAILED"
        trial.status = status
        trial.message = result.error
        self.oracle.end_trial(trial)
        self.tuner.save()

    def _config(self, values: dict[str, Any]) -> Config:
        """The config behind KerasTuner's values; constants come from the space."""
        family = values["family"]

        def value(key: str, param: Param) -> Any:
            match param:
                case FixedParam(value=fixed):
                    return fixed
                case CategoricalParam(choices=choices) if not _uniform(choices):
                    return choices[values[key]]
                case IntParam(low=low, high=high) | FloatParam(low=low, high=high):
                    # The Bayesian oracle turns a probability of exactly 1 into
                    # max_value + 1 for an integer on a log scale.
                    return min(max(values[key], low), high)
            return values[key]

        declared = self.space.families[family].hyperparameters
        return Config(
            family,
            {name: value(f"{family}.{name}", p) for name, p in declared.items()},
            {name: value(name, p) for name, p in self.space.training.items()},
        )

    def _values(self, config: Config) -> dict[str, Any]:
        """The inverse of `_config`, for the values `config` holds."""
        declared = self.space.families[config.family].hyperparameters

        def value(param: Param, given: Any) -> Any:
            if isinstance(param, CategoricalParam) and not _uniform(param.choices):
                return param.choices.index(given)
            return given

        return {
            "family": config.family,
            **{
                f"{config.family}.{k}": value(declared[k], v)
                for k, v in config.hyperparameters.items()
            },
            **{k: value(self.space.training[k], v) for k, v in config.training.items()},
        }

    def _last_record(self, trial_id: str) -> dict[str, Any] | None:
        """The results.json entry last recorded for KerasTuner's trial `trial_id`."""
        found = [r["result"] for r in self._records if r["trial_id"] == trial_id]
        return found[-1] if found else None

    def _next_number(self) -> int:
        return len(self._records) + len(self._running)

    def _append(self, trial_id: str, entry: dict[str, Any]) -> None:
        self._records.append({"trial_id": trial_id, "result": entry})
        with open(self._records_path, "a", encoding="utf-8") as file:
            file.write(json.dumps(self._records[-1]) + "\n")
            file.flush()
            os.fsync(file.fileno())


def hyperband_max_epochs(trials: int, max_epochs: int, factor: int = HYPERBAND_FACTOR) -> int:
    """The most epochs a Hyperband iteration may give its best trials while the whole
    iteration (every bracket and round, Li et al. 2018) still fits in `trials`, and at most
    `max_epochs`. Sized so, `--trials 30` runs brackets of 1, 3 and 9 epochs instead of
    spending every trial on the first rounds of a 100-epoch schedule."""
    best = 1
    for epochs in range(1, max_epochs + 1):
        if _hyperband_trials(epochs, factor) <= trials:
            best = epochs
    return best


def _hyperband_trials(max_epochs: int, factor: int) -> int:
    """Trials in one Hyperband iteration, as KerasTuner's `HyperbandOracle` counts them."""
    brackets = math.floor(math.log(max_epochs, factor) + 1e-9) + 1
    last_round = math.ceil(1 + math.log(max_epochs, factor))
    return sum(
        math.ceil(last_round / (bracket + 1) * factor ** (bracket - round_))
        for bracket in range(brackets)
        for round_ in range(bracket + 1)
    )


def _make_tuner(
    tuner: str, space: SearchSpace, settings: BackendSettings, max_epochs: int
) -> keras_tuner.Tuner:
    common = {
        "hypermodel": SpaceHyperModel(space),
        "objective": keras_tuner.Objective(OBJECTIVE, settings.direction[:3]),
        "seed": _seed(settings.seed),
        "directory": str(settings.run_dir),
        "project_name": STATE_DIR,
        "overwrite": False,  # reload the oracle of an earlier run
        "max_consecutive_failed_trials": sys.maxsize,  # failed trials are ours to count
    }
    if tuner == "hyperband":
        epochs = hyperband_max_epochs(settings.trials or 30, max_epochs)
        return keras_tuner.Hyperband(
            max_epochs=epochs, factor=HYPERBAND_FACTOR, hyperband_iterations=None, **common
        )
    if tuner == "bayesian":
        initial = max(3, (settings.trials or 30) // 3)
        return keras_tuner.BayesianOptimization(
            max_trials=None, num_initial_points=initial, **common
        )
    if tuner == "random":
        return keras_tuner.RandomSearch(max_trials=None, **common)
    raise ValueError(f"unknown tuner {tuner!r}; choose one of {TUNERS}")


def _seed(seed: int, *more: int) -> int:
    """A seed for KerasTuner from `--seed` (and a trial number): never 0, for which
    KerasTuner draws a random one; within NumPy's range; and unrelated for neighbouring
    inputs, as KerasTuner seeds its n-th draw with seed + n."""
    return int(np.random.SeedSequence([seed, *more]).generate_state(1)[0]) % (2**31 - 2) + 1


def _settled_tuner(settings: BackendSettings, space: SearchSpace) -> str:
    """The tuner to use: `settings.tuner`, or on resume the one the run used. A resumed run
    must keep its tuner and its space, or KerasTuner's saved oracle no longer fits."""
    path = settings.run_dir / STATE_DIR / RUN_FILE
    declared = {
        "families": {
            name: {k: repr(p) for k, p in family.hyperparameters.items()}
            for name, family in space.families.items()
        },
        "training": {k: repr(p) for k, p in space.training.items()},
    }  # no sets: their order changes from process to process
    space_key = hashlib.sha256(json.dumps(declared, sort_keys=True).encode()).hexdigest()
    if not path.exists():
        tuner = settings.tuner or DEFAULT_TUNER
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"tuner": tuner, "space": space_key}), encoding="utf-8")
        return tuner
    from deepenough.errors import UserError

    stored = json.loads(path.read_text(encoding="utf-8"))
    if settings.tuner not in (None, stored["tuner"]):
        raise UserError(
            f"{settings.run_dir} was searched with --tuner {stored['tuner']}",
            fix=f"Resume it with --tuner {stored['tuner']}, or start a new run with --out.",
        )
    if stored["space"] != space_key:
        raise UserError(
            f"The search space differs from the one {settings.run_dir} was searched with",
            fix="Resume with the same space, or start a new run with another --out.",
        )
    return stored["tuner"]


def _max_epochs(space: SearchSpace) -> int:
    match space.training["max_epochs"]:
        case FixedParam(value=value):
            return int(value)
        case IntParam(high=high):
            return int(high)
        case CategoricalParam(choices=choices):
            return int(max(choices))
    raise TypeError("max_epochs must be a whole number")


def _uniform(choices: tuple[Any, ...]) -> bool:
    """Whether KerasTuner's `Choice` takes the choices as they are: one type among int,
    float and str. Others are chosen by index, booleans too (`Choice` turns them into
    0 and 1)."""
    kinds = {type(c) for c in choices}
    return len(kinds) == 1 and kinds <= {int, float, str}


def _declare(hp: keras_tuner.HyperParameters, name: str, param: Param) -> None:
    match param:
        case FixedParam():
            return
        case IntParam(low=low, high=high, step=step, log=log):
            if log:  # KerasTuner's step is a factor under log sampling
                hp.Int(name, low, high, sampling="log")
            else:
                hp.Int(name, low, high, step=step)
        case FloatParam(low=low, high=high, step=step, log=log):
            hp.Float(name, low, high, step=step, sampling="log" if log else "linear")
        case CategoricalParam(choices=choices):
            if _uniform(choices):
                hp.Choice(name, list(choices))
            else:
                hp.Choice(name, list(range(len(choices))), ordered=False)
        case _:
            raise TypeError(f"unknown parameter declaration {param!r}")


def _fix(hps: keras_tuner.HyperParameters, wanted: dict[str, Any], seed: int) -> None:
    """Set the `wanted` values in a new trial's, and sample what they make active and leave
    out (a fixed family other than the sampled one activates its own hyperparameters)."""
    values = hps.values
    values["family"] = wanted["family"]
    for declared in hps.space:
        if not hps.is_active(declared):
            values.pop(declared.name, None)
        elif declared.name in wanted:
            values[declared.name] = wanted[declared.name]
        elif declared.name not in values:
            values[declared.name] = declared.random_sample(seed)
            seed += 1


def _read_records(path: Path) -> list[dict[str, Any]]:
    """The records written so far. A line cut short by a crash is dropped, and cut from
    the file, so that the next record starts on a line of its own."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    whole = text[: text.rfind("\n") + 1]
    if whole != text:
        logger.warning("dropped a trial record cut short in %s", path)
        path.write_text(whole, encoding="utf-8")
    return [json.loads(line) for line in whole.splitlines()]
