"""Trials in a child process that is replaced every few trials.

Keras on TensorFlow keeps a few MiB per trained model that `clear_session` does not
release (keras-team/keras#17458); over a long search resident memory would climb
without end. A child process trains the trials and is replaced after
`RECYCLE_AFTER` of them, so the memory goes back with it. The child also makes a hard
per-trial limit possible: a trial that overruns its time limit by far (one endless
epoch) is stopped by ending the child.

The parent keeps the study: the child sends each epoch's validation value back and
waits for the pruning decision. Ctrl-C reaches the whole process group; the child
ignores it and the parent stops the child, so the parent alone decides what an
interruption records.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing.connection import Connection
from typing import Any

from deepenough._child import serve
from deepenough.backends import Proposal, TrialResult
from deepenough.train._objective import TrialObjective

logger = logging.getLogger(__name__)

RECYCLE_AFTER = 10
"""Trials a child trains before it is replaced (about 5 MiB kept per trial, and about
5 seconds to start a child that imports TensorFlow)."""
HARD_LIMIT_FACTOR = 2.0
HARD_LIMIT_GRACE_SECONDS = 60.0
"""A trial with a time limit is ended by force after factor × limit + grace seconds
(the limit is checked after each epoch; this catches an epoch that never ends)."""


class TrialWorkers:
    """Calls `objective` like the objective itself, each trial in a child process
    (`in_process`: in this one, for tests that replace a training function)."""

    def __init__(
        self,
        objective: TrialObjective,
        recycle_after: int = RECYCLE_AFTER,
        *,
        in_process: bool = False,
    ) -> None:
        self.objective = objective
        self.recycle_after = recycle_after
        self.in_process = in_process
        self._process: Any = None
        self._connection: Connection | None = None
        self._trials_in_child = 0

    def __enter__(self) -> TrialWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __call__(self, proposal: Proposal) -> TrialResult:
        if self.in_process:
            return self.objective(proposal)
        if self._process is None or self._trials_in_child >= self.recycle_after:
            self._restart()
        assert self._connection is not None
        self._trials_in_child += 1
        try:
            self._connection.send((proposal.number, proposal.config))
            return self._await_result(proposal)
        except KeyboardInterrupt:
            self.close()
            raise

    def _await_result(self, proposal: Proposal) -> TrialResult:
        connection = self._connection
        assert connection is not None
        limit = self._hard_limit()
        while True:
            if not connection.poll(limit):
                self.close()
                return _failed(
                    proposal,
                    f"stopped by force after {limit:.0f} s: an epoch took far longer than the "
                    "per-trial time limit",
                )
            try:
                kind, *payload = connection.recv()
                if kind == "report":
                    connection.send(proposal.report(*payload))
                    continue
            except (EOFError, OSError):  # the child is gone
                process = self._process
                self.close()
                code = process.exitcode if process else None
                return _failed(
                    proposal,
                    f"the training process ended unexpectedly (exit code {code}); out of "
                    "memory is the usual cause",
                )
            result: TrialResult = payload[0]
            if result.status == "failed":
                logger.warning("trial %d failed: %s", result.number, result.error)
            return result

    def _hard_limit(self) -> float | None:
        if self.objective.max_trial_seconds is None:
            return None
        return HARD_LIMIT_FACTOR * self.objective.max_trial_seconds + HARD_LIMIT_GRACE_SECONDS

    def _restart(self) -> None:
        self.close()
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # the child imports TensorFlow
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        self._process = context.Process(
            target=serve, args=(child_end,), name="deepenough-trials", daemon=True
        )
        self._process.start()
        child_end.close()
        parent_end.send(self.objective)
        self._connection = parent_end
        self._trials_in_child = 0
        logger.debug("started trial process %d", self._process.pid)

    def close(self) -> None:
        """End the child, if any: closing its pipe ends it between trials; a child still
        training is terminated."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join(timeout=5)
            self._process = None


def _failed(proposal: Proposal, error: str) -> TrialResult:
    return TrialResult(proposal.number, proposal.config, "failed", error=error)
