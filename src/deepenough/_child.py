"""The life of a training worker process (see `train.WorkerPool`): take its share of the
machine, start quietly, then run each job the parent sends.

A module of its own, outside `deepenough.train`, because a spawned child imports its
entry point's package first, and `deepenough.train` imports TensorFlow: here nothing
heavy is imported until the worker is pinned to its cores and GPU and TensorFlow's
native start-up chatter is pointed away from the terminal. The handler, whose unpickling
imports TensorFlow, arrives through the pipe afterwards. Nothing of the CLI is imported.

Messages, parent to child: `("handler", handler)` sets what runs each job (it carries
the data, so it is sent once); `("job", request)` runs `handler(request, report)`.
Child to parent: `("ready", device)` once started; `("report", epoch, value)`, answered
by the pruning decision; `("result", result)`; `("error", text)` when the handler
raised.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from deepenough._hardware import CPU, WorkerSlot
from deepenough._native import import_backend_quietly

Handler = Callable[[Any, Callable[[int, float], bool]], Any]
"""Runs one job: (request, report) → result; `report(epoch, value)` returns True to
stop the job early (pruning)."""


def serve(connection: Connection, slot: WorkerSlot) -> None:
    """Run jobs until the parent closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    slot.apply()
    import_backend_quietly()
    _size_thread_pools(slot.threads)
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger("deepenough").propagate = False
    connection.send(("ready", _device()))

    def report(epoch: int, value: float) -> bool:
        connection.send(("report", epoch, value))
        prune: bool = connection.recv()
        return prune

    handler: Handler | None = None
    while True:
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError):  # the parent closed the pipe, or is gone
            return
        if kind == "handler":
            handler = payload
            continue
        assert handler is not None, "a job arrived before its handler"
        try:
            message: tuple[str, Any] = ("result", handler(payload, report))
        except Exception as error:  # the parent decides what a failed job means
            message = ("error", f"{type(error).__name__}: {error}")
        try:
            connection.send(message)
        except OSError:  # the parent is gone
            return


def _size_thread_pools(threads: int) -> None:
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # already initialised: the environment sized them
        pass


def _device() -> str:
    """What trains in this process: the visible GPU's name, or the CPU."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return CPU
    details = tf.config.experimental.get_device_details(gpus[0])
    return str(details.get("device_name", gpus[0].name))
