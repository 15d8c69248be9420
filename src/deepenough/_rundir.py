"""The run directory: created fresh, resumed, or refused, before anything is written."""

from __future__ import annotations

from pathlib import Path

from deepenough.errors import RunDirectoryError

RUN_FILES = (
    "results.json",
    "leaderboard.csv",
    "report.html",
    "best_model.keras",
    "study.journal",
    "study.journal.lock",
)
"""Files a run writes; their presence marks a directory as a run directory."""
RUN_MARKERS = ("results.json", "study.journal")


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
    occupied = path.is_dir() and any(path.iterdir())
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


def open_run_directory(path: Path, *, resume: bool, overwrite: bool) -> Path:
    """Check, then create `path` (or clear a replaced run's files from it)."""
    check_run_directory(path, resume=resume, overwrite=overwrite)
    if overwrite:
        for name in RUN_FILES:
            (path / name).unlink(missing_ok=True)
    path.mkdir(parents=True, exist_ok=True)
    return path
