"""Search backends (who proposes) and the loop that drives them."""

from deepenough.search._base import Backend, BackendSettings
from deepenough.search._loop import Objective, run_trials
from deepenough.search._trial import EpochReporter, Proposal, TrialResult, TrialStatus

BACKENDS = ("optuna",)


def make_backend(name: str, space, settings: BackendSettings) -> Backend:  # noqa: ANN001
    """The backend called `name`; its engine is imported only when chosen."""
    if name == "optuna":
        from deepenough.search._optuna import OptunaBackend

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
    "make_backend",
    "run_trials",
]
