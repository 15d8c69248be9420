"""TensorFlow, Keras and Optuna imported with their native start-up chatter kept off the
terminal: for the CLI and for every training child, so it imports nothing of the CLI."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator


def import_backend_quietly() -> None:
    """Import TensorFlow, Keras and Optuna, and route their logs through `logging`.

    TensorFlow's C++ runtime writes to file descriptor 2 while it loads
    (oneDNN, CUDA probes) whatever the Python log level, so the descriptor is
    pointed at /dev/null for the import only.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _native_stderr_silenced():
        import keras  # noqa: F401
        import optuna
        import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    optuna.logging.disable_default_handler()
    optuna.logging.enable_propagation()
    optuna.logging.set_verbosity(logging.WARNING)


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)
