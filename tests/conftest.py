"""Shared fixtures: tiny data (at most 200 rows), a tiny search space (3 epochs), seeds."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


def make_classification_frame(rows: int = 150, seed: int = 0) -> pd.DataFrame:
    """Two numeric features (one with gaps), a categorical one, and a 3-class target."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=rows)
    x2 = rng.normal(size=rows)
    colour = rng.choice(["red", "green", "blue"], size=rows)
    score = x1 + 0.5 * x2 + (colour == "red") * 1.5
    label = np.where(score > 1.0, "high", np.where(score > -0.5, "mid", "low"))
    x2_with_gaps = x2.copy()
    x2_with_gaps[::17] = np.nan
    colour_with_gaps = colour.astype(object)
    colour_with_gaps[::23] = None
    return pd.DataFrame({"x1": x1, "x2": x2_with_gaps, "colour": colour_with_gaps, "label": label})


def make_regression_frame(rows: int = 150, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=rows)
    b = rng.uniform(-1, 1, size=rows)
    kind = rng.choice(["p", "q"], size=rows)
    y = 100 + 20 * a - 10 * b + 5 * (kind == "p") + rng.normal(scale=1.0, size=rows)
    return pd.DataFrame({"a": a, "b": b, "kind": kind, "y": y})


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
        [str(automl), "search", "examples/penguins.csv", "--trials", "3", "--space", "tiny.yaml"],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (home / "search.log").write_text(done.stderr)
    return home
