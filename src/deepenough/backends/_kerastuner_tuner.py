"""Which KerasTuner tuner a run uses, how it is made and sized, and how it is reloaded.

The tuner only holds the oracle and its state directory: `KerasTunerBackend` drives the
oracle itself. A resumed run must keep its tuner and its space, or the saved oracle no
longer fits, so both are written to `RUN_FILE` when the run starts and checked after.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys

import keras_tuner
import numpy as np

from deepenough.backends import STATE_FILES, TUNERS
from deepenough.backends._base import BackendSettings
from deepenough.backends._kerastuner_space import SpaceHyperModel
from deepenough.spaces import SearchSpace

STATE_DIR = STATE_FILES["kerastuner"]
OBJECTIVE = "score"
RUN_FILE = "deepenough_run.json"
"""The tuner and a fingerprint of the space, checked when the run is resumed."""
HYPERBAND_FACTOR = 3
DEFAULT_TUNER = "bayesian"


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
