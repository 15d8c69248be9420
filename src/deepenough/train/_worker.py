"""Training jobs in worker processes, each replaced every few jobs.

Keras on TensorFlow keeps a few MiB per trained model that `clear_session` does not
release (keras-team/keras#17458); over a long search resident memory would climb
without end. Each worker is a child process (`deepenough._child`) pinned to its share
of the machine (`WorkerSlot`), replaced after `RECYCLE_AFTER` jobs so that the memory
goes back with it. A job has an optional hard time limit: a job that overruns it (one
endless epoch) is stopped by ending its worker.

The parent keeps the study: a worker sends each epoch's validation value back and waits
for the pruning decision, which the parent takes as values arrive from every worker.
Ctrl-C reaches the whole process group; workers ignore it and the parent stops them, so
the parent alone decides what an interruption records.

Each worker receives its own copy of the job handler and the data it carries.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from deepenough._child import Handler, serve
from deepenough._hardware import CPU, WorkerSlot

logger = logging.getLogger(__name__)

RECYCLE_AFTER = 10
"""Jobs a worker runs before it is replaced (about 5 MiB kept per trial, and about
5 seconds to start a child that imports TensorFlow)."""
START_SECONDS = 120.0
"""Allowed for a worker to import TensorFlow and take its first job."""


def _never_stop(epoch: int, value: float) -> bool:
    return False


@dataclass(frozen=True)
class Done:
    """A finished job: its `result`, or `error` when it raised or its worker was lost."""

    key: Hashable
    result: Any = None
    error: str | None = None
    device: str = CPU


@dataclass
class _Job:
    key: Hashable
    request: Any
    report: Callable[[int, float], bool]
    deadline: float | None


class _Worker:
    def __init__(self, slot: WorkerSlot) -> None:
        self.slot = slot
        self.process: Any = None
        self.connection: Connection | None = None
        self.jobs_run = 0
        self.handler: Handler | None = None
        self.job: _Job | None = None
        self.device = CPU

    @property
    def alive(self) -> bool:
        return self.process is not None

    def start(self) -> None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # the child imports TensorFlow
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=serve,
            args=(child_end, self.slot),
            name=f"deepenough-worker-{self.slot.index}",
            daemon=True,
        )
        try:
            process.start()
        finally:
            child_end.close()
        self.process = process
        self.connection = parent_end
        self.jobs_run = 0
        self.handler = None
        logger.debug("started worker %d (pid %d)", self.slot.index, self.process.pid)

    def send(self, message: tuple[str, Any]) -> None:
        assert self.connection is not None
        self.connection.send(message)

    def stop(self) -> int | None:
        """End the process (closing its pipe ends it between jobs; a process still
        working is terminated); returns its exit code."""
        code = None
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if self.process is not None:
            self.process.join(timeout=0 if self.job else 5)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(timeout=5)
            code = self.process.exitcode
            self.process = None
        self.job = None
        return code


class WorkerPool:
    """Runs jobs on one worker process per slot (`in_process`: in this process, one at a
    time, for tests that replace a training function here).

    `use(handler)` sets what runs each job; `submit` gives a job to an idle worker and
    `wait` returns the next job to finish, whichever worker ran it.
    """

    def __init__(
        self,
        slots: Sequence[WorkerSlot],
        *,
        recycle_after: int = RECYCLE_AFTER,
        in_process: bool = False,
    ) -> None:
        if not slots:
            raise ValueError("a pool needs at least one slot")
        self.in_process = in_process
        self.recycle_after = recycle_after
        self._workers = [_Worker(slot) for slot in (slots[:1] if in_process else slots)]
        self._handler: Handler | None = None
        self._queued: deque[_Job] = deque()  # in process: submitted, not yet run

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def size(self) -> int:
        return len(self._workers)

    @property
    def busy(self) -> int:
        if self.in_process:
            return len(self._queued)
        return sum(w.job is not None for w in self._workers)

    @property
    def idle(self) -> int:
        return self.size - self.busy

    def use(self, handler: Handler) -> None:
        """Run the jobs submitted from now on with `handler`; each worker receives it
        (and the data it carries) with its first such job."""
        self._handler = handler

    def submit(
        self,
        key: Hashable,
        request: Any,
        *,
        report: Callable[[int, float], bool] = _never_stop,
        limit: float | None = None,
    ) -> None:
        """Start `handler(request, report)` on an idle worker; `limit` seconds after this,
        the job is stopped by force. Raises RuntimeError when no worker is idle."""
        if self._handler is None:
            raise RuntimeError("no handler: call use() first")
        deadline = None if limit is None else time.monotonic() + limit
        job = _Job(key, request, report, deadline)
        if self.in_process:
            self._queued.append(job)
            return
        idle = [w for w in self._workers if w.job is None]
        if not idle:
            raise RuntimeError("every worker is busy; wait() for one first")
        self._start_idle()
        worker = idle[0]
        worker.job = job
        try:
            if worker.handler is not self._handler:
                worker.send(("handler", self._handler))
                worker.handler = self._handler
            worker.send(("job", request))
        except (OSError, EOFError):  # found dead when sent to: wait() reports it lost
            pass
        except KeyboardInterrupt:
            worker.stop()
            raise
        worker.jobs_run += 1

    def _start_idle(self) -> None:
        """Start every idle worker not running or due for replacement, all at once, so
        that they import TensorFlow side by side."""
        for worker in self._workers:
            if worker.job is None and (not worker.alive or worker.jobs_run >= self.recycle_after):
                worker.stop()
                worker.start()

    def wait(self) -> Done:
        """The next job to finish. A job that raised, overran its limit or whose worker
        died comes back with `error`; the other workers go on. Ctrl-C stops every
        worker still running a job, then propagates."""
        if self.in_process:
            return self._run_queued()
        try:
            return self._wait()
        except KeyboardInterrupt:
            self.stop_running()
            raise

    def stop_running(self) -> list[Hashable]:
        """Stop every worker still running a job; returns those jobs' keys."""
        keys = []
        for worker in self._workers:
            if worker.job is not None:
                keys.append(worker.job.key)
                worker.stop()
        self._queued.clear()
        return keys

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()

    def _run_queued(self) -> Done:
        if not self._queued:
            raise RuntimeError("no job is running")
        job = self._queued.popleft()
        assert self._handler is not None
        try:
            return Done(job.key, self._handler(job.request, job.report))
        except Exception as error:
            return Done(job.key, error=f"{type(error).__name__}: {error}")

    def _wait(self) -> Done:
        while True:
            running = [w for w in self._workers if w.job is not None]
            if not running:
                raise RuntimeError("no job is running")
            deadlines = [w.job.deadline for w in running if w.job and w.job.deadline]
            timeout = max(min(deadlines) - time.monotonic(), 0.0) if deadlines else None
            ready = wait([w.connection for w in running if w.connection], timeout)
            if not ready:
                late = min(running, key=lambda w: w.job.deadline or float("inf"))  # type: ignore[union-attr]
                assert late.job is not None
                key, late.job = late.job.key, None
                late.stop()
                return Done(
                    key,
                    error="stopped by force: it ran far past its time limit (an epoch that "
                    "never ended)",
                    device=late.device,
                )
            for worker in running:
                if worker.connection in ready:
                    done = self._receive(worker)
                    if done is not None:
                        return done

    def _receive(self, worker: _Worker) -> Done | None:
        """Handle one message from `worker`; the finished job, if it was the last."""
        assert worker.job is not None and worker.connection is not None
        job = worker.job
        try:
            kind, *payload = worker.connection.recv()
            if kind == "report":
                worker.connection.send(job.report(*payload))
                return None
        except (EOFError, OSError):  # the process is gone
            code = worker.stop()
            return Done(
                job.key,
                error=f"the training process ended unexpectedly (exit code {code}); out of "
                "memory is the usual cause",
                device=worker.device,
            )
        if kind == "ready":
            worker.device = payload[0]
            return None
        worker.job = None
        if kind == "error":
            return Done(job.key, error=payload[0], device=worker.device)
        return Done(job.key, result=payload[0], device=worker.device)
