"""The search's trials on a `WorkerPool`: the runner that `backends.run_trials` drives."""

from __future__ import annotations

import logging
from dataclasses import replace

from deepenough.backends import Proposal, TrialResult
from deepenough.train._objective import TrialObjective
from deepenough.train._worker import WorkerPool

logger = logging.getLogger(__name__)

HARD_LIMIT_FACTOR = 2.0
HARD_LIMIT_GRACE_SECONDS = 60.0
"""A trial with a time limit is ended by force after factor × limit + grace seconds
(the limit is checked after each epoch; this catches an epoch that never ends)."""


class PooledTrials:
    """Trains up to `slots` proposals at once, one per worker; each result says which
    device trained it (`extra["device"]`)."""

    def __init__(self, pool: WorkerPool, objective: TrialObjective) -> None:
        self.pool = pool
        self.objective = objective
        self.slots = pool.size
        self._running: dict[int, Proposal] = {}
        pool.use(objective.run)

    def start(self, proposal: Proposal) -> None:
        self._running[proposal.number] = proposal
        self.pool.submit(
            proposal.number,
            (proposal.number, proposal.config),
            report=proposal.report,
            limit=self._hard_limit(),
        )

    def next_result(self) -> TrialResult:
        done = self.pool.wait()
        proposal = self._running.pop(done.key)  # type: ignore[call-overload]
        if done.error is not None:
            logger.warning("trial %d failed: %s", proposal.number, done.error)
            result = TrialResult(proposal.number, proposal.config, "failed", error=done.error)
        else:
            result = done.result
            if result.status == "failed":
                logger.warning("trial %d failed: %s", result.number, result.error)
        return replace(result, extra={**result.extra, "device": done.device})

    def stop(self) -> None:
        """Stop every trial still training (their workers end)."""
        self.pool.stop_running()
        self._running.clear()

    def _hard_limit(self) -> float | None:
        if self.objective.max_trial_seconds is None:
            return None
        return HARD_LIMIT_FACTOR * self.objective.max_trial_seconds + HARD_LIMIT_GRACE_SECONDS
