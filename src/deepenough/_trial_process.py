"""Entry point of the child process that trains trials (see `train.TrialWorkers`).

Kept apart from `deepenough.train` so that starting the child imports nothing heavy
until TensorFlow's native start-up chatter is pointed away from the terminal; the
objective, whose unpickling imports TensorFlow, arrives through the pipe afterwards.
"""

from __future__ import annotations

import signal
from multiprocessing.connection import Connection


def serve(connection: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    from deepenough._console import import_backend_quietly

    import_backend_quietly()
    from deepenough.train._worker import serve_trials

    serve_trials(connection)
