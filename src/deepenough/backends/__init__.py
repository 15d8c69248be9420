"""Search backends (who proposes configs) and the loop that drives them.

Named `backends`, not `search`, so that it cannot shadow the API function
`deepenough.search()`: importing a subpackage binds its name on the parent.
"""

from deepenough.backends._base import Backend, BackendSettings, SearchBusy, SearchExhausted
from deepenough.backends._loop import (
    Deadline,
    InProcess,
    Objective,
    Runner,
    count_towards_total,
    run_trials,
)
from deepenough.backends._trial import (
    EpochReporter,
    Proposal,
    TrialResult,
    never_prune,
    trial_from_entry,
)

STATE_FILES = {"optuna": "study.journal", "kerastuner": "kerastuner"}
"""Each backend's state inside the run directory (a file, or a folder for KerasTuner)."""
BACKENDS = tuple(STATE_FILES)
TUNERS = ("random", "bayesian", "hyperband")
"""KerasTuner's algorithms, as `--tuner` names them."""


def make_backend(name: str, space, settings: BackendSettings) -> Backend:
    """The backend called `name`; its engine is imported only when chosen."""
    from deepenough.errors import UserError

    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; choose one of {BACKENDS}")
    for other, state in STATE_FILES.items():
        if other != name and (settings.run_dir / state).exists():
            raise UserError(
                f"{settings.run_dir} holds a search run with the {other} backend",
                fix=f"Resume it with --backend {other}, or choose another --out.",
            )
    if name == "optuna":
        from deepenough.backends._optuna import OptunaBackend

        return OptunaBackend(space, settings)
    from deepenough.backends._kerastuner import KerasTunerBackend

    return KerasTunerBackend(space, settings)


__all__ = [
    "BACKENDS",
    "STATE_FILES",
    "TUNERS",
    "Backend",
    "BackendSettings",
    "Deadline",
    "EpochReporter",
    "InProcess",
    "Objective",
    "Proposal",
    "Runner",
    "SearchBusy",
    "SearchExhausted",
    "TrialResult",
    "count_towards_total",
    "make_backend",
    "never_prune",
    "run_trials",
    "trial_from_entry",
]
