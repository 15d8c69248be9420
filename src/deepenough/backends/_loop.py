"""The search loop: keep trials in flight, tell each result as it arrives, until the trial
count or the time budget is reached."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from deepenough.backends._base import Backend, SearchBusy, SearchExhausted
from deepenough.backends._trial import Proposal, TrialResult
from deepenough.spaces import Config

logger = logging.getLogger(__name__)

Objective = Callable[[Proposal], TrialResult]
Plan = Callable[[list[TrialResult], list[Config]], Config | None]
"""Given the finished trials and the configs still training, the values to fix in the
next one (None: sample all)."""
Deadline = float | Callable[[list[TrialResult]], float] | None
"""A `time.monotonic()` instant, or one computed from the finished trials."""


INTERRUPTED_BY_USER = "interrupted by Ctrl-C; a resumed search trains this config again"


@runtime_checkable
class Runner(Protocol):
    """Trains up to `slots` proposals at once."""

    slots: int

    def start(self, proposal: Proposal) -> None:
        """Begin training `proposal`; called only while fewer than `slots` train."""

    def next_result(self) -> TrialResult:
        """The next proposal to finish training, whichever it is."""

    def stop(self) -> None:
        """Stop every proposal still training (after Ctrl-C, wherever it arrived)."""


class InProcess:
    """A `Runner` that calls `objective` in this process when a result is wanted: with
    `slots` > 1, the most recently started proposal first, so that results arrive in
    another order than the proposals (what several workers do)."""

    def __init__(self, objective: Objective, slots: int = 1) -> None:
        self.objective = objective
        self.slots = slots
        self._started: list[Proposal] = []

    def start(self, proposal: Proposal) -> None:
        self._started.append(proposal)

    def next_result(self) -> TrialResult:
        return self.objective(self._started.pop())

    def stop(self) -> None:
        self._started.clear()


def count_towards_total(trials: list[TrialResult]) -> int:
    """Trials that count towards `--trials`: every finished one but the interrupted."""
    return sum(t.status != "interrupted" for t in trials)


def run_trials(
    backend: Backend,
    objective: Objective | Runner,
    *,
    n_trials: int,
    deadline: Deadline = None,
    on_trial: Callable[[TrialResult], None] | None = None,
    plan: Plan | None = None,
) -> list[TrialResult]:
    """Run trials until the study holds `n_trials` finished ones, time runs short, or the
    backend has nothing left to propose; returns every finished trial.

    `objective` trains one proposal at a time; a `Runner` keeps up to its `slots` in
    flight. No more trials start than `n_trials` can take, so the count is exact.
    Interrupted trials do not count: their configs run again. A new trial starts only
    while the time left before `deadline` exceeds the longest trial so far, so that it
    likely ends by then. Ctrl-C records every running trial as interrupted before it
    propagates.
    """
    runner = objective if isinstance(objective, Runner) else InProcess(objective)
    finished = backend.finished()
    running: dict[int, Proposal] = {}
    started: dict[int, float] = {}
    longest = max((r.fit_seconds for r in finished), default=0.0)
    starting = True
    try:
        while True:
            while starting and len(running) < runner.slots:
                if count_towards_total(finished) + len(running) >= n_trials:
                    starting = False
                    break
                end = deadline(finished) if callable(deadline) else deadline
                if end is not None and end - time.monotonic() < longest:
                    logger.info("time budget reached after %d trials", len(finished))
                    starting = False
                    break
                asked = time.monotonic()  # proposing is part of a trial's time
                configs = [p.config for p in running.values()]
                try:
                    proposal = backend.ask(plan(finished, configs) if plan else None)
                except SearchBusy:
                    if running:
                        break  # wait for a running trial to end
                    starting = False  # nothing runs, so nothing will free the backend
                    break
                except SearchExhausted as exhausted:
                    logger.info("%s after %d trials", exhausted, count_towards_total(finished))
                    starting = False
                    break
                running[proposal.number] = proposal
                started[proposal.number] = asked
                runner.start(proposal)
            if not running:
                return finished
            result = runner.next_result()
            del running[result.number]
            result = backend.tell(result)
            finished.append(result)
            longest = max(longest, time.monotonic() - started.pop(result.number))
            if on_trial is not None:
                on_trial(result)
    except KeyboardInterrupt:
        runner.stop()  # Ctrl-C may arrive outside `next_result`, with trials training
        for proposal in running.values():
            backend.tell(
                TrialResult(
                    proposal.number, proposal.config, "interrupted", error=INTERRUPTED_BY_USER
                )
            )
        raise
