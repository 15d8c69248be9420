"""Shared fixtures: tiny data (at most 200 rows), a tiny search space (3 epochs), seeds."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _frames import make_classification_frame, make_regression_frame

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

TINY_SPACE = """\
shallow_max_depth: 2
families:
  mlp:
    hyperparameters:
      depth: {type: int, low: 0, high: 3}
      width: {type: int, low: 4, high: 16}
      activation: {type: categorical, choices: [relu, tanh]}
      dropout: 0.0
training:
  learning_rate: {type: float, low: 1.0e-3, high: 3.0e-2, log: true}
  batch_size: 32
  max_epochs: 3
  patience: 2
"""


@pytest.fixture(autouse=True)
def _seed() -> None:
    np.random.seed(0)


@pytest.fixture
def tiny_space(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_SPACE)
    return path


@pytest.fixture
def classification_frame() -> pd.DataFrame:
    return make_classification_frame()


@pytest.fixture
def regression_frame() -> pd.DataFrame:
    return make_regression_frame()


@pytest.fixture
def classification_csv(tmp_path: Path, classification_frame: pd.DataFrame) -> Path:
    path = tmp_path / "classes.csv"
    classification_frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def penguins_run(tmp_path_factory) -> Path:
    """`automl search examples/penguins.csv` run once as a real subprocess, in a fresh folder.

    Returns the folder; the run is in reports/penguins/ below it, as a user would find it.
    """
    import shutil
    import subprocess
    import sys

    home = tmp_path_factory.mktemp("user")
    shutil.copytree(EXAMPLES, home / "examples")
    (home / "tiny.yaml").write_text(TINY_SPACE)
    automl = Path(sys.executable).with_name("automl")
    done = subprocess.run(
        [
            *(str(automl), "search", "examples/penguins.csv", "--trials", "3"),
            *("--space", "tiny.yaml", "--folds", "2", "--repeats", "1"),
        ],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (home / "search.log").write_text(done.stderr)
    return home


def pytest_collection_modifyitems(config, items) -> None:
    """GPU tests run where TensorFlow sees a GPU (bench/gpu_check.sh) and skip elsewhere."""
    gpu_tests = [item for item in items if "gpu" in item.keywords]
    if not gpu_tests:
        return
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        skip = pytest.mark.skip(reason="no GPU on this machine")
        for item in gpu_tests:
            item.add_marker(skip)
