"""Jobs on worker processes: results, pruning, failures and time limits cross the pipe,
and each worker keeps to its share of the machine."""

import os
import signal
import time

import pytest
from _objectives import config, objective_for, whereabouts

from deepenough._hardware import Machine, detect, plan_workers
from deepenough.backends import Proposal
from deepenough.train import PooledTrials, WorkerPool

pytestmark = pytest.mark.slow  # each test starts worker processes that import TensorFlow

ONE_CORE = plan_workers(1, Machine((0,), (), 2**34))


def test_trials_run_in_a_worker_that_is_replaced_and_reports_each_epoch(
    classification_frame, tiny_space
) -> None:
    objective = objective_for(classification_frame, tiny_space)
    reports = []

    def prune_at_the_second_epoch(epoch: int, value: float) -> bool:
        reports.append(epoch)
        return epoch == 2

    with WorkerPool(ONE_CORE, recycle_after=2) as pool:
        trials = PooledTrials(pool, objective)
        trials.start(Proposal(0, config()))
        first = trials.next_result()
        worker = pool._workers[0].process.pid
        assert worker != os.getpid()
        trials.start(Proposal(1, config(max_epochs=3), prune_at_the_second_epoch))
        pruned = trials.next_result()
        assert pool._workers[0].process.pid == worker
        trials.start(Proposal(2, config()))
        trials.next_result()
        assert pool._workers[0].process.pid != worker  # replaced after two trials
    assert pool._workers[0].process is None
    assert (first.status, first.number, len(first.history_validation)) == ("complete", 0, 3)
    assert first.extra["device"] == "CPU"
    assert first.value == objective(Proposal(0, config())).value  # same seed, same score
    assert pruned.status == "pruned" and reports == [1, 2]


def test_two_workers_run_jobs_at_once_each_on_its_own_core() -> None:
    slots = plan_workers(2, Machine((0, 1), (), 2**34))
    with WorkerPool(slots) as pool:
        pool.use(whereabouts)
        pool.submit("a", 3.0)
        pool.submit("b", 3.0)
        with pytest.raises(RuntimeError, match="busy"):
            pool.submit("c", 0.0)
        done = [pool.wait(), pool.wait()]
    where = {d.key: d.result for d in done}
    assert set(where) == {"a", "b"} and where["a"]["pid"] != where["b"]["pid"]
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:
        assert sorted([where["a"]["cores"], where["b"]["cores"]]) == [[0], [1]]
    assert where["a"]["threads"] == where["b"]["threads"] == "1"
    (a_began, a_ended), (b_began, b_ended) = where["a"]["span"], where["b"]["span"]
    assert a_began < b_ended and b_began < a_ended  # at the same time


def test_a_worker_that_dies_fails_only_its_trial(classification_frame, tiny_space) -> None:
    slots = plan_workers(2, Machine((0, 1), (), 2**34))
    with WorkerPool(slots) as pool:
        trials = PooledTrials(pool, objective_for(classification_frame, tiny_space))

        def die(epoch: int, value: float) -> bool:
            os.kill(pool._workers[0].process.pid, signal.SIGKILL)
            return False

        trials.start(Proposal(0, config(), die))
        trials.start(Proposal(1, config()))
        results = {r.number: r for r in (trials.next_result(), trials.next_result())}
        assert results[0].status == "failed" and "ended unexpectedly" in results[0].error
        assert results[1].status == "complete"
        trials.start(Proposal(2, config()))  # the lost worker is replaced
        assert trials.next_result().status == "complete"


def test_a_job_far_past_its_limit_is_stopped_by_force() -> None:
    with WorkerPool(ONE_CORE) as pool:
        pool.use(whereabouts)
        pool.submit("endless", 600.0, limit=20.0)
        started = time.monotonic()
        done = pool.wait()
        assert done.error is not None and "stopped by force" in done.error
        assert time.monotonic() - started < 30
        pool.submit("next", 0.0)
        assert pool.wait().result["pid"] != os.getpid()


@pytest.mark.gpu
def test_two_workers_train_side_by_side_on_one_gpu_and_name_it(
    classification_frame, tiny_space
) -> None:
    machine = detect()
    gpu = machine.gpus[0]
    shared = Machine(machine.cpus, (gpu,), machine.available_bytes)
    slots = plan_workers(2, shared)
    assert [s.gpu_sharers for s in slots] == [2, 2]
    with WorkerPool(slots) as pool:
        trials = PooledTrials(pool, objective_for(classification_frame, tiny_space))
        trials.start(Proposal(0, config()))
        trials.start(Proposal(1, config()))
        results = [trials.next_result(), trials.next_result()]
    assert [r.status for r in results] == ["complete", "complete"]
    assert {r.extra["device"] for r in results} == {gpu.name}
