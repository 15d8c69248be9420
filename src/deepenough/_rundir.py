"""The run directory: created fresh, resumed, or refused, before anything is written."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path
from typing import IO

from deepenough.backends import STATE_FILES
from deepenough.errors import RunDirectoryError

LOCK_FILE = "run.lock"
"""Held (flock) by the one search writing the directory; the system releases it when
that process ends, however it ends."""

RUN_FILES = (
    "results.json",
    "leaderboard.csv",
    "report.html",
    "best_model.keras",
    "study.journal.lock",
    *STATE_FILES.values(),
)
"""Files (and KerasTuner's folder) a run writes."""
RUN_MARKERS = ("results.json", *STATE_FILES.values())
"""Their presence marks a directory as a run directory."""


def is_run_directory(path: Path) -> bool:
    return path.is_dir() and any((path / name).exists() for name in RUN_MARKERS)


def check_run_directory(path: Path, *, resume: bool, overwrite: bool) -> None:
    """Raise if the run may not go to `path`; touches nothing on disk."""
    if resume and overwrite:
        raise RunDirectoryError(
            "--resume and --overwrite contradict each other", fix="Pass only one of them."
        )
    if path.exists() and not path.is_dir():
        raise RunDirectoryError(
            f"{path} is a file, not a run directory", fix="Choose another --out."
        )
    occupied = path.is_dir() and any(p.name != LOCK_FILE for p in path.iterdir())
    if resume:
        if not is_run_directory(path):
            raise RunDirectoryError(
                f"There is no run to resume in {path}",
                fix="Drop --resume to start a new run, or point --out at an earlier run.",
            )
        return
    if is_run_directory(path):
        if not overwrite:
            raise RunDirectoryError(
                f"{path} already holds a run",
                fix="Pass --resume to continue it, --overwrite to replace it, "
                "or choose another --out.",
            )
    elif occupied:
        raise RunDirectoryError(
            f"{path} holds other files and is not a run directory",
            fix="Choose an empty or new --out directory.",
        )


def open_run_directory(path: Path, *, resume: bool, overwrite: bool) -> IO[str]:
    """Check, create and lock `path` (then clear a replaced run's files from it); returns
    the lock, which the caller closes when the run is written."""
    check_run_directory(path, resume=resume, overwrite=overwrite)
    path.mkdir(parents=True, exist_ok=True)
    lock = open(path / LOCK_FILE, "a")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise RunDirectoryError(
            f"Another search is running in {path}",
            fix="Wait for it to finish, or choose another --out.",
        ) from None
    if overwrite:
        for name in RUN_FILES:
            if (path / name).is_dir():
                shutil.rmtree(path / name)
            else:
                (path / name).unlink(missing_ok=True)
    return lock
