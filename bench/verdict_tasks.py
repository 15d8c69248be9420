"""The verdict benchmark's tasks: data generated in code or bundled with packages, the
search space and budget of each, and the fixed grids of reference configs per depth
class. bench/verdicts.py runs them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ucr  # bench/ucr.py: the aeon readers

REPO = Path(__file__).resolve().parents[1]
RUNS = REPO / "reports" / "bench-verdicts"
ROWS = 2000

# --- tasks generated in code ---------------------------------------------------------


def _rng(salt: int) -> np.random.Generator:
    return np.random.default_rng(20_240 + salt)


def _frame(x: np.ndarray, target: str, y: np.ndarray, prefix: str = "x") -> pd.DataFrame:
    frame = pd.DataFrame(x, columns=[f"{prefix}{i}" for i in range(x.shape[1])])
    return frame.assign(**{target: y})


def linear_regression() -> pd.DataFrame:
    """y = x·w + noise, R² about 0.9."""
    rng = _rng(1)
    x = rng.normal(size=(ROWS, 10))
    signal = x @ rng.normal(size=10)
    return _frame(x, "y", signal + rng.normal(scale=signal.std() / 3, size=ROWS))


def linear_logistic() -> pd.DataFrame:
    """A class drawn with probability sigmoid(x·w)."""
    rng = _rng(2)
    x = rng.normal(size=(ROWS, 10))
    logit = x @ rng.normal(size=10)
    drawn = rng.random(ROWS) < 1 / (1 + np.exp(-3 * logit / logit.std()))
    return _frame(x, "label", np.where(drawn, "yes", "no"))


def additive() -> pd.DataFrame:
    """A sum of one smooth function per feature, plus noise."""
    rng = _rng(3)
    x = rng.uniform(-2, 2, size=(ROWS, 6))
    parts = (np.sin(2 * x[:, 0]), x[:, 1] ** 2, np.cos(3 * x[:, 2]), np.abs(x[:, 3]))
    y = sum(parts) + 0.5 * x[:, 4] + np.tanh(2 * x[:, 5])
    return _frame(x, "y", y + rng.normal(scale=0.1, size=ROWS))


def xor() -> pd.DataFrame:
    """The class is whether x0 and x1 have the same sign; x2 … x9 are noise."""
    rng = _rng(4)
    x = rng.uniform(-1, 1, size=(ROWS, 10))
    return _frame(x, "label", np.where(x[:, 0] * x[:, 1] > 0, "same", "differ"))


def noise() -> pd.DataFrame:
    """A target independent of the features."""
    rng = _rng(5)
    return _frame(rng.normal(size=(ROWS, 10)), "y", rng.normal(size=ROWS))


TENT_STEPS = 4


def tent_map() -> pd.DataFrame:
    """y = T^4(x) for the tent map T(x) = 1 - |2x - 1|: a sawtooth of 2^4 linear pieces.
    One hidden layer of 8 ReLUs makes at most 9 pieces; layers applied in turn multiply
    them, as the map does (Telgarsky 2016)."""
    x = _rng(6).uniform(0, 1, size=ROWS)
    y = x.copy()
    for _ in range(TENT_STEPS):
        y = 1 - np.abs(2 * y - 1)
    return pd.DataFrame({"x": x, "y": y})


def shells() -> pd.DataFrame:
    """The class is the parity of floor(2·‖x‖) for x in 4 dimensions: concentric shells."""
    x = _rng(7).normal(size=(ROWS, 4))
    parity = np.floor(2 * np.linalg.norm(x, axis=1)).astype(int) % 2
    return _frame(x, "label", np.where(parity == 1, "odd", "even"))


PULSE_LENGTH = 128
PULSE_GAPS = {"near": 16, "far": 24}


def pulse_pairs() -> pd.DataFrame:
    """Two pulses in correlated noise, 16 or 24 steps apart, anywhere in the middle of a
    128-step series. Two convolutions of width ≤ 8 see at most 15 steps, so only stacked
    ones see both pulses; each pulse stays 16 steps from either end in both classes."""
    rng = _rng(8)
    steps = np.arange(PULSE_LENGTH)
    series = np.zeros((ROWS, PULSE_LENGTH))
    labels = rng.choice(list(PULSE_GAPS), size=ROWS)
    for row, label in enumerate(labels):
        ar = np.zeros(PULSE_LENGTH)
        shocks = rng.normal(scale=0.3, size=PULSE_LENGTH)
        for t in range(PULSE_LENGTH):
            ar[t] = 0.8 * ar[t - 1] + shocks[t] if t else shocks[t]
        half = PULSE_GAPS[label] / 2
        middle = rng.uniform(16 + 12, PULSE_LENGTH - 16 - 12)
        for centre in (middle - half, middle + half):
            ar += 2.0 * np.exp(-0.5 * ((steps - centre) / 1.0) ** 2)
        series[row] = ar
    return _frame(series, "label", labels, prefix="t")


# --- bundled real data -------------------------------------------------------------


def breast_cancer() -> pd.DataFrame:
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    return bunch.frame.assign(target=bunch.target_names[bunch.target]).rename(
        columns={"target": "diagnosis"}
    )


def wine() -> pd.DataFrame:
    from sklearn.datasets import load_wine

    bunch = load_wine(as_frame=True)
    return bunch.frame.assign(target=bunch.target_names[bunch.target]).rename(
        columns={"target": "cultivar"}
    )


def digits() -> pd.DataFrame:
    """8 × 8 images as pixel0 … pixel63 (scikit-learn's digits, 1,797 rows)."""
    from sklearn.datasets import load_digits

    bunch = load_digits(as_frame=True)
    return _frame(bunch.data.to_numpy(), "digit", bunch.target.to_numpy(), prefix="pixel")


def diabetes() -> pd.DataFrame:
    from sklearn.datasets import load_diabetes

    return load_diabetes(as_frame=True, scaled=False).frame.rename(
        columns={"target": "progression"}
    )


def penguins() -> pd.DataFrame:
    return pd.read_csv(REPO / "examples" / "penguins.csv")


def _ucr(name: str, split: int) -> pd.DataFrame:
    """The official UCR train (0) or test (1) split, via bench/ucr.py."""
    return pd.read_csv(ucr.write_csvs(name)[split])


# --- spaces ------------------------------------------------------------------------

WIDTH_CAPPED_SPACE = """\
description: At most 8 units a layer - a parameter budget under which depth, not width, buys pieces.
shallow_max_depth: 2
families:
  mlp:
    hyperparameters:
      depth: {type: int, low: 0, high: 8}
      width: {type: int, low: 4, high: 8}
  recursive:
    hyperparameters:
      k: {type: int, low: 1, high: 8}
      width: {type: int, low: 4, high: 8}
training:
  learning_rate: {type: float, low: 1.0e-3, high: 3.0e-2, log: true}
  batch_size: 32
  max_epochs: 1000
  patience: 100
"""

CONVOLUTION_SPACE = """\
description: Sequences - 1-D CNNs beside flat baselines, no recurrent nets.
shallow_max_depth: 2
families:
  mlp:
    hyperparameters:
      depth: {type: int, low: 0, high: 6}
      width: {type: int, low: 32, high: 512, log: true}
      activation: {type: categorical, choices: [relu, gelu]}
      dropout: {type: float, low: 0.0, high: 0.5}
  resmlp:
    hyperparameters:
      blocks: {type: int, low: 1, high: 4}
      d: {type: int, low: 32, high: 256, log: true}
      hidden_dropout: {type: float, low: 0.0, high: 0.4}
  cnn:
    hyperparameters:
      blocks: {type: int, low: 1, high: 6}
      filters: {type: int, low: 16, high: 64, log: true}
      kernel_size: {type: categorical, choices: [3, 5, 8]}
      residual: {type: categorical, choices: [false, true]}
training:
  learning_rate: {type: float, low: 3.0e-4, high: 1.0e-2, log: true}
  batch_size: {type: categorical, choices: [32, 64]}
  max_epochs: 150
  patience: 20
"""


# --- reference grids ---------------------------------------------------------------

Candidate = tuple[str, dict[str, Any], float]
"""(family, hyperparameters beyond the family's defaults, learning rate)."""


@dataclass(frozen=True)
class Grid:
    shallow: tuple[Candidate, ...]
    deep: tuple[Candidate, ...]
    batch_size: int
    max_epochs: int
    patience: int
    max_seconds: float = 1800.0
    """A fit stops after the epoch that passes this (recurrent nets on long series)."""


GRIDS: dict[str, Grid] = {
    "tabular": Grid(
        shallow=(
            ("mlp", {"depth": 1, "width": 256}, 3e-3),
            ("mlp", {"depth": 2, "width": 128}, 3e-3),
            ("mlp", {"depth": 2, "width": 256, "dropout": 0.2}, 1e-3),
            ("mlp", {"depth": 2, "width": 64, "activation": "tanh"}, 1e-2),
        ),
        deep=(
            ("mlp", {"depth": 4, "width": 128}, 1e-3),
            ("mlp", {"depth": 6, "width": 128, "dropout": 0.1}, 1e-3),
            ("resmlp", {"blocks": 2, "d": 128}, 1e-3),
            ("resmlp", {"blocks": 4, "d": 128}, 1e-3),
            ("recursive", {"k": 4, "width": 128}, 1e-3),
        ),
        batch_size=64,
        max_epochs=300,
        patience=30,
    ),
    "width8": Grid(
        shallow=(
            ("mlp", {"depth": 1, "width": 8}, 1e-2),
            ("mlp", {"depth": 2, "width": 8}, 1e-2),
            ("mlp", {"depth": 2, "width": 8}, 3e-3),
            ("recursive", {"k": 1, "width": 8}, 1e-2),
            ("recursive", {"k": 1, "width": 8}, 3e-3),
        ),
        deep=(
            ("mlp", {"depth": 4, "width": 8}, 3e-3),
            ("mlp", {"depth": 6, "width": 8}, 1e-3),
            ("recursive", {"k": 4, "width": 8}, 3e-3),
            ("recursive", {"k": 5, "width": 8}, 3e-3),
        ),
        batch_size=32,
        max_epochs=1500,
        patience=150,
    ),
    "sequence": Grid(
        shallow=(
            ("mlp", {"depth": 2, "width": 256, "dropout": 0.2}, 1e-3),
            ("cnn", {"blocks": 1, "filters": 64, "kernel_size": 8}, 1e-3),
            ("cnn", {"blocks": 2, "filters": 64, "kernel_size": 8}, 1e-3),
            ("cnn", {"blocks": 1, "filters": 64, "kernel_size": 8, "residual": True}, 1e-3),
            ("rnn", {"layers": 1, "units": 64, "bidirectional": True}, 3e-3),
        ),
        deep=(
            ("mlp", {"depth": 4, "width": 256, "dropout": 0.2}, 1e-3),
            ("cnn", {"blocks": 3, "filters": 64, "kernel_size": 8}, 1e-3),
            ("cnn", {"blocks": 4, "filters": 64, "kernel_size": 5}, 1e-3),
            ("cnn", {"blocks": 3, "filters": 64, "kernel_size": 8, "residual": True}, 1e-3),
        ),
        batch_size=32,
        max_epochs=200,
        patience=25,
    ),
    "image": Grid(
        shallow=(
            ("mlp", {"depth": 1, "width": 512}, 1e-3),
            ("mlp", {"depth": 2, "width": 256, "dropout": 0.2}, 1e-3),
            ("cnn", {"blocks": 2, "filters": 64, "kernel_size": 3}, 1e-3),
            ("cnn", {"blocks": 1, "filters": 64, "kernel_size": 3, "residual": True}, 1e-3),
        ),
        deep=(
            ("resmlp", {"blocks": 2, "d": 256}, 1e-3),
            ("cnn", {"blocks": 3, "filters": 64, "kernel_size": 3}, 1e-3),
            ("cnn", {"blocks": 4, "filters": 64, "kernel_size": 3}, 1e-3),
            ("cnn", {"blocks": 2, "filters": 64, "kernel_size": 3, "residual": True}, 1e-3),
        ),
        batch_size=64,
        max_epochs=150,
        patience=20,
    ),
}


# --- the task table ----------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    name: str
    make: Callable[[], pd.DataFrame]
    space: str
    """A built-in space name, or the YAML text of one."""
    budget: str
    metric: str
    about: str
    make_test: Callable[[], pd.DataFrame] | None = None
    modality: str | None = None
    image_shape: str | None = None
    grid: str | None = None
    """Reference grid; the data's modality names it by default."""
    trials: int = 30

    def space_source(self) -> str:
        """What `space=` takes: a built-in name, or the YAML written to a file."""
        if "\n" not in self.space:
            return self.space
        path = RUNS / "spaces" / f"{self.name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.space, encoding="utf-8")
        return str(path)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        return self.make(), self.make_test() if self.make_test else None


def _ucr_task(name: str, budget: str, about: str) -> Task:
    return Task(
        name,
        lambda: _ucr(name, 0),
        "sequence",
        budget,
        "accuracy",
        about,
        make_test=lambda: _ucr(name, 1),
    )


TASKS: tuple[Task, ...] = (
    Task("linear_regression", linear_regression, "tabular", "4m", "r2", "y = x·w + noise"),
    Task("linear_logistic", linear_logistic, "tabular", "4m", "roc_auc", "sigmoid(x·w)"),
    Task("additive", additive, "tabular", "5m", "r2", "sum of smooth 1-D functions"),
    Task("xor", xor, "tabular", "5m", "accuracy", "XOR of 2 of 10 features"),
    Task("noise", noise, "tabular", "4m", "r2", "target independent of features"),
    Task(
        "tent_map",
        tent_map,
        WIDTH_CAPPED_SPACE,
        "8m",
        "r2",
        "T^4(x), width ≤ 8",
        grid="width8",
    ),
    Task("shells", shells, "tabular", "6m", "accuracy", "parity of shells in 4-D"),
    Task(
        "pulse_pairs",
        pulse_pairs,
        CONVOLUTION_SPACE,
        "8m",
        "accuracy",
        "distance between two pulses",
        modality="sequence",
    ),
    Task("breast_cancer", breast_cancer, "tabular", "4m", "roc_auc", "scikit-learn"),
    Task("wine", wine, "tabular", "4m", "roc_auc", "scikit-learn"),
    Task("diabetes", diabetes, "tabular", "4m", "rmse", "scikit-learn"),
    Task("penguins", penguins, "tabular", "4m", "roc_auc", "examples/penguins.csv"),
    Task(
        "digits",
        digits,
        "image",
        "12m",
        "accuracy",
        "scikit-learn, 8 × 8 images",
        image_shape="8x8",
    ),
    _ucr_task("GunPoint", "6m", "UCR, official split"),
    _ucr_task("ItalyPowerDemand", "5m", "UCR, official split"),
    _ucr_task("OSULeaf", "12m", "UCR, official split"),
)
BY_NAME = {task.name: task for task in TASKS}
