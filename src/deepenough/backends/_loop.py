"""The search loop: ask, train, tell, until the trial count or the time budget is reached."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from deepenough.backends._base import Backend, SearchExhausted
from deepenough.backends._trial import Proposal, TrialResult
from deepenough.spaces import Config

logger = logging.getLogger(__name__)

Objective = Callable[[Proposal], TrialResult]
Plan = Callable[[list[TrialResult]], Config | None]
"""Given the finished trials, the values to fix in the next one (None: sample all)."""
Deadline = float | Callable[[list[TrialResult]], float] | None
"""A `time.monotonic()` instant, or one computed from the finished trials."""


INTERRUPTED_BY_USER = "interrupted by Ctrl-C; a resumed search trains this config again"


def count_towards_total(trials: list[TrialResult]) -> int:
    """Trials that count towards `--trials`: every finished one but the interrupted."""
    return sum(t.status != "interrupted" for t in trials)


def run_trials(
    backend: Backend,
    objective: Objective,
    *,
    n_trials: int,
    deadline: Deadline = None,
    on_trial: Callable[[TrialResult], None] | None = None,
    plan: Plan | None = None,
) -> list[TrialResult]:
    """Run trials until the study holds `n_trials` finished ones, time runs short, or the
    backend has nothing left to propose.

    Interrupted trials do not count: their configs run again. A new trial starts only
    while the time left before `deadline` exceeds the longest trial so far, so that it
    likely ends by then. Ctrl-C records the running trial as interrupted before it
    propagates.
    """
    finished = backend.finished()
    longest = max((r.fit_seconds for r in finished), default=0.0)
    while count_towards_total(finished) < n_trials:
        end = deadline(finished) if callable(deadline) else deadline
        if end is not None and end - time.monotonic() < longest:
            logger.info("time budget reached after %d trials", count_towards_total(finished))
            break
        started = time.monotonic()
        try:
            proposal = backend.ask(plan(finished) if plan else None)
        except SearchExhausted as exhausted:
            logger.info("%s after %d trials", exhausted, count_towards_total(finished))
            break
        try:
            result = objective(proposal)
        except KeyboardInterrupt:
            backend.tell(
                TrialResult(
                    proposal.number, proposal.config, "interrupted", error=INTERRUPTED_BY_USER
                )
            )
            raise
        result = backend.tell(result)
        finished.append(result)
        longest = max(longest, time.monotonic() - started)
        if on_trial is not None:
            on_trial(result)
    return finished
