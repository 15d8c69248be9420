"""Everything needed to reproduce a run: versions, seed, command and the data's hash
(`DataInput.sha256`)."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any

PACKAGES = ("deepenough", "keras", "tensorflow", "optuna", "numpy", "pandas", "scikit-learn")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def manifest(seed: int, command: str | None, data_hash: str, **extra: Any) -> dict[str, Any]:
    return {
        "versions": versions(),
        "seed": seed,
        "command": command or " ".join(sys.argv),
        "data_sha256": data_hash,
        **extra,
    }
