"""The life of a training child process (see `train.TrialWorkers`): start quietly, then
train each trial the parent sends.

A module of its own, outside `deepenough.train`, because a spawned child imports its
entry point's package first, and `deepenough.train` imports TensorFlow: here nothing
heavy is imported until TensorFlow's native start-up chatter is pointed away from the
terminal. The objective, whose unpickling imports TensorFlow, arrives through the pipe
afterwards. Nothing of the CLI is imported.
"""

from __future__ import annotations

import logging
import signal
from multiprocessing.connection import Connection

from deepenough._native import import_backend_quietly
from deepenough.backends import Objective, Proposal


def serve(connection: Connection) -> None:
    """Receive the objective, then train each (number, config) received and send back its
    result, relaying each epoch's value for the parent's pruning decision."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    import_backend_quietly()
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger("deepenough").propagate = False
    objective: Objective = connection.recv()

    def report(epoch: int, value: float) -> bool:
        connection.send(("report", epoch, value))
        prune: bool = connection.recv()
        return prune

    while True:
        try:
            number, config = connection.recv()
        except (EOFError, OSError):  # the parent closed the pipe, or is gone
            return
        result = objective(Proposal(number, config, report))
        try:
            connection.send(("result", result))
        except OSError:  # the parent is gone
            return
