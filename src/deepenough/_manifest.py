"""Everything needed to reproduce a run: versions, seed, command and the data's hash
(`DataInput.sha256`)."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from importlib import metadata

from deepenough.results import Manifest

PACKAGES = ("deepenough", "keras", "tensorflow", "optuna", "numpy", "pandas", "scikit-learn")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def manifest(
    seed: int,
    command: str | None,
    data_hash: str,
    *,
    requested_trials: int,
    workers: int | None = None,
    devices: tuple[str, ...] | None = None,
) -> Manifest:
    """The manifest of a run finishing now (its wall time is added after the export)."""
    return Manifest(
        versions=versions(),
        seed=seed,
        command=command or " ".join(sys.argv),
        data_sha256=data_hash,
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        requested_trials=requested_trials,
        workers=workers,
        devices=devices or None,
    )
