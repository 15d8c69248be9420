"""Everything needed to reproduce a run: versions, seed, command and a hash of the data."""

from __future__ import annotations

import hashlib
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

PACKAGES = ("deepenough", "keras", "tensorflow", "optuna", "numpy", "pandas", "scikit-learn")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def data_sha256(data: str | Path | pd.DataFrame) -> str:
    digest = hashlib.sha256()
    if isinstance(data, pd.DataFrame):
        digest.update(pd.util.hash_pandas_object(data, index=False).to_numpy().tobytes())
        digest.update("\x1f".join(map(str, data.columns)).encode())
    else:
        with open(data, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def manifest(seed: int, command: str | None, data_hash: str, **extra: Any) -> dict[str, Any]:
    return {
        "versions": versions(),
        "seed": seed,
        "command": command or " ".join(sys.argv),
        "data_sha256": data_hash,
        **extra,
    }
