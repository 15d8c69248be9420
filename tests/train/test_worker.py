"""Trials in a recycled child process: results, pruning and failures cross the pipe."""

import os
import signal

import pytest
from _objectives import config, objective_for

from deepenough.backends import Proposal
from deepenough.train import TrialWorkers

pytestmark = pytest.mark.slow  # each test starts a child process that imports TensorFlow


def test_trials_run_in_a_child_that_is_replaced_and_reports_each_epoch(
    classification_frame, tiny_space
) -> None:
    objective = objective_for(classification_frame, tiny_space)
    reports = []

    def prune_at_the_second_epoch(epoch: int, value: float) -> bool:
        reports.append(epoch)
        return epoch == 2

    with TrialWorkers(objective, recycle_after=2) as workers:
        first = workers(Proposal(0, config()))
        child = workers._process.pid
        assert child != os.getpid()
        pruned = workers(Proposal(1, config(max_epochs=3), prune_at_the_second_epoch))
        assert workers._process.pid == child
        workers(Proposal(2, config()))
        assert workers._process.pid != child  # replaced after two trials
    assert workers._process is None
    assert (first.status, first.number, len(first.history_validation)) == ("complete", 0, 3)
    assert first.value == objective(Proposal(0, config())).value  # same seed, same score
    assert pruned.status == "pruned" and reports == [1, 2]


def test_a_child_that_dies_fails_only_its_trial(classification_frame, tiny_space) -> None:
    with TrialWorkers(objective_for(classification_frame, tiny_space)) as workers:

        def die(epoch: int, value: float) -> bool:
            os.kill(workers._process.pid, signal.SIGKILL)
            return False

        died = workers(Proposal(0, config(), die))
        assert died.status == "failed" and "ended unexpectedly" in died.error
        assert workers(Proposal(1, config())).status == "complete"
