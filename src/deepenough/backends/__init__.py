"""Search backends (who proposes configs) and the loop that drives them.

Named `backends`, not `search`, so that it cannot shadow the API function
`deepenough.search()`: importing a subpackage binds its name on the parent.
"""

from deepenough.backends._base import Backend, BackendSettings
from deepenough.backends._loop import Objective, count_towards_total, run_trials
from deepenough.backends._trial import EpochReporter, Proposal, TrialResult, TrialStatus

BACKENDS = ("optuna",)


def make_backend(name: str, space, settings: BackendSettings) -> Backend:
    """The backend called `name`; its engine is imported only when chosen."""
    if name == "optuna":
        from deepenough.backends._optuna import OptunaBackend

        return OptunaBackend(space, settings)
    from deepenough.errors import UserError

    raise UserError(f"Unknown backend {name!r}", fix=f"Choose one of: {', '.join(BACKENDS)}.")


__all__ = [
    "BACKENDS",
    "Backend",
    "BackendSettings",
    "EpochReporter",
    "Objective",
    "Proposal",
    "TrialResult",
    "TrialStatus",
    "count_towards_total",
    "make_backend",
    "run_trials",
]
