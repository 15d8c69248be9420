"""The KerasTuner backend: its random, Bayesian or Hyperband oracle proposes configs from the
same YAML space as Optuna's, and deepenough trains them.

Composition, not subclassing: `SpaceHyperModel` declares the space as KerasTuner
hyperparameters (each family's inside a conditional scope; `_kerastuner_space`), a stock
tuner holds the oracle and its state directory (`_kerastuner_tuner` chooses and sizes it),
and `KerasTunerBackend` drives the oracle through its public trial API (`create_trial`,
`update_trial`, `end_trial`), as KerasTuner's distributed workers do. The tuner's own
`search` and `run_trial` are never called: training, pruning and timing stay in
`deepenough.train`, so no checkpoint or TensorBoard log is written.

A Hyperband trial trains from scratch for the epochs its bracket allows (`tuner/epochs`)
instead of continuing a checkpoint, so no checkpoint has to be kept; a trial allowed fewer
epochs than the space's `max_epochs` carries `epoch_budget` in results.json.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import math
import os
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sklearn.exceptions import ConvergenceWarning

from deepenough.backends._base import Backend, BackendSettings, SearchBusy, SearchExhausted
from deepenough.backends._kerastuner_space import (
    _config_from_values,
    _fix,
    _max_epochs,
    _values_from_config,
)
from deepenough.backends._kerastuner_tuner import (
    OBJECTIVE,
    STATE_DIR,
    _make_tuner,
    _seed,
    _settled_tuner,
)
from deepenough.backends._trial import Proposal, TrialResult, trial_from_entry
from deepenough.spaces import Config, SearchSpace

logger = logging.getLogger(__name__)

RECORDS = "deepenough_trials.jsonl"
"""One line per finished trial: the results.json entry and the KerasTuner trial id."""
STALE_TRIAL = "the process stopped during this trial; a resumed search trains this config again"
_ENDED = {"complete": "COMPLETED", "pruned": "COMPLETED", "failed": "FAILED"}
"""KerasTuner's end state per status; an interrupted trial is left running, so that the
oracle offers it again when the search resumes."""


@dataclass
class _Running:
    trial: Any
    """The oracle's `keras_tuner.engine.trial.Trial`."""
    config: Config
    epoch_budget: int | None
    rerun_of: int | None
    tuner_id: str
    """The oracle hands one tuner id the same running trial until it ends, so each
    outstanding proposal has its own."""


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
            config = _config_from_values(self.space, trial.hyperparameters.values)
            stale = TrialResult(self._next_number(), config, "interrupted", error=STALE_TRIAL)
            self._append(trial_id, stale.to_record().to_dict())
            logger.warning("trial %d was interrupted; its config will run again", stale.number)

    def ask(self, fixed: Config | None = None) -> Proposal:
        with warnings.catch_warnings():
            # The Bayesian oracle's Gaussian process fit often stops early; KerasTuner
            # expects it, and the warning would interleave with the progress bar.
            warnings.simplefilter("ignore", ConvergenceWarning)
            tuner_id = self._free_tuner_id()
            trial = self.oracle.create_trial(tuner_id)
        if trial.status == "IDLE":  # Hyperband: the next round waits for running trials
            raise SearchBusy(f"the {self.tuner_name} tuner waits for a running trial")
        if trial.status != "RUNNING":  # STOPPED: Hyperband's schedule, or no new values left
            self.exhausted = f"the {self.tuner_name} tuner had no trial left"
            raise SearchExhausted(self.exhausted)
        number = self._next_number()
        previous = self._last_record(trial.trial_id)  # an interrupted trial offered again
        rerun_of = previous["number"] if previous is not None else None
        values = trial.hyperparameters.values
        promoted = "tuner/trial_id" in values  # a config Hyperband's halving kept: as it is
        if fixed is not None and rerun_of is None and not promoted:
            wanted = _values_from_config(self.space, fixed)
            _fix(trial.hyperparameters, wanted, seed=_seed(self.settings.seed, number))
            # The oracle wrote the trial as sampled; a resumed search reloads it from
            # this file, and must train again what was trained.
            trial.save(os.path.join(self.tuner.get_trial_dir(trial.trial_id), "trial.json"))
        config = _config_from_values(self.space, values)
        budget = values.get("tuner/epochs")
        epoch_budget = int(budget) if budget is not None else None
        if epoch_budget is not None and epoch_budget >= int(config.training["max_epochs"]):
            epoch_budget = None
        self._running[number] = _Running(trial, config, epoch_budget, rerun_of, tuner_id)
        trained = config
        if epoch_budget is not None:
            trained = replace(config, training={**config.training, "max_epochs": epoch_budget})
        return Proposal(number, trained)

    def tell(self, result: TrialResult) -> TrialResult:
        running = self._running.pop(result.number, None)
        if running is None:
            raise KeyError(f"no proposal numbered {result.number} is waiting for its result")
        extra = dict(result.extra)
        if running.epoch_budget is not None:
            extra["epoch_budget"] = running.epoch_budget
        if running.rerun_of is not None:
            extra["rerun_of"] = running.rerun_of
        entry = replace(result, config=running.config, extra=extra).to_record().to_dict()
        self._append(running.trial.trial_id, entry)
        if result.status != "interrupted":
            self._end(running.trial, result)
        return trial_from_entry(entry)  # as `finished` has it (fit_seconds rounded)

    def finished(self) -> list[TrialResult]:
        records = sorted(self._records, key=lambda r: r["result"]["number"])
        return [trial_from_entry(r["result"]) for r in records]

    def _free_tuner_id(self) -> str:
        """The first of tuner0, tuner1, … that no outstanding proposal holds."""
        held = {running.tuner_id for running in self._running.values()}
        return next(f"tuner{i}" for i in range(len(held) + 1) if f"tuner{i}" not in held)

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
